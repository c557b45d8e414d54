package vn.landgis.tiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Envelope;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;

import vn.landgis.cadastre.RegisterChanged;
import vn.landgis.generator.CadastreGenerator;
import vn.landgis.generator.GeneratorCommand;
import vn.landgis.generator.SyntheticDistrict;
import vn.landgis.geo.VietnameseEncoding;
import vn.landgis.imports.ImportService;
import vn.landgis.platform.UserAccounts;
import vn.landgis.support.Http;
import vn.landgis.support.OgcSchemas;

/** Vector and PNG tiles, their cache and its eviction, TileJSON and WMTS, over the demo district. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TileTest {

    static final String OFFICER = "officer.tiles";
    static final String PASSWORD = "a-long-test-password";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    UserAccounts accounts;
    @Autowired
    TileService tiles;
    @Autowired
    ApplicationEventPublisher events;
    @Autowired
    ImportService imports;

    Http http;

    /** A parcel with owners, the zoom-17 tile over its inscribed circle's centre, and the pixel of that centre. */
    record Target(long versionId, String landUse, String owner, int z, long x, long y, int px, int py) {
    }

    Target target(int offset) {
        return target(offset, "p.id");
    }

    /** The parcel farthest from another: a tile surely not under a change to that one. */
    Target farFrom(Target t) {
        return target(0, "ST_Distance(p.geom, (SELECT geom FROM cadastre.parcel WHERE id = " + t.versionId() + ")) DESC");
    }

    Target target(int offset, String order) {
        return jdbc.queryForObject("""
                WITH p AS (
                  SELECT p.id, p.land_use_code, ST_Transform(m.center, 3857) c,
                         (SELECT pa.full_name FROM cadastre.land_right r JOIN cadastre.party pa ON pa.id = r.party_id
                           WHERE r.parcel_version = p.id ORDER BY pa.full_name LIMIT 1) owner
                    FROM cadastre.parcel p, LATERAL ST_MaximumInscribedCircle(p.geom) m
                   WHERE p.valid_to IS NULL AND m.radius > 6
                     AND EXISTS (SELECT 1 FROM cadastre.land_right r WHERE r.parcel_version = p.id)
                   ORDER BY %s OFFSET ? LIMIT 1)
                SELECT id, land_use_code, owner, ST_X(c), ST_Y(c) FROM p""".formatted(order), (rs, i) -> {
            double x = rs.getDouble(4);
            double y = rs.getDouble(5);
            int z = 17;
            double span = TileGrid.span(z);
            long tx = (long) Math.floor((x + TileGrid.HALF) / span);
            long ty = (long) Math.floor((TileGrid.HALF - y) / span);
            int px = (int) ((x + TileGrid.HALF - tx * span) / span * 256);
            int py = (int) ((TileGrid.HALF - y - ty * span) / span * 256);
            return new Target(rs.getLong(1), rs.getString(2), rs.getString(3), z, tx, ty, px, py);
        }, offset);
    }

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts.save(OFFICER, PASSWORD.toCharArray(), Set.of("LAND_OFFICER"));
    }

    static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(new String(needle.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    }

    @Test
    void vectorTilesCarryOnlyTheAttributesTheCallerMaySee() {
        Target t = target(0);
        String path = "/tiles/parcels/" + t.z() + "/" + t.x() + "/" + t.y() + ".mvt";
        HttpResponse<byte[]> citizen = http.bytes(path);
        assertThat(citizen.statusCode()).isEqualTo(200);
        assertThat(citizen.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/vnd.mapbox-vector-tile");
        assertThat(citizen.headers().firstValue("Cache-Control").orElse("")).contains("public");
        assertThat(contains(citizen.body(), "parcels")).isTrue();
        assertThat(contains(citizen.body(), "land_use_code")).isTrue();
        assertThat(contains(citizen.body(), t.landUse())).isTrue();
        assertThat(contains(citizen.body(), "owners")).isFalse();
        assertThat(contains(citizen.body(), t.owner())).isFalse();
        HttpResponse<byte[]> officer = http.bytes(path, Http.basic(OFFICER, PASSWORD));
        assertThat(officer.statusCode()).isEqualTo(200);
        assertThat(contains(officer.body(), "owners")).isTrue();
        assertThat(contains(officer.body(), t.owner())).isTrue();
        assertThat(officer.headers().firstValue("Cache-Control").orElse("")).contains("private");
        // the same bytes as PostGIS's own ST_AsMVT of that tile (feature count compared through the number of ids)
        assertThat(http.bytes("/tiles/parcels/30/1/1.mvt").statusCode()).isEqualTo(404);
        assertThat(http.bytes("/tiles/nothing/1/1/1.mvt").statusCode()).isEqualTo(404);
        assertThat(http.bytes("/tiles/import_findings/1/1/1.mvt").statusCode()).isEqualTo(404);
    }

    @Test
    void secondRequestComesFromTheCacheAndAnEtagAnswers304() {
        Target t = target(1);
        String path = "/tiles/parcels/" + t.z() + "/" + t.x() + "/" + t.y() + ".png";
        // from a metatile not drawn yet: another test may have drawn it and a change evicted part of it since
        Envelope meta = TileGrid.bounds(t.z(), t.x() / 4 * 4, t.y() / 4 * 4);
        meta.expandToInclude(TileGrid.bounds(t.z(), t.x() / 4 * 4 + 3, t.y() / 4 * 4 + 3));
        tiles.cache().evict(meta);
        HttpResponse<byte[]> first = http.bytes(path);
        assertThat(first.statusCode()).isEqualTo(200);
        long hits = tiles.cache().hits();
        HttpResponse<byte[]> second = http.bytes(path);
        assertThat(tiles.cache().hits()).isGreaterThan(hits);
        assertThat(second.body()).isEqualTo(first.body());
        String etag = second.headers().firstValue("ETag").orElseThrow();
        assertThat(http.bytes(path, "If-None-Match", etag).statusCode()).isEqualTo(304);
        // a neighbour of the same metatile was drawn with it
        long before = tiles.cache().hits();
        http.bytes("/tiles/parcels/" + t.z() + "/" + (t.x() ^ 1) + "/" + t.y() + ".png");
        assertThat(tiles.cache().hits()).isGreaterThan(before);
    }

    @Test
    void aChangeEvictsTheTilesUnderItAndLeavesTheOthersCached() throws Exception {
        Target changed = target(2);
        Target other = farFrom(changed);
        String changedPath = "/tiles/parcels/" + changed.z() + "/" + changed.x() + "/" + changed.y() + ".png";
        String otherPath = "/tiles/parcels/" + other.z() + "/" + other.x() + "/" + other.y() + ".png";
        assertThat(Math.max(Math.abs(changed.x() - other.x()), Math.abs(changed.y() - other.y()))).as("far apart").isGreaterThan(2);
        BufferedImage before = png(http.bytes(changedPath));
        png(http.bytes(otherPath));
        String newUse = changed.landUse().equals("TMD") ? "SKC" : "TMD";
        String colour = jdbc.queryForObject("SELECT color FROM cadastre.land_use_type WHERE code = ?", String.class, newUse);
        Envelope extent;
        try {
            jdbc.update("UPDATE cadastre.parcel SET land_use_code = ? WHERE id = ?", newUse, changed.versionId());
            extent = jdbc.queryForObject("SELECT ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) FROM cadastre.parcel WHERE id = ?",
                    (rs, i) -> new Envelope(rs.getDouble(1), rs.getDouble(3), rs.getDouble(2), rs.getDouble(4)), changed.versionId());
            // unchanged until the change is announced: the cache answers
            assertThat(png(http.bytes(changedPath)).getRGB(changed.px(), changed.py())).isEqualTo(before.getRGB(changed.px(), changed.py()));
            events.publishEvent(new RegisterChanged(0, extent, 9210));
            BufferedImage after = png(http.bytes(changedPath));
            int rgb = Integer.parseInt(colour.substring(1), 16);
            assertThat(after.getRGB(changed.px(), changed.py()) & 0xFFFFFF).isEqualTo(rgb);
            long hits = tiles.cache().hits();
            png(http.bytes(otherPath));
            assertThat(tiles.cache().hits()).as("the far tile is still cached").isGreaterThan(hits);
        } finally {
            jdbc.update("UPDATE cadastre.parcel SET land_use_code = ? WHERE id = ?", changed.landUse(), changed.versionId());
            events.publishEvent(new RegisterChanged(0, jdbc.queryForObject(
                    "SELECT ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) FROM cadastre.parcel WHERE id = ?",
                    (rs, i) -> new Envelope(rs.getDouble(1), rs.getDouble(3), rs.getDouble(2), rs.getDouble(4)), changed.versionId()), 9210));
        }
    }

    /**
     * Another process (the command line's import, a second instance of the service) changes the register and announces
     * it on the database's channel, as {@code vn.landgis.changes.ChangeBroadcast} does: this service's tiles under it
     * are drawn anew.
     */
    @Test
    void aChangeAnnouncedByAnotherProcessEvictsTheTilesUnderIt() throws Exception {
        Target changed = target(3);
        String path = "/tiles/parcels/" + changed.z() + "/" + changed.x() + "/" + changed.y() + ".png";
        BufferedImage before = png(http.bytes(path));
        String newUse = changed.landUse().equals("TMD") ? "SKC" : "TMD";
        int rgb = Integer.parseInt(jdbc.queryForObject("SELECT color FROM cadastre.land_use_type WHERE code = ?", String.class, newUse).substring(1), 16);
        try (java.sql.Connection other = vn.landgis.support.ThrowawayDatabase.connect(vn.landgis.support.ThrowawayDatabase.BASE + "_test")) {
            try (var update = other.prepareStatement("UPDATE cadastre.parcel SET land_use_code = ? WHERE id = ?")) {
                update.setString(1, newUse);
                update.setLong(2, changed.versionId());
                update.executeUpdate();
            }
            assertThat(png(http.bytes(path)).getRGB(changed.px(), changed.py())).as("not announced yet: the cache answers")
                    .isEqualTo(before.getRGB(changed.px(), changed.py()));
            try (var announce = other.prepareStatement("""
                    SELECT pg_notify('landgis_changes', json_build_object('from', 'cli-' || pg_backend_pid(), 'kind', 'register', 'id', 0,
                      'srid', ST_SRID(geom), 'extent', json_build_array(ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)))::text)
                    FROM cadastre.parcel WHERE id = ?""")) {
                announce.setLong(1, changed.versionId());
                announce.execute();
            }
            int after = 0;
            for (int i = 0; i < 100 && (after & 0xFFFFFF) != rgb; i++) {
                Thread.sleep(100);
                after = png(http.bytes(path)).getRGB(changed.px(), changed.py());
            }
            assertThat(after & 0xFFFFFF).as("drawn anew with the other process's change").isEqualTo(rgb);
        } finally {
            jdbc.update("UPDATE cadastre.parcel SET land_use_code = ? WHERE id = ?", changed.landUse(), changed.versionId());
            events.publishEvent(new RegisterChanged(0, jdbc.queryForObject(
                    "SELECT ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) FROM cadastre.parcel WHERE id = ?",
                    (rs, i) -> new Envelope(rs.getDouble(1), rs.getDouble(3), rs.getDouble(2), rs.getDouble(4)), changed.versionId()), 9210));
        }
    }

    static BufferedImage png(HttpResponse<byte[]> r) throws Exception {
        assertThat(r.statusCode()).isEqualTo(200);
        return ImageIO.read(new ByteArrayInputStream(r.body()));
    }

    @Test
    void aPolygonAcrossManyTilesIsLabelledInExactlyOneOfThem() {
        // the largest commune of the demo district (about 1 km across), in the tiles of zoom 16 (611 m) its box touches
        var commune = jdbc.queryForMap("""
                SELECT code, ST_XMin(e) x0, ST_YMin(e) y0, ST_XMax(e) x1, ST_YMax(e) y1
                  FROM (SELECT code, ST_Transform(geom, 3857) g FROM ows.communes ORDER BY ST_Area(geom) DESC LIMIT 1) c,
                       LATERAL (SELECT ST_Envelope(c.g) e) b""");
        int z = 16;
        double span = TileGrid.span(z);
        long tx0 = (long) Math.floor(((Double) commune.get("x0") + TileGrid.HALF) / span);
        long tx1 = (long) Math.floor(((Double) commune.get("x1") + TileGrid.HALF) / span);
        long ty0 = (long) Math.floor((TileGrid.HALF - (Double) commune.get("y1")) / span);
        long ty1 = (long) Math.floor((TileGrid.HALF - (Double) commune.get("y0")) / span);
        int pieces = 0;
        int labelled = 0;
        for (long x = tx0; x <= tx1; x++) {
            for (long y = ty0; y <= ty1; y++) {
                HttpResponse<byte[]> tile = http.bytes("/tiles/communes/" + z + "/" + x + "/" + y + ".mvt");
                assertThat(tile.statusCode()).isIn(200, 204);
                for (Map<String, Object> f : vn.landgis.support.MvtDecoder.decode(tile.body()).getOrDefault("communes", java.util.List.of())) {
                    assertThat(f).containsKey("label_here");
                    if (commune.get("code").equals(f.get("code"))) {
                        pieces++;
                        labelled += Boolean.TRUE.equals(f.get("label_here")) ? 1 : 0;
                    }
                }
            }
        }
        assertThat(pieces).as("tiles the commune crosses").isGreaterThan(1);
        assertThat(labelled).as("tiles that label it").isEqualTo(1);
    }

    @Test
    void tileJsonDescribesTheVectorLayer() {
        String j = http.get("/tiles/parcels.json").body();
        assertThat(j).contains("\"tilejson\":\"3.0.0\"", "/tiles/parcels/{z}/{x}/{y}.mvt", "\"land_use_code\"").doesNotContain("owners");
        assertThat(http.get("/tiles/parcels.json", Http.basic(OFFICER, PASSWORD)).body()).contains("owners");
    }

    @Test
    void wmtsCapabilitiesAreValidAndGetTileMatchesTheRestTile() {
        var caps = http.bytes("/ows?SERVICE=WMTS&REQUEST=GetCapabilities");
        assertThat(caps.statusCode()).isEqualTo(200);
        assertThat(OgcSchemas.errors(caps.body(), "wmts/1.0/wmtsGetCapabilities_response.xsd")).isEmpty();
        assertThat(OgcSchemas.errors(http.bytes("/wmts/1.0.0/WMTSCapabilities.xml").body(), "wmts/1.0/wmtsGetCapabilities_response.xsd")).isEmpty();
        Target t = target(3);
        var kvp = http.bytes("/ows?SERVICE=WMTS&VERSION=1.0.0&REQUEST=GetTile&LAYER=parcels&STYLE=parcels&FORMAT=image/png"
                + "&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=" + t.z() + "&TILEROW=" + t.y() + "&TILECOL=" + t.x());
        var rest = http.bytes("/wmts/parcels/parcels/WebMercatorQuad/" + t.z() + "/" + t.y() + "/" + t.x() + ".png");
        assertThat(kvp.statusCode()).isEqualTo(200);
        assertThat(kvp.body()).isEqualTo(rest.body());
        var out = http.bytes("/ows?SERVICE=WMTS&VERSION=1.0.0&REQUEST=GetTile&LAYER=parcels&STYLE=&FORMAT=image/png"
                + "&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=3&TILEROW=9&TILECOL=1");
        assertThat(out.statusCode()).isEqualTo(400);
        assertThat(new String(out.body(), StandardCharsets.UTF_8)).contains("exceptionCode=\"TileOutOfRange\"");
        assertThat(OgcSchemas.errors(out.body(), "ows/1.1.0/owsExceptionReport.xsd")).isEmpty();
    }

    @Test
    void aPublishedImportRefreshesTheTilesOverItAndLeavesTheOthersCached(@TempDir Path dir) throws Exception {
        SyntheticDistrict d = CadastreGenerator.generate(new CadastreGenerator.Options(77, 600, "703", Map.of()));
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        Path gpkg = dir.resolve("district.gpkg");
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(gpkg)));
        jdbc.update("DELETE FROM staging.import_batch WHERE checksum = ?", sha);
        // the zoom-16 tile over the middle of the delivery (drawn in the district's own TM-3 zone)
        var c = d.communeGeometries().values().iterator().next().getInteriorPoint();
        long[] tile = jdbc.queryForObject("""
                SELECT floor((ST_X(p) + 20037508.342789244) / (40075016.68557849 / 65536)),
                       floor((20037508.342789244 - ST_Y(p)) / (40075016.68557849 / 65536))
                  FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), ?), 3857) p) x""",
                (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)}, c.getX(), c.getY(), d.crs().srid());
        String over = "/tiles/parcels/16/" + tile[0] + "/" + tile[1] + ".png";
        Target demo = target(5);
        String elsewhere = "/tiles/parcels/" + demo.z() + "/" + demo.x() + "/" + demo.y() + ".png";
        byte[] before = http.bytes(over).body();
        http.bytes(elsewhere);
        assertThat(imports.run("703", gpkg, false, "test", p -> { }).status()).isEqualTo("published");
        long misses = tiles.cache().misses();
        byte[] after = http.bytes(over).body();
        assertThat(tiles.cache().misses()).as("drawn anew").isGreaterThan(misses);
        assertThat(after).isNotEqualTo(before);
        long hits = tiles.cache().hits();
        http.bytes(elsewhere);
        assertThat(tiles.cache().hits()).as("the demo district's tile is still cached").isGreaterThan(hits);
    }
}
