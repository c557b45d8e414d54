package vn.landgis.features.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.MultiLineString;
import org.locationtech.jts.geom.MultiPoint;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

import com.sun.net.httpserver.HttpServer;

import vn.landgis.features.filter.Filter.ComparisonOp;
import vn.landgis.features.filter.Filter.SpatialOp;

/** Filter Encoding 2.0 XML to filter trees, without a database. */
class FesParserTest {

    static final String NS = "xmlns:fes=\"http://www.opengis.net/fes/2.0\" xmlns:gml=\"http://www.opengis.net/gml/3.2\""
            + " xmlns:landgis=\"https://landgis.vn/ows\"";

    static Filter parse(String body) {
        return FesParser.parse("<fes:Filter " + NS + ">" + body + "</fes:Filter>");
    }

    static FilterException refused(String body) {
        try {
            parse(body);
        } catch (FilterException e) {
            return e;
        }
        throw new AssertionError("accepted: " + body);
    }

    static String cmp(String op, String property, String literal) {
        return "<fes:" + op + "><fes:ValueReference>" + property + "</fes:ValueReference><fes:Literal>" + literal
                + "</fes:Literal></fes:" + op + ">";
    }

    static Geometry spatialGeometry(String body) {
        return ((Filter.Spatial) parse(body)).geometry();
    }

    static Point point(String srsName, String pos) {
        String srs = srsName == null ? "" : " srsName=\"" + srsName + "\"";
        return (Point) spatialGeometry("<fes:Intersects><fes:ValueReference>geom</fes:ValueReference><gml:Point" + srs
                + "><gml:pos>" + pos + "</gml:pos></gml:Point></fes:Intersects>");
    }

    // ------------------------------------------------------------ comparisons and other non-spatial operators

    @Test
    void everyComparisonOperatorParsesWithMatchCaseDefaultingToTrue() {
        assertThat(parse(cmp("PropertyIsEqualTo", "parcel_no", "7"))).isEqualTo(new Filter.Comparison(ComparisonOp.EQ, "parcel_no", "7", true));
        assertThat(parse(cmp("PropertyIsNotEqualTo", "parcel_no", "7"))).isEqualTo(new Filter.Comparison(ComparisonOp.NE, "parcel_no", "7", true));
        assertThat(parse(cmp("PropertyIsLessThan", "parcel_no", "7"))).isEqualTo(new Filter.Comparison(ComparisonOp.LT, "parcel_no", "7", true));
        assertThat(parse(cmp("PropertyIsGreaterThan", "parcel_no", "7"))).isEqualTo(new Filter.Comparison(ComparisonOp.GT, "parcel_no", "7", true));
        assertThat(parse(cmp("PropertyIsLessThanOrEqualTo", "parcel_no", "7")))
                .isEqualTo(new Filter.Comparison(ComparisonOp.LE, "parcel_no", "7", true));
        assertThat(parse(cmp("PropertyIsGreaterThanOrEqualTo", "parcel_no", "7")))
                .isEqualTo(new Filter.Comparison(ComparisonOp.GE, "parcel_no", "7", true));
        assertThat(parse("<fes:PropertyIsEqualTo matchCase=\"false\"><fes:ValueReference>address</fes:ValueReference>"
                + "<fes:Literal>Thôn Đông</fes:Literal></fes:PropertyIsEqualTo>"))
                .isEqualTo(new Filter.Comparison(ComparisonOp.EQ, "address", "Thôn Đông", false));
    }

    @Test
    void aLiteralBeforeThePropertyFlipsTheOperator() {
        String lt = "<fes:PropertyIsLessThan><fes:Literal>50</fes:Literal><fes:ValueReference>parcel_no</fes:ValueReference></fes:PropertyIsLessThan>";
        assertThat(parse(lt)).isEqualTo(new Filter.Comparison(ComparisonOp.GT, "parcel_no", "50", true));
        String ge = "<fes:PropertyIsGreaterThanOrEqualTo><fes:Literal>50</fes:Literal><fes:ValueReference>parcel_no</fes:ValueReference>"
                + "</fes:PropertyIsGreaterThanOrEqualTo>";
        assertThat(parse(ge)).isEqualTo(new Filter.Comparison(ComparisonOp.LE, "parcel_no", "50", true));
        String eq = "<fes:PropertyIsEqualTo><fes:Literal>50</fes:Literal><fes:ValueReference>parcel_no</fes:ValueReference></fes:PropertyIsEqualTo>";
        assertThat(parse(eq)).isEqualTo(new Filter.Comparison(ComparisonOp.EQ, "parcel_no", "50", true));
    }

    @Test
    void comparingTwoPropertiesOrTwoLiteralsIsRefused() {
        assertThat(refused("<fes:PropertyIsEqualTo><fes:ValueReference>a</fes:ValueReference><fes:ValueReference>b</fes:ValueReference>"
                + "</fes:PropertyIsEqualTo>").code()).isEqualTo("InvalidParameterValue");
        assertThat(refused("<fes:PropertyIsEqualTo><fes:Literal>1</fes:Literal><fes:Literal>1</fes:Literal></fes:PropertyIsEqualTo>")
                .code()).isEqualTo("InvalidParameterValue");
    }

    @Test
    void valueReferencesBecomeLocalAttributeNames() {
        assertThat(((Filter.Comparison) parse(cmp("PropertyIsEqualTo", "landgis:parcel_no", "1"))).property()).isEqualTo("parcel_no");
        assertThat(((Filter.Comparison) parse(cmp("PropertyIsEqualTo", "other:parcel_no", "1"))).property()).isEqualTo("parcel_no");
        assertThat(((Filter.Comparison) parse(cmp("PropertyIsEqualTo", "parcels/parcel_no", "1"))).property()).isEqualTo("parcel_no");
        assertThat(((Filter.Comparison) parse(cmp("PropertyIsEqualTo", "landgis:parcels/landgis:parcel_no", "1"))).property())
                .isEqualTo("parcel_no");
        assertThat(((Filter.IsNull) parse("<fes:PropertyIsNull><fes:ValueReference> gml:boundedBy </fes:ValueReference></fes:PropertyIsNull>"))
                .property()).isEqualTo(Filter.BOUNDED_BY);
    }

    @Test
    void otherXPathIsRefusedAsAnUnknownProperty() {
        // gml:name and the other descriptive GML properties are known (always nil), so not in this list
        assertThat(((Filter.Comparison) parse(cmp("PropertyIsEqualTo", "gml:name", "1"))).property()).isEqualTo("gml:name");
        for (String p : List.of("@gml:id", "gml:metaDataProperty", "a/b/c", "parcel_no[1]", "parcel_no; DROP TABLE x", "\"parcel_no\"", "count(x)", "/parcel_no")) {
            FilterException e = refused(cmp("PropertyIsEqualTo", p, "1"));
            assertThat(e.code()).as(p).isEqualTo("InvalidParameterValue");
            assertThat(e.locator()).isEqualTo("FILTER");
        }
    }

    @Test
    void likeKeepsItsSpecialCharactersAndNeedsAllThree() {
        assertThat(parse("<fes:PropertyIsLike wildCard=\"*\" singleChar=\".\" escapeChar=\"!\" matchCase=\"false\">"
                + "<fes:ValueReference>land_use_code</fes:ValueReference><fes:Literal>O*!.</fes:Literal></fes:PropertyIsLike>"))
                .isEqualTo(new Filter.Like("land_use_code", "O*!.", '*', '.', '!', false));
        assertThat(refused("<fes:PropertyIsLike wildCard=\"*\" singleChar=\".\"><fes:ValueReference>a</fes:ValueReference>"
                + "<fes:Literal>x</fes:Literal></fes:PropertyIsLike>").code()).isEqualTo("OperationParsingFailed");
        assertThat(refused("<fes:PropertyIsLike wildCard=\"**\" singleChar=\".\" escapeChar=\"!\"><fes:ValueReference>a</fes:ValueReference>"
                + "<fes:Literal>x</fes:Literal></fes:PropertyIsLike>").code()).isEqualTo("InvalidParameterValue");
    }

    @Test
    void nullNilAndBetweenParse() {
        assertThat(parse("<fes:PropertyIsNull><fes:ValueReference>address</fes:ValueReference></fes:PropertyIsNull>"))
                .isEqualTo(new Filter.IsNull("address"));
        assertThat(parse("<fes:PropertyIsNil nilReason=\"missing\"><fes:ValueReference>address</fes:ValueReference></fes:PropertyIsNil>"))
                .isEqualTo(new Filter.IsNil("address"));
        assertThat(parse("<fes:PropertyIsBetween><fes:ValueReference>parcel_no</fes:ValueReference>"
                + "<fes:LowerBoundary><fes:Literal>10</fes:Literal></fes:LowerBoundary>"
                + "<fes:UpperBoundary><fes:Literal>20</fes:Literal></fes:UpperBoundary></fes:PropertyIsBetween>"))
                .isEqualTo(new Filter.Between("parcel_no", "10", "20"));
    }

    @Test
    void logicalOperatorsNestAndAnEmptyOneIsRefused() {
        Filter f = parse("<fes:And>" + cmp("PropertyIsLessThan", "parcel_no", "50")
                + "<fes:Or>" + cmp("PropertyIsEqualTo", "sheet_no", "1") + "<fes:Not>" + cmp("PropertyIsEqualTo", "sheet_no", "2")
                + "</fes:Not></fes:Or></fes:And>");
        assertThat(f).isEqualTo(new Filter.And(List.of(
                new Filter.Comparison(ComparisonOp.LT, "parcel_no", "50", true),
                new Filter.Or(List.of(new Filter.Comparison(ComparisonOp.EQ, "sheet_no", "1", true),
                        new Filter.Not(new Filter.Comparison(ComparisonOp.EQ, "sheet_no", "2", true)))))));
        assertThat(refused("<fes:And/>").code()).isEqualTo("OperationParsingFailed");
        assertThat(refused("<fes:Not/>").code()).isEqualTo("OperationParsingFailed");
        assertThat(refused(cmp("PropertyIsEqualTo", "a", "1") + cmp("PropertyIsEqualTo", "b", "1")).code()).isEqualTo("OperationParsingFailed");
    }

    @Test
    void nestingBeyondTheLimitIsRefused() {
        String deep = "<fes:Not>".repeat(FesParser.MAX_DEPTH + 1) + cmp("PropertyIsEqualTo", "a", "1") + "</fes:Not>".repeat(FesParser.MAX_DEPTH + 1);
        assertThat(refused(deep).code()).isEqualTo("InvalidParameterValue");
    }

    @Test
    void severalResourceIdsAreOneSet() {
        assertThat(parse("<fes:ResourceId rid=\"parcels.1\"/><fes:ResourceId rid=\"parcels.2\"/>"))
                .isEqualTo(new Filter.ResourceId(List.of("parcels.1", "parcels.2")));
        assertThat(parse("<fes:Or><fes:ResourceId rid=\"parcels.1\"/>" + cmp("PropertyIsEqualTo", "sheet_no", "3") + "</fes:Or>"))
                .isEqualTo(new Filter.Or(List.of(new Filter.ResourceId(List.of("parcels.1")),
                        new Filter.Comparison(ComparisonOp.EQ, "sheet_no", "3", true))));
        assertThat(refused("<fes:ResourceId rid=\"parcels.1\" version=\"2\"/>").code()).isEqualTo("InvalidParameterValue");
    }

    // ------------------------------------------------------------ geometries and axis order

    @Test
    void epsg4326AsUrnIsLatitudeFirst() {
        Point p = point("urn:ogc:def:crs:EPSG::4326", "10.5 106.4");
        assertThat(p.getX()).isEqualTo(106.4);
        assertThat(p.getY()).isEqualTo(10.5);
        assertThat(p.getSRID()).isEqualTo(4326);
        for (String srs : List.of("EPSG:4326", "http://www.opengis.net/def/crs/EPSG/0/4326", "urn:x-ogc:def:crs:EPSG:4326")) {
            Point q = point(srs, "10.5 106.4");
            assertThat(q.getX()).as(srs).isEqualTo(106.4);
            assertThat(q.getY()).as(srs).isEqualTo(10.5);
        }
        Point vn2000 = point("urn:ogc:def:crs:EPSG::4756", "21.0 105.8");
        assertThat(vn2000.getX()).isEqualTo(105.8);
        assertThat(vn2000.getSRID()).isEqualTo(4756);
    }

    @Test
    void crs84AndTheLegacyGmlUrlAreLongitudeFirst() {
        for (String srs : List.of("CRS:84", "urn:ogc:def:crs:OGC:1.3:CRS84", "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
                "http://www.opengis.net/gml/srs/epsg.xml#4326")) {
            Point p = point(srs, "106.4 10.5");
            assertThat(p.getX()).as(srs).isEqualTo(106.4);
            assertThat(p.getY()).as(srs).isEqualTo(10.5);
            assertThat(p.getSRID()).as(srs).isEqualTo(4326);
        }
    }

    @Test
    void projectedCrsIsEastingFirst() {
        Point p = point("EPSG:9210", "580000.5 2330000.25");
        assertThat(p.getX()).isEqualTo(580000.5);
        assertThat(p.getY()).isEqualTo(2330000.25);
        assertThat(p.getSRID()).isEqualTo(9210);
        assertThat(point("urn:ogc:def:crs:EPSG::3857", "11800000 1170000").getX()).isEqualTo(11800000);
    }

    @Test
    void withoutSrsNameTheCallersDefaultApplies() {
        Point storage = point(null, "580000 2330000");
        assertThat(storage.getSRID()).isZero();
        assertThat(storage.getX()).isEqualTo(580000);
        String xml = "<fes:Filter " + NS + "><fes:Intersects><fes:ValueReference>geom</fes:ValueReference>"
                + "<gml:Point><gml:pos>10.5 106.4</gml:pos></gml:Point></fes:Intersects></fes:Filter>";
        Point latLon = (Point) ((Filter.Spatial) FesParser.parse(xml, 4326)).geometry();
        assertThat(latLon.getSRID()).isEqualTo(4326);
        assertThat(latLon.getX()).isEqualTo(106.4);
    }

    @Test
    void srsNameIsInheritedFromTheEnclosingGeometry() {
        MultiPolygon mp = (MultiPolygon) spatialGeometry("<fes:Within><fes:ValueReference>geom</fes:ValueReference>"
                + "<gml:MultiSurface srsName=\"urn:ogc:def:crs:EPSG::4326\"><gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing>"
                + "<gml:posList>10 106 10 107 11 107 10 106</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>"
                + "</gml:MultiSurface></fes:Within>");
        assertThat(mp.getSRID()).isEqualTo(4326);
        assertThat(mp.getGeometryN(0).getCoordinates()[1].x).isEqualTo(107);
        assertThat(mp.getGeometryN(0).getCoordinates()[1].y).isEqualTo(10);
    }

    @Test
    void anUnknownCrsIsRefusedWithSrsNameAsLocator() {
        for (String srs : List.of("EPSG:2154", "urn:ogc:def:crs:EPSG::999999", "nonsense", "EPSG:4326; DROP TABLE x")) {
            FilterException e = refused("<fes:Intersects><fes:ValueReference>geom</fes:ValueReference><gml:Point srsName=\"" + srs
                    + "\"><gml:pos>1 2</gml:pos></gml:Point></fes:Intersects>");
            assertThat(e.code()).as(srs).isEqualTo("InvalidParameterValue");
            assertThat(e.locator()).as(srs).isEqualTo("srsName");
        }
    }

    @Test
    void longitudeFirstInALatitudeFirstCrsIsCaughtByTheRangeCheck() {
        FilterException e = refused("<fes:Intersects><fes:ValueReference>geom</fes:ValueReference><gml:Point srsName=\"EPSG:4326\">"
                + "<gml:pos>106.4 10.5</gml:pos></gml:Point></fes:Intersects>");
        assertThat(e.code()).isEqualTo("InvalidParameterValue");
        assertThat(e.getMessage()).contains("latitude first");
    }

    @Test
    void bboxTakesAnEnvelopeWithOrWithoutValueReference() {
        Filter.Spatial s = (Filter.Spatial) parse("<fes:BBOX><gml:Envelope srsName=\"urn:ogc:def:crs:EPSG::4326\">"
                + "<gml:lowerCorner>10.5 106.4</gml:lowerCorner><gml:upperCorner>10.6 106.6</gml:upperCorner></gml:Envelope></fes:BBOX>");
        assertThat(s.op()).isEqualTo(SpatialOp.BBOX);
        assertThat(s.property()).isNull();
        assertThat(s.geometry()).isInstanceOf(Polygon.class);
        assertThat(s.geometry().getEnvelopeInternal().getMinX()).isEqualTo(106.4);
        assertThat(s.geometry().getEnvelopeInternal().getMaxX()).isEqualTo(106.6);
        assertThat(s.geometry().getEnvelopeInternal().getMinY()).isEqualTo(10.5);
        assertThat(s.geometry().getEnvelopeInternal().getMaxY()).isEqualTo(10.6);
        Filter.Spatial named = (Filter.Spatial) parse("<fes:BBOX><fes:ValueReference>landgis:geom</fes:ValueReference>"
                + "<gml:Envelope srsName=\"EPSG:9210\"><gml:lowerCorner>1 2</gml:lowerCorner><gml:upperCorner>3 4</gml:upperCorner></gml:Envelope></fes:BBOX>");
        assertThat(named.property()).isEqualTo("geom");
        assertThat(named.geometry().getArea()).isEqualTo(4.0);
        assertThat(refused("<fes:BBOX><gml:Envelope srsName=\"EPSG:9210\"><gml:lowerCorner>3 4</gml:lowerCorner>"
                + "<gml:upperCorner>1 2</gml:upperCorner></gml:Envelope></fes:BBOX>").code()).isEqualTo("InvalidParameterValue");
    }

    @Test
    void everyBinarySpatialOperatorParses() {
        String geometry = "<gml:Point srsName=\"EPSG:9210\"><gml:pos>1 2</gml:pos></gml:Point>";
        for (SpatialOp op : List.of(SpatialOp.INTERSECTS, SpatialOp.DISJOINT, SpatialOp.WITHIN, SpatialOp.CONTAINS, SpatialOp.OVERLAPS,
                SpatialOp.TOUCHES, SpatialOp.CROSSES, SpatialOp.EQUALS)) {
            String element = op.name().charAt(0) + op.name().substring(1).toLowerCase();
            Filter.Spatial s = (Filter.Spatial) parse("<fes:" + element + "><fes:ValueReference>geom</fes:ValueReference>" + geometry
                    + "</fes:" + element + ">");
            assertThat(s.op()).isEqualTo(op);
            assertThat(s.property()).isEqualTo("geom");
            assertThat(s.geometry()).isInstanceOf(Point.class);
        }
    }

    @Test
    void aPolygonKeepsItsHole() {
        Polygon p = (Polygon) spatialGeometry("<fes:Intersects><fes:ValueReference>geom</fes:ValueReference>"
                + "<gml:Polygon srsName=\"EPSG:9210\"><gml:exterior><gml:LinearRing><gml:posList>0 0 10 0 10 10 0 10 0 0</gml:posList>"
                + "</gml:LinearRing></gml:exterior><gml:interior><gml:LinearRing><gml:pos>2 2</gml:pos><gml:pos>2 4</gml:pos>"
                + "<gml:pos>4 4</gml:pos><gml:pos>4 2</gml:pos><gml:pos>2 2</gml:pos></gml:LinearRing></gml:interior></gml:Polygon>"
                + "</fes:Intersects>");
        assertThat(p.getNumInteriorRing()).isEqualTo(1);
        assertThat(p.getArea()).isEqualTo(96.0);
    }

    @Test
    void otherGml32GeometriesParse() {
        String vr = "<fes:ValueReference>geom</fes:ValueReference>";
        LineString ls = (LineString) spatialGeometry("<fes:Crosses>" + vr + "<gml:LineString srsName=\"EPSG:9210\" srsDimension=\"3\">"
                + "<gml:posList>0 0 5 10 0 5</gml:posList></gml:LineString></fes:Crosses>");
        assertThat(ls.getLength()).isEqualTo(10.0);
        MultiPoint mp = (MultiPoint) spatialGeometry("<fes:Intersects>" + vr + "<gml:MultiPoint srsName=\"EPSG:9210\">"
                + "<gml:pointMember><gml:Point><gml:pos>1 2</gml:pos></gml:Point></gml:pointMember>"
                + "<gml:pointMember><gml:Point><gml:pos>3 4</gml:pos></gml:Point></gml:pointMember></gml:MultiPoint></fes:Intersects>");
        assertThat(mp.getNumGeometries()).isEqualTo(2);
        MultiLineString mc = (MultiLineString) spatialGeometry("<fes:Intersects>" + vr + "<gml:MultiCurve srsName=\"EPSG:9210\">"
                + "<gml:curveMember><gml:LineString><gml:posList>0 0 1 1</gml:posList></gml:LineString></gml:curveMember>"
                + "<gml:curveMember><gml:Curve><gml:segments><gml:LineStringSegment><gml:posList>5 5 6 5</gml:posList></gml:LineStringSegment>"
                + "<gml:LineStringSegment><gml:posList>6 5 6 7</gml:posList></gml:LineStringSegment></gml:segments></gml:Curve></gml:curveMember>"
                + "</gml:MultiCurve></fes:Intersects>");
        assertThat(mc.getNumGeometries()).isEqualTo(2);
        assertThat(mc.getGeometryN(1).getNumPoints()).isEqualTo(3);
        Geometry surface = spatialGeometry("<fes:Intersects>" + vr + "<gml:Surface srsName=\"EPSG:9210\"><gml:patches><gml:PolygonPatch>"
                + "<gml:exterior><gml:LinearRing><gml:posList>0 0 2 0 2 2 0 0</gml:posList></gml:LinearRing></gml:exterior>"
                + "</gml:PolygonPatch></gml:patches></gml:Surface></fes:Intersects>");
        assertThat(surface).isInstanceOf(Polygon.class);
        assertThat(surface.getArea()).isEqualTo(2.0);
    }

    @Test
    void malformedCoordinatesAreRefused() {
        String vr = "<fes:ValueReference>geom</fes:ValueReference>";
        for (String posList : List.of("0 0 1", "0 0 NaN 1 1 1 0 0", "0 0 Infinity 1 1 1 0 0", "0 0 0x1p3 1 1 1 0 0", "0 0 1d 1 1 1 0 0")) {
            FilterException e = refused("<fes:Intersects>" + vr + "<gml:LineString srsName=\"EPSG:9210\"><gml:posList>" + posList
                    + "</gml:posList></gml:LineString></fes:Intersects>");
            assertThat(e.code()).as(posList).isEqualTo("InvalidParameterValue");
        }
        FilterException open = refused("<fes:Intersects>" + vr + "<gml:Polygon srsName=\"EPSG:9210\"><gml:exterior><gml:LinearRing>"
                + "<gml:posList>0 0 1 0 1 1 0 1</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></fes:Intersects>");
        assertThat(open.code()).isEqualTo("InvalidParameterValue");
        assertThat(refused("<fes:Intersects>" + vr + "<gml:Point srsName=\"EPSG:9210\"><gml:coordinates>1,2</gml:coordinates></gml:Point>"
                + "</fes:Intersects>").code()).isEqualTo("InvalidParameterValue");
    }

    @Test
    void moreThanTheMaximumNumberOfPositionsIsRefused() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i <= FesParser.MAX_POSITIONS; i++) {
            b.append(i).append(' ').append(i).append(' ');
        }
        FilterException e = refused("<fes:Intersects><fes:ValueReference>geom</fes:ValueReference><gml:LineString srsName=\"EPSG:9210\">"
                + "<gml:posList>" + b + "</gml:posList></gml:LineString></fes:Intersects>");
        assertThat(e.code()).isEqualTo("InvalidParameterValue");
        assertThat(e.getMessage()).contains("positions");
    }

    @Test
    void dwithinAndBeyondCarryTheDistanceAndItsUnit() {
        Filter.Distance d = (Filter.Distance) parse("<fes:DWithin><fes:ValueReference>geom</fes:ValueReference>"
                + "<gml:Point srsName=\"EPSG:9210\"><gml:pos>1 2</gml:pos></gml:Point><fes:Distance uom=\"km\">0.1</fes:Distance></fes:DWithin>");
        assertThat(d.beyond()).isFalse();
        assertThat(d.distance()).isEqualTo(0.1);
        assertThat(d.units()).isEqualTo("km");
        assertThat(d.metres()).isCloseTo(100.0, within(1e-9));
        Filter.Distance b = (Filter.Distance) parse("<fes:Beyond><fes:ValueReference>geom</fes:ValueReference>"
                + "<gml:Point srsName=\"EPSG:9210\"><gml:pos>1 2</gml:pos></gml:Point>"
                + "<fes:Distance uom=\"urn:ogc:def:uom:EPSG::9002\">100</fes:Distance></fes:Beyond>");
        assertThat(b.beyond()).isTrue();
        assertThat(b.metres()).isCloseTo(30.48, within(1e-9));
        for (String uom : List.of("deg", "urn:ogc:def:uom:EPSG::9102", "parsec")) {
            FilterException e = refused("<fes:DWithin><fes:ValueReference>geom</fes:ValueReference><gml:Point srsName=\"EPSG:9210\">"
                    + "<gml:pos>1 2</gml:pos></gml:Point><fes:Distance uom=\"" + uom + "\">1</fes:Distance></fes:DWithin>");
            assertThat(e.code()).as(uom).isEqualTo("InvalidParameterValue");
        }
        assertThat(refused("<fes:DWithin><fes:ValueReference>geom</fes:ValueReference><gml:Point srsName=\"EPSG:9210\">"
                + "<gml:pos>1 2</gml:pos></gml:Point><fes:Distance uom=\"m\">-5</fes:Distance></fes:DWithin>").code())
                .isEqualTo("InvalidParameterValue");
    }

    // ------------------------------------------------------------ what is refused

    @Test
    void unknownOperatorsTemporalOperatorsAndFunctionsAreRefusedByName() {
        FilterException unknown = refused("<fes:PropertyIsSimilarTo><fes:ValueReference>a</fes:ValueReference></fes:PropertyIsSimilarTo>");
        assertThat(unknown.code()).isEqualTo("OperationParsingFailed");
        assertThat(unknown.locator()).isEqualTo("FILTER");
        assertThat(unknown.getMessage()).contains("PropertyIsSimilarTo");
        FilterException temporal = refused("<fes:During><fes:ValueReference>valid_from</fes:ValueReference></fes:During>");
        assertThat(temporal.code()).isEqualTo("InvalidParameterValue");
        assertThat(temporal.getMessage()).contains("During");
        FilterException function = refused("<fes:PropertyIsEqualTo><fes:Function name=\"strToLowerCase\"><fes:ValueReference>a"
                + "</fes:ValueReference></fes:Function><fes:Literal>x</fes:Literal></fes:PropertyIsEqualTo>");
        assertThat(function.code()).isEqualTo("InvalidParameterValue");
        assertThat(function.getMessage()).contains("Function", "strToLowerCase");
    }

    @Test
    void garbageAndForeignNamespacesAreParsingFailures() {
        for (String xml : List.of("not xml at all", "<fes:Filter " + NS + ">", "", "<Filter><PropertyIsNull/></Filter>",
                "<ogc:Filter xmlns:ogc=\"http://www.opengis.net/ogc\"><ogc:PropertyIsNull><ogc:PropertyName>a</ogc:PropertyName>"
                        + "</ogc:PropertyIsNull></ogc:Filter>",
                "<fes:Filter " + NS + "><gml:Point/></fes:Filter>")) {
            assertThatThrownBy(() -> FesParser.parse(xml)).as(xml).isInstanceOfSatisfying(FilterException.class, e -> {
                assertThat(e.code()).isEqualTo("OperationParsingFailed");
                assertThat(e.locator()).isEqualTo("FILTER");
            });
        }
    }

    @Test
    void aDoctypeWithAnExternalEntityIsRefusedWithoutReadingTheFile(@TempDir Path dir) throws Exception {
        String marker = "SECRET-MARKER-" + System.nanoTime();
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, marker, StandardCharsets.UTF_8);
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE fes:Filter [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<fes:Filter " + NS + ">" + cmp("PropertyIsEqualTo", "address", "&x;") + "</fes:Filter>";
        Object result;
        try {
            result = FesParser.parse(xml);
        } catch (FilterException e) {
            assertThat(e.code()).isEqualTo("OperationParsingFailed");
            assertThat(e.locator()).isEqualTo("FILTER");
            assertThat(String.valueOf(e.getMessage())).doesNotContain(marker).containsIgnoringCase("DOCTYPE");
            Throwable t = e;
            while (t != null) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(marker);
                t = t.getCause();
            }
            result = null;
        }
        assertThat(result).as("a filter that expanded the entity").isNull();
    }

    @Test
    void externalDtdsAndEntitiesAreNeverFetched() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger requests = new AtomicInteger();
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "<!ENTITY y \"fetched\">".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            List<String> documents = List.of(
                    "<!DOCTYPE fes:Filter SYSTEM \"" + base + "/filter.dtd\"><fes:Filter " + NS + ">"
                            + cmp("PropertyIsEqualTo", "address", "a") + "</fes:Filter>",
                    "<!DOCTYPE fes:Filter [<!ENTITY % p SYSTEM \"" + base + "/p.dtd\"> %p;]><fes:Filter " + NS + ">"
                            + cmp("PropertyIsEqualTo", "address", "&y;") + "</fes:Filter>",
                    "<!DOCTYPE fes:Filter [<!ENTITY x SYSTEM \"" + base + "/x\">]><fes:Filter " + NS + ">"
                            + cmp("PropertyIsEqualTo", "address", "&x;") + "</fes:Filter>",
                    "<fes:Filter " + NS + " xmlns:xi=\"http://www.w3.org/2001/XInclude\"><fes:PropertyIsEqualTo>"
                            + "<fes:ValueReference>address</fes:ValueReference><fes:Literal><xi:include href=\"" + base
                            + "/x\" parse=\"text\"/></fes:Literal></fes:PropertyIsEqualTo></fes:Filter>");
            for (String xml : documents) {
                assertThatThrownBy(() -> FesParser.parse(xml)).as(xml).isInstanceOf(FilterException.class);
            }
            assertThat(requests.get()).isZero();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void billionLaughsIsRefusedQuickly() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE fes:Filter [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 10; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]>");
        String xml = dtd + "<fes:Filter " + NS + ">" + cmp("PropertyIsEqualTo", "address", "&lol10;") + "</fes:Filter>";
        long start = System.nanoTime();
        FilterException e = (FilterException) org.assertj.core.api.Assertions.catchThrowable(() -> FesParser.parse(xml));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo("OperationParsingFailed");
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }

    @Test
    void anElementFromTheCallersDomParses() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
        f.setNamespaceAware(true);
        String request = "<wfs:GetFeature xmlns:wfs=\"http://www.opengis.net/wfs/2.0\" " + NS + "><wfs:Query typeNames=\"landgis:parcels\">"
                + "<fes:Filter><fes:BBOX><gml:Envelope><gml:lowerCorner>10.5 106.4</gml:lowerCorner><gml:upperCorner>10.6 106.5"
                + "</gml:upperCorner></gml:Envelope></fes:BBOX></fes:Filter></wfs:Query></wfs:GetFeature>";
        Element root = f.newDocumentBuilder().parse(new InputSource(new StringReader(request))).getDocumentElement();
        Element filter = (Element) root.getElementsByTagNameNS(FesParser.FES, "Filter").item(0);
        Filter.Spatial s = (Filter.Spatial) FesParser.parse(filter, 4326);
        assertThat(s.geometry().getSRID()).isEqualTo(4326);
        assertThat(s.geometry().getEnvelopeInternal().getMinX()).isEqualTo(106.4);
        assertThat(FesParser.parse(filter).getClass()).isEqualTo(Filter.Spatial.class);
        assertThatThrownBy(() -> FesParser.parse(root)).isInstanceOfSatisfying(FilterException.class,
                e -> assertThat(e.code()).isEqualTo("OperationParsingFailed"));
    }
}
