package vn.landgis.features.postgis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.WKBReader;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import vn.landgis.features.FeatureQuery;
import vn.landgis.features.FeatureSource;
import vn.landgis.features.Layer;
import vn.landgis.features.LayerCatalog;
import vn.landgis.features.Viewer;
import vn.landgis.features.filter.FesParser;
import vn.landgis.features.filter.Filter;
import vn.landgis.features.filter.Filter.ComparisonOp;
import vn.landgis.features.filter.FilterException;

/**
 * Filters applied by {@link FeatureSource} to the demo district's parcels, each checked against a hand-written
 * SQL statement straight over {@code cadastre.parcel}; and what hostile filters get.
 */
@SpringBootTest
class FilterSqlTest {

    static final String NS = "xmlns:fes=\"http://www.opengis.net/fes/2.0\" xmlns:gml=\"http://www.opengis.net/gml/3.2\"";
    static final Viewer OFFICER = new Viewer(Set.of("LAND_OFFICER"));

    @Autowired
    LayerCatalog catalog;
    @Autowired
    FeatureSource source;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate tx;

    Layer parcels;
    int total;

    @BeforeEach
    void setUp() {
        parcels = catalog.layer("parcels").orElseThrow();
        total = jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL", Integer.class);
        assertThat(total).isGreaterThan(1000);
    }

    // ------------------------------------------------------------ helpers

    List<Long> ids(Filter f) {
        return ids(f, Viewer.CITIZEN);
    }

    List<Long> ids(Filter f, Viewer viewer) {
        List<Long> out = new ArrayList<>();
        source.read(query(f, viewer), feature -> out.add(((Number) feature.id()).longValue()));
        Collections.sort(out);
        return out;
    }

    FeatureQuery query(Filter f, Viewer viewer) {
        return new FeatureQuery(parcels, viewer, null, 0, parcels.srid(), null, null, 0, 0, false, 0, 0, f, List.of());
    }

    List<Long> truth(String where, Object... args) {
        return jdbc.queryForList("SELECT id FROM cadastre.parcel WHERE valid_to IS NULL AND (" + where + ") ORDER BY id", Long.class, args);
    }

    /** The filter selects exactly what the SQL condition selects, and that is some parcels but not all. */
    void same(Filter f, String where, Object... args) {
        List<Long> expected = truth(where, args);
        assertThat(expected).as("ground truth " + where + " selects some parcels").isNotEmpty();
        assertThat(expected.size()).as("ground truth " + where + " does not select every parcel").isLessThan(total);
        assertThat(ids(f)).as(where).isEqualTo(expected);
    }

    static Filter xml(String body) {
        return FesParser.parse("<fes:Filter " + NS + ">" + body + "</fes:Filter>");
    }

    static Filter.Comparison cmp(ComparisonOp op, String property, String literal) {
        return new Filter.Comparison(op, property, literal, true);
    }

    static Filter.Like like(String property, String pattern) {
        return new Filter.Like(property, pattern, '*', '.', '!', true);
    }

    static String posList(Coordinate[] cs, boolean latFirst) {
        StringBuilder b = new StringBuilder();
        for (Coordinate c : cs) {
            b.append(latFirst ? c.y : c.x).append(' ').append(latFirst ? c.x : c.y).append(' ');
        }
        return b.toString().trim();
    }

    static String wkt(Coordinate[] cs) {
        StringBuilder b = new StringBuilder("POLYGON((");
        for (int i = 0; i < cs.length; i++) {
            b.append(i > 0 ? "," : "").append(cs[i].x).append(' ').append(cs[i].y);
        }
        return b.append("))").toString();
    }

    static String gmlPolygon(Polygon p, String srsName, boolean latFirst) {
        StringBuilder b = new StringBuilder("<gml:Polygon srsName=\"" + srsName + "\"><gml:exterior><gml:LinearRing><gml:posList>")
                .append(posList(p.getExteriorRing().getCoordinates(), latFirst)).append("</gml:posList></gml:LinearRing></gml:exterior>");
        for (int i = 0; i < p.getNumInteriorRing(); i++) {
            b.append("<gml:interior><gml:LinearRing><gml:posList>").append(posList(p.getInteriorRingN(i).getCoordinates(), latFirst))
                    .append("</gml:posList></gml:LinearRing></gml:interior>");
        }
        return b.append("</gml:Polygon>").toString();
    }

    /** A parcel in the middle of the current ones (by id), with a point inside it in the storage CRS and in WGS 84. */
    record Sample(long id, double x, double y, double lon, double lat, Geometry geom) {
    }

    Sample sample() {
        Map<String, Object> r = jdbc.queryForMap("""
                SELECT id, ST_X(p) x, ST_Y(p) y, ST_X(ST_Transform(p, 4326)) lon, ST_Y(ST_Transform(p, 4326)) lat, ST_AsBinary(geom) wkb
                  FROM (SELECT id, geom, ST_PointOnSurface(geom) p FROM cadastre.parcel WHERE valid_to IS NULL
                        ORDER BY id OFFSET (SELECT count(*) / 2 FROM cadastre.parcel WHERE valid_to IS NULL) LIMIT 1) s""");
        try {
            return new Sample(((Number) r.get("id")).longValue(), (Double) r.get("x"), (Double) r.get("y"), (Double) r.get("lon"),
                    (Double) r.get("lat"), new WKBReader().read((byte[]) r.get("wkb")));
        } catch (org.locationtech.jts.io.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A pentagon of about 200 m x 200 m around the point, lon/lat. */
    static Coordinate[] pentagon(double lon, double lat, double r) {
        return new Coordinate[] {new Coordinate(lon - r, lat - 0.75 * r), new Coordinate(lon + 1.25 * r, lat - r),
            new Coordinate(lon + r, lat + 0.9 * r), new Coordinate(lon - 0.5 * r, lat + 1.25 * r), new Coordinate(lon - r, lat - 0.75 * r)};
    }

    static String spatialXml(String op, String geometryGml) {
        return "<fes:" + op + "><fes:ValueReference>geom</fes:ValueReference>" + geometryGml + "</fes:" + op + ">";
    }

    // ------------------------------------------------------------ comparisons

    @Test
    void comparisonsSelectWhatSqlSelects() {
        same(cmp(ComparisonOp.EQ, "parcel_no", "7"), "parcel_no = 7");
        same(cmp(ComparisonOp.LT, "parcel_no", "50"), "parcel_no < 50");
        same(cmp(ComparisonOp.GT, "parcel_no", "100"), "parcel_no > 100");
        same(cmp(ComparisonOp.LE, "sheet_no", "2"), "sheet_no <= 2");
        same(cmp(ComparisonOp.GE, "sheet_no", "3"), "sheet_no >= 3");
        same(cmp(ComparisonOp.NE, "sheet_no", "1"), "sheet_no <> 1");
        same(xml("<fes:PropertyIsGreaterThan><fes:Literal>50</fes:Literal><fes:ValueReference>parcels/parcel_no</fes:ValueReference>"
                + "</fes:PropertyIsGreaterThan>"), "parcel_no < 50");
    }

    @Test
    void aFractionAgainstAnIntegerColumnComparesExactly() {
        same(cmp(ComparisonOp.LT, "parcel_no", " 12.5 "), "parcel_no <= 12");
        same(cmp(ComparisonOp.GT, "parcel_no", "1e2"), "parcel_no > 100");
    }

    @Test
    void numericLiteralsAreNotRoundedToTheColumnsScale() {
        java.math.BigDecimal median = jdbc.queryForObject("""
                SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY legal_area) FROM cadastre.parcel WHERE valid_to IS NULL""",
                java.math.BigDecimal.class);
        String literal = median.add(new java.math.BigDecimal("0.05")).toPlainString();
        same(cmp(ComparisonOp.GT, "legal_area", literal), "legal_area > CAST(? AS numeric)", literal);
        same(cmp(ComparisonOp.LE, "geom_area", literal), "geom_area <= CAST(? AS numeric)", literal);
    }

    @Test
    void textComparisonsHonourMatchCase() {
        String code = jdbc.queryForObject("""
                SELECT land_use_code FROM cadastre.parcel WHERE valid_to IS NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""", String.class);
        same(cmp(ComparisonOp.EQ, "land_use_code", code), "land_use_code = ?", code);
        assertThat(code).isNotEqualTo(code.toLowerCase());
        assertThat(ids(cmp(ComparisonOp.EQ, "land_use_code", code.toLowerCase()))).isEmpty();
        same(new Filter.Comparison(ComparisonOp.EQ, "land_use_code", code.toLowerCase(), false), "lower(land_use_code) = lower(?)", code);
        same(new Filter.Comparison(ComparisonOp.NE, "land_use_code", code.toLowerCase(), false), "lower(land_use_code) <> lower(?)", code);
    }

    @Test
    void timestampsAreReadWithTheirOffsetOrInVietnamTime() {
        // every demo parcel is valid from the survey date 2020-06-30 00:00 in Vietnam
        Filter under50 = cmp(ComparisonOp.LT, "parcel_no", "50");
        for (String t : List.of("2020-06-30T00:00:00+07:00", "2020-06-29T17:00:00Z", "2020-06-30", "2020-06-30 00:00:00")) {
            same(new Filter.And(List.of(under50, cmp(ComparisonOp.EQ, "valid_from", t))), "parcel_no < 50 AND valid_from = '2020-06-30T00:00:00+07:00'");
        }
        // later versions (edits made by other tests of this database) are the only ones after it
        assertThat(ids(cmp(ComparisonOp.GT, "valid_from", "2020-06-30T00:00:00+07:00"))).isEqualTo(truth("valid_from > '2020-06-30T00:00:00+07:00'"));
    }

    @Test
    void aLiteralThatDoesNotFitTheColumnIsInvalid() {
        for (Filter f : List.of(cmp(ComparisonOp.EQ, "parcel_no", "abc"), cmp(ComparisonOp.LT, "legal_area", "12,5"),
                cmp(ComparisonOp.EQ, "valid_from", "yesterday"), cmp(ComparisonOp.EQ, "parcel_no", "NaN"),
                new Filter.Between("parcel_no", "1", "ten"))) {
            assertThatThrownBy(() -> ids(f)).as(f.toString()).isInstanceOfSatisfying(FilterException.class,
                    e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"));
        }
    }

    @Test
    void betweenIsInclusive() {
        same(new Filter.Between("parcel_no", "10", "20"), "parcel_no BETWEEN 10 AND 20");
        same(xml("<fes:PropertyIsBetween><fes:ValueReference>sheet_no</fes:ValueReference><fes:LowerBoundary><fes:Literal>2</fes:Literal>"
                + "</fes:LowerBoundary><fes:UpperBoundary><fes:Literal>3</fes:Literal></fes:UpperBoundary></fes:PropertyIsBetween>"),
                "sheet_no >= 2 AND sheet_no <= 3");
    }

    // ------------------------------------------------------------ like, null

    @Test
    void likeMapsWildCardsAndEscapes() {
        String code = jdbc.queryForObject("SELECT min(land_use_code) FROM cadastre.parcel WHERE valid_to IS NULL", String.class);
        String first = code.substring(0, 1);
        same(like("land_use_code", first + "*"), "land_use_code LIKE ?", first + "%");
        same(like("land_use_code", first + ".."), "land_use_code LIKE ?", first + "__");
        same(new Filter.Like("land_use_code", first.toLowerCase() + "*", '*', '.', '!', false), "land_use_code ILIKE ?", first.toLowerCase() + "%");
        same(like("parcel_no", "1*"), "CAST(parcel_no AS text) LIKE '1%'");
        same(xml("<fes:PropertyIsLike wildCard=\"%\" singleChar=\"_\" escapeChar=\"\\\"><fes:ValueReference>land_use_code</fes:ValueReference>"
                + "<fes:Literal>" + first + "%</fes:Literal></fes:PropertyIsLike>"), "land_use_code LIKE ?", first + "%");
    }

    @Test
    void percentUnderscoreAndBackslashInAPatternAreLiteral() {
        assertThat(ids(like("land_use_code", "*"))).hasSize(total);
        assertThat(ids(like("land_use_code", "%"))).isEqualTo(truth("land_use_code = '%'")).isEmpty();
        assertThat(ids(like("land_use_code", "_*"))).isEqualTo(truth("land_use_code LIKE '\\_%'")).isEmpty();
        assertThat(ids(like("land_use_code", "*\\*"))).isEqualTo(truth("land_use_code LIKE '%\\\\%'")).isEmpty();
        // the escape character makes the wild card literal
        assertThat(ids(like("land_use_code", "!*"))).isEqualTo(truth("land_use_code = '*'")).isEmpty();
        assertThatThrownBy(() -> ids(like("land_use_code", "ab!"))).isInstanceOf(FilterException.class);
    }

    @Test
    void nullAndNilSelectMissingValuesAndNotKeepsThem() {
        List<Long> missingBefore = truth("address IS NULL");
        // the generated district has no missing values: remove some addresses in a transaction that is rolled back
        tx.executeWithoutResult(status -> {
            status.setRollbackOnly();
            jdbc.queryForObject("SELECT set_config('landgis.audit_bulk', 'on', true)", String.class);
            int cleared = jdbc.update("UPDATE cadastre.parcel SET address = NULL WHERE valid_to IS NULL AND parcel_no % 3 = 0");
            assertThat(cleared).isPositive();
            same(new Filter.IsNull("address"), "address IS NULL");
            same(new Filter.IsNil("address"), "address IS NULL");
            same(new Filter.Not(new Filter.IsNull("address")), "address IS NOT NULL");
            // gml:name is nil on every feature of ours: null everywhere, equal to nothing
            assertThat(ids(new Filter.IsNull("gml:name"))).hasSize((int) total);
            assertThat(ids(new Filter.Comparison(ComparisonOp.EQ, "gml:name", "x", true))).isEmpty();
            // a comparison with a missing value is false, so its negation selects the parcels without an address
            String address = jdbc.queryForObject("""
                    SELECT address FROM cadastre.parcel WHERE valid_to IS NULL AND address IS NOT NULL
                     GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""", String.class);
            same(cmp(ComparisonOp.NE, "address", address), "address <> ?", address);
            same(new Filter.Not(cmp(ComparisonOp.EQ, "address", address)), "NOT coalesce(address = ?, false)", address);
            same(new Filter.Not(new Filter.And(List.of(cmp(ComparisonOp.EQ, "address", address), cmp(ComparisonOp.LT, "parcel_no", "50")))),
                    "NOT coalesce(address = ? AND parcel_no < 50, false)", address);
            same(new Filter.Not(like("address", "*")), "address IS NULL");
        });
        assertThat(truth("address IS NULL")).as("the blanking was rolled back").isEqualTo(missingBefore);
    }

    // ------------------------------------------------------------ logic, ids

    @Test
    void andOrNotCombine() {
        String code = jdbc.queryForObject("SELECT min(land_use_code) FROM cadastre.parcel WHERE valid_to IS NULL", String.class);
        Filter small = cmp(ComparisonOp.LT, "parcel_no", "50");
        Filter sheet1 = cmp(ComparisonOp.EQ, "sheet_no", "1");
        Filter useCode = like("land_use_code", code.charAt(0) + "*");
        same(new Filter.And(List.of(small, useCode)), "parcel_no < 50 AND land_use_code LIKE ?", code.charAt(0) + "%");
        same(new Filter.Or(List.of(sheet1, cmp(ComparisonOp.GT, "parcel_no", "100"))), "sheet_no = 1 OR parcel_no > 100");
        same(new Filter.Not(new Filter.Or(List.of(sheet1, small))), "NOT (sheet_no = 1 OR parcel_no < 50)");
        same(new Filter.And(List.of(new Filter.Not(sheet1), new Filter.Or(List.of(small, new Filter.Between("parcel_no", "200", "210"))))),
                "sheet_no <> 1 AND (parcel_no < 50 OR parcel_no BETWEEN 200 AND 210)");
        same(new Filter.Or(List.of(small)), "parcel_no < 50");
        assertThatThrownBy(() -> ids(new Filter.And(List.of()))).isInstanceOf(FilterException.class);
        assertThatThrownBy(() -> ids(new Filter.Or(List.of()))).isInstanceOf(FilterException.class);
    }

    @Test
    void resourceIdsSelectTheirParcelsAndForeignIdsAreRefused() {
        List<Long> some = truth("parcel_no = 3");
        assertThat(some.size()).isGreaterThan(2);
        long a = some.get(0);
        long b = some.get(2);
        assertThat(ids(new Filter.ResourceId(List.of("parcels." + a, "parcels." + b, "parcels.abc", "parcels.99999999999999999999",
                "parcels.1); DROP TABLE cadastre.parcel; --")))).containsExactly(a, b);
        assertThat(ids(xml("<fes:ResourceId rid=\"parcels." + b + "\"/><fes:ResourceId rid=\"parcels." + a + "\"/>"))).containsExactly(a, b);
        assertThat(ids(new Filter.ResourceId(List.of("parcels.x")))).isEmpty();
        same(new Filter.Or(List.of(new Filter.ResourceId(List.of("parcels." + a)), cmp(ComparisonOp.EQ, "parcel_no", "5"))),
                "id = ? OR parcel_no = 5", a);
        // ids of no shape of ours are simply absent (CITE: unknown identifier gives an empty answer) ...
        assertThat(ids(new Filter.ResourceId(List.of("parcels." + a, String.valueOf(b), "test-0ab156b2-ec27-4005")))).containsExactly(a);
        // ... ids of another feature type are an error
        for (String foreign : List.of("communes." + a, "parcel." + a, "map_sheets.1")) {
            assertThatThrownBy(() -> ids(new Filter.ResourceId(List.of("parcels." + a, foreign)))).as(foreign)
                    .isInstanceOfSatisfying(FilterException.class, e -> {
                        assertThat(e.code()).isEqualTo("InvalidParameterValue");
                        assertThat(e.locator()).isEqualTo("RESOURCEID");
                    });
        }
    }

    // ------------------------------------------------------------ spatial

    @Test
    void intersectsWithAPolygonInLatitudeFirstEpsg4326() {
        Sample s = sample();
        Coordinate[] ring = pentagon(s.lon(), s.lat(), 0.002);
        Polygon p = new org.locationtech.jts.geom.GeometryFactory().createPolygon(ring);
        String truthGeom = "ST_Transform(ST_GeomFromText(?, 4326), 9210)";
        same(xml(spatialXml("Intersects", gmlPolygon(p, "urn:ogc:def:crs:EPSG::4326", true))), "ST_Intersects(geom, " + truthGeom + ")", wkt(ring));
        same(xml(spatialXml("Intersects", gmlPolygon(p, "CRS:84", false))), "ST_Intersects(geom, " + truthGeom + ")", wkt(ring));
        same(xml("<fes:Intersects><fes:ValueReference>gml:boundedBy</fes:ValueReference>" + gmlPolygon(p, "EPSG:4326", true)
                + "</fes:Intersects>"), "ST_Intersects(geom, " + truthGeom + ")", wkt(ring));
        same(xml(spatialXml("Disjoint", gmlPolygon(p, "EPSG:4326", true))), "ST_Disjoint(geom, " + truthGeom + ")", wkt(ring));
        same(xml(spatialXml("Overlaps", gmlPolygon(p, "EPSG:4326", true))), "ST_Overlaps(geom, " + truthGeom + ")", wkt(ring));
        Coordinate[] big = pentagon(s.lon(), s.lat(), 0.004);
        Polygon q = new org.locationtech.jts.geom.GeometryFactory().createPolygon(big);
        same(xml(spatialXml("Within", gmlPolygon(q, "http://www.opengis.net/def/crs/EPSG/0/4326", true))),
                "ST_Within(geom, " + truthGeom + ")", wkt(big));
    }

    @Test
    void containsTouchesEqualsAndCrossesInTheStorageCrs() {
        Sample s = sample();
        String point = "<gml:Point srsName=\"EPSG:9210\"><gml:pos>" + s.x() + " " + s.y() + "</gml:pos></gml:Point>";
        same(xml(spatialXml("Contains", point)), "ST_Contains(geom, ST_SetSRID(ST_MakePoint(?, ?), 9210))", s.x(), s.y());
        assertThat(ids(xml(spatialXml("Contains", point)))).contains(s.id());
        Coordinate vertex = s.geom().getCoordinates()[0];
        String corner = "<gml:Point srsName=\"EPSG:9210\"><gml:pos>" + vertex.x + " " + vertex.y + "</gml:pos></gml:Point>";
        same(xml(spatialXml("Touches", corner)), "ST_Touches(geom, ST_SetSRID(ST_MakePoint(?, ?), 9210))", vertex.x, vertex.y);
        assertThat(ids(xml(spatialXml("Touches", corner)))).contains(s.id());
        Polygon own = (Polygon) ((MultiPolygon) s.geom()).getGeometryN(0);
        assertThat(s.geom().getNumGeometries()).isEqualTo(1);
        same(xml(spatialXml("Equals", "<gml:MultiSurface srsName=\"urn:ogc:def:crs:EPSG::9210\"><gml:surfaceMember>"
                + gmlPolygon(own, "EPSG:9210", false).replace(" srsName=\"EPSG:9210\"", "") + "</gml:surfaceMember></gml:MultiSurface>")),
                "ST_Equals(geom, (SELECT geom FROM cadastre.parcel WHERE id = ?))", s.id());
        String line = "<gml:LineString srsName=\"EPSG:9210\"><gml:posList>" + (s.x() - 300) + " " + s.y() + " " + (s.x() + 300) + " "
                + (s.y() + 10) + "</gml:posList></gml:LineString>";
        same(xml(spatialXml("Crosses", line)), "ST_Crosses(geom, ST_MakeLine(ST_SetSRID(ST_MakePoint(?, ?), 9210), ST_SetSRID(ST_MakePoint(?, ?), 9210)))",
                s.x() - 300, s.y(), s.x() + 300, s.y() + 10);
    }

    @Test
    void bboxInLatLonAndInTheStorageCrs() {
        Sample s = sample();
        double d = 0.003;
        same(xml("<fes:BBOX><fes:ValueReference>geom</fes:ValueReference><gml:Envelope srsName=\"urn:ogc:def:crs:EPSG::4326\">"
                + "<gml:lowerCorner>" + (s.lat() - d) + " " + (s.lon() - d) + "</gml:lowerCorner><gml:upperCorner>" + (s.lat() + d) + " "
                + (s.lon() + d) + "</gml:upperCorner></gml:Envelope></fes:BBOX>"),
                "ST_Intersects(geom, ST_Transform(ST_Segmentize(ST_MakeEnvelope(?, ?, ?, ?, 4326), 0.00002), 9210))",
                s.lon() - d, s.lat() - d, s.lon() + d, s.lat() + d);
        same(xml("<fes:BBOX><gml:Envelope srsName=\"EPSG:9210\"><gml:lowerCorner>" + (s.x() - 150) + " " + (s.y() - 100)
                + "</gml:lowerCorner><gml:upperCorner>" + (s.x() + 150) + " " + (s.y() + 100) + "</gml:upperCorner></gml:Envelope></fes:BBOX>"),
                "ST_Intersects(geom, ST_MakeEnvelope(?, ?, ?, ?, 9210))", s.x() - 150, s.y() - 100, s.x() + 150, s.y() + 100);
        // no srsName: the layer's storage CRS
        same(xml("<fes:BBOX><gml:Envelope><gml:lowerCorner>" + (s.x() - 150) + " " + (s.y() - 100)
                + "</gml:lowerCorner><gml:upperCorner>" + (s.x() + 150) + " " + (s.y() + 100) + "</gml:upperCorner></gml:Envelope></fes:BBOX>"),
                "ST_Intersects(geom, ST_MakeEnvelope(?, ?, ?, ?, 9210))", s.x() - 150, s.y() - 100, s.x() + 150, s.y() + 100);
    }

    @Test
    void dwithinAndBeyondMeasureMetres() {
        Sample s = sample();
        String point = "<gml:Point srsName=\"urn:ogc:def:crs:EPSG::4326\"><gml:pos>" + s.lat() + " " + s.lon() + "</gml:pos></gml:Point>";
        String here = "ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), 4326), 9210)";
        same(xml("<fes:DWithin><fes:ValueReference>geom</fes:ValueReference>" + point + "<fes:Distance uom=\"m\">100</fes:Distance></fes:DWithin>"),
                "ST_DWithin(geom, " + here + ", 100)", s.lon(), s.lat());
        same(xml("<fes:DWithin><fes:ValueReference>geom</fes:ValueReference>" + point
                + "<fes:Distance uom=\"km\">0.1</fes:Distance></fes:DWithin>"), "ST_DWithin(geom, " + here + ", 100)", s.lon(), s.lat());
        same(xml("<fes:Beyond><fes:ValueReference>geom</fes:ValueReference>" + point
                + "<fes:Distance uom=\"urn:ogc:def:uom:EPSG::9001\">100</fes:Distance></fes:Beyond>"),
                "NOT ST_DWithin(geom, " + here + ", 100)", s.lon(), s.lat());
        same(new Filter.Distance(false, null, new org.locationtech.jts.geom.GeometryFactory(new org.locationtech.jts.geom.PrecisionModel(), 9210)
                .createPoint(new Coordinate(s.x(), s.y())), 500, "ft"), "ST_DWithin(geom, ST_SetSRID(ST_MakePoint(?, ?), 9210), 152.4)", s.x(), s.y());
    }

    @Test
    void spatialOperatorsNeedTheGeometryAndComparisonsRefuseIt() {
        Sample s = sample();
        String point = "<gml:Point srsName=\"EPSG:9210\"><gml:pos>" + s.x() + " " + s.y() + "</gml:pos></gml:Point>";
        assertThatThrownBy(() -> ids(xml("<fes:Intersects><fes:ValueReference>address</fes:ValueReference>" + point + "</fes:Intersects>")))
                .isInstanceOfSatisfying(FilterException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"));
        assertThatThrownBy(() -> ids(cmp(ComparisonOp.EQ, "geom", "POINT(0 0)"))).isInstanceOf(FilterException.class);
    }

    // ------------------------------------------------------------ hostile input

    @Test
    void injectedLiteralsMatchOnlyWhatTheyLiterallySay() {
        long before = jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel", Long.class);
        for (String literal : List.of("1'); DROP TABLE cadastre.parcel; --", "' OR '1'='1", "x' OR 1=1 --", "\\'; DELETE FROM cadastre.parcel; --",
                "$$; DROP TABLE cadastre.parcel; $$")) {
            for (String property : List.of("address", "land_use_code", "commune_name")) {
                assertThat(ids(cmp(ComparisonOp.EQ, property, literal))).as(property + " = " + literal).isEmpty();
                assertThat(ids(cmp(ComparisonOp.NE, property, literal))).as(property + " <> " + literal)
                        .isEqualTo(truth(property.equals("commune_name") ? "true" : property + " IS NOT NULL"));
                assertThat(ids(like(property, "*" + literal + "*"))).as(property + " like " + literal).isEmpty();
            }
            assertThatThrownBy(() -> ids(cmp(ComparisonOp.EQ, "parcel_no", literal))).as(literal)
                    .isInstanceOfSatisfying(FilterException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"));
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel", Long.class)).isEqualTo(before);
    }

    @Test
    void injectedPropertyNamesAndHiddenAttributesAreUnknownProperties() {
        long before = jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel", Long.class);
        for (String property : List.of("parcel_no; DROP TABLE x", "\"parcel_no\"", "parcel_no\" OR 1=1 --", "parcel_no) OR (1=1",
                "PARCEL_NO", "valid_to", "id", "owners", "nosuch", "")) {
            assertThatThrownBy(() -> ids(cmp(ComparisonOp.EQ, property, "1"))).as(property)
                    .isInstanceOfSatisfying(FilterException.class, e -> {
                        assertThat(e.code()).isEqualTo("InvalidParameterValue");
                        assertThat(e.locator()).isEqualTo("FILTER");
                        assertThat(e.getMessage()).isEqualTo("unknown property " + property);
                    });
            assertThatThrownBy(() -> ids(new Filter.IsNull(property))).as(property).isInstanceOf(FilterException.class);
        }
        // owners is personal data: a citizen cannot even learn that it exists, an officer can filter on it
        String hidden = catchMessage(() -> ids(new Filter.IsNull("owners"), Viewer.CITIZEN));
        String missing = catchMessage(() -> ids(new Filter.IsNull("ownerz"), Viewer.CITIZEN));
        assertThat(hidden.replace("owners", "X")).isEqualTo(missing.replace("ownerz", "X"));
        assertThatThrownBy(() -> ids(xml("<fes:PropertyIsLike wildCard=\"*\" singleChar=\".\" escapeChar=\"!\"><fes:ValueReference>owners"
                + "</fes:ValueReference><fes:Literal>Nguyễn*</fes:Literal></fes:PropertyIsLike>"))).isInstanceOf(FilterException.class);
        assertThat(ids(new Filter.IsNull("owners"), OFFICER))
                .isEqualTo(truth("NOT EXISTS (SELECT 1 FROM cadastre.land_right r WHERE r.parcel_version = parcel.id)"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel", Long.class)).isEqualTo(before);
    }

    @Test
    void countAppliesTheSameFilter() {
        Filter f = new Filter.Or(List.of(cmp(ComparisonOp.LT, "parcel_no", "20"), like("land_use_code", "C*")));
        assertThat(source.count(query(f, Viewer.CITIZEN))).isEqualTo(truth("parcel_no < 20 OR land_use_code LIKE 'C%'").size());
    }

    @Test
    void theSqlHoldsNoLiteralText() {
        FilterSql.Fragment f = FilterSql.translate(new Filter.And(List.of(cmp(ComparisonOp.EQ, "address", "O'Brien"),
                like("land_use_code", "%_*"), new Filter.ResourceId(List.of("parcels.42")))), parcels, Viewer.CITIZEN);
        assertThat(f.sql()).doesNotContain("O'Brien", "Brien", "42").contains("\"address\"", "\"land_use_code\"", "\"id\"");
        assertThat(f.params()).containsExactly("O'Brien", "\\%\\_%", "42");
    }

    static String catchMessage(Runnable r) {
        try {
            r.run();
        } catch (FilterException e) {
            return e.getMessage();
        }
        throw new AssertionError("no FilterException");
    }
}
