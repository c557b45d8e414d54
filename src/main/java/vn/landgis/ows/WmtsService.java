package vn.landgis.ows;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.locationtech.jts.geom.Envelope;
import org.springframework.stereotype.Service;

import vn.landgis.cadastre.ParcelLookup;
import vn.landgis.features.Layer;
import vn.landgis.features.LayerCatalog;
import vn.landgis.features.Viewer;
import vn.landgis.geo.ProvinceProperties;
import vn.landgis.rendering.Style;
import vn.landgis.tiles.TileCache;
import vn.landgis.tiles.TileGrid;
import vn.landgis.tiles.TileService;

/**
 * WMTS 1.0.0 over the tile service, KVP ({@code /ows?SERVICE=WMTS}) and RESTful ({@code /wmts/...}), on the
 * WebMercatorQuad tile matrix set with PNG and Mapbox vector tiles. Exceptions are OWS 1.1 reports.
 */
@Service
class WmtsService {

    static final String WMTS = "http://www.opengis.net/wmts/1.0";
    static final String OWS = "http://www.opengis.net/ows/1.1";
    static final String XLINK = "http://www.w3.org/1999/xlink";
    static final String MATRIX_SET = "WebMercatorQuad";
    static final String MVT = "application/vnd.mapbox-vector-tile";

    private final LayerCatalog catalog;
    private final TileService tiles;
    private final WmsService wms;
    private final OwsProperties properties;
    private final ProvinceProperties province;

    WmtsService(LayerCatalog catalog, TileService tiles, WmsService wms, OwsProperties properties, ProvinceProperties province) {
        this.catalog = catalog;
        this.tiles = tiles;
        this.wms = wms;
        this.properties = properties;
        this.province = province;
    }

    OwsResponse handle(String request, KvpRequest kvp, Viewer viewer, String serviceUrl) {
        return switch (request.toLowerCase(Locale.ROOT)) {
            case "getcapabilities" -> capabilities(viewer, serviceUrl, restBase(serviceUrl));
            case "gettile" -> getTile(kvp, viewer);
            default -> throw new OwsException("OperationNotSupported", "REQUEST", "Yêu cầu không hỗ trợ / request not supported", 501);
        };
    }

    static String restBase(String serviceUrl) {
        return serviceUrl.substring(0, serviceUrl.length() - "/ows".length()) + "/wmts";
    }

    OwsResponse getTile(KvpRequest kvp, Viewer viewer) {
        Layer layer = layer(kvp.require("LAYER"), viewer);
        String styleName = kvp.get("STYLE", "");
        String format = kvp.require("FORMAT");
        String set = kvp.require("TILEMATRIXSET");
        if (!set.equals(MATRIX_SET) && !set.equals("EPSG:3857")) {
            throw OwsException.invalid("TILEMATRIXSET", "Chỉ có / only " + MATRIX_SET);
        }
        int z = kvp.requireInt("TILEMATRIX", 0, TileGrid.MAX_ZOOM);
        long n = 1L << z;
        long row = longParam(kvp, "TILEROW");
        long col = longParam(kvp, "TILECOL");
        if (row < 0 || row >= n) {
            throw new OwsException("TileOutOfRange", "TILEROW", "TILEROW ngoài phạm vi / out of range 0.." + (n - 1));
        }
        if (col < 0 || col >= n) {
            throw new OwsException("TileOutOfRange", "TILECOL", "TILECOL ngoài phạm vi / out of range 0.." + (n - 1));
        }
        return tile(layer, styleName, format, z, col, row, viewer, kvp.get("ASOF"));
    }

    OwsResponse tile(Layer layer, String styleName, String format, int z, long x, long y, Viewer viewer, String asOfText) {
        var asOf = asOf(asOfText);
        TileCache.Tile t;
        String type;
        if (format.equalsIgnoreCase(MVT) || format.equalsIgnoreCase("pbf") || format.equalsIgnoreCase("mvt")) {
            t = tiles.mvt(layer, viewer, z, x, y, asOf);
            type = MVT;
        } else if (format.equalsIgnoreCase("image/png") || format.equalsIgnoreCase("png")) {
            Style style = wms.style(layer, styleName, "STYLE");
            t = tiles.png(layer, style, viewer, z, x, y, asOf);
            type = "image/png";
        } else {
            throw new OwsException("InvalidParameterValue", "FORMAT", "Định dạng không hỗ trợ / format not supported");
        }
        String cc = TileService.isPublic(layer, viewer) ? "public, max-age=300" : "private, no-cache";
        return OwsResponse.of(type, t.bytes()).withHeaders(Map.of("ETag", t.etag(), "Cache-Control", cc));
    }

    private static java.time.OffsetDateTime asOf(String text) {
        try {
            return ParcelLookup.parseAsOf(text);
        } catch (RuntimeException e) {
            throw OwsException.invalid("asOf", "asOf phải là YYYY-MM-DD / asOf must be YYYY-MM-DD or an ISO-8601 date-time");
        }
    }

    private static long longParam(KvpRequest kvp, String name) {
        try {
            return Long.parseLong(kvp.require(name));
        } catch (NumberFormatException e) {
            throw OwsException.invalid(name, name + " phải là số nguyên / must be an integer");
        }
    }

    Layer layer(String name, Viewer viewer) {
        return catalog.layer(name.startsWith("landgis:") ? name.substring(8) : name, viewer)
                .orElseThrow(() -> OwsException.invalid("LAYER", "Không có lớp / no layer named " + KvpRequest.shorten(name)));
    }

    OwsResponse capabilities(Viewer viewer, String kvpUrl, String restBase) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement("Capabilities");
            w.writeDefaultNamespace(WMTS);
            w.writeNamespace("ows", OWS);
            w.writeNamespace("xlink", XLINK);
            w.writeNamespace("xsi", WmsService.XSI);
            w.writeAttribute("version", "1.0.0");
            w.writeAttribute(WmsService.XSI, "schemaLocation", WMTS + " http://schemas.opengis.net/wmts/1.0/wmtsGetCapabilities_response.xsd");
            w.writeStartElement("ows", "ServiceIdentification", OWS);
            ows(w, "Title", properties.title());
            ows(w, "Abstract", properties.abstractText());
            ows(w, "ServiceType", "OGC WMTS");
            ows(w, "ServiceTypeVersion", "1.0.0");
            w.writeEndElement();
            w.writeStartElement("ows", "OperationsMetadata", OWS);
            for (String op : List.of("GetCapabilities", "GetTile")) {
                w.writeStartElement("ows", "Operation", OWS);
                w.writeAttribute("name", op);
                w.writeStartElement("ows", "DCP", OWS);
                w.writeStartElement("ows", "HTTP", OWS);
                w.writeStartElement("ows", "Get", OWS);
                w.writeAttribute("xlink", XLINK, "href", kvpUrl + "?");
                w.writeStartElement("ows", "Constraint", OWS);
                w.writeAttribute("name", "GetEncoding");
                w.writeStartElement("ows", "AllowedValues", OWS);
                ows(w, "Value", "KVP");
                w.writeEndElement();
                w.writeEndElement();
                w.writeEndElement();
                w.writeStartElement("ows", "Get", OWS);
                w.writeAttribute("xlink", XLINK, "href", restBase + "/");
                w.writeStartElement("ows", "Constraint", OWS);
                w.writeAttribute("name", "GetEncoding");
                w.writeStartElement("ows", "AllowedValues", OWS);
                ows(w, "Value", "RESTful");
                w.writeEndElement();
                w.writeEndElement();
                w.writeEndElement();
                w.writeEndElement();
                w.writeEndElement();
                w.writeEndElement();
            }
            w.writeEndElement();
            w.writeStartElement("Contents");
            List<Double> p = province.extentWgs84();
            Envelope provinceBox = new Envelope(p.get(0), p.get(2), p.get(1), p.get(3));
            for (Layer layer : catalog.layersFor(viewer)) {
                w.writeStartElement("Layer");
                ows(w, "Title", layer.definition().title());
                Envelope e = catalog.extent(layer).map(x -> x[1]).orElse(provinceBox);
                w.writeStartElement("ows", "WGS84BoundingBox", OWS);
                ows(w, "LowerCorner", GeometryEncoding.number(e.getMinX(), 6) + " " + GeometryEncoding.number(e.getMinY(), 6));
                ows(w, "UpperCorner", GeometryEncoding.number(e.getMaxX(), 6) + " " + GeometryEncoding.number(e.getMaxY(), 6));
                w.writeEndElement();
                ows(w, "Identifier", layer.name());
                boolean first = true;
                for (String s : layer.styleNames()) {
                    w.writeStartElement("Style");
                    w.writeAttribute("isDefault", Boolean.toString(first));
                    ows(w, "Identifier", s);
                    w.writeEmptyElement("LegendURL");
                    w.writeAttribute("format", "image/png");
                    w.writeAttribute("xlink", XLINK, "href", kvpUrl + "?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetLegendGraphic&FORMAT=image%2Fpng&LAYER="
                            + layer.name() + "&STYLE=" + s);
                    w.writeEndElement();
                    first = false;
                }
                text(w, "Format", "image/png");
                text(w, "Format", MVT);
                w.writeStartElement("TileMatrixSetLink");
                text(w, "TileMatrixSet", MATRIX_SET);
                w.writeEndElement();
                resourceUrl(w, "image/png", restBase + "/" + layer.name() + "/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png");
                resourceUrl(w, MVT, restBase + "/" + layer.name() + "/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.mvt");
                w.writeEndElement();
            }
            w.writeStartElement("TileMatrixSet");
            ows(w, "Identifier", MATRIX_SET);
            ows(w, "SupportedCRS", "urn:ogc:def:crs:EPSG::3857");
            text(w, "WellKnownScaleSet", "urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible");
            for (int z = 0; z <= TileGrid.MAX_ZOOM; z++) {
                w.writeStartElement("TileMatrix");
                ows(w, "Identifier", Integer.toString(z));
                text(w, "ScaleDenominator", Double.toString(TileGrid.scaleDenominator(z)));
                text(w, "TopLeftCorner", "-20037508.3427892 20037508.3427892");
                text(w, "TileWidth", "256");
                text(w, "TileHeight", "256");
                text(w, "MatrixWidth", Long.toString(1L << z));
                text(w, "MatrixHeight", Long.toString(1L << z));
                w.writeEndElement();
            }
            w.writeEndElement();
            w.writeEndElement();
            w.writeStartElement("ServiceMetadataURL");
            w.writeAttribute("xlink", XLINK, "href", restBase + "/1.0.0/WMTSCapabilities.xml");
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndDocument();
            w.flush();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing WMTS capabilities", e);
        }
        return OwsResponse.of("text/xml; charset=UTF-8", out.toByteArray());
    }

    private static void resourceUrl(XMLStreamWriter w, String format, String template) throws XMLStreamException {
        w.writeEmptyElement("ResourceURL");
        w.writeAttribute("format", format);
        w.writeAttribute("resourceType", "tile");
        w.writeAttribute("template", template);
    }

    private static void ows(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        w.writeStartElement("ows", name, OWS);
        w.writeCharacters(value == null ? "" : value);
        w.writeEndElement();
    }

    private static void text(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(value);
        w.writeEndElement();
    }

}
