package vn.landgis.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import vn.landgis.generator.CadastreGenerator;
import vn.landgis.generator.GeneratorCommand;
import vn.landgis.geo.VietnameseEncoding;
import vn.landgis.platform.UserAccounts;
import vn.landgis.support.Http;

/**
 * A plan's life: imported through the import pipeline with a manifest of kind "plan" (zones from a GeoPackage,
 * red lines from GeoJSON) as a draft, published by a planner, its zones edited, superseded; the overlays, the
 * tiles and the audit follow. Bad deliveries are refused and write nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PlanLifecycleTest {

    static final String[] PLANNER = Http.basic("planner.test", "a-long-planner-password");
    static final String[] OFFICER = Http.basic("officer.plan", "a-long-officer-password");

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    UserAccounts accounts;

    Http http;
    final ObjectMapper json = new ObjectMapper();
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts.save("planner.test", "a-long-planner-password".toCharArray(), Set.of("PLANNER"));
        accounts.save("officer.plan", "a-long-officer-password".toCharArray(), Set.of("LAND_OFFICER"));
        accounts.save("investor.plan", "a-long-investor-password".toCharArray(), Set.of("INVESTOR"));
    }

    HttpResponse<String> upload(String filename, byte[] content, String manifest, boolean dryRun, String[] auth) throws Exception {
        String boundary = "----landgis" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"manifest\"; filename=\"plan.json\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + manifest + "\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"dryRun\"\r\n\r\n" + dryRun + "\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http.base() + "/api/imports/plans"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (auth != null) {
            b.header(auth[0], auth[1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String body, String[] auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http.base() + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header(auth[0], auth[1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static byte[] zip(Map<String, byte[]> entries) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    long plans() {
        return jdbc.queryForObject("SELECT count(*) FROM planning.plan", Long.class);
    }

    @Test
    void aPlanIsImportedAsADraftPublishedEditedAndSuperseded(@TempDir Path dir) throws Exception {
        // the district's zones as a planning institute would deliver them, and one new road with a 40 m reserve
        var district = CadastreGenerator.generate(new CadastreGenerator.Options(7, 3000, "794", Map.of()));
        GeneratorCommand.write(district, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        String line = jdbc.queryForObject("SELECT ST_AsGeoJSON(ST_GeometryN(geom, 1), 3) FROM planning.line ORDER BY id LIMIT 1", String.class);
        String lines = "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::9210\"}},"
                + "\"features\":[{\"type\":\"Feature\",\"properties\":{\"Loai\":\"chi_gioi_duong_do\",\"LoGioi\":40,\"GhiChu\":\"Đường trục mới\"},\"geometry\":"
                + line + "}]}";
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("qh/district.gpkg", Files.readAllBytes(dir.resolve("district.gpkg")));
        files.put("qh/chi_gioi.geojson", lines.getBytes(StandardCharsets.UTF_8));
        byte[] delivery = zip(files);
        String manifest = """
                {"kind": "plan",
                 "plan": {"kind": "detailed", "name": "Quy hoạch chi tiết tỷ lệ 1/500 khu trung tâm (thử)", "scale": 500,
                          "decision": {"number": "99/QĐ-UBND", "date": "2025-01-15", "body": "UBND thành phố Tân An"},
                          "status": "draft", "district": "794"},
                 "lines": "qh/chi_gioi.geojson"}""";

        long before = plans();
        assertThat(upload("qh.zip", delivery, manifest, false, null).statusCode()).isEqualTo(401);
        var dry = upload("qh.zip", delivery, manifest, true, PLANNER);
        assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
        assertThat(json.readTree(dry.body()).get("status").asString()).isEqualTo("validated");
        assertThat(plans()).as("a dry run writes nothing").isEqualTo(before);
        // the same line in WGS 84 without a crs member (RFC 7946, a web tool's file) beside zones in TM-3: read in degrees
        // (it took the zones' system: "outside the province")
        String degrees = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"Loai\":\"chi_gioi_duong_do\","
                + "\"LoGioi\":40},\"geometry\":" + jdbc.queryForObject("SELECT ST_AsGeoJSON(ST_Transform(ST_GeometryN(geom, 1), 4326), 8) FROM planning.line "
                + "ORDER BY id LIMIT 1", String.class) + "}]}";
        Map<String, byte[]> wgs84 = new LinkedHashMap<>(files);
        wgs84.put("qh/chi_gioi.geojson", degrees.getBytes(StandardCharsets.UTF_8));
        var inDegrees = upload("qh.zip", zip(wgs84), manifest, true, PLANNER);
        assertThat(inDegrees.statusCode()).as(inDegrees.body()).isEqualTo(200);
        JsonNode degreesResult = json.readTree(inDegrees.body());
        assertThat(degreesResult.get("lines").asInt()).isEqualTo(1);
        List<String> degreesRules = new ArrayList<>();
        degreesResult.get("findings").forEach(f -> degreesRules.add(f.get("rule").asString()));
        assertThat(degreesRules).contains("lines-crs").doesNotContain("outside-province");

        var r = upload("qh.zip", delivery, manifest, false, PLANNER);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode result = json.readTree(r.body());
        long planId = result.get("planId").asLong();
        assertThat(result.get("zones").asInt()).isEqualTo(district.planningZones().size());
        assertThat(result.get("lines").asInt()).isEqualTo(1);
        for (JsonNode f : result.get("findings")) {
            assertThat(f.get("severity").asString()).isNotEqualTo("error");
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM planning.zone WHERE plan_id = ? AND NOT ST_IsValid(geom)", Long.class, planId)).isZero();

        // a draft says nothing in overlays
        long parcel = jdbc.queryForObject("""
                SELECT p.parcel_id FROM cadastre.parcel p JOIN planning.line l ON l.plan_id = ? AND ST_DWithin(l.geom, p.geom, 10)
                WHERE p.valid_to IS NULL ORDER BY p.id LIMIT 1""", Long.class, planId);
        assertThat(json.readTree(http.get("/api/parcels/" + parcel + "/planning").body()).get("plans").size()).isEqualTo(1);
        // ... unless a planner asks for it by name: it comes beside the plan in force, marked as a draft
        String withDraft = "/api/parcels/" + parcel + "/planning?draft=" + planId;
        assertThat(http.get(withDraft).statusCode()).isEqualTo(401);
        assertThat(http.get(withDraft, Http.basic("investor.plan", "a-long-investor-password")).statusCode()).isEqualTo(403);
        var tried = http.get(withDraft, PLANNER);
        assertThat(tried.statusCode()).as(tried.body()).isEqualTo(200);
        JsonNode triedPlans = json.readTree(tried.body()).get("plans");
        assertThat(triedPlans.size()).isEqualTo(2);
        JsonNode draftPlan = null;
        for (JsonNode p : triedPlans) {
            if (p.get("id").asLong() == planId) {
                draftPlan = p;
            } else {
                assertThat(p.get("draft").asBoolean()).isFalse();
            }
        }
        assertThat(draftPlan).isNotNull();
        assertThat(draftPlan.get("draft").asBoolean()).isTrue();
        assertThat(draftPlan.get("lines").size() + draftPlan.get("zones").size()).isPositive();
        assertThat(http.get("/api/parcels/" + parcel + "/planning?draft=999999999", PLANNER).statusCode()).isEqualTo(404);
        // and the list of plans shows drafts to planners only
        assertThat(http.get("/api/planning/plans").body()).doesNotContain("99/QĐ-UBND");
        assertThat(http.get("/api/planning/plans", PLANNER).body()).contains("99/QĐ-UBND");

        // a tile over the parcel, cached; publishing the plan must evict it
        String tile = tileOver(parcel);
        byte[] cached = http.bytes(tile).body();
        assertThat(http.bytes(tile).body()).isEqualTo(cached);

        assertThat(send("PATCH", "/api/planning/plans/" + planId, "{\"status\":\"in_force\"}", null).statusCode()).isEqualTo(401);
        var published = send("PATCH", "/api/planning/plans/" + planId, "{\"status\":\"in_force\"}", PLANNER);
        assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
        assertThat(http.get(withDraft, PLANNER).statusCode()).as("no longer a draft").isEqualTo(404);
        assertThat(http.bytes(tile).body()).as("the planning tile shows the new plan").isNotEqualTo(cached);

        JsonNode overlay = json.readTree(http.get("/api/parcels/" + parcel + "/planning").body());
        assertThat(overlay.get("plans").size()).isEqualTo(2);
        JsonNode detailed = overlay.at("/plans/1");
        assertThat(detailed.get("kind").asString()).isEqualTo("detailed");
        assertThat(detailed.at("/decision/number").asString()).isEqualTo("99/QĐ-UBND");
        assertThat(detailed.at("/lines/0/widthM").asDouble()).isEqualTo(40.0);
        assertThat(detailed.at("/lines/0/area").asDouble()).isGreaterThanOrEqualTo(overlay.at("/plans/0/lines/0/area").asDouble()).isPositive();

        // a planner edits the zone under the parcel; bad values are refused
        long zone = detailed.at("/zones/0/id").asLong();
        var edited = send("PATCH", "/api/planning/zones/" + zone, "{\"landUseCode\":\"tmd\",\"heightLimitM\":45,\"maxFloors\":12,\"note\":\"điều chỉnh\"}", PLANNER);
        assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
        JsonNode z = json.readTree(http.get("/api/parcels/" + parcel + "/planning").body()).at("/plans/1/zones");
        JsonNode ez = null;
        for (JsonNode n : z) {
            if (n.get("id").asLong() == zone) {
                ez = n;
            }
        }
        assertThat(ez.get("landUseCode").asString()).isEqualTo("TMD");
        assertThat(ez.get("heightLimitM").asDouble()).isEqualTo(45.0);
        assertThat(ez.get("maxFloors").asInt()).isEqualTo(12);
        assertThat(send("PATCH", "/api/planning/zones/" + zone, "{\"landUseCode\":\"XYZ\"}", PLANNER).statusCode()).isEqualTo(422);
        assertThat(send("PATCH", "/api/planning/zones/" + zone, "{\"buildingDensity\":150}", PLANNER).statusCode()).isEqualTo(400);
        assertThat(send("PATCH", "/api/planning/zones/" + zone, "{}", PLANNER).statusCode()).isEqualTo(400);
        assertThat(send("PATCH", "/api/planning/zones/999999999", "{\"note\":\"x\"}", PLANNER).statusCode()).isEqualTo(404);
        Map<String, Object> audit = jdbc.queryForMap("""
                SELECT actor, details->'before'->>'land_use_code' AS before, details->'after'->>'land_use_code' AS after
                  FROM audit.event WHERE action = 'zone-edit' AND target = ? ORDER BY id DESC LIMIT 1""", "planning.zone:" + zone);
        assertThat(audit.get("actor")).isEqualTo("planner.test");
        assertThat(audit.get("after")).isEqualTo("TMD");
        assertThat(audit.get("before")).isNotEqualTo("TMD");

        // a plan in force is not deleted nor put back to draft, it is superseded; then the overlay is back to one plan
        assertThat(send("DELETE", "/api/planning/plans/" + planId, null, PLANNER).statusCode()).isEqualTo(409);
        assertThat(send("PATCH", "/api/planning/plans/" + planId, "{\"status\":\"draft\"}", PLANNER).statusCode()).isEqualTo(409);
        String beforeSuperseded = java.time.OffsetDateTime.now().toString();
        Thread.sleep(5);
        assertThat(send("PATCH", "/api/planning/plans/" + planId, "{\"status\":\"superseded\"}", OFFICER).statusCode()).isEqualTo(200);
        assertThat(send("PATCH", "/api/planning/plans/" + planId, "{\"status\":\"in_force\"}", PLANNER).statusCode()).isEqualTo(409);
        assertThat(send("PATCH", "/api/planning/plans/999999999", "{\"status\":\"in_force\"}", PLANNER).statusCode()).isEqualTo(404);
        assertThat(json.readTree(http.get("/api/parcels/" + parcel + "/planning").body()).get("plans").size()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit.event WHERE target = ?", Long.class, "planning.plan:" + planId)).isEqualTo(3);
        // as of a time before it was superseded the plan was in force (decided 2025-01-15); as of a time before its
        // decision it was not (both answered today's plans whatever asOf said)
        assertThat(json.readTree(http.get("/api/parcels/" + parcel + "/planning?asOf=" + beforeSuperseded).body()).get("plans").size()).isEqualTo(2);
        // the planning zones layer as of that time holds the superseded plan's zones, as WFS, tiles and the sheet's map
        // draw it (the layer answered today's plans, the sheet drew none for another date)
        String zonesOf = "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=planning_zones&RESULTTYPE=hits&OUTPUTFORMAT=application/json"
                + "&FILTER=" + Http.q("<fes:Filter xmlns:fes=\"http://www.opengis.net/fes/2.0\"><fes:PropertyIsEqualTo><fes:ValueReference>plan_id</fes:ValueReference>"
                + "<fes:Literal>" + planId + "</fes:Literal></fes:PropertyIsEqualTo></fes:Filter>");
        long zonesOfPlan = jdbc.queryForObject("SELECT count(*) FROM planning.zone WHERE plan_id = ?", Long.class, planId);
        assertThat(json.readTree(http.get(zonesOf).body()).get("numberMatched").asLong()).isZero();
        assertThat(json.readTree(http.get(zonesOf + "&asOf=" + Http.q(beforeSuperseded)).body()).get("numberMatched").asLong()).isEqualTo(zonesOfPlan).isPositive();
        assertThat(http.bytes(tileOver(parcel) + "?asOf=" + Http.q(beforeSuperseded)).body()).isNotEqualTo(http.bytes(tileOver(parcel)).body());
        var sheetThen = http.bytes("/api/parcels/" + parcel + "/planning-sheet.pdf?asOf=" + Http.q(beforeSuperseded));
        assertThat(sheetThen.statusCode()).isEqualTo(200);
        // as of then and as of now (both as of a time: the map drew no zone for any asOf) the maps differ by that plan's zones
        String afterSuperseded = java.time.OffsetDateTime.now().toString();
        assertThat(java.util.Arrays.equals(sheetMap(sheetThen.body()),
                sheetMap(http.bytes("/api/parcels/" + parcel + "/planning-sheet.pdf?asOf=" + Http.q(afterSuperseded)).body())))
                .as("the sheet's map then draws the superseded plan's zones, now not").isFalse();
        assertThat(send("PATCH", "/api/planning/plans/" + planId, "{\"decision\":{\"date\":\"2099-01-01\"}}", PLANNER).statusCode()).isEqualTo(200);
        assertThat(json.readTree(http.get("/api/parcels/" + parcel + "/planning?asOf=" + beforeSuperseded).body()).get("plans").size()).isEqualTo(1);
    }

    /** The pixels of the map a planning sheet's PDF holds (its one raster image, taken out by poppler's pdfimages). */
    static int[] sheetMap(byte[] pdf) throws Exception {
        Path dir = Files.createTempDirectory("sheet");
        try {
            Files.write(dir.resolve("s.pdf"), pdf);
            vn.landgis.support.Commands.run(java.util.List.of("pdfimages", "-png", dir.resolve("s.pdf").toString(), dir.resolve("img").toString()), null);
            try (var images = Files.list(dir)) {
                Path png = images.filter(f -> f.getFileName().toString().startsWith("img")).sorted().findFirst().orElseThrow();
                java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
                return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    /** The z17 planning_zones vector tile over a parcel. */
    String tileOver(long parcelId) {
        double[] ll = jdbc.queryForObject("""
                SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Transform(ST_PointOnSurface(geom), 4326) AS c FROM cadastre.parcel
                 WHERE parcel_id = ? AND valid_to IS NULL) p""", (rs, i) -> new double[] {rs.getDouble(1), rs.getDouble(2)}, parcelId);
        int z = 15;
        int x = (int) Math.floor((ll[0] + 180) / 360 * (1 << z));
        double lat = Math.toRadians(ll[1]);
        int y = (int) Math.floor((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2 * (1 << z));
        return "/tiles/planning_zones/" + z + "/" + x + "/" + y + ".mvt";
    }

    @Test
    void unknownCodesRejectTheWholePlanAndLegacyCodesAreMapped() throws Exception {
        String square = "[[[106.40,10.53],[106.401,10.53],[106.401,10.531],[106.40,10.531],[106.40,10.53]]]";
        String other = "[[[106.402,10.53],[106.403,10.53],[106.403,10.531],[106.402,10.531],[106.402,10.53]]]";
        String zones = "{\"type\":\"FeatureCollection\",\"features\":["
                + "{\"type\":\"Feature\",\"properties\":{\"KyHieu\":\"A-1\",\"ChucNang\":\"BHK\",\"MatDo\":\"40,5\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" + square + "}},"
                + "{\"type\":\"Feature\",\"properties\":{\"KyHieu\":\"A-2\",\"ChucNang\":\"XYZ\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" + other + "}}]}";
        String manifest = "{\"kind\":\"plan\",\"plan\":{\"kind\":\"zoning\",\"name\":\"Thử mã cũ\",\"status\":\"draft\"}}";
        long before = plans();
        var r = upload("zones.geojson", zones.getBytes(StandardCharsets.UTF_8), manifest, false, PLANNER);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        JsonNode result = json.readTree(r.body());
        assertThat(result.get("status").asString()).isEqualTo("rejected");
        assertThat(result.get("findings").toString()).contains("unknown-land-use").contains("XYZ").contains("legacy-land-use");
        assertThat(plans()).as("a rejected plan writes nothing").isEqualTo(before);

        // without the unknown code it goes in, BHK as HNK, "40,5" read as 40.5
        String good = zones.substring(0, zones.indexOf(",{\"type\":\"Feature\",\"properties\":{\"KyHieu\":\"A-2\"")) + "]}";
        var ok = upload("zones.geojson", good.getBytes(StandardCharsets.UTF_8), manifest, false, PLANNER);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
        long planId = json.readTree(ok.body()).get("planId").asLong();
        Map<String, Object> zone = jdbc.queryForMap("SELECT land_use_code, building_density FROM planning.zone WHERE plan_id = ?", planId);
        assertThat(zone.get("land_use_code")).isEqualTo("HNK");
        assertThat(((Number) zone.get("building_density")).doubleValue()).isEqualTo(40.5);
        // a draft may be deleted
        assertThat(send("DELETE", "/api/planning/plans/" + planId, null, PLANNER).statusCode()).isEqualTo(204);
        assertThat(plans()).isEqualTo(before);

        // bad manifests and hostile archives
        assertThat(upload("zones.geojson", good.getBytes(StandardCharsets.UTF_8), "{\"kind\":\"plan\"}", false, PLANNER).statusCode()).isEqualTo(400);
        assertThat(upload("zones.geojson", good.getBytes(StandardCharsets.UTF_8), "not json", false, PLANNER).statusCode()).isEqualTo(400);
        String escaping = manifest.replace("}}", "},\"lines\":\"../../etc/passwd\"}");
        assertThat(upload("zones.geojson", good.getBytes(StandardCharsets.UTF_8), escaping, false, PLANNER).statusCode()).isEqualTo(400);
        // metres declared as degrees (a CRS mistake): refused with a finding, not a server error
        String metres = good.replace("106.40,10.53", "572100.0,1164900.0").replace("106.401,10.53", "572200.0,1164900.0")
                .replace("106.401,10.531", "572200.0,1165000.0").replace("106.40,10.531", "572100.0,1165000.0");
        var wrongCrs = upload("zones.geojson", metres.getBytes(StandardCharsets.UTF_8), manifest.replace("}}", "},\"srid\":4326}"), false, PLANNER);
        assertThat(wrongCrs.statusCode()).as(wrongCrs.body()).isEqualTo(422);
        assertThat(wrongCrs.body()).contains("outside-province");
        byte[] slip = zip(Map.of("../../evil.geojson", good.getBytes(StandardCharsets.UTF_8)));
        assertThat(upload("qh.zip", slip, manifest, false, PLANNER).statusCode()).isEqualTo(400);
        // the manifest as a form field's text, the zones file it names uploaded alone (it was "not in the delivery")
        Object[] form = Http.multipart("file", "khu.geojson", "application/geo+json", good.getBytes(StandardCharsets.UTF_8),
                "manifest", manifest.replace("}}", "},\"zones\":\"khu.geojson\"}"), "dryRun", "true");
        var asText = http.post("/api/imports/plans", (String) form[0], (byte[]) form[1], PLANNER);
        assertThat(asText.statusCode()).as(asText.body()).isEqualTo(200);
        assertThat(json.readTree(asText.body()).get("status").asString()).isEqualTo("validated");
        // without a manifest nor a sign-in: who may import is answered first (it was "no 'manifest' part")
        Object[] none = Http.multipart("file", "khu.geojson", "application/geo+json", good.getBytes(StandardCharsets.UTF_8));
        assertThat(http.post("/api/imports/plans", (String) none[0], (byte[]) none[1]).statusCode()).isEqualTo(401);
        assertThat(plans()).isEqualTo(before);
    }
}
