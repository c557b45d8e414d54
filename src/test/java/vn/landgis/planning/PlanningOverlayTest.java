package vn.landgis.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import vn.landgis.support.Http;

/**
 * Planning overlays over the generated district and its zoning plan, checked against PostGIS's own
 * ST_Area(ST_Intersection(...)) in VN-2000 TM-3.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PlanningOverlayTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlanningOverlay overlay;

    Http http;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    JsonNode body(HttpResponse<String> r) {
        try {
            return json.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(r.statusCode() + " " + r.body(), e);
        }
    }

    HttpResponse<String> post(String path, String body) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(http.base() + path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** zone id -> ST_Area(ST_Intersection(parcel, zone)) from PostGIS, for the zones of plans in force. */
    Map<Long, Double> groundTruth(long parcelId) {
        Map<Long, Double> m = new HashMap<>();
        jdbc.query("""
                SELECT z.id, ST_Area(ST_Intersection(p.geom, z.geom)) FROM cadastre.parcel p
                JOIN planning.zone z ON ST_Intersects(p.geom, z.geom) JOIN planning.plan pl ON pl.id = z.plan_id AND pl.status = 'in_force'
                WHERE p.parcel_id = ? AND p.valid_to IS NULL""", rs -> {
            m.put(rs.getLong(1), rs.getDouble(2));
        }, parcelId);
        return m;
    }

    @Test
    void zonePartsEqualPostgisIntersectionsAndTheAnswerHasTheContractShape() {
        List<Long> ids = jdbc.queryForList("""
                SELECT p.parcel_id FROM cadastre.parcel p WHERE p.valid_to IS NULL
                AND (SELECT count(*) FROM planning.zone z WHERE ST_Intersects(z.geom, p.geom) AND ST_Area(ST_Intersection(z.geom, p.geom)) > 1) >= 2
                ORDER BY p.id LIMIT 20""", Long.class);
        assertThat(ids).as("parcels across zone borders").hasSizeGreaterThanOrEqualTo(10);
        for (long id : ids) {
            var r = http.get("/api/parcels/" + id + "/planning");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode a = body(r);
            Map<Long, Double> truth = groundTruth(id);
            double parcelArea = jdbc.queryForObject("SELECT ST_Area(geom) FROM cadastre.parcel WHERE parcel_id = ? AND valid_to IS NULL", Double.class, id);
            assertThat(a.at("/parcel/id").asLong()).isEqualTo(id);
            assertThat(a.get("area").asDouble()).isCloseTo(parcelArea, within(0.0001));
            assertThat(a.at("/links/sheetPdf").asString()).isEqualTo("/api/parcels/" + id + "/planning-sheet.pdf");
            JsonNode plan = a.at("/plans/0");
            assertThat(plan.get("kindName").asString()).isEqualTo("Quy hoạch phân khu");
            assertThat(plan.at("/decision/number").asString()).isNotBlank();
            int seen = 0;
            for (JsonNode z : plan.get("zones")) {
                assertThat(z.get("area").asDouble()).as("zone %s of parcel %s", z.get("zoneCode"), id)
                        .isCloseTo(truth.get(z.get("id").asLong()), within(0.0001));
                assertThat(z.get("share").asDouble()).isCloseTo(truth.get(z.get("id").asLong()) / parcelArea, within(1e-6));
                assertThat(z.get("landUseName").asString()).isNotBlank();
                assertThat(z.has("matchesCurrentUse")).isTrue();
                seen++;
            }
            for (JsonNode s : plan.get("slivers")) {
                assertThat(s.get("area").asDouble()).isCloseTo(truth.get(s.get("zoneId").asLong()), within(0.0001));
                seen++;
            }
            assertThat(seen).isEqualTo((int) truth.values().stream().filter(v -> v > 0).count());
        }
    }

    @Test
    void partsSumToTheParcelAreaOnAThousandRandomParcels() {
        List<Map<String, Object>> parcels = jdbc.queryForList("""
                SELECT parcel_id, ST_Area(geom) AS area FROM cadastre.parcel WHERE valid_to IS NULL ORDER BY md5(id::text) LIMIT 1000""");
        assertThat(parcels).hasSizeGreaterThanOrEqualTo(1000);
        int covered = 0;
        for (Map<String, Object> p : parcels) {
            long id = ((Number) p.get("parcel_id")).longValue();
            double area = (Double) p.get("area");
            PlanningOverlay.Overlay o = overlay.forParcel(id, null).orElseThrow();
            assertThat(o.area()).isCloseTo(area, within(1e-6));
            for (PlanningOverlay.PlanOverlay plan : o.plans()) {
                double zones = plan.zones().stream().mapToDouble(PlanningOverlay.ZonePart::area).sum();
                double slivers = plan.slivers().stream().mapToDouble(PlanningOverlay.Sliver::area).sum();
                assertThat(zones + slivers + plan.uncoveredArea() - plan.overlapArea()).as("parcel %d", id).isCloseTo(area, within(0.01));
                assertThat(plan.zonesArea()).isCloseTo(zones, within(0.01));
                covered++;
            }
        }
        assertThat(covered).as("parcels under the plan").isGreaterThan(900);
    }

    @Test
    void aParcelOnTheEdgeOfThreeZones() {
        Long id = jdbc.queryForObject("""
                SELECT p.parcel_id FROM cadastre.parcel p WHERE p.valid_to IS NULL
                AND (SELECT count(*) FROM planning.zone z WHERE ST_Intersects(z.geom, p.geom) AND ST_Area(ST_Intersection(z.geom, p.geom)) > 1) >= 3
                ORDER BY p.id LIMIT 1""", Long.class);
        assertThat(id).as("a generated parcel where three zones meet").isNotNull();
        JsonNode answer = body(http.get("/api/parcels/" + id + "/planning"));
        JsonNode plan = answer.at("/plans/0");
        assertThat(plan.get("zones").size()).isGreaterThanOrEqualTo(3);
        Map<Long, Double> truth = groundTruth(id);
        double area = answer.get("area").asDouble();
        double sum = plan.get("uncoveredArea").asDouble();
        for (JsonNode z : plan.get("zones")) {
            assertThat(z.get("area").asDouble()).isCloseTo(truth.get(z.get("id").asLong()), within(0.0001));
            sum += z.get("area").asDouble();
        }
        for (JsonNode s : plan.get("slivers")) {
            sum += s.get("area").asDouble();
        }
        assertThat(sum).isCloseTo(area, within(0.01));
    }

    @Test
    void roadReservesCutFromTheParcelEqualPostgis() {
        Map<String, Object> row = jdbc.queryForMap("""
                SELECT p.parcel_id, l.id AS line_id, ST_Area(ST_Intersection(ST_Buffer(l.geom, l.width_m / 2, 'endcap=flat join=mitre'), p.geom)) AS a
                  FROM cadastre.parcel p JOIN planning.line l ON ST_DWithin(l.geom, p.geom, l.width_m / 2)
                 WHERE p.valid_to IS NULL AND ST_Area(ST_Intersection(ST_Buffer(l.geom, l.width_m / 2, 'endcap=flat join=mitre'), p.geom)) > 5
                 ORDER BY p.id LIMIT 1""");
        JsonNode plan = body(http.get("/api/parcels/" + row.get("parcel_id") + "/planning")).at("/plans/0");
        JsonNode line = null;
        for (JsonNode l : plan.get("lines")) {
            if (l.get("id").asLong() == ((Number) row.get("line_id")).longValue()) {
                line = l;
            }
        }
        assertThat(line).isNotNull();
        assertThat(line.get("kind").asString()).isEqualTo("red_line");
        assertThat(line.get("kindName").asString()).startsWith("Chỉ giới đường đỏ");
        assertThat(line.get("area").asDouble()).isCloseTo((Double) row.get("a"), within(0.0001));
        assertThat(plan.get("reserveArea").asDouble()).isGreaterThanOrEqualTo(line.get("area").asDouble() - 0.0001);
    }

    @Test
    void aDrawnPolygonInWgs84EqualsTheSamePolygonInVn2000() {
        // a 60 m x 40 m rectangle around the corner of three zones, in VN-2000 TM-3 and the same in WGS 84
        Map<String, Object> g = jdbc.queryForMap("""
                WITH c AS (SELECT ST_PointOnSurface(ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom))) AS pt
                             FROM planning.zone a JOIN planning.zone b ON a.id < b.id AND ST_Intersects(a.geom, b.geom)
                            WHERE ST_Length(ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom))) > 100 ORDER BY a.id, b.id LIMIT 1),
                     r AS (SELECT ST_MakeEnvelope(ST_X(pt) - 30, ST_Y(pt) - 20, ST_X(pt) + 30, ST_Y(pt) + 20, 9210) AS geom FROM c)
                SELECT ST_AsGeoJSON(geom, 6) AS vn, ST_AsGeoJSON(ST_Transform(geom, 4326), 15) AS wgs, ST_Area(geom) AS area FROM r""");
        JsonNode vn = body(post("/api/planning/overlay?crs=EPSG:9210", (String) g.get("vn")));
        JsonNode wgs = body(post("/api/planning/overlay", (String) g.get("wgs")));
        assertThat(vn.has("parcel")).isFalse();
        assertThat(vn.get("area").asDouble()).isCloseTo((Double) g.get("area"), within(0.0001));
        assertThat(wgs.get("area").asDouble()).isCloseTo(vn.get("area").asDouble(), within(0.01));
        JsonNode zv = vn.at("/plans/0/zones");
        JsonNode zw = wgs.at("/plans/0/zones");
        assertThat(zv.size()).isGreaterThanOrEqualTo(2).isEqualTo(zw.size());
        for (int i = 0; i < zv.size(); i++) {
            assertThat(zw.get(i).get("id").asLong()).isEqualTo(zv.get(i).get("id").asLong());
            assertThat(zw.get(i).get("area").asDouble()).isCloseTo(zv.get(i).get("area").asDouble(), within(0.01));
        }
        // a Feature with the legacy crs member is read the same
        String feature = "{\"type\":\"Feature\",\"properties\":{},\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::9210\"}},\"geometry\":"
                + g.get("vn") + "}";
        assertThat(body(post("/api/planning/overlay", feature)).get("area").asDouble()).isCloseTo(vn.get("area").asDouble(), within(1e-6));
    }

    @Test
    void aStripAcrossAZoneBorderIsASliverNotAnOverlap() {
        // most of the drawn area in zone a, a strip 0.1 m wide over the border into its neighbour
        String geo = jdbc.queryForObject("""
                WITH c AS (SELECT a.geom AS ga, ST_PointOnSurface(ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom))) AS pt
                             FROM planning.zone a JOIN planning.zone b ON a.id < b.id AND ST_Intersects(a.geom, b.geom)
                            WHERE ST_Length(ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom))) > 100 ORDER BY a.id, b.id LIMIT 1)
                SELECT ST_AsGeoJSON(ST_Intersection(ST_Buffer(ga, 0.1, 'join=mitre'), ST_Expand(pt, 25)), 6) FROM c""", String.class);
        JsonNode plan = body(post("/api/planning/overlay?crs=9210", geo)).at("/plans/0");
        assertThat(plan.get("zones").size()).isEqualTo(1);
        assertThat(plan.get("slivers").size()).isGreaterThanOrEqualTo(1);
        JsonNode sliver = plan.at("/slivers/0");
        assertThat(sliver.get("area").asDouble()).isBetween(0.5, 10.0);
        assertThat(sliver.get("meanWidthM").asDouble()).isLessThan(0.3);
        assertThat(plan.get("overlapArea").asDouble()).isZero();
    }

    @Test
    void anAreaNoPlanCoversSaysSo() {
        // 100 m × 100 m, 3 km east of every parcel of the demo district: no plan there
        String far = jdbc.queryForObject("""
                WITH e AS (SELECT ST_Extent(geom) AS b FROM cadastre.parcel)
                SELECT ST_AsGeoJSON(ST_Transform(ST_MakeEnvelope(ST_XMax(b) + 3000, ST_YMin(b), ST_XMax(b) + 3100, ST_YMin(b) + 100, 9210), 4326), 9) FROM e""",
                String.class);
        var r = post("/api/planning/overlay", far);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(body(r).get("plans").size()).isZero();
        assertThat(body(r).get("notes").toString()).contains("Không có quy hoạch nào đang có hiệu lực").contains("no plan in force in the database covers this area");
    }

    @Test
    void badInputIsRefusedWithAReason() {
        // a self-intersecting bow tie is repaired, and the answer says so
        String bowtie = jdbc.queryForObject("""
                WITH c AS (SELECT ST_Centroid(geom) AS pt FROM cadastre.parcel WHERE valid_to IS NULL ORDER BY id LIMIT 1)
                SELECT ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY[
                    ST_Translate(pt, -20, -20), ST_Translate(pt, 20, 20), ST_Translate(pt, 20, -20), ST_Translate(pt, -20, 20), ST_Translate(pt, -20, -20)])), 9210), 4326), 12)
                  FROM c""", String.class);
        var r = post("/api/planning/overlay", bowtie);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(body(r).get("notes").get(0).asString()).contains("Self-intersection").contains("repaired");
        assertThat(body(r).get("area").asDouble()).isCloseTo(800, within(1.0));
        // a hole drawn outside its shell is refused: repaired, it would count the hole's land as the area's
        String holeOutside = jdbc.queryForObject("""
                WITH c AS (SELECT ST_Centroid(geom) AS pt FROM cadastre.parcel WHERE valid_to IS NULL ORDER BY id LIMIT 1)
                SELECT ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_MakePolygon(
                    ST_ExteriorRing(ST_Buffer(pt, 20, 'quad_segs=1')), ARRAY[ST_Reverse(ST_ExteriorRing(ST_Buffer(ST_Translate(pt, 100, 0), 10, 'quad_segs=1')))]), 9210), 4326), 12)
                  FROM c""", String.class);
        var hole = post("/api/planning/overlay", holeOutside);
        assertThat(hole.statusCode()).as(hole.body()).isEqualTo(422);
        assertThat(body(hole).get("code").asString()).isEqualTo("invalid-geometry");

        // outside the province (Hà Nội), and the same with lat/lon swapped
        var outside = post("/api/planning/overlay", "{\"type\":\"Polygon\",\"coordinates\":[[[105.8,21.0],[105.81,21.0],[105.81,21.01],[105.8,21.0]]]}");
        assertThat(outside.statusCode()).isEqualTo(422);
        assertThat(body(outside).get("code").asString()).isEqualTo("outside-province");
        var swapped = post("/api/planning/overlay", "{\"type\":\"Polygon\",\"coordinates\":[[[10.5,106.4],[10.51,106.4],[10.51,106.41],[10.5,106.4]]]}");
        assertThat(body(swapped).get("detail").asString()).contains("swapped");

        // a polygon of a million vertices: refused by the body limit before it is parsed
        StringBuilder huge = new StringBuilder("{\"type\":\"Polygon\",\"coordinates\":[[");
        for (int i = 0; i < 1_000_000; i++) {
            double t = 2 * Math.PI * i / 1_000_000;
            huge.append('[').append(106.4 + 0.01 * Math.cos(t)).append(',').append(10.5 + 0.01 * Math.sin(t)).append("],");
        }
        huge.append("[106.41,10.5]]]}");
        var tooBig = post("/api/planning/overlay", huge.toString());
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(body(tooBig).get("code").asString()).isEqualTo("body-too-large");
        // and one under the body limit with more vertices than allowed: refused by the vertex limit
        StringBuilder many = new StringBuilder("{\"type\":\"Polygon\",\"coordinates\":[[");
        for (int i = 0; i < 120_000; i++) {
            many.append("[106.4,10.5],");
        }
        many.append("[106.4,10.5]]]}");
        var tooMany = post("/api/planning/overlay", many.toString());
        assertThat(tooMany.statusCode()).isEqualTo(413);
        assertThat(body(tooMany).get("code").asString()).isEqualTo("too-many-vertices");

        // not a polygon, not JSON, no body, an unknown CRS, NaN, an unknown parcel
        assertThat(post("/api/planning/overlay", "{\"type\":\"LineString\",\"coordinates\":[[106.4,10.5],[106.41,10.5]]}").statusCode()).isEqualTo(400);
        assertThat(post("/api/planning/overlay", "{\"type\":\"Polygon\",").statusCode()).isEqualTo(400);
        assertThat(post("/api/planning/overlay", "").statusCode()).isEqualTo(400);
        assertThat(post("/api/planning/overlay?crs=EPSG:2154", "{\"type\":\"Polygon\",\"coordinates\":[]}").statusCode()).isEqualTo(400);
        assertThat(post("/api/planning/overlay", "{\"type\":\"Polygon\",\"coordinates\":[[[\"NaN\",10.5],[106.41,10.5],[106.41,10.51],[106.4,10.5]]]}").statusCode()).isEqualTo(400);
        var unknown = http.get("/api/parcels/999999999/planning");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(body(unknown).get("code").asString()).isEqualTo("unknown-parcel");
        assertThat(http.get("/api/parcels/999999999/planning-sheet.pdf").statusCode()).isEqualTo(404);
        assertThat(http.get("/api/parcels/1/planning?asOf=yesterday").statusCode()).isEqualTo(400);
    }

    @Test
    void asOfGivesThePlanningOfTheParcelAsItWas() {
        long id = jdbc.queryForObject("SELECT parcel_id FROM cadastre.parcel WHERE valid_to IS NULL ORDER BY id LIMIT 1", Long.class);
        String from = jdbc.queryForObject("SELECT to_char(valid_from AT TIME ZONE 'Asia/Ho_Chi_Minh' - interval '1 day', 'YYYY-MM-DD') FROM cadastre.parcel WHERE parcel_id = ? ORDER BY valid_from LIMIT 1",
                String.class, id);
        assertThat(http.get("/api/parcels/" + id + "/planning?asOf=" + from).statusCode()).as("before the parcel existed").isEqualTo(404);
        assertThat(http.get("/api/parcels/" + id + "/planning?asOf=2099-01-01").statusCode()).isEqualTo(200);
    }

    @Test
    void plansAreListed() {
        JsonNode plans = body(http.get("/api/planning/plans"));
        assertThat(plans.size()).isGreaterThanOrEqualTo(1);
        JsonNode p = plans.get(0);
        assertThat(p.get("status").asString()).isEqualTo("in_force");
        assertThat(p.get("zones").asLong()).isEqualTo(jdbc.queryForObject("SELECT count(*) FROM planning.zone WHERE plan_id = ?", Long.class, p.get("id").asLong()));
        assertThat(p.get("bbox").get(0).asDouble()).isBetween(105.0, 107.0);
    }
}
