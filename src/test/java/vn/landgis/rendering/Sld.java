package vn.landgis.rendering;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** Test helpers: small SLD 1.0 documents around a few rules. */
final class Sld {

    private Sld() {
    }

    static final String NS = "xmlns=\"http://www.opengis.net/sld\" xmlns:ogc=\"http://www.opengis.net/ogc\" "
            + "xmlns:xlink=\"http://www.w3.org/1999/xlink\"";

    /** A style with one FeatureTypeStyle holding these rules. */
    static String document(String rules) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<StyledLayerDescriptor version=\"1.0.0\" " + NS + ">"
                + "<NamedLayer><Name>t</Name><UserStyle><Name>test</Name><Title>Test</Title>"
                + "<FeatureTypeStyle>" + rules + "</FeatureTypeStyle></UserStyle></NamedLayer></StyledLayerDescriptor>";
    }

    static Style parse(String xml) {
        return SldParser.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "test");
    }

    static Style rules(String rules) {
        return parse(document(rules));
    }

    static Filter filter(String filterXml) {
        Style s = rules("<Rule><ogc:Filter>" + filterXml + "</ogc:Filter>"
                + "<PolygonSymbolizer><Fill/></PolygonSymbolizer></Rule>");
        return s.rules().getFirst().filter;
    }

    static String polygonRule(String name, String filter, String fill) {
        return "<Rule><Name>" + name + "</Name>" + (filter == null ? "" : "<ogc:Filter>" + filter + "</ogc:Filter>")
                + "<PolygonSymbolizer><Fill><CssParameter name=\"fill\">" + fill + "</CssParameter></Fill></PolygonSymbolizer></Rule>";
    }

    static String eq(String property, String literal) {
        return "<ogc:PropertyIsEqualTo><ogc:PropertyName>" + property + "</ogc:PropertyName><ogc:Literal>" + literal
                + "</ogc:Literal></ogc:PropertyIsEqualTo>";
    }

    static String textRule(String property, double size) {
        return "<Rule><TextSymbolizer><Label><ogc:PropertyName>" + property + "</ogc:PropertyName></Label>"
                + "<Font><CssParameter name=\"font-family\">DejaVu Sans</CssParameter><CssParameter name=\"font-size\">" + size
                + "</CssParameter></Font><LabelPlacement><PointPlacement><AnchorPoint><AnchorPointX>0.5</AnchorPointX>"
                + "<AnchorPointY>0.5</AnchorPointY></AnchorPoint></PointPlacement></LabelPlacement>"
                + "<Halo><Radius>1.5</Radius><Fill><CssParameter name=\"fill\">#FFFFFF</CssParameter></Fill></Halo>"
                + "<Fill><CssParameter name=\"fill\">#000000</CssParameter></Fill></TextSymbolizer></Rule>";
    }
}
