package vn.landgis.cadastre;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import vn.landgis.platform.UserAccounts;
import vn.landgis.support.Http;

/** Look-ups over a generated district in PostGIS, checked against PostGIS's own answers. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ParcelLookupTest {

    static final String OFFICER = "officer.test";
    static final String PASSWORD = "a-long-test-password";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    UserAccounts accounts;
    @Autowired
    org.springframework.transaction.support.TransactionTemplate tx;

    Http http;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts.save(OFFICER, PASSWORD.toCharArray(), Set.of("LAND_OFFICER"));
    }

    JsonNode body(HttpResponse<String> r) {
        try {
            return json.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(r.body(), e);
        }
    }

    @Test
    void byNumberAndByFreeTextNumberFindTheParcel() {
        Map<String, Object> row = jdbc.queryForMap("""
                SELECT p.parcel_id, p.commune_code, p.sheet_no, p.parcel_no, c.name FROM cadastre.parcel p
                JOIN cadastre.admin_unit_legacy c ON c.code = p.commune_code
                WHERE p.valid_to IS NULL AND c.name LIKE 'Phường%' ORDER BY p.id OFFSET 100 LIMIT 1""");
        long id = ((Number) row.get("parcel_id")).longValue();
        var r = http.get("/api/parcels/" + row.get("commune_code") + "/" + row.get("sheet_no") + "/" + row.get("parcel_no"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/geo+json");
        JsonNode f = body(r);
        assertThat(f.get("id").asLong()).isEqualTo(id);
        assertThat(f.at("/properties/landUseName").asText()).isNotBlank();
        assertThat(f.at("/geometry/type").asText()).isEqualTo("MultiPolygon");

        String name = (String) row.get("name");
        for (String q : List.of("thửa " + row.get("parcel_no") + " tờ " + row.get("sheet_no") + " " + name,
                "to " + row.get("sheet_no") + " thua " + row.get("parcel_no") + " " + name.toLowerCase(),
                "Thửa đất số " + row.get("parcel_no") + ", tờ bản đồ số " + row.get("sheet_no") + ", " + name)) {
            JsonNode hits = body(http.get("/api/parcels/search?q=" + Http.q(q)));
            assertThat(hits.at("/features/0/id").asLong()).as(q).isEqualTo(id);
            assertThat(hits.at("/features/0/properties/match").asText()).isEqualTo("number");
        }
        // in a projected CRS on request
        JsonNode projected = body(http.get("/api/parcels/" + id + "?crs=EPSG:9210"));
        assertThat(projected.at("/geometry/coordinates/0/0/0/0").asDouble()).isBetween(400_000.0, 700_000.0);
        // named by EPSG's code, which GDAL and QGIS know (it said "LANDGIS:9210": read as WGS 84); WGS 84 names none
        // at the top level, where GDAL looks (inside the geometry it read WGS 84)
        assertThat(projected.at("/crs/properties/name").asText()).isEqualTo("EPSG:9210");
        assertThat(projected.at("/geometry").has("crs")).isFalse();
        assertThat(body(http.get("/api/parcels/" + id)).has("crs")).isFalse();
        JsonNode found = body(http.get("/api/parcels/search?crs=EPSG:9210&q=" + Http.q("thửa " + row.get("parcel_no") + " tờ " + row.get("sheet_no"))));
        assertThat(found.at("/crs/properties/name").asText()).isEqualTo("EPSG:9210");
        // a number alone names a parcel on every sheet: nothing answered, and what to add said (it answered nothing, silently)
        JsonNode alone = body(http.get("/api/parcels/search?q=" + Http.q("thửa " + row.get("parcel_no"))));
        assertThat(alone.get("features")).isEmpty();
        assertThat(alone.get("hint").asText()).contains("thêm số tờ và tên xã", "add the sheet number and the commune");
        // whatever addresses hold the word: "thửa 12" found the parcels on "Kênh Thủ Thừa" (a canal of Long An)
        long other = jdbc.queryForObject("SELECT id FROM cadastre.parcel WHERE valid_to IS NULL AND id <> ? ORDER BY id LIMIT 1", Long.class, id);
        String before = jdbc.queryForObject("SELECT address FROM cadastre.parcel WHERE id = ?", String.class, other);
        jdbc.update("UPDATE cadastre.parcel SET address = 'Kênh Thủ Thừa, Xã Bình Tâm' WHERE id = ?", other);
        try {
            assertThat(body(http.get("/api/parcels/search?q=" + Http.q("kênh thủ thừa"))).get("features")).isNotEmpty();
            JsonNode twelve = body(http.get("/api/parcels/search?q=" + Http.q("thửa 12")));
            assertThat(twelve.get("features")).isEmpty();
            assertThat(twelve.has("hint")).isTrue();
        } finally {
            jdbc.update("UPDATE cadastre.parcel SET address = ? WHERE id = ?", before, other);
        }
        assertThat(found.has("hint")).isFalse();
    }

    @Test
    void aNumberWithACommuneNameFindsThatCommunesParcelFirstByItsOldOr2025Name() {
        // a (sheet, number) that several communes have; the name in the query decides which comes first
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT p.parcel_id, p.commune_code, p.new_commune_code, p.sheet_no, p.parcel_no, c.name, n.name AS new_name
                  FROM cadastre.parcel p JOIN cadastre.admin_unit_legacy c ON c.code = p.commune_code
                  JOIN cadastre.admin_unit n ON n.code = p.new_commune_code
                 WHERE p.valid_to IS NULL AND (p.sheet_no, p.parcel_no) = (
                       SELECT sheet_no, parcel_no FROM cadastre.parcel WHERE valid_to IS NULL GROUP BY 1, 2
                       HAVING count(DISTINCT commune_code) >= 3 ORDER BY 1, 2 LIMIT 1)
                 ORDER BY p.commune_code""");
        assertThat(rows).hasSizeGreaterThanOrEqualTo(3);
        for (Map<String, Object> row : rows) {
            String number = "thửa " + row.get("parcel_no") + " tờ " + row.get("sheet_no") + " ";
            String name = (String) row.get("name");
            // a name an old and a 2025 commune both bear (Phường Khánh Hậu, which took in Tân Khánh): the old one's parcel
            // first, as sheets are numbered by old commune (the trial's "phường Khánh Hậu" opened Tân Khánh's)
            boolean newNameIsOld = jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM cadastre.admin_unit_legacy WHERE name = ? AND level = 'commune')",
                    Boolean.class, row.get("new_name"));
            // with a numbered quarter before it, which is no commune ("khu phố 3" put Phường 3 first)
            List<String> queries = new java.util.ArrayList<>(List.of(number + name, number + name + ", TP Tân An", number + "khu phố 3, " + name));
            if (name.matches("Phường \\d+")) {
                queries.add(number + "P." + name.substring(7));
                queries.add("thửa " + row.get("parcel_no") + " P" + name.substring(7));   // no sheet: the ward's parcels of that number
            }
            for (String q : queries) {
                JsonNode hits = body(http.get("/api/parcels/search?q=" + Http.q(q)));
                assertThat(hits.at("/features/0/properties/communeCode").asText()).as(q + " -> " + hits).isEqualTo(row.get("commune_code"));
            }
            // the number and the commune without the sheet: that number on the commune's sheets, this one among them
            JsonNode noSheet = body(http.get("/api/parcels/search?limit=100&q=" + Http.q("thửa " + row.get("parcel_no") + " " + name)));
            List<Long> found = new java.util.ArrayList<>();
            noSheet.get("features").forEach(f -> {
                if (f.at("/properties/match").asText().equals("number")) {
                    found.add(f.get("id").asLong());
                }
            });
            assertThat(found).as("thửa " + row.get("parcel_no") + " " + name).contains(((Number) row.get("parcel_id")).longValue());
            assertThat(noSheet.at("/features/0/properties/communeCode").asText()).isEqualTo(row.get("commune_code"));
            // the 2025 commune's name: a parcel of that commune first
            if (newNameIsOld) {
                continue;
            }
            JsonNode hits = body(http.get("/api/parcels/search?q=" + Http.q(number + row.get("new_name"))));
            assertThat(hits.at("/features/0/properties/newCommuneCode").asText()).as(number + row.get("new_name")).isEqualTo(row.get("new_commune_code"));
        }
    }

    @Test
    void aNumberWithAStreetInsteadOfACommuneFindsTheParcelOnThatStreet() {
        // a (sheet, number) several communes have, one of them on a street the others are not
        Map<String, Object> row = jdbc.queryForMap("""
                SELECT p.parcel_id, p.sheet_no, p.parcel_no, substring(p.address from 'Đường [^,]*') AS street FROM cadastre.parcel p
                 WHERE p.valid_to IS NULL AND p.address LIKE '%Đường %'
                   AND EXISTS (SELECT 1 FROM cadastre.parcel o WHERE o.valid_to IS NULL AND o.sheet_no = p.sheet_no AND o.parcel_no = p.parcel_no AND o.id <> p.id)
                   AND NOT EXISTS (SELECT 1 FROM cadastre.parcel o WHERE o.valid_to IS NULL AND o.sheet_no = p.sheet_no AND o.parcel_no = p.parcel_no
                                   AND o.id <> p.id AND o.address LIKE '%' || substring(p.address from 'Đường [^,]*') || '%')
                 ORDER BY p.id LIMIT 1""");
        // the street without its commune ("Đường Huỳnh Văn Nhứt", not "..., Phường 5")
        String q = "thửa " + row.get("parcel_no") + " tờ " + row.get("sheet_no") + " " + row.get("street");
        JsonNode hits = body(http.get("/api/parcels/search?q=" + Http.q(q)));
        assertThat(hits.at("/features/0/id").asLong()).as(q + " -> " + hits).isEqualTo(((Number) row.get("parcel_id")).longValue());
    }

    @Test
    void pointLookupAgreesWithStContainsOnAThousandPoints() {
        double[] extent = jdbc.queryForObject("SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] FROM "
                + "(SELECT ST_Extent(geom)::geometry e FROM cadastre.parcel WHERE valid_to IS NULL) x",
                (rs, i) -> {
                    Double[] a = (Double[]) rs.getArray(1).getArray();
                    return new double[] {a[0], a[1], a[2], a[3]};
                });
        SplittableRandom rng = new SplittableRandom(42);
        int inside = 0;
        int checked = 0;
        while (checked < 700) {
            double x = extent[0] + rng.nextDouble() * (extent[2] - extent[0]);
            double y = extent[1] + rng.nextDouble() * (extent[3] - extent[1]);
            List<Long> truth = containing(x, y);
            if (truth.isEmpty()) {
                continue;   // outside the district: checked below with a tolerance
            }
            checked++;
            var r = http.get("/api/parcels/at?x=" + x + "&y=" + y + "&crs=EPSG:9210&tolerance=0");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(truth).contains(body(r).get("id").asLong());
            assertThat(body(r).at("/properties/distance").asDouble()).isZero();
            inside++;
        }
        // points on shared boundaries (midpoints of edges two parcels share): either neighbour is right
        List<double[]> boundary = jdbc.query("""
                SELECT ST_X(m), ST_Y(m), a_id, b_id FROM (
                    SELECT a.parcel_id a_id, b.parcel_id b_id, ST_LineInterpolatePoint(ST_GeometryN(ST_LineMerge(
                               ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 2)), 1), 0.5) m
                    FROM cadastre.parcel a JOIN cadastre.parcel b ON a.id < b.id AND a.geom && b.geom
                        AND ST_Relate(a.geom, b.geom, 'F***1****')
                    WHERE a.valid_to IS NULL AND b.valid_to IS NULL ORDER BY a.id, b.id LIMIT 150) s""",
                (rs, i) -> new double[] {rs.getDouble(1), rs.getDouble(2), rs.getLong(3), rs.getLong(4)});
        assertThat(boundary).hasSizeGreaterThan(100);
        for (double[] p : boundary) {
            // the midpoint is on the shared edge to within floating-point noise: a centimetre of tolerance
            JsonNode f = body(http.get("/api/parcels/at?x=" + p[0] + "&y=" + p[1] + "&crs=EPSG:9210&tolerance=0.01"));
            assertThat(f.get("id").asLong()).isIn((long) p[2], (long) p[3]);
        }
        // points in roads and canals: the road parcel
        List<double[]> roads = jdbc.query("""
                SELECT ST_X(g), ST_Y(g), parcel_id FROM (SELECT ST_PointOnSurface(geom) g, parcel_id FROM cadastre.parcel
                WHERE valid_to IS NULL AND land_use_code IN ('DGT', 'DTL', 'SON') ORDER BY id LIMIT 150) s""",
                (rs, i) -> new double[] {rs.getDouble(1), rs.getDouble(2), rs.getLong(3)});
        for (double[] p : roads) {
            assertThat(body(http.get("/api/parcels/at?x=" + p[0] + "&y=" + p[1] + "&crs=EPSG:9210")).get("id").asLong()).isEqualTo((long) p[2]);
        }
        assertThat(inside + boundary.size() + roads.size()).isGreaterThanOrEqualTo(1000);

        // a GPS fix 3 m outside the district's edge: the nearest parcel, with its distance, within the tolerance
        double[] outside = jdbc.queryForObject("""
                WITH d AS (SELECT ST_Union(geom) g FROM cadastre.parcel WHERE valid_to IS NULL),
                     e AS (SELECT ST_PointN(ST_ExteriorRing(ST_GeometryN(ST_Buffer(g, 3), 1)), 1) p FROM d)
                SELECT ARRAY[ST_X(p), ST_Y(p), ST_Distance(p, (SELECT g FROM d))] FROM e""",
                (rs, i) -> {
                    Double[] a = (Double[]) rs.getArray(1).getArray();
                    return new double[] {a[0], a[1], a[2]};
                });
        assertThat(http.get("/api/parcels/at?x=" + outside[0] + "&y=" + outside[1] + "&crs=EPSG:9210&tolerance=1").statusCode()).isEqualTo(404);
        JsonNode near = body(http.get("/api/parcels/at?x=" + outside[0] + "&y=" + outside[1] + "&crs=EPSG:9210&tolerance=10"));
        assertThat(near.at("/properties/distance").asDouble()).isCloseTo(outside[2], org.assertj.core.data.Offset.offset(0.02));
    }

    /** Ground truth: the current parcels that contain the point (two when it is on their shared boundary). */
    List<Long> containing(double x, double y) {
        return jdbc.queryForList("SELECT parcel_id FROM cadastre.parcel WHERE valid_to IS NULL "
                + "AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint(?, ?), 9210))", Long.class, x, y);
    }

    @Test
    void wgs84AndWebMercatorPointsFindTheSameParcel() {
        Map<String, Object> p = jdbc.queryForMap("""
                SELECT parcel_id, ST_X(w) lon, ST_Y(w) lat, ST_X(m) mx, ST_Y(m) my, ST_X(u) ux, ST_Y(u) uy FROM (
                    SELECT parcel_id, ST_Transform(ST_PointOnSurface(geom), 4326) w, ST_Transform(ST_PointOnSurface(geom), 3857) m,
                           ST_Transform(ST_PointOnSurface(geom), 3405) u
                    FROM cadastre.parcel WHERE valid_to IS NULL AND geom_area > 2000 ORDER BY id LIMIT 1) s""");
        long id = ((Number) p.get("parcel_id")).longValue();
        assertThat(body(http.get("/api/parcels/at?lon=" + p.get("lon") + "&lat=" + p.get("lat"))).get("id").asLong()).isEqualTo(id);
        assertThat(body(http.get("/api/parcels/at?x=" + p.get("mx") + "&y=" + p.get("my") + "&crs=EPSG:3857")).get("id").asLong()).isEqualTo(id);
        assertThat(body(http.get("/api/parcels/at?x=" + p.get("ux") + "&y=" + p.get("uy") + "&crs=urn:ogc:def:crs:EPSG::3405")).get("id").asLong()).isEqualTo(id);
    }

    @Test
    void asOfReturnsTheParcelBeforeAndAfterASplit() {
        Map<String, Object> parent = jdbc.queryForMap("""
                SELECT id, parcel_id, commune_code, sheet_no, parcel_no, ST_X(ST_Centroid(geom)) cx, ST_Y(ST_Centroid(geom)) cy
                FROM cadastre.parcel WHERE valid_to IS NULL AND land_use_code = 'LUC' AND geom_area > 3000 ORDER BY id LIMIT 1""");
        long parentVersion = ((Number) parent.get("id")).longValue();
        long parentId = ((Number) parent.get("parcel_id")).longValue();
        // a split on 2024-05-10: a north-south line through the centroid
        Long change = jdbc.queryForObject("""
                INSERT INTO cadastre.change (kind, happened_at, actor, reason) VALUES ('split', '2024-05-10T09:00:00+07', 'officer.test', 'HS-2024-001')
                RETURNING id""", Long.class);
        tx.executeWithoutResult(status -> {   // the actor is a transaction setting: the audit trigger reads it
            jdbc.queryForObject("SELECT set_config('landgis.actor', 'officer.test', true)", String.class);
            jdbc.update("UPDATE cadastre.parcel SET valid_to = '2024-05-10T09:00:00+07', closed_by = ? WHERE id = ?", change, parentVersion);
        });
        List<Long> children = jdbc.queryForList("""
                WITH p AS (SELECT * FROM cadastre.parcel WHERE id = ?),
                     parts AS (SELECT (ST_Dump(ST_Split(p.geom, ST_SetSRID(ST_MakeLine(ST_MakePoint(?, ST_YMin(p.geom) - 10), ST_MakePoint(?, ST_YMax(p.geom) + 10)), 9210)))).geom g,
                               p.commune_code, p.sheet_no, p.land_use_code FROM p)
                INSERT INTO cadastre.parcel (commune_code, sheet_no, parcel_no, land_use_code, legal_area, geom_area, geom, valid_from, opened_by)
                SELECT commune_code, sheet_no, 9000 + row_number() OVER (), land_use_code, round(ST_Area(g)::numeric, 1), ST_Area(g),
                       ST_Multi(ST_SetSRID(g, 9210)), '2024-05-10T09:00:00+07', ? FROM parts RETURNING id""",
                Long.class, parentVersion, parent.get("cx"), parent.get("cx"), change);
        assertThat(children).hasSize(2);
        for (Long child : children) {
            jdbc.update("INSERT INTO cadastre.parcel_lineage VALUES (?, ?, ?)", parentVersion, child, change);
        }
        double x = ((Number) parent.get("cx")).doubleValue() + 1;
        double y = ((Number) parent.get("cy")).doubleValue();
        String at = "/api/parcels/at?x=" + x + "&y=" + y + "&crs=EPSG:9210";
        assertThat(body(http.get(at + "&asOf=2024-05-09")).get("id").asLong()).isEqualTo(parentId);
        long now = body(http.get(at)).at("/properties/versionId").asLong();
        assertThat(children).contains(now);
        assertThat(body(http.get(at + "&asOf=2024-05-11")).at("/properties/versionId").asLong()).isEqualTo(now);
        String key = "/api/parcels/" + parent.get("commune_code") + "/" + parent.get("sheet_no") + "/" + parent.get("parcel_no");
        assertThat(http.get(key).statusCode()).isEqualTo(404);
        assertThat(body(http.get(key + "?asOf=2020-12-31")).get("id").asLong()).isEqualTo(parentId);

        // the officer's history: the parent, its two children, the split that made them
        JsonNode history = body(http.get("/api/parcels/" + parentId + "/history", Http.basic(OFFICER, PASSWORD)));
        assertThat(history.get("versions")).hasSize(3);
        assertThat(history.get("lineage")).hasSize(2);
        assertThat(history.at("/versions/0/closedBy/kind").asText()).isEqualTo("split");
        assertThat(history.at("/versions/0/closedBy/actor").asText()).isEqualTo("officer.test");
        assertThat(history.at("/versions/0/openedBy/kind").asText()).isEqualTo("demo");
        assertThat(http.get("/api/parcels/" + parentId + "/history").statusCode()).isEqualTo(401);

        // and the audit trail saw the closing, with before and after
        Map<String, Object> audit = jdbc.queryForMap("SELECT actor, before->>'valid_to' b, after->>'valid_to' a FROM audit.event WHERE target = ? AND action = 'update'",
                "cadastre.parcel:" + parentVersion);
        assertThat(audit.get("actor")).isEqualTo("officer.test");
        assertThat(audit.get("b")).isNull();
        assertThat(audit.get("a")).isNotNull();
    }

    @Test
    void ownerSearchIgnoresDiacriticsAndIsForOfficersOnly() {
        long version = jdbc.queryForObject("SELECT id FROM cadastre.parcel WHERE valid_to IS NULL AND land_use_code = 'ONT' ORDER BY id LIMIT 1", Long.class);
        long party = jdbc.queryForObject("INSERT INTO cadastre.party (kind, full_name, id_number) VALUES ('person', 'Nguyễn Văn Ánh', '080095001234') RETURNING id", Long.class);
        jdbc.update("INSERT INTO cadastre.land_right (parcel_version, party_id, right_type, certificate_no) VALUES (?, ?, 'land_use', 'CX 123456')", version, party);
        for (String q : List.of("nguyen van anh", "Nguyen Van Anh", "Nguyễn Văn Ánh", "nguyen van anhh")) {
            JsonNode hits = body(http.get("/api/parcels/search?q=" + Http.q(q) + "&limit=50", Http.basic(OFFICER, PASSWORD)));
            boolean found = false;
            for (JsonNode f : hits.get("features")) {
                if ("party".equals(f.at("/properties/match").asText()) && f.at("/properties/versionId").asLong() == version) {
                    found = true;
                    assertThat(f.at("/properties/rights").toString()).contains("Nguyễn Văn Ánh");
                }
            }
            assertThat(found).as(q).isTrue();
        }
        String anonymous = http.get("/api/parcels/search?q=" + Http.q("Nguyễn Văn Ánh") + "&limit=50").body();
        assertThat(anonymous).doesNotContain("Nguyễn Văn Ánh", "\"party\"", "080095001234");
    }

    /**
     * Wards as people write them, and what a search says when the ward has no such parcel: "Phường 01", "Phường I" are
     * Phường 1; "Phường 1" is not Phường 7; the communes it answers are the province's, each with what it lies in, those
     * with a map first; a sheet or parcel the ward does not have is said so (it answered other wards' parcels).
     */
    @Test
    void wardsAsWrittenAndWhatAWardDoesNotHave() {
        Map<String, Object> row = jdbc.queryForMap("""
                SELECT p.id, p.commune_code, p.sheet_no, p.parcel_no, c.name,
                       (SELECT max(sheet_no) FROM cadastre.parcel x WHERE x.commune_code = p.commune_code AND x.valid_to IS NULL) AS last_sheet,
                       (SELECT max(parcel_no) FROM cadastre.parcel x WHERE x.commune_code = p.commune_code AND x.sheet_no = p.sheet_no AND x.valid_to IS NULL) AS last_parcel
                  FROM cadastre.parcel p JOIN cadastre.admin_unit_legacy c ON c.code = p.commune_code
                 WHERE p.valid_to IS NULL AND c.name ~ '^Phường [0-9]$'
                   AND EXISTS (SELECT 1 FROM cadastre.parcel o JOIN cadastre.admin_unit_legacy oc ON oc.code = o.commune_code
                               WHERE o.valid_to IS NULL AND o.sheet_no = p.sheet_no AND o.parcel_no = p.parcel_no AND oc.name ~ '^Phường [0-9]$' AND o.id <> p.id)
                 ORDER BY p.id LIMIT 1""");
        String ward = ((String) row.get("name")).substring(7);
        String number = "thửa " + row.get("parcel_no") + " tờ " + row.get("sheet_no") + " ";
        String[] roman = {"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"};
        for (String q : List.of(number + "Phường 0" + ward, number + "phuong " + roman[Integer.parseInt(ward)], number + "P.0" + ward)) {
            JsonNode hits = body(http.get("/api/parcels/search?q=" + Http.q(q)));
            assertThat(hits.at("/features/0/id").asLong()).as(q + " -> " + hits).isEqualTo(((Number) row.get("id")).longValue());
            hits.get("features").forEach(f -> {
                if (f.at("/properties/match").asText().equals("number")) {
                    assertThat(f.at("/properties/communeCode").asText()).as(q + ": only that ward's parcels").isEqualTo(row.get("commune_code"));
                }
            });
        }
        // a sheet the ward does not have, a parcel its sheet does not have: no other ward's parcels, a hint instead
        int noSheet = ((Number) row.get("last_sheet")).intValue() + 1;
        JsonNode sheetless = body(http.get("/api/parcels/search?q=" + Http.q("thửa 1 tờ " + noSheet + " Phường " + ward)));
        assertThat(sheetless.get("features")).as(sheetless.toString()).isEmpty();
        assertThat(sheetless.get("hint").asText()).contains("Phường " + ward).contains("không có tờ bản đồ số " + noSheet)
                .contains("has no map sheet " + noSheet);
        int noParcel = ((Number) row.get("last_parcel")).intValue() + 1;
        JsonNode parcelless = body(http.get("/api/parcels/search?q=" + Http.q("thửa " + noParcel + " tờ " + row.get("sheet_no") + " Phường " + ward)));
        assertThat(parcelless.get("features")).as(parcelless.toString()).isEmpty();
        assertThat(parcelless.get("hint").asText()).contains("không có thửa " + noParcel).contains("has no current parcel " + noParcel);
        // the communes named "Phường <n>": the province's only, each with its district, those with a map first
        JsonNode wards = body(http.get("/api/parcels/search?q=" + Http.q("Phường " + ward) + "&limit=10"));
        List<JsonNode> units = new java.util.ArrayList<>();
        wards.get("features").forEach(f -> {
            if (f.at("/properties/match").asText().equals("commune")) {
                units.add(f);
            }
        });
        assertThat(units).isNotEmpty();
        assertThat(units.getFirst().at("/properties/communeCode").asText()).isEqualTo(row.get("commune_code"));
        assertThat(units.getFirst().at("/properties/mapped").asBoolean()).isTrue();
        assertThat(units.getFirst().at("/properties/within").asText()).startsWith(jdbc.queryForObject(
                "SELECT d.name FROM cadastre.admin_unit_legacy c JOIN cadastre.admin_unit_legacy d ON d.code = c.parent_code WHERE c.code = ?",
                String.class, row.get("commune_code")));
        for (JsonNode u : units) {
            assertThat(u.at("/properties/name").asText()).isEqualTo("Phường " + ward);
            String code = u.at("/properties/communeCode").asText();
            assertThat(jdbc.queryForObject("""
                    SELECT EXISTS (SELECT 1 FROM cadastre.commune_succession s JOIN cadastre.admin_unit n ON n.code = s.new_code
                                   WHERE s.legacy_code = ? AND n.parent_code = '80') OR EXISTS (SELECT 1 FROM cadastre.admin_unit WHERE code = ? AND parent_code = '80')""",
                    Boolean.class, code, code)).as(code + " lies in the province").isTrue();
        }
    }

    @Test
    void addressAndCommuneSearchToleratesMissingDiacriticsAndTypos() {
        String address = jdbc.queryForObject("SELECT address FROM cadastre.parcel WHERE valid_to IS NULL AND address LIKE '%Đường%' ORDER BY id LIMIT 1", String.class);
        String plain = java.text.Normalizer.normalize(address, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "").replace('đ', 'd').replace('Đ', 'D');
        JsonNode hits = body(http.get("/api/parcels/search?q=" + Http.q(plain) + "&limit=5"));
        assertThat(hits.at("/features/0/properties/address").asText()).isEqualTo(address);
        JsonNode communes = body(http.get("/api/parcels/search?q=" + Http.q("huong tho phu") + "&limit=5"));
        assertThat(communes.at("/features/0/properties/name").asText()).isEqualTo("Xã Hướng Thọ Phú");
        JsonNode typo = body(http.get("/api/parcels/search?q=" + Http.q("Huong Tho Pu") + "&limit=5"));
        assertThat(typo.at("/features/0/properties/name").asText()).isEqualTo("Xã Hướng Thọ Phú");
    }

    @Test
    void placeKindWordsAreLeftOutOfTheAddressQueryUnlessNothingNamedRemains() {
        assertThat(ParcelLookup.addressQuery("1126 duong truong dinh, phuong 5")).isEqualTo("1126 truong dinh 5");
        assertThat(ParcelLookup.addressQuery("ap cau xeo xa thanh tan")).isEqualTo("cau xeo thanh tan");
        assertThat(ParcelLookup.addressQuery("ap 3")).isEqualTo("ap 3");   // a numbered hamlet: the whole query
        assertThat(ParcelLookup.addressQuery("phuong 5")).isEqualTo("phuong 5");
        assertThat(ParcelLookup.addressQuery("duong")).isNull();
        assertThat(ParcelLookup.addressQuery("xa, phuong")).isNull();
        assertThat(ParcelLookup.addressQuery("duongxa")).isEqualTo("duongxa");   // whole words only
        // over HTTP: a street's name without its "Đường" finds the same parcels first; "đường" alone finds no address
        String address = jdbc.queryForObject("""
                SELECT address FROM cadastre.parcel WHERE valid_to IS NULL AND address LIKE 'Đường %' ORDER BY id LIMIT 1""", String.class);
        String street = address.substring("Đường ".length(), address.indexOf(','));
        JsonNode named = body(http.get("/api/parcels/search?q=" + Http.q("đường " + street) + "&limit=5"));
        assertThat(named.at("/features/0/properties/address").asText()).contains(street);
        // the whole address still comes first: the words left out find, the whole query ranks
        JsonNode whole = body(http.get("/api/parcels/search?q=" + Http.q(address) + "&limit=5"));
        assertThat(whole.at("/features/0/properties/address").asText()).isEqualTo(address);
        JsonNode bare = body(http.get("/api/parcels/search?q=" + Http.q("Đường") + "&limit=5"));
        for (JsonNode f : bare.get("features")) {
            assertThat(f.at("/properties/match").asText()).isNotEqualTo("address");
        }
    }
}
