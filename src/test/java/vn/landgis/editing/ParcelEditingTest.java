package vn.landgis.editing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.WKTWriter;
import org.locationtech.jts.io.WKBReader;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import vn.landgis.platform.UserAccounts;
import vn.landgis.support.Http;

/**
 * The officers' parcel transactions over HTTP against the demo district in PostGIS: each keeps the neighbourhood a
 * valid coverage (JTS CoverageValidator before and after: no gap, no overlap, matching edges), preserves areas
 * where it should, leaves history (asOf), lineage and audit, reports broken rules with their locations, and
 * 50 concurrent conflicting edits end with a valid register where each request committed fully or got 409.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ParcelEditingTest {

    static final String OFFICER = "officer.edit";
    static final String PASSWORD = "an-editing-test-password";
    static final String[] AS_OFFICER = Http.basic(OFFICER, PASSWORD);
    static final String JSON = "application/json";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    UserAccounts accounts;

    Http http;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts.save(OFFICER, PASSWORD.toCharArray(), Set.of("LAND_OFFICER"));
        accounts.save("planner.edit", PASSWORD.toCharArray(), Set.of("PLANNER"));
    }

    // ------------------------------------------------------------------ fixtures from the demo district

    /** Two current, adjacent parcels of one sheet sharing more than 12 m of boundary, the first after {@code fromId}. */
    long[] adjacentPair(long fromId) {
        return jdbc.queryForObject("""
                SELECT a.id, b.id FROM cadastre.parcel a JOIN cadastre.parcel b
                    ON b.valid_to IS NULL AND b.id > a.id AND b.commune_code = a.commune_code AND b.sheet_no = a.sheet_no
                   AND b.geom && a.geom AND ST_Intersects(a.geom, b.geom)
                 WHERE a.valid_to IS NULL AND a.id > ? AND ST_Area(a.geom) > 150 AND ST_Area(b.geom) > 150
                   AND ST_Length(ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom))) > 12
                 ORDER BY a.id, b.id LIMIT 1""", (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)}, fromId);
    }

    /** A start id in the demo district, {@code share} (0..1) of the way through it: tests edit far apart. */
    long at(double share) {
        return jdbc.queryForObject("""
                SELECT id FROM cadastre.parcel WHERE valid_to IS NULL ORDER BY id
                OFFSET (SELECT (count(*) * ?)::int FROM cadastre.parcel WHERE valid_to IS NULL) LIMIT 1""", Long.class, share);
    }

    /** The current parcels within 30 m of the versions' extent, as JTS polygons. */
    List<Geometry> neighbourhood(long... versions) {
        WKBReader reader = new WKBReader();
        return jdbc.query("""
                SELECT ST_AsBinary(p.geom) FROM cadastre.parcel p,
                       (SELECT ST_Expand(ST_Extent(geom)::geometry, 30) e FROM cadastre.parcel WHERE id = ANY(?)) x
                 WHERE p.valid_to IS NULL AND p.geom && ST_SetSRID(x.e, 9210) ORDER BY p.id""", (rs, i) -> {
            try {
                return reader.read(rs.getBytes(1));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, (Object) Arrays.stream(versions).boxed().toArray(Long[]::new));
    }

    /** JTS coverage validation: no overlaps, edges of neighbours match exactly; gaps narrower than 0.5 m count too. */
    static void assertValidCoverage(List<Geometry> parcels) {
        Geometry[] invalid = CoverageValidator.validate(parcels.toArray(Geometry[]::new), 0.5);
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < invalid.length; i++) {
            if (invalid[i] != null) {
                bad.add(i + ": " + invalid[i]);
            }
        }
        assertThat(bad).as("invalid coverage edges").isEmpty();
    }

    double area(String where, Object... args) {
        return jdbc.queryForObject("SELECT coalesce(sum(ST_Area(geom)), 0) FROM cadastre.parcel WHERE " + where, Double.class, args);
    }

    JsonNode body(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return json.readTree(r.body());
    }

    HttpResponse<String> edit(String operation, String body) {
        return http.post("/api/edits/" + operation, JSON, body, AS_OFFICER);
    }

    String geoJson(String sql, Object... args) {
        return jdbc.queryForObject("SELECT ST_AsGeoJSON(" + sql + ", 6)", String.class, args);
    }

    /** A line across the parcel through its interior point, west to east, overshooting its bbox by 5 m. */
    String lineAcross(long version) {
        return geoJson("""
                (SELECT ST_MakeLine(ST_MakePoint(ST_XMin(geom) - 5, ST_Y(ST_PointOnSurface(geom))),
                                    ST_MakePoint(ST_XMax(geom) + 5, ST_Y(ST_PointOnSurface(geom))))
                   FROM cadastre.parcel WHERE id = ?)""", version);
    }

    // ------------------------------------------------------------------ split

    @Test
    void splitByLineKeepsCoverageFreeOfGapsAndOverlapsAndPreservesArea() {
        long parent = adjacentPair(at(0.1))[0];
        Map<String, Object> p = jdbc.queryForMap("SELECT parcel_id, commune_code, sheet_no FROM cadastre.parcel WHERE id = ?", parent);
        int nextFree = jdbc.queryForObject("SELECT max(parcel_no) + 1 FROM cadastre.parcel WHERE commune_code = ? AND sheet_no = ?",
                Integer.class, p.get("commune_code"), p.get("sheet_no"));
        List<Geometry> before = neighbourhood(parent);
        assertValidCoverage(before);
        double parentArea = area("id = ?", parent);
        OffsetDateTime t0 = jdbc.queryForObject("SELECT now()", OffsetDateTime.class);

        JsonNode r = body(edit("split", """
                {"dossier": "HS-SPLIT-1", "decision": "QĐ 12/2026", "crs": "EPSG:9210", "versionId": %d, "line": %s}"""
                .formatted(parent, lineAcross(parent))), 201);

        assertThat(r.get("kind").asText()).isEqualTo("split");
        assertThat(r.get("closed").get(0).asLong()).isEqualTo(parent);
        List<JsonNode> children = new ArrayList<>();
        r.get("opened").forEach(o -> {
            if (o.get("tag").asText().startsWith("child-")) {
                children.add(o);
            }
        });
        assertThat(children).hasSizeGreaterThanOrEqualTo(2);
        // the sheet's next free numbers, in reading order
        for (int i = 0; i < children.size(); i++) {
            assertThat(children.get(i).get("parcelNo").asInt()).isEqualTo(nextFree + i);
        }
        long[] childVersions = children.stream().mapToLong(c -> c.get("versionId").asLong()).toArray();
        assertThat(area("id = ANY(?)", (Object) Arrays.stream(childVersions).boxed().toArray(Long[]::new))).isCloseTo(parentArea,
                org.assertj.core.data.Offset.offset(0.01));
        assertValidCoverage(neighbourhood(parent));
        // lineage parent -> each child, under the change
        long change = r.get("changeId").asLong();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel_lineage WHERE parent_version = ? AND change_id = ?",
                Integer.class, parent, change)).isEqualTo(children.size());
        // history: the parent as of before, closed now; a child absent before, present now
        long parentId = ((Number) p.get("parcel_id")).longValue();
        String asOf = Http.q(t0.toString());
        assertThat(body(http.get("/api/parcels/" + parentId + "?asOf=" + asOf), 200).at("/properties/versionId").asLong()).isEqualTo(parent);
        JsonNode last = body(http.get("/api/parcels/" + parentId), 200);
        assertThat(last.at("/properties/versionId").asLong()).isEqualTo(parent);
        assertThat(last.at("/properties/validTo").isNull()).isFalse();
        long childId = children.getFirst().get("parcelId").asLong();
        assertThat(http.get("/api/parcels/" + childId + "?asOf=" + asOf).statusCode()).isEqualTo(404);
        assertThat(body(http.get("/api/parcels/" + childId), 200).at("/properties/parcelNo").asInt()).isEqualTo(nextFree);
        // the history panel's graph: the child's lineage reaches the parent through the split
        String history = http.get("/api/parcels/" + childId + "/history", AS_OFFICER).body();
        assertThat(history).contains("\"versionId\":" + parent, "\"parentVersion\":" + parent).contains("\"kind\":\"split\"").contains("\"reason\":\"HS-SPLIT-1 / QĐ 12/2026\"");
        // audit: the summary event with before and after, and the row events, all by the officer
        Map<String, Object> event = jdbc.queryForMap("SELECT actor, details ->> 'dossier' AS dossier, jsonb_array_length(before) AS b, "
                + "jsonb_array_length(after) AS a FROM audit.event WHERE action = 'edit-split' AND target = ?", "cadastre.change:" + change);
        assertThat(event).containsEntry("actor", OFFICER).containsEntry("dossier", "HS-SPLIT-1");
        assertThat(((Number) event.get("b")).intValue()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit.event WHERE actor = ? AND action = 'insert' AND target = ANY(?)", Integer.class,
                OFFICER, Arrays.stream(childVersions).mapToObj(v -> "cadastre.parcel:" + v).toArray(String[]::new))).isEqualTo(children.size());
        assertThat(jdbc.queryForObject("SELECT reason FROM cadastre.change WHERE id = ?", String.class, change)).isEqualTo("HS-SPLIT-1 / QĐ 12/2026");
    }

    @Test
    void splitWithGivenNumbersAndThenUndoRestoresTheParent() {
        long parent = adjacentPair(at(0.2))[0];
        Map<String, Object> p = jdbc.queryForMap("SELECT parcel_id, parcel_no, commune_code, sheet_no, land_use_code FROM cadastre.parcel WHERE id = ?", parent);
        int free = jdbc.queryForObject("SELECT max(parcel_no) + 100 FROM cadastre.parcel WHERE commune_code = ? AND sheet_no = ?",
                Integer.class, p.get("commune_code"), p.get("sheet_no"));
        double before = area("id = ?", parent);
        // a polygon cut: the eastern half of the bbox
        String half = geoJson("(SELECT ST_MakeEnvelope((ST_XMin(geom) + ST_XMax(geom)) / 2, ST_YMin(geom) - 5, ST_XMax(geom) + 5, ST_YMax(geom) + 5, 9210) FROM cadastre.parcel WHERE id = ?)", parent);
        JsonNode split = body(edit("split", """
                {"dossier": "HS-UNDO-1", "crs": "EPSG:9210", "versionId": %d, "polygon": %s,
                 "children": [{"parcelNo": %d, "landUseCode": "ONT"}, {"parcelNo": %d}]}""".formatted(parent, half, free, free + 1)), 201);
        assertThat(split.at("/opened/0/parcelNo").asInt()).isEqualTo(free);
        assertThat(split.at("/opened/0/landUseCode").asText()).isEqualTo("ONT");
        assertThat(split.at("/opened/1/landUseCode").asText()).isEqualTo(p.get("land_use_code"));

        JsonNode undo = body(edit("undo", "{\"dossier\": \"HS-UNDO-1\", \"note\": \"nhầm hồ sơ\"}"), 201);
        assertThat(undo.get("kind").asText()).isEqualTo("undo");
        JsonNode restored = null;
        for (JsonNode o : undo.get("opened")) {
            if (o.get("tag").asText().equals("restored-" + parent)) {
                restored = o;
            }
        }
        assertThat(restored).as(undo.toString()).isNotNull();
        assertThat(restored.get("parcelId").asLong()).isEqualTo(((Number) p.get("parcel_id")).longValue());
        assertThat(restored.get("parcelNo").asInt()).isEqualTo(((Number) p.get("parcel_no")).intValue());
        assertThat(area("id = ?", restored.get("versionId").asLong())).isCloseTo(before, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE opened_by = ? AND valid_to IS NULL", Integer.class,
                split.get("changeId").asLong())).isZero();
        assertValidCoverage(neighbourhood(parent));
        // history is never rewritten: the split's versions stay, closed by the undo
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE closed_by = ?", Integer.class, undo.get("changeId").asLong()))
                .isEqualTo(split.get("opened").size());
        // nothing left to undo in that dossier
        assertThat(body(edit("undo", "{\"dossier\": \"HS-UNDO-1\"}"), 404).get("code").asText()).isEqualTo("nothing-to-undo");
    }

    @Test
    void splitByALineThatDoesNotCrossIsRefusedWithItsLocation() {
        long parent = adjacentPair(at(0.3))[0];
        String inside = geoJson("(SELECT ST_MakeLine(ST_PointOnSurface(geom), ST_Translate(ST_PointOnSurface(geom), 0.5, 0)) FROM cadastre.parcel WHERE id = ?)", parent);
        JsonNode r = body(edit("split", """
                {"dossier": "HS-BAD-1", "crs": "EPSG:9210", "versionId": %d, "line": %s}""".formatted(parent, inside)), 422);
        assertThat(r.get("code").asText()).isEqualTo("rule-violations");
        assertThat(r.at("/violations/0/rule").asText()).isEqualTo("cut-does-not-divide");
        assertThat(r.at("/violations/0/location/coordinates/0").asDouble()).isBetween(105.0, 107.0);
        assertThat(jdbc.queryForObject("SELECT valid_to IS NULL FROM cadastre.parcel WHERE id = ?", Boolean.class, parent)).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit.event WHERE action = 'edit-rejected' AND details ->> 'dossier' = 'HS-BAD-1'",
                Integer.class)).isEqualTo(1);
    }

    // ------------------------------------------------------------------ merge

    @Test
    void mergeOfAdjacentParcelsKeepsTheirAreaAndCoverage() {
        long[] pair = adjacentPair(at(0.4));
        double before = area("id = ANY(?)", (Object) new Long[] {pair[0], pair[1]});
        assertValidCoverage(neighbourhood(pair));
        JsonNode r = body(edit("merge", """
                {"dossier": "HS-MERGE-1", "versionIds": [%d, %d], "landUseCode": "CLN"}""".formatted(pair[0], pair[1])), 201);
        JsonNode merged = r.get("opened").get(0);
        assertThat(merged.get("parents")).hasSize(2);
        assertThat(area("id = ?", merged.get("versionId").asLong())).isCloseTo(before, org.assertj.core.data.Offset.offset(0.01));
        assertValidCoverage(neighbourhood(pair));
        assertThat(jdbc.queryForObject("SELECT ST_GeometryType(ST_GeometryN(geom, 1)) || ST_NumGeometries(geom) FROM cadastre.parcel WHERE id = ?",
                String.class, merged.get("versionId").asLong())).isEqualTo("ST_Polygon1");
    }

    @Test
    void mergeOfParcelsThatShareNoEdgeIsRefused() {
        long a = adjacentPair(at(0.5))[0];
        long far = jdbc.queryForObject("""
                SELECT b.id FROM cadastre.parcel a, cadastre.parcel b WHERE a.id = ? AND b.valid_to IS NULL
                   AND b.commune_code = a.commune_code AND b.sheet_no = a.sheet_no AND NOT ST_DWithin(a.geom, b.geom, 50)
                 ORDER BY b.id LIMIT 1""", Long.class, a);
        JsonNode r = body(edit("merge", "{\"dossier\": \"HS-MERGE-2\", \"versionIds\": [%d, %d], \"landUseCode\": \"CLN\"}".formatted(a, far)), 422);
        assertThat(r.at("/violations/0/rule").asText()).isEqualTo("merge-not-adjacent");
        assertThat(r.at("/violations/0/storageXY")).hasSize(2);
    }

    // ------------------------------------------------------------------ boundary

    Polygon shell(long version) {
        return (Polygon) neighbourhoodOf("id = ?", version).getFirst().getGeometryN(0);
    }

    List<Geometry> neighbourhoodOf(String where, Object... args) {
        WKBReader reader = new WKBReader();
        return jdbc.query("SELECT ST_AsBinary(geom) FROM cadastre.parcel WHERE " + where, (rs, i) -> {
            try {
                return reader.read(rs.getBytes(1));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, args);
    }

    /**
     * New geometries for a pair, as an editor makes them: the longest segment of their shared boundary gains a vertex
     * at its middle, dragged 1 m into b, in both parcels.
     */
    String[] movedBoundary(long a, long b) {
        Polygon pa = shell(a);
        Polygon pb = shell(b);
        Coordinate[] ca = pa.getExteriorRing().getCoordinates();
        Coordinate[] cb = pb.getExteriorRing().getCoordinates();
        Set<Coordinate> inB = new java.util.HashSet<>(Arrays.asList(cb));
        int best = -1;
        for (int i = 0; i + 1 < ca.length; i++) {
            if (inB.contains(ca[i]) && inB.contains(ca[i + 1]) && (best < 0 || ca[i].distance(ca[i + 1]) > ca[best].distance(ca[best + 1]))) {
                best = i;
            }
        }
        assertThat(best).as("a shared segment").isNotNegative();
        Coordinate p = ca[best];
        Coordinate q = ca[best + 1];
        double len = p.distance(q);
        Coordinate mid = new Coordinate((p.x + q.x) / 2, (p.y + q.y) / 2);
        Coordinate moved = new Coordinate(mid.x - (q.y - p.y) / len, mid.y + (q.x - p.x) / len);
        GeometryFactory f = pa.getFactory();
        if (!pb.contains(f.createPoint(moved))) {
            moved = new Coordinate(mid.x + (q.y - p.y) / len, mid.y - (q.x - p.x) / len);
        }
        moved = new Coordinate(Math.round(moved.x * 1000) / 1000.0, Math.round(moved.y * 1000) / 1000.0);
        List<Coordinate> na = new ArrayList<>(Arrays.asList(ca));
        na.add(best + 1, moved);
        List<Coordinate> nb = new ArrayList<>(Arrays.asList(cb));
        for (int j = 0; j + 1 < nb.size(); j++) {
            if (nb.get(j).equals2D(q) && nb.get(j + 1).equals2D(p)) {
                nb.add(j + 1, moved);
                break;
            }
        }
        assertThat(nb).hasSize(cb.length + 1);
        WKTWriter wkt = new WKTWriter();
        return new String[] {
            geoJson("ST_GeomFromText(?, 9210)", wkt.write(f.createPolygon(na.toArray(Coordinate[]::new)))),
            geoJson("ST_GeomFromText(?, 9210)", wkt.write(f.createPolygon(nb.toArray(Coordinate[]::new))))};
    }

    @Test
    void boundaryMoveChangesBothNeighboursTogetherWithoutGapOrOverlap() {
        long[] pair = adjacentPair(at(0.6));
        double before = area("id = ANY(?)", (Object) new Long[] {pair[0], pair[1]});
        assertValidCoverage(neighbourhood(pair));
        String[] g = movedBoundary(pair[0], pair[1]);
        JsonNode r = body(edit("boundary", """
                {"dossier": "HS-BND-1", "crs": "EPSG:9210", "parcels": [{"versionId": %d, "geometry": %s}, {"versionId": %d, "geometry": %s}]}"""
                .formatted(pair[0], g[0], pair[1], g[1])), 201);
        List<Long> opened = new ArrayList<>();
        r.get("opened").forEach(o -> {
            if (o.get("tag").asText().startsWith("parcel-")) {
                opened.add(o.get("versionId").asLong());
            }
        });
        assertThat(opened).hasSize(2);
        assertThat(area("id = ANY(?)", (Object) opened.toArray(Long[]::new))).isCloseTo(before, org.assertj.core.data.Offset.offset(0.01));
        assertThat(area("id = ?", opened.get(0))).isGreaterThan(area("id = ?", pair[0]) + 0.5);
        assertValidCoverage(neighbourhood(pair));
        // the same parcels (parcel ids) continue
        assertThat(jdbc.queryForList("SELECT parcel_id FROM cadastre.parcel WHERE id = ANY(?) ORDER BY id", Long.class,
                (Object) opened.subList(0, 2).toArray(Long[]::new))).containsExactlyElementsOf(jdbc.queryForList(
                "SELECT parcel_id FROM cadastre.parcel WHERE id = ANY(?) ORDER BY id", Long.class, (Object) new Long[] {pair[0], pair[1]}));
    }

    @Test
    void boundaryDrawnInWgs84IsSnappedBackOntoTheStoredVertices() {
        long[] pair = adjacentPair(at(0.65));
        double before = area("id = ANY(?)", (Object) new Long[] {pair[0], pair[1]});
        String[] g = movedBoundary(pair[0], pair[1]);
        // what a web map sends: lon/lat with 8 decimals (about a millimetre), so no vertex comes back exactly
        String[] wgs = new String[2];
        for (int i = 0; i < 2; i++) {
            wgs[i] = jdbc.queryForObject("SELECT ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(?), 9210), 4326), 8)", String.class, g[i]);
        }
        JsonNode r = body(edit("boundary", """
                {"dossier": "HS-BND-3", "parcels": [{"versionId": %d, "geometry": %s}, {"versionId": %d, "geometry": %s}]}"""
                .formatted(pair[0], wgs[0], pair[1], wgs[1])), 201);
        List<Long> opened = new ArrayList<>();
        r.get("opened").forEach(o -> opened.add(o.get("versionId").asLong()));
        assertThat(area("id = ANY(?)", (Object) opened.subList(0, 2).toArray(Long[]::new))).isCloseTo(before, org.assertj.core.data.Offset.offset(0.01));
        // every vertex of the new versions that was a vertex before is exactly the stored one again
        assertThat(jdbc.queryForObject("""
                SELECT count(DISTINCT ST_AsText(n.g)) FROM (SELECT (ST_DumpPoints(geom)).geom g FROM cadastre.parcel WHERE id = ANY(?)) n
                 WHERE NOT EXISTS (SELECT 1 FROM (SELECT (ST_DumpPoints(geom)).geom g FROM cadastre.parcel WHERE id = ANY(?)) o WHERE o.g ~= n.g)""",
                Integer.class, (Object) opened.subList(0, 2).toArray(Long[]::new), (Object) new Long[] {pair[0], pair[1]})).isEqualTo(1);
        assertValidCoverage(neighbourhood(pair));
    }

    @Test
    void boundaryMoveIntoAThirdParcelIsRefusedWithEveryBrokenRule() {
        long[] pair = adjacentPair(at(0.7));
        // a grows by 3 m all round: it overlaps its other neighbours and no longer matches the pair's outline
        String grown = geoJson("(SELECT ST_Buffer(geom, 3, 2) FROM cadastre.parcel WHERE id = ?)", pair[0]);
        String same = geoJson("(SELECT geom FROM cadastre.parcel WHERE id = ?)", pair[1]);
        JsonNode r = body(edit("boundary", """
                {"dossier": "HS-BND-2", "crs": "EPSG:9210", "parcels": [{"versionId": %d, "geometry": %s}, {"versionId": %d, "geometry": %s}]}"""
                .formatted(pair[0], grown, pair[1], same)), 422);
        List<String> rules = new ArrayList<>();
        r.get("violations").forEach(v -> {
            rules.add(v.get("rule").asText());
            assertThat(v.get("location").get("type").asText()).isEqualTo("Point");
        });
        assertThat(rules).contains("overlap", "children-cover-parent");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE id = ANY(?) AND valid_to IS NULL", Integer.class,
                (Object) new Long[] {pair[0], pair[1]})).isEqualTo(2);
    }

    // ------------------------------------------------------------------ attributes, conflicts, roles

    @Test
    void attributeEditNeedsAReasonWhenTheLegalAreaDepartsBeyondTheTolerance() {
        long v = adjacentPair(at(0.8))[0];
        double geomArea = jdbc.queryForObject("SELECT geom_area FROM cadastre.parcel WHERE id = ?", Double.class, v);
        int scale = jdbc.queryForObject("""
                SELECT coalesce((SELECT s.scale FROM cadastre.map_sheet s WHERE s.commune_code = p.commune_code AND s.sheet_no = p.sheet_no), 1000)
                  FROM cadastre.parcel p WHERE p.id = ?""", Integer.class, v);
        double tolerance = ParcelEditor.areaTolerance(geomArea, scale);
        String far = String.format(java.util.Locale.ROOT, "%.1f", geomArea + tolerance + 5);
        JsonNode refused = body(edit("attributes", """
                {"dossier": "HS-ATTR-1", "versionId": %d, "legalArea": %s}""".formatted(v, far)), 422);
        assertThat(refused.at("/violations/0/rule").asText()).isEqualTo("legal-area-beyond-tolerance");
        // its message: the Vietnamese half with decimal commas as Vietnamese write them, the English half with points
        String[] halves = refused.at("/violations/0/message").asText().split(" / ");
        String farVi = far.replace('.', ',').replaceAll("(\\d)(?=(\\d{3})+,)", "$1.");   // 1234.5 -> 1.234,5
        assertThat(halves[0]).startsWith("Diện tích pháp lý " + farVi + " m²").doesNotContainPattern("[0-9][.][0-9] m²");
        assertThat(halves[1]).startsWith("legal area " + far + " m²");
        String near = String.format(java.util.Locale.ROOT, "%.1f", geomArea + tolerance / 2);
        JsonNode ok = body(edit("attributes", """
                {"dossier": "HS-ATTR-1", "versionId": %d, "legalArea": %s, "address": "Ấp 3, xã Mỹ Lộc", "landUseCode": "ODT"}""".formatted(v, near)), 201);
        long next = ok.at("/opened/0/versionId").asLong();
        assertThat(ok.at("/opened/0/address").asText()).isEqualTo("Ấp 3, xã Mỹ Lộc");
        // the new address is searchable at once (the register's trigger adds its string, V18), without diacritics
        JsonNode found = body(http.get("/api/parcels/search?q=" + Http.q("ap 3 xa my loc") + "&limit=50"), 200);
        assertThat(found.findValues("address").stream().map(JsonNode::asText)).contains("Ấp 3, xã Mỹ Lộc");
        JsonNode explained = body(edit("attributes", """
                {"dossier": "HS-ATTR-1", "versionId": %d, "legalArea": %s, "areaReason": "Đo đạc lại theo trích đo 45/2026"}""".formatted(next, far)), 201);
        assertThat(explained.at("/opened/0/legalArea").asDouble()).isEqualTo(Double.parseDouble(far));
        // unknown land use
        JsonNode unknown = body(edit("attributes", """
                {"dossier": "HS-ATTR-1", "versionId": %d, "landUseCode": "XYZ"}""".formatted(explained.at("/opened/0/versionId").asLong())), 422);
        assertThat(unknown.at("/violations/0/rule").asText()).isEqualTo("unknown-land-use");
    }

    /**
     * A parcel of several purposes (ONT+CLN): given by an edit, kept by the edits that do not name them (a new
     * address, a split's children), the old main code dropped from the others when it becomes the main one; a code in
     * no list or the main code again refused; the look-up and the public layer show every purpose.
     */
    @Test
    void otherLandUsesAreGivenKeptBySplitsAndShown() {
        long v = adjacentPair(at(0.75))[0];
        String main = jdbc.queryForObject("SELECT land_use_code FROM cadastre.parcel WHERE id = ?", String.class, v);
        String other = main.equals("CLN") ? "ONT" : "CLN";
        JsonNode given = body(edit("attributes", """
                {"dossier": "HS-MULTI-1", "versionId": %d, "otherLandUses": ["%s", "hnk"]}""".formatted(v, other.toLowerCase(java.util.Locale.ROOT))), 201);
        long withOthers = given.at("/opened/0/versionId").asLong();
        assertThat(given.at("/opened/0/otherLandUses").toString()).isEqualTo("[\"%s\",\"HNK\"]".formatted(other));
        assertThat(jdbc.queryForObject("SELECT land_uses FROM ows.parcels WHERE id = ?", String.class, withOthers)).isEqualTo(main + "+" + other + "+HNK");
        long parcelId = given.at("/opened/0/parcelId").asLong();
        JsonNode looked = body(http.get("/api/parcels/" + parcelId), 200);
        assertThat(looked.at("/properties/landUses").asText()).isEqualTo(main + "+" + other + "+HNK");
        assertThat(looked.at("/properties/otherLandUses/0/code").asText()).isEqualTo(other);
        assertThat(looked.at("/properties/otherLandUses/1/name").asText()).isNotBlank();
        // a new address keeps them
        JsonNode readdressed = body(edit("attributes", """
                {"dossier": "HS-MULTI-1", "versionId": %d, "address": "Tổ 5, ấp Bình Hòa"}""".formatted(withOthers)), 201);
        assertThat(readdressed.at("/opened/0/otherLandUses").toString()).isEqualTo("[\"%s\",\"HNK\"]".formatted(other));
        // the other purpose becoming the main one leaves the others
        JsonNode swapped = body(edit("attributes", """
                {"dossier": "HS-MULTI-1", "versionId": %d, "landUseCode": "%s"}""".formatted(readdressed.at("/opened/0/versionId").asLong(), other)), 201);
        long current = swapped.at("/opened/0/versionId").asLong();
        assertThat(jdbc.queryForObject("SELECT land_uses FROM ows.parcels WHERE id = ?", String.class, current)).isEqualTo(other + "+HNK");
        // refused: a code in no list, the main code among the others
        assertThat(body(edit("attributes", """
                {"dossier": "HS-MULTI-1", "versionId": %d, "otherLandUses": ["XYZ"]}""".formatted(current)), 422).at("/violations/0/rule").asText())
                .isEqualTo("unknown-land-use");
        assertThat(body(edit("attributes", """
                {"dossier": "HS-MULTI-1", "versionId": %d, "otherLandUses": ["%s"]}""".formatted(current, other)), 422).at("/violations/0/rule").asText())
                .isEqualTo("land-use-twice");
        // a split's children inherit every purpose
        String half = geoJson("(SELECT ST_MakeEnvelope((ST_XMin(geom) + ST_XMax(geom)) / 2, ST_YMin(geom) - 5, ST_XMax(geom) + 5, ST_YMax(geom) + 5, 9210) FROM cadastre.parcel WHERE id = ?)", current);
        JsonNode split = body(edit("split", """
                {"dossier": "HS-MULTI-2", "crs": "EPSG:9210", "versionId": %d, "polygon": %s}""".formatted(current, half)), 201);
        for (JsonNode child : split.get("opened")) {
            if (!child.get("tag").asText().startsWith("child-")) {
                continue;   // a neighbour that gained a vertex
            }
            assertThat(jdbc.queryForObject("SELECT land_uses FROM ows.parcels WHERE id = ?", String.class, child.get("versionId").asLong()))
                    .isEqualTo(other + "+HNK");
        }
        List<Long> children = new java.util.ArrayList<>();
        split.get("opened").forEach(c -> {
            if (c.get("tag").asText().startsWith("child-")) {
                children.add(c.get("versionId").asLong());
            }
        });
        // none left: an empty list
        JsonNode none = body(edit("attributes", """
                {"dossier": "HS-MULTI-3", "versionId": %d, "otherLandUses": []}""".formatted(children.getFirst())), 201);
        long noneVersion = none.at("/opened/0/versionId").asLong();
        assertThat(jdbc.queryForObject("SELECT land_uses FROM ows.parcels WHERE id = ?", String.class, noneVersion)).isEqualTo(other);
        assertThat(jdbc.queryForObject("SELECT land_use_other IS NULL FROM cadastre.parcel WHERE id = ?", Boolean.class, noneVersion)).isTrue();
        // merged back, the parcel keeps every other purpose of its parts
        JsonNode merged = body(edit("merge", """
                {"dossier": "HS-MULTI-4", "versionIds": [%d, %d], "landUseCode": "%s"}""".formatted(noneVersion, children.get(1), other)), 201);
        assertThat(jdbc.queryForObject("SELECT land_uses FROM ows.parcels WHERE id = ?", String.class, merged.at("/opened/0/versionId").asLong()))
                .isEqualTo(other + "+HNK");
        // the history tells versions apart by their other purposes too
        JsonNode history = body(http.get("/api/parcels/" + merged.at("/opened/0/parcelId").asLong() + "/history", AS_OFFICER), 200);
        assertThat(history.toString()).contains("\"otherLandUses\":[\"HNK\"]");
    }

    @Test
    void editingAVersionClosedMeanwhileIsAConflictWithTheCurrentState() {
        long v = adjacentPair(at(0.85))[0];
        JsonNode first = body(edit("attributes", "{\"dossier\": \"HS-CONF-1\", \"versionId\": %d, \"address\": \"A\"}".formatted(v)), 201);
        JsonNode conflict = body(edit("attributes", "{\"dossier\": \"HS-CONF-2\", \"versionId\": %d, \"address\": \"B\"}".formatted(v)), 409);
        assertThat(conflict.get("code").asText()).isEqualTo("version-conflict");
        assertThat(conflict.at("/current/0/closedBy/changeId").asLong()).isEqualTo(first.get("changeId").asLong());
        assertThat(conflict.at("/current/0/current/0/versionId").asLong()).isEqualTo(first.at("/opened/0/versionId").asLong());
        assertThat(conflict.at("/current/0/current/0/address").asText()).isEqualTo("A");
    }

    @Test
    void onlyLandOfficersEdit() {
        long v = adjacentPair(at(0.9))[0];
        String body = "{\"dossier\": \"HS-ROLE\", \"versionId\": %d, \"address\": \"x\"}".formatted(v);
        var anonymous = http.post("/api/edits/attributes", JSON, body);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
        var planner = http.post("/api/edits/attributes", JSON, body, Http.basic("planner.edit", PASSWORD));
        assertThat(planner.statusCode()).isEqualTo(403);
        assertThat(planner.body()).contains("\"code\":\"forbidden\"");
        assertThat(body(edit("attributes", "{not json"), 400).get("code").asText()).isEqualTo("unreadable-request");
        assertThat(body(edit("attributes", "{\"versionId\": %d, \"address\": \"x\"}".formatted(v)), 400).get("code").asText()).isEqualTo("missing-dossier");
    }

    @Test
    void anEditRefreshesTheVectorTilesUnderIt() {
        long v = adjacentPair(at(0.75))[0];
        double[] c = jdbc.queryForObject("SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_PointOnSurface(geom), 3857) p FROM cadastre.parcel WHERE id = ?) x",
                (rs, i) -> new double[] {rs.getDouble(1), rs.getDouble(2)}, v);
        double half = 20037508.342789244;
        int z = 17;
        double span = 2 * half / (1 << z);
        String tile = "/tiles/parcels/" + z + "/" + (long) Math.floor((c[0] + half) / span) + "/" + (long) Math.floor((half - c[1]) / span) + ".mvt";
        String marker = "Tổ 7 ấp Mới " + v;
        byte[] before = http.bytes(tile).body();
        assertThat(http.bytes(tile).body()).as("cached").isEqualTo(before);
        assertThat(contains(before, marker)).isFalse();
        body(edit("attributes", "{\"dossier\": \"HS-TILE-1\", \"versionId\": %d, \"address\": \"%s\"}".formatted(v, marker)), 201);
        assertThat(contains(http.bytes(tile).body(), marker)).as("the tile was drawn again").isTrue();
    }

    static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains(new String(needle.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    void fiftyConcurrentConflictingEditsEachCommitFullyOrGetAConflict() throws Exception {
        long[] pair = adjacentPair(at(0.95));
        String[] moved = movedBoundary(pair[0], pair[1]);
        double before = area("id = ANY(?)", (Object) new Long[] {pair[0], pair[1]});
        int n = 50;
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String dossier = "HS-RACE-" + i;
            bodies.add(switch (i % 3) {
                case 0 -> "attributes\n{\"dossier\": \"%s\", \"versionId\": %d, \"address\": \"race %d\"}".formatted(dossier, pair[0], i);
                case 1 -> "attributes\n{\"dossier\": \"%s\", \"versionId\": %d, \"address\": \"race %d\"}".formatted(dossier, pair[1], i);
                default -> "boundary\n{\"dossier\": \"%s\", \"crs\": \"EPSG:9210\", \"parcels\": [{\"versionId\": %d, \"geometry\": %s}, {\"versionId\": %d, \"geometry\": %s}]}"
                        .formatted(dossier, pair[0], moved[0], pair[1], moved[1]);
            });
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            for (String b : bodies) {
                results.add(pool.submit(() -> {
                    start.await();
                    String[] parts = b.split("\n", 2);
                    return edit(parts[0], parts[1]).statusCode();
                }));
            }
            start.countDown();
            int committed = 0;
            for (int i = 0; i < n; i++) {
                int status = results.get(i).get();
                assertThat(status).as("request " + i).isIn(201, 409);
                String dossier = "HS-RACE-" + i;
                int changes = jdbc.queryForObject("SELECT count(*) FROM cadastre.change WHERE details ->> 'dossier' = ?", Integer.class, dossier);
                int rejected = jdbc.queryForObject("SELECT count(*) FROM audit.event WHERE action = 'edit-rejected' AND details ->> 'dossier' = ?"
                        + " AND (details ->> 'status')::int = 409", Integer.class, dossier);
                int applied = jdbc.queryForObject("SELECT count(*) FROM audit.event WHERE action LIKE 'edit-%' AND action <> 'edit-rejected'"
                        + " AND details ->> 'dossier' = ?", Integer.class, dossier);
                if (status == 201) {
                    committed++;
                    assertThat(List.of(changes, applied, rejected)).as(dossier).containsExactly(1, 1, 0);
                } else {
                    assertThat(List.of(changes, applied, rejected)).as(dossier).containsExactly(0, 0, 1);
                }
            }
            // the two parcels were edited by one boundary move, or by one attribute edit each
            assertThat(committed).isBetween(1, 2);
        }
        // every parcel has exactly one current version; the pair still covers what it covered; coverage valid
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM (SELECT parcel_id FROM cadastre.parcel WHERE valid_to IS NULL GROUP BY parcel_id HAVING count(*) > 1) x""",
                Integer.class)).isZero();
        assertThat(area("valid_to IS NULL AND parcel_id IN (SELECT parcel_id FROM cadastre.parcel WHERE id = ANY(?))",
                (Object) new Long[] {pair[0], pair[1]})).isCloseTo(before, org.assertj.core.data.Offset.offset(0.01));
        assertValidCoverage(neighbourhood(pair));
    }
}
