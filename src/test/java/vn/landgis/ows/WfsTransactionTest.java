package vn.landgis.ows;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import vn.landgis.platform.UserAccounts;
import vn.landgis.support.Http;
import vn.landgis.support.OgcSchemas;

/**
 * WFS-T over the demo district with the XML QGIS sends (wfs 2.0 Transaction, gml 3.2 MultiSurface with srsName,
 * fes:ResourceId): Insert, Update, Replace and Delete round trips, answers valid by wfs.xsd, rules and
 * conflicts as OGC exceptions, and only land officers may write.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WfsTransactionTest {

    static final String OFFICER = "officer.wfst";
    static final String PASSWORD = "a-wfs-t-test-password";
    static final String[] AS_OFFICER = Http.basic(OFFICER, PASSWORD);

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    UserAccounts accounts;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts.save(OFFICER, PASSWORD.toCharArray(), Set.of("LAND_OFFICER"));
        accounts.save("planner.wfst", PASSWORD.toCharArray(), Set.of("PLANNER"));
        accounts.save("officer2.wfst", PASSWORD.toCharArray(), Set.of("LAND_OFFICER"));
    }

    HttpResponse<String> transaction(String handle, String actions, String... auth) {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Transaction xmlns="http://www.opengis.net/wfs/2.0" xmlns:wfs="http://www.opengis.net/wfs/2.0" \
                xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:fes="http://www.opengis.net/fes/2.0" \
                xmlns:landgis="https://landgis.vn/ns/landgis" service="WFS" version="2.0.0"%s>%s</Transaction>"""
                .formatted(handle == null ? "" : " handle=\"" + handle + "\"", actions);
        return http.post("/ows", "text/xml", xml, auth);
    }

    static String value(String xml, String element) {
        Matcher m = Pattern.compile("<wfs:" + element + ">([^<]*)</wfs:" + element + ">").matcher(xml);
        assertThat(m.find()).as(element + " in " + xml).isTrue();
        return m.group(1);
    }

    static long rid(String xml) {
        Matcher m = Pattern.compile("rid=\"parcels\\.([0-9]+)\"").matcher(xml);
        assertThat(m.find()).as(xml).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** A square of {@code w} x {@code h} m south-west corner at (x, y), as QGIS writes it: MultiSurface, posList. */
    static String square(double x, double y, double w, double h, String srsName) {
        String ring = String.format(Locale.ROOT, "%.3f %.3f %.3f %.3f %.3f %.3f %.3f %.3f %.3f %.3f", x, y, x + w, y, x + w, y + h, x, y + h, x, y);
        return """
                <gml:MultiSurface srsName="%s"><gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing>\
                <gml:posList srsDimension="2">%s</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember></gml:MultiSurface>"""
                .formatted(srsName, ring);
    }

    String insert(String commune, int sheet, String geometry) {
        return """
                <Insert><landgis:parcels><landgis:parcel_id xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>\
                <landgis:commune_code>%s</landgis:commune_code><landgis:sheet_no>%d</landgis:sheet_no>\
                <landgis:land_use_code>ONT</landgis:land_use_code><landgis:address>Thửa vẽ từ QGIS</landgis:address>\
                <landgis:geom_area>0</landgis:geom_area><landgis:geom>%s</landgis:geom></landgis:parcels></Insert>"""
                .formatted(commune, sheet, geometry);
    }

    /** Somewhere no parcel is: 300 m east of the district's current parcels. */
    double[] emptyCorner() {
        return jdbc.queryForObject("""
                SELECT ST_XMax(e) + 300, ST_YMin(e) + 100 FROM (SELECT ST_Extent(geom) e FROM cadastre.parcel WHERE valid_to IS NULL) x""",
                (rs, i) -> new double[] {rs.getDouble(1), rs.getDouble(2)});
    }

    Map<String, Object> someSheet() {
        return jdbc.queryForMap("SELECT commune_code, sheet_no FROM cadastre.parcel WHERE valid_to IS NULL ORDER BY id LIMIT 1");
    }

    @Test
    void capabilitiesOfferTransactionToLandOfficersOnly() {
        String anonymous = http.get("/ows?SERVICE=WFS&REQUEST=GetCapabilities").body();
        assertThat(anonymous).doesNotContain("name=\"Transaction\"")
                .containsPattern("ImplementsTransactionalWFS\"><ows:NoValues/><ows:DefaultValue>FALSE");
        var officer = http.bytes("/ows?SERVICE=WFS&REQUEST=GetCapabilities", AS_OFFICER);
        assertThat(OgcSchemas.errors(officer.body(), "wfs/2.0/wfs.xsd")).isEmpty();
        assertThat(new String(officer.body(), StandardCharsets.UTF_8)).contains("name=\"Transaction\"")
                .containsPattern("ImplementsTransactionalWFS\"><ows:NoValues/><ows:DefaultValue>TRUE");
    }

    @Test
    void insertUpdateReplaceDeleteRoundTripWithQgisXml() {
        Map<String, Object> sheet = someSheet();
        String commune = (String) sheet.get("commune_code");
        int sheetNo = ((Number) sheet.get("sheet_no")).intValue();
        int nextFree = jdbc.queryForObject("SELECT max(parcel_no) + 1 FROM cadastre.parcel WHERE commune_code = ? AND sheet_no = ?", Integer.class,
                commune, sheetNo);
        double[] c = emptyCorner();

        // Insert in the storage CRS
        var inserted = transaction("HS-WFST-1", insert(commune, sheetNo, square(c[0], c[1], 20, 20, "urn:ogc:def:crs:EPSG::9210")), AS_OFFICER);
        assertThat(inserted.statusCode()).as(inserted.body()).isEqualTo(200);
        assertThat(OgcSchemas.errors(inserted.body().getBytes(StandardCharsets.UTF_8), "wfs/2.0/wfs.xsd")).isEmpty();
        assertThat(value(inserted.body(), "totalInserted")).isEqualTo("1");
        long v1 = rid(inserted.body());
        Map<String, Object> row = jdbc.queryForMap("SELECT parcel_no, land_use_code, geom_area, address, valid_to FROM cadastre.parcel WHERE id = ?", v1);
        assertThat(row).containsEntry("parcel_no", nextFree).containsEntry("land_use_code", "ONT").containsEntry("address", "Thửa vẽ từ QGIS");
        assertThat(((Number) row.get("geom_area")).doubleValue()).isCloseTo(400, org.assertj.core.data.Offset.offset(1.0));
        // GetFeature finds it by its id
        assertThat(http.get("/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&RESOURCEID=parcels." + v1).body()).contains("Thửa vẽ từ QGIS");

        // Update of attribute and geometry (QGIS: ValueReference without prefix, fes:ResourceId)
        var updated = transaction("HS-WFST-1", """
                <Update typeName="landgis:parcels"><Property><ValueReference>address</ValueReference><Value>Đã sửa</Value></Property>\
                <Property><ValueReference>geom</ValueReference><Value>%s</Value></Property>\
                <fes:Filter><fes:ResourceId rid="parcels.%d"/></fes:Filter></Update>""".formatted(square(c[0], c[1], 20, 25, "EPSG:9210"), v1), AS_OFFICER);
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(OgcSchemas.errors(updated.body().getBytes(StandardCharsets.UTF_8), "wfs/2.0/wfs.xsd")).isEmpty();
        assertThat(value(updated.body(), "totalUpdated")).isEqualTo("1");
        assertThat(updated.body()).contains("previousRid=\"parcels." + v1 + "\"");
        long v2 = rid(updated.body());
        assertThat(jdbc.queryForObject("SELECT address FROM cadastre.parcel WHERE id = ? AND valid_to IS NULL", String.class, v2)).isEqualTo("Đã sửa");
        assertThat(jdbc.queryForObject("SELECT ST_Area(geom) FROM cadastre.parcel WHERE id = ?", Double.class, v2)).isCloseTo(500, org.assertj.core.data.Offset.offset(0.01));
        assertThat(jdbc.queryForObject("SELECT closed_by IS NOT NULL FROM cadastre.parcel WHERE id = ?", Boolean.class, v1)).isTrue();

        // QGIS keeps the ids it loaded: the same officer's next save names v1 again and lands on v2
        var again = transaction("HS-WFST-1", """
                <Update typeName="landgis:parcels"><Property><ValueReference>legal_area</ValueReference><Value>500.0</Value></Property>\
                <fes:Filter><fes:ResourceId rid="parcels.%d"/></fes:Filter></Update>""".formatted(v1), AS_OFFICER);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(again.body()).contains("previousRid=\"parcels." + v1 + "\"");
        long v2b = rid(again.body());
        assertThat(jdbc.queryForMap("SELECT address, legal_area, valid_to FROM cadastre.parcel WHERE id = ?", v2b))
                .containsEntry("address", "Đã sửa").containsEntry("valid_to", null);
        assertThat(jdbc.queryForObject("SELECT closed_by IS NOT NULL FROM cadastre.parcel WHERE id = ?", Boolean.class, v2)).isTrue();
        v2 = v2b;
        // every purpose at once (a parcel of several, as maps write it): land_uses, the main one first
        var several = transaction("HS-WFST-1", """
                <Update typeName="landgis:parcels"><Property><ValueReference>land_uses</ValueReference><Value>ont+CLN</Value></Property>\
                <fes:Filter><fes:ResourceId rid="parcels.%d"/></fes:Filter></Update>""".formatted(v2), AS_OFFICER);
        assertThat(several.statusCode()).as(several.body()).isEqualTo(200);
        v2 = rid(several.body());
        assertThat(jdbc.queryForObject("SELECT land_use_code || ' ' || coalesce(land_use_other::text, 'none') FROM cadastre.parcel WHERE id = ?", String.class, v2))
                .isEqualTo("ONT {CLN}");
        assertThat(http.get("/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&RESOURCEID=parcels." + v2).body())
                .contains("<landgis:land_uses>ONT+CLN</landgis:land_uses>");
        var disagreeing = transaction("HS-WFST-1", """
                <Update typeName="landgis:parcels"><Property><ValueReference>land_uses</ValueReference><Value>ONT+CLN</Value></Property>\
                <Property><ValueReference>land_use_code</ValueReference><Value>LUC</Value></Property>\
                <fes:Filter><fes:ResourceId rid="parcels.%d"/></fes:Filter></Update>""".formatted(v2), AS_OFFICER);
        assertThat(disagreeing.statusCode()).isEqualTo(400);
        assertThat(disagreeing.body()).contains("InvalidParameterValue", "locator=\"land_uses\"");
        // another officer naming a version that has been changed since is in conflict, and nothing is written
        var stale = transaction(null, """
                <Update typeName="landgis:parcels"><Property><ValueReference>address</ValueReference><Value>Lần hai</Value></Property>\
                <fes:Filter><fes:ResourceId rid="parcels.%d"/></fes:Filter></Update>""".formatted(v1), Http.basic("officer2.wfst", PASSWORD));
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("ows:ExceptionReport", "OperationProcessingFailed", "parcels." + v2);
        assertThat(jdbc.queryForObject("SELECT valid_to IS NULL FROM cadastre.parcel WHERE id = ?", Boolean.class, v2)).isTrue();

        // Replace, in WGS 84 (latitude first, as EPSG:4326 is defined): attributes and geometry at once
        double[] ll = jdbc.queryForObject("SELECT ST_Y(p), ST_X(p) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), 9210), 4326) p) x",
                (rs, i) -> new double[] {rs.getDouble(1), rs.getDouble(2)}, c[0], c[1]);
        String wgs = """
                <gml:Polygon srsName="urn:ogc:def:crs:EPSG::4326"><gml:exterior><gml:LinearRing><gml:posList>%s</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>"""
                .formatted(String.format(Locale.ROOT, "%.8f %.8f %.8f %.8f %.8f %.8f %.8f %.8f", ll[0], ll[1], ll[0], ll[1] + 0.0002, ll[0] + 0.0002,
                        ll[1], ll[0], ll[1]));
        var replaced = transaction("HS-WFST-1", """
                <Replace><landgis:parcels><landgis:commune_code>%s</landgis:commune_code><landgis:sheet_no>%d</landgis:sheet_no>\
                <landgis:land_use_code>CLN</landgis:land_use_code><landgis:address>Thay thế</landgis:address><landgis:geom>%s</landgis:geom>\
                </landgis:parcels><fes:Filter><fes:ResourceId rid="parcels.%d"/></fes:Filter></Replace>""".formatted(commune, sheetNo, wgs, v2), AS_OFFICER);
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(value(replaced.body(), "totalReplaced")).isEqualTo("1");
        long v3 = rid(replaced.body());
        // the main purpose given alone: the others stay, less the new main one
        assertThat(jdbc.queryForObject("SELECT land_use_code || ' ' || coalesce(land_use_other::text, 'none') FROM cadastre.parcel WHERE id = ?", String.class, v3))
                .isEqualTo("CLN none");
        // the triangle drawn in WGS 84, in the storage CRS (its vertices may be snapped onto the old square's within 5 cm)
        double triangle = jdbc.queryForObject("SELECT ST_Area(ST_Transform(ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY[ST_MakePoint(?, ?),"
                + " ST_MakePoint(?, ?), ST_MakePoint(?, ?), ST_MakePoint(?, ?)])), 4326), 9210))", Double.class,
                ll[1], ll[0], ll[1] + 0.0002, ll[0], ll[1], ll[0] + 0.0002, ll[1], ll[0]);
        assertThat(jdbc.queryForObject("SELECT ST_Area(geom) FROM cadastre.parcel WHERE id = ?", Double.class, v3))
                .isCloseTo(triangle, org.assertj.core.data.Offset.offset(1.0));

        // an overlapping Insert is refused with the rule and its location
        var overlapping = transaction(null, insert(commune, sheetNo, square(c[0] + 1, c[1] + 1, 10, 10, "urn:ogc:def:crs:EPSG::9210")), AS_OFFICER);
        assertThat(overlapping.statusCode()).isEqualTo(400);
        assertThat(overlapping.body()).contains("OperationProcessingFailed", "overlap", "POINT(", "parcels." + v3);

        // Delete retires the version; the parcel leaves the current register, its history stays
        var deleted = transaction("HS-WFST-1", """
                <Delete typeName="landgis:parcels"><fes:Filter><fes:ResourceId rid="parcels.%d"/></fes:Filter></Delete>""".formatted(v3), AS_OFFICER);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(value(deleted.body(), "totalDeleted")).isEqualTo("1");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE parcel_id = (SELECT parcel_id FROM cadastre.parcel WHERE id = ?)"
                + " AND valid_to IS NULL", Integer.class, v1)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE parcel_id = (SELECT parcel_id FROM cadastre.parcel WHERE id = ?)",
                Integer.class, v1)).isEqualTo(5);
        // every step is a change of the dossier, audited with the officer's name
        assertThat(jdbc.queryForList("SELECT kind FROM cadastre.change WHERE details ->> 'dossier' = 'HS-WFST-1' ORDER BY id", String.class))
                .containsExactly("create", "boundary", "attributes", "attributes", "boundary", "retire");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit.event WHERE actor = ? AND action LIKE 'edit-%' AND details ->> 'dossier' = 'HS-WFST-1'",
                Integer.class, OFFICER)).isEqualTo(6);
    }

    @Test
    void aTransactionIsAllOrNothing() {
        Map<String, Object> sheet = someSheet();
        double[] c = emptyCorner();
        long before = jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel", Long.class);
        var r = transaction("HS-WFST-2", insert((String) sheet.get("commune_code"), ((Number) sheet.get("sheet_no")).intValue(),
                square(c[0] + 500, c[1], 15, 15, "urn:ogc:def:crs:EPSG::9210"))
                + "<Delete typeName=\"landgis:parcels\"><fes:Filter><fes:ResourceId rid=\"parcels.999999999\"/></fes:Filter></Delete>", AS_OFFICER);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("ows:ExceptionReport");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel", Long.class)).isEqualTo(before);
    }

    @Test
    void aReshapeThatOverlapsTheNeighbourIsRefusedWithItsLocation() {
        long v = jdbc.queryForObject("""
                SELECT a.id FROM cadastre.parcel a WHERE a.valid_to IS NULL AND ST_Area(a.geom) > 150
                   AND EXISTS (SELECT 1 FROM cadastre.parcel b WHERE b.valid_to IS NULL AND b.id <> a.id AND ST_Intersects(a.geom, b.geom))
                 ORDER BY a.id DESC LIMIT 1""", Long.class);
        String grown = jdbc.queryForObject("SELECT ST_AsGML(3, ST_Buffer(geom, 2, 1), 3, 2) FROM cadastre.parcel WHERE id = ?", String.class, v)
                .replaceAll("srsName=\"[^\"]*\"", "srsName=\"urn:ogc:def:crs:EPSG::9210\"");
        var r = transaction(null, """
                <Update typeName="landgis:parcels"><Property><ValueReference>landgis:geom</ValueReference><Value>%s</Value></Property>\
                <fes:Filter><fes:ResourceId rid="parcels.%d"/></fes:Filter></Update>""".formatted(grown, v), AS_OFFICER);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("OperationProcessingFailed", "overlap", "POINT(");
        assertThat(jdbc.queryForObject("SELECT valid_to IS NULL FROM cadastre.parcel WHERE id = ?", Boolean.class, v)).isTrue();
    }

    @Test
    void aReshapeThatLeavesAGapNextToTheNeighbourIsRefused() {
        long v = jdbc.queryForObject("""
                SELECT a.id FROM cadastre.parcel a WHERE a.valid_to IS NULL AND ST_Area(a.geom) > 300
                   AND EXISTS (SELECT 1 FROM cadastre.parcel b WHERE b.valid_to IS NULL AND b.id <> a.id AND ST_Intersects(a.geom, b.geom))
                 ORDER BY a.id DESC OFFSET 7 LIMIT 1""", Long.class);
        String shrunk = jdbc.queryForObject("SELECT ST_AsGML(3, ST_Buffer(geom, -1, 1), 3, 2) FROM cadastre.parcel WHERE id = ?", String.class, v)
                .replaceAll("srsName=\"[^\"]*\"", "srsName=\"urn:ogc:def:crs:EPSG::9210\"");
        var r = transaction(null, """
                <Update typeName="landgis:parcels"><Property><ValueReference>geom</ValueReference><Value>%s</Value></Property>\
                <fes:Filter><fes:ResourceId rid="parcels.%d"/></fes:Filter></Update>""".formatted(shrunk, v), AS_OFFICER);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("gap: ", "POINT(");
        assertThat(jdbc.queryForObject("SELECT valid_to IS NULL FROM cadastre.parcel WHERE id = ?", Boolean.class, v)).isTrue();
    }

    @Test
    void anonymousAndOtherRolesCannotWrite() {
        double[] c = emptyCorner();
        Map<String, Object> sheet = someSheet();
        String actions = insert((String) sheet.get("commune_code"), ((Number) sheet.get("sheet_no")).intValue(),
                square(c[0] + 900, c[1], 15, 15, "urn:ogc:def:crs:EPSG::9210"));
        for (String[] who : new String[][] {{}, Http.basic("planner.wfst", PASSWORD)}) {
            var r = transaction(null, actions, who);
            // nobody signed in: 401 with a challenge, which QGIS answers by asking for credentials; a planner: 403
            assertThat(r.statusCode()).isEqualTo(who.length == 0 ? 401 : 403);
            assertThat(r.headers().firstValue("WWW-Authenticate").isPresent()).isEqualTo(who.length == 0);
            assertThat(r.body()).contains("ows:ExceptionReport", "exceptionCode=\"OperationProcessingFailed\"", "locator=\"Transaction\"");
        }
        // an officer's browser holding credentials must not be made to write by a cross-site form (text/plain)
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Transaction xmlns="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2"                 xmlns:landgis="https://landgis.vn/ns/landgis" service="WFS" version="2.0.0">%s</Transaction>""".formatted(actions);
        var plain = http.post("/ows", "text/plain", xml, Http.basic(OFFICER, PASSWORD));
        assertThat(plain.statusCode()).isEqualTo(415);
        assertThat(plain.body()).contains("exceptionCode=\"OperationProcessingFailed\"");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE address = 'Thửa vẽ từ QGIS' AND ST_XMin(geom) > ?",
                Integer.class, c[0] + 800)).isZero();
    }

    // ------------------------------------------------------------------ concurrent writers in one place

    /** A polygon in the storage CRS from x, y pairs (the ring is closed here), as QGIS writes it. */
    static String polygon(double... xy) {
        StringBuilder ring = new StringBuilder();
        for (int i = 0; i <= xy.length; i += 2) {
            ring.append(String.format(Locale.ROOT, "%.3f %.3f ", xy[i % xy.length], xy[(i + 1) % xy.length]));
        }
        return """
                <gml:MultiSurface srsName="urn:ogc:def:crs:EPSG::9210"><gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing>\
                <gml:posList srsDimension="2">%s</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember></gml:MultiSurface>"""
                .formatted(ring.toString().trim());
    }

    static String update(long version, String geometry) {
        return """
                <Update typeName="landgis:parcels"><Property><ValueReference>geom</ValueReference><Value>%s</Value></Property>\
                <fes:Filter><fes:ResourceId rid="parcels.%d"/></fes:Filter></Update>""".formatted(geometry, version);
    }

    /** Sends the transactions at the same instant (each from its own thread, released by one latch). */
    List<HttpResponse<String>> together(String... actions) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(actions.length)) {
            for (String a : actions) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return transaction(null, a, AS_OFFICER);
                }));
            }
            start.countDown();
            List<HttpResponse<String>> out = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) {
                out.add(f.get());
            }
            return out;
        }
    }

    /** Exactly one transaction committed; the other was refused for the overlap it would make, or as a conflict (409). */
    static void exactlyOneCommitted(List<HttpResponse<String>> responses, String round) {
        List<Integer> statuses = responses.stream().map(HttpResponse::statusCode).toList();
        assertThat(statuses.stream().filter(st -> st == 200).count()).as(round + ": " + statuses).isEqualTo(1);
        HttpResponse<String> refused = responses.stream().filter(r -> r.statusCode() != 200).findFirst().orElseThrow();
        assertThat(refused.statusCode()).as(round).isIn(400, 409);
        assertThat(refused.body()).as(round).containsAnyOf("overlap", "try again", "no longer current");
    }

    /** Current parcels in the box that overlap another current parcel by more than a sliver (should be none). */
    int overlapsIn(double x, double y, double size) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM cadastre.parcel a JOIN cadastre.parcel b ON b.valid_to IS NULL AND b.id > a.id AND a.geom && b.geom
                 WHERE a.valid_to IS NULL AND a.geom && ST_MakeEnvelope(?, ?, ?, ?, 9210)
                   AND ST_Area(ST_Intersection(a.geom, b.geom)) > 0.01""", Integer.class, x, y, x + size, y + size);
    }

    int currentIn(double x, double y, double size) {
        return jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL AND geom && ST_MakeEnvelope(?, ?, ?, ?, 9210)",
                Integer.class, x, y, x + size, y + size);
    }

    @Test
    void twoConcurrentOverlappingInsertsInAnEmptyPlaceCommitOnlyOne() throws Exception {
        Map<String, Object> sheet = someSheet();
        String commune = (String) sheet.get("commune_code");
        int sheetNo = ((Number) sheet.get("sheet_no")).intValue();
        double[] c = emptyCorner();
        for (int round = 0; round < 6; round++) {
            // nothing here to lock row by row: two officers draw overlapping parcels at once
            double x = c[0] + 3000 + round * 100;
            double y = c[1] + 3000;
            var responses = together(insert(commune, sheetNo, square(x, y, 20, 20, "urn:ogc:def:crs:EPSG::9210")),
                    insert(commune, sheetNo, square(x + 8, y + 8, 20, 20, "urn:ogc:def:crs:EPSG::9210")));
            exactlyOneCommitted(responses, "round " + round);
            assertThat(currentIn(x - 10, y - 10, 50)).as("round " + round).isEqualTo(1);
            assertThat(overlapsIn(x - 10, y - 10, 50)).as("round " + round).isZero();
        }
    }

    @Test
    void twoConcurrentReshapesOfAdjacentParcelsThatWouldOverlapCommitOnlyOne() throws Exception {
        Map<String, Object> sheet = someSheet();
        String commune = (String) sheet.get("commune_code");
        int sheetNo = ((Number) sheet.get("sheet_no")).intValue();
        double[] c = emptyCorner();
        for (int round = 0; round < 6; round++) {
            // P and Q side by side; P grows north, Q grows north and west over P's new part: each alone is fine,
            // together they overlap by 5 x 10 m. Q's edit locks P (its neighbour) while P's edit replaces it.
            double x = c[0] + 3000 + round * 100;
            double y = c[1] + 4000;
            var p = transaction(null, insert(commune, sheetNo, polygon(x, y, x + 20, y, x + 20, y + 20, x, y + 20)), AS_OFFICER);
            var q = transaction(null, insert(commune, sheetNo, polygon(x + 20, y, x + 40, y, x + 40, y + 20, x + 20, y + 20)), AS_OFFICER);
            assertThat(List.of(p.statusCode(), q.statusCode())).as(p.body() + q.body()).containsExactly(200, 200);
            var responses = together(update(rid(p.body()), polygon(x, y, x + 20, y, x + 20, y + 30, x, y + 30)),
                    update(rid(q.body()), polygon(x + 20, y, x + 40, y, x + 40, y + 30, x + 15, y + 30, x + 15, y + 20, x + 20, y + 20)));
            exactlyOneCommitted(responses, "round " + round);
            assertThat(currentIn(x - 10, y - 10, 60)).as("round " + round).isEqualTo(2);
            assertThat(overlapsIn(x - 10, y - 10, 60)).as("round " + round).isZero();
        }
    }
}
