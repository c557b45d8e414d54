package vn.landgis.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import vn.landgis.geo.ProvinceProperties;
import vn.landgis.support.Http;

/**
 * The province's outline (boundaries --province): before it is loaded, "outside the province" is its extent, a
 * rectangle that holds Hồ Chí Minh City's centre and part of Cambodia; once loaded, citizens' reports, point look-ups
 * and drawn areas there are refused. A file that leaves out the province's own communes is refused whole.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProvinceOutlineTest {

    @LocalServerPort
    int port;
    @Autowired
    BoundaryImport boundaries;
    @Autowired
    PlanImporter plans;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ProvinceProperties province;

    /** Bến Thành market, Hồ Chí Minh City: inside the province's extent, outside the province. */
    static final double[] SAIGON = {106.7009, 10.7769};

    @Autowired
    vn.landgis.platform.UserAccounts accounts;

    @BeforeEach
    void officer() {
        accounts.save("officer.outline", "outline-officer-password".toCharArray(), java.util.Set.of("LAND_OFFICER"));
    }

    @BeforeEach
    @AfterEach
    void forget() {
        jdbc.update("UPDATE cadastre.admin_unit SET geom = NULL WHERE level = 'province'");
        // as a load does: who keeps whether an outline is loaded asks again (the Spring context outlives this class)
        events.publishEvent(new vn.landgis.cadastre.AdminBoundariesChanged(null, province.storageSrid()));
    }

    @Autowired
    org.springframework.context.ApplicationEventPublisher events;

    /**
     * A GeoJSON file of {@code geometrySql} (a storage-CRS geometry expression over the province's communes c whose
     * boundaries are loaded: the old ones, as boundaries load by district).
     */
    Path geojson(Path dir, String geometrySql) throws Exception {
        String json = jdbc.queryForObject("""
                SELECT json_build_object('type', 'FeatureCollection', 'features', json_build_array(json_build_object('type', 'Feature',
                       'properties', json_build_object('ten', 'Tỉnh Tây Ninh'), 'geometry', ST_AsGeoJSON(ST_Transform(%s, 4326), 7)::json)))::text
                  FROM cadastre.admin_unit_legacy c WHERE c.level = 'commune' AND c.geom IS NOT NULL
                   AND EXISTS (SELECT 1 FROM cadastre.commune_succession s JOIN cadastre.admin_unit n ON n.code = s.new_code
                                WHERE s.legacy_code = c.code AND n.parent_code = ?)""".formatted(geometrySql),
                String.class, province.code());
        Path file = dir.resolve("province.geojson");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void outsideTheOutlineIsOutsideTheProvinceForReportsLookupsAndDrawnAreas(@TempDir Path dir) throws Exception {
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.admin_unit_legacy WHERE level = 'commune' AND geom IS NOT NULL",
                Integer.class)).as("the demo district's communes have boundaries").isPositive();
        Http http = new Http(port);
        String square = "{\"type\":\"Polygon\",\"coordinates\":[[[" + SAIGON[0] + "," + SAIGON[1] + "],[" + (SAIGON[0] + 0.002) + "," + SAIGON[1] + "],["
                + (SAIGON[0] + 0.002) + "," + (SAIGON[1] + 0.002) + "],[" + SAIGON[0] + "," + (SAIGON[1] + 0.002) + "],[" + SAIGON[0] + "," + SAIGON[1] + "]]]}";
        String at = "/api/parcels/at?lon=" + SAIGON[0] + "&lat=" + SAIGON[1];
        // without an outline, the extent decides: Sài Gòn is "inside", there is simply no parcel
        assertThat(http.get(at).statusCode()).isEqualTo(404);
        assertThat(http.post("/api/planning/overlay", "application/json", square).statusCode()).isEqualTo(200);

        // a file that leaves out the province's own communes (a square in Sài Gòn): refused, nothing loaded
        assertThatThrownBy(() -> boundaries.runProvince(geojson(dir, "ST_Buffer(ST_Transform(ST_SetSRID(ST_MakePoint(" + SAIGON[0] + ", "
                + SAIGON[1] + "), 4326), ST_SRID(min(c.geom))), 2000)"), null, "test")).hasMessageContaining("leaves out communes");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.admin_unit WHERE level = 'province' AND geom IS NOT NULL", Integer.class)).isZero();

        // an outline that holds only part of the communes' land (the communes moved east by more than half their
        // width and the check's 1 km margin): refused too (three circles around their centres passed a centre check)
        assertThatThrownBy(() -> boundaries.runProvince(geojson(dir, "ST_Translate(ST_Union(c.geom), 0.6 * (ST_XMax(ST_Union(c.geom)) - ST_XMin(ST_Union(c.geom))) + 1000, 0)"),
                null, "test")).hasMessageContaining("leaves out communes");
        // the outline: the communes with a margin (the real one comes from the national boundaries)
        BoundaryImport.ProvinceOutcome loaded = boundaries.runProvince(geojson(dir, "ST_Buffer(ST_Union(c.geom), 3000)"), null, "test");
        assertThat(loaded.polygons()).isEqualTo(1);
        assertThat(loaded.sourceSrid()).isEqualTo(4326);
        assertThat(loaded.areaKm2()).isPositive();

        var lookup = http.get(at);
        assertThat(lookup.statusCode()).isEqualTo(422);
        assertThat(lookup.body()).contains("outside-province");
        var overlay = http.post("/api/planning/overlay", "application/json", square);
        assertThat(overlay.statusCode()).isEqualTo(422);
        assertThat(overlay.body()).contains("outside-province");
        var report = http.post("/open311/v2/requests.json", "application/x-www-form-urlencoded", Http.form("service_code", "road_damage",
                "lat", String.valueOf(SAIGON[1]), "long", String.valueOf(SAIGON[0]), "description", "Ổ gà"));
        assertThat(report.statusCode()).isEqualTo(400);
        assertThat(report.body()).contains("outside the province");
        // a plan's zone there (inside the configured rectangle, outside the outline): an error, the plan rejected (it was a
        // warning at most)
        double lon = SAIGON[0];
        double lat = SAIGON[1];
        String zones = ("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"KyHieu\":\"S-1\","
                + "\"ChucNang\":\"ODT\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%1$f,%2$f],[%3$f,%2$f],[%3$f,%4$f],[%1$f,%4$f],"
                + "[%1$f,%2$f]]]}}]}").formatted(lon, lat, lon + 0.001, lat + 0.001);
        Files.createDirectories(dir.resolve("plan"));
        Files.writeString(dir.resolve("plan/planning_zones.geojson"), zones);
        Files.writeString(dir.resolve("plan.json"), "{\"kind\":\"plan\",\"plan\":{\"kind\":\"zoning\",\"name\":\"Ngoài tỉnh\",\"status\":\"draft\"}}");
        PlanImporter.Result plan = plans.run(dir.resolve("plan"), PlanManifest.read(dir.resolve("plan.json")), true, "test");
        assertThat(plan.status()).isEqualTo("rejected");
        assertThat(plan.findings()).extracting(PlanImporter.Finding::rule).contains("outside-province");
        // inside, everything as before
        Map<String, Object> inside = jdbc.queryForMap("""
                SELECT ST_X(ST_Transform(ST_PointOnSurface(geom), 4326)) AS lon, ST_Y(ST_Transform(ST_PointOnSurface(geom), 4326)) AS lat
                  FROM cadastre.parcel WHERE valid_to IS NULL ORDER BY id LIMIT 1""");
        assertThat(http.get("/api/parcels/at?lon=" + inside.get("lon") + "&lat=" + inside.get("lat")).statusCode()).isEqualTo(200);
        // officers only; a body without its file part is a 400 (it was a 500 on every upload endpoint)
        String part = "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.gpkg\"\r\nContent-Type: application/octet-stream\r\n\r\nabc\r\n--x--\r\n";
        assertThat(http.post("/api/imports/province", "multipart/form-data; boundary=x", part).statusCode()).isEqualTo(401);
        var noFile = http.post("/api/imports/province", "multipart/form-data; boundary=x", "--x--\r\n", Http.basic("officer.outline", "outline-officer-password"));
        assertThat(noFile.statusCode()).isEqualTo(400);
        assertThat(noFile.body()).contains("missing-part");
    }
}
