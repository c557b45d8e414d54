package vn.landgis.ows;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import vn.landgis.platform.UserAccounts;
import vn.landgis.support.Http;
import vn.landgis.support.OgcSchemas;

/**
 * WMS 1.3.0 against the demo district in PostGIS: capabilities valid by the OGC schema, pixels where PostGIS
 * says the parcel is, axis order, feature info and its permissions, every exception code, and GDAL as a client.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WmsTest {

    static final String OFFICER = "officer.wms";
    static final String PASSWORD = "a-long-test-password";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    UserAccounts accounts;

    Http http;
    final ObjectMapper json = new ObjectMapper();

    /** A parcel with owners and room inside: its id, number, colour and inscribed circle in EPSG:3857 and 4326. */
    record Target(long parcelId, int parcelNo, String color, double x, double y, double radius, double lon, double lat) {
    }

    Target target;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts.save(OFFICER, PASSWORD.toCharArray(), Set.of("LAND_OFFICER"));
        target = jdbc.queryForObject("""
                SELECT p.parcel_id, p.parcel_no, t.color, ST_X(c3857), ST_Y(c3857), m.radius, ST_X(c4326), ST_Y(c4326)
                  FROM cadastre.parcel p JOIN cadastre.land_use_type t ON t.code = p.land_use_code,
                       LATERAL ST_MaximumInscribedCircle(p.geom) m,
                       LATERAL (SELECT ST_Transform(m.center, 3857) c3857, ST_Transform(m.center, 4326) c4326) c
                 WHERE p.valid_to IS NULL AND EXISTS (SELECT 1 FROM cadastre.land_right r WHERE r.parcel_version = p.id)
                 ORDER BY m.radius DESC, p.id LIMIT 1""",
                (rs, i) -> new Target(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getDouble(4), rs.getDouble(5),
                        rs.getDouble(6), rs.getDouble(7), rs.getDouble(8)));
        assertThat(target.radius()).as("the demo district has a parcel with room inside").isGreaterThan(5);
    }

    String mapAround(double halfWidth) {
        return "&CRS=EPSG:3857&BBOX=" + (target.x() - halfWidth) + "," + (target.y() - halfWidth) + ","
                + (target.x() + halfWidth) + "," + (target.y() + halfWidth) + "&WIDTH=256&HEIGHT=256";
    }

    static BufferedImage image(HttpResponse<byte[]> r) {
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        try {
            BufferedImage i = ImageIO.read(new ByteArrayInputStream(r.body()));
            assertThat(i).isNotNull();
            return i;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void assertColour(int argb, String hex, int tolerance) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        int[] want = {(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255};
        int[] got = {(argb >> 16) & 255, (argb >> 8) & 255, argb & 255};
        for (int i = 0; i < 3; i++) {
            assertThat(Math.abs(want[i] - got[i])).as("pixel %06X vs %s", argb & 0xFFFFFF, hex).isLessThanOrEqualTo(tolerance);
        }
        assertThat((argb >>> 24)).isEqualTo(255);
    }

    @Test
    void capabilitiesAreValidByTheOgcSchemaAndListTheCatalog() {
        var r = http.bytes("/ows?SERVICE=WMS&REQUEST=GetCapabilities");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/xml");
        assertThat(OgcSchemas.errors(r.body(), "wms/1.3.0/capabilities_1_3_0.xsd")).isEmpty();
        String xml = new String(r.body(), StandardCharsets.UTF_8);
        for (String layer : List.of("parcels", "map_sheets", "communes", "districts", "planning_zones", "field_reports")) {
            assertThat(xml).contains("<Name>" + layer + "</Name>");
        }
        assertThat(xml).doesNotContain("<Name>import_findings</Name>");
        assertThat(xml).contains("<CRS>EPSG:9210</CRS>", "<CRS>CRS:84</CRS>", "REQUEST=GetLegendGraphic", "<MaxScaleDenominator>50000.0</MaxScaleDenominator>");
        // officers see the findings layer too
        String officer = http.get("/ows?SERVICE=WMS&REQUEST=GetCapabilities", Http.basic(OFFICER, PASSWORD)).body();
        assertThat(officer).contains("<Name>import_findings</Name>");
    }

    @Test
    void getMapFillsTheParcelWithItsLandUseColourAndLeavesEmptyGroundTransparent() {
        BufferedImage map = image(http.bytes("/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=parcels&STYLES=&FORMAT=image/png&TRANSPARENT=TRUE"
                + mapAround(Math.min(150, target.radius() * 10))));
        assertColour(map.getRGB(128, 128), target.color(), 2);
        // 30 km east of the district: nothing there
        double far = 30000;
        String bbox = (target.x() + far) + "," + target.y() + "," + (target.x() + far + 300) + "," + (target.y() + 300);
        BufferedImage empty = image(http.bytes("/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=parcels&STYLES=&FORMAT=image/png&TRANSPARENT=TRUE"
                + "&CRS=EPSG:3857&WIDTH=64&HEIGHT=64&BBOX=" + bbox));
        for (int y = 0; y < 64; y += 7) {
            for (int x = 0; x < 64; x += 7) {
                assertThat(empty.getRGB(x, y) >>> 24).isZero();
            }
        }
        BufferedImage opaque = image(http.bytes("/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=parcels&STYLES=&FORMAT=image/jpeg"
                + "&BGCOLOR=0x2040A0&CRS=EPSG:3857&WIDTH=64&HEIGHT=64&BBOX=" + bbox));
        assertColour(opaque.getRGB(32, 32), "#2040A0", 6);
        // 8-bit PNG keeps the colour
        BufferedImage png8 = image(http.bytes("/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=parcels&STYLES=&FORMAT=image/png;%20mode=8bit"
                + mapAround(Math.min(150, target.radius() * 10))));
        assertColour(png8.getRGB(128, 128), target.color(), 8);
    }

    @Test
    void latLonAxisOrderOfEpsg4326GivesTheSamePictureAsCrs84() {
        double d = 0.0015;
        String lonLat = (target.lon() - d) + "," + (target.lat() - d) + "," + (target.lon() + d) + "," + (target.lat() + d);
        String latLon = (target.lat() - d) + "," + (target.lon() - d) + "," + (target.lat() + d) + "," + (target.lon() + d);
        String common = "/ows?SERVICE=WMS&REQUEST=GetMap&LAYERS=parcels&STYLES=&FORMAT=image/png&WIDTH=200&HEIGHT=200";
        BufferedImage a = image(http.bytes(common + "&VERSION=1.3.0&CRS=EPSG:4326&BBOX=" + latLon));
        BufferedImage b = image(http.bytes(common + "&VERSION=1.3.0&CRS=CRS:84&BBOX=" + lonLat));
        BufferedImage c = image(http.bytes(common + "&VERSION=1.1.1&SRS=EPSG:4326&BBOX=" + lonLat));
        assertThat(pixels(a)).isEqualTo(pixels(b)).isEqualTo(pixels(c));
        assertColour(a.getRGB(100, 100), target.color(), 2);
        // longitude first in EPSG:4326 puts latitude at 106°: refused, with the reason
        var wrong = http.get(common + "&VERSION=1.3.0&CRS=EPSG:4326&BBOX=" + lonLat);
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("InvalidParameterValue", "latitude first");
    }

    static int[] pixels(BufferedImage i) {
        return i.getRGB(0, 0, i.getWidth(), i.getHeight(), null, 0, i.getWidth());
    }

    JsonNode info(String format, String... headers) {
        var r = http.get("/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=parcels&QUERY_LAYERS=parcels&STYLES=&FORMAT=image/png"
                + "&INFO_FORMAT=" + Http.q(format) + "&I=128&J=128" + mapAround(100), headers);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        try {
            return json.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(r.body(), e);
        }
    }

    @Test
    void getFeatureInfoAtAPixelReturnsThatParcelAndOwnersOnlyToOfficers() {
        JsonNode citizen = info("application/json");
        assertThat(citizen.at("/features/0/properties/parcel_id").asLong()).isEqualTo(target.parcelId());
        assertThat(citizen.at("/features/0/properties/parcel_no").asInt()).isEqualTo(target.parcelNo());
        assertThat(citizen.at("/features/0/properties").has("owners")).isFalse();
        assertThat(citizen.toString()).doesNotContain("owners");
        assertThat(citizen.at("/crs/properties/name").asText()).isEqualTo("urn:ogc:def:crs:EPSG::3857");
        // in WGS 84 the coordinates are RFC 7946's (longitude first) and no crs member says otherwise
        var wgs84 = http.get("/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=parcels&QUERY_LAYERS=parcels&STYLES=&FORMAT=image/png"
                + "&INFO_FORMAT=application/json&I=128&J=128&CRS=CRS:84&BBOX=" + (target.lon() - 0.0005) + "," + (target.lat() - 0.0005) + ","
                + (target.lon() + 0.0005) + "," + (target.lat() + 0.0005) + "&WIDTH=256&HEIGHT=256");
        assertThat(wgs84.statusCode()).as(wgs84.body()).isEqualTo(200);
        assertThat(wgs84.body()).doesNotContain("\"crs\"").contains("\"parcel_no\":" + target.parcelNo());
        // a FEATURE_COUNT beyond the server's limit is answered up to the limit, not refused; none or a negative one is refused
        var many = http.get("/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=parcels&QUERY_LAYERS=parcels&STYLES=&FORMAT=image/png"
                + "&INFO_FORMAT=application/json&FEATURE_COUNT=100000&I=128&J=128" + mapAround(100));
        assertThat(many.statusCode()).as(many.body()).isEqualTo(200);
        assertThat(many.body()).contains("\"parcel_no\":" + target.parcelNo());
        assertThat(http.get("/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=parcels&QUERY_LAYERS=parcels&STYLES=&FORMAT=image/png"
                + "&INFO_FORMAT=application/json&FEATURE_COUNT=0&I=128&J=128" + mapAround(100)).statusCode()).isEqualTo(400);
        JsonNode officer = info("application/json", Http.basic(OFFICER, PASSWORD));
        assertThat(officer.at("/features/0/properties/owners").asText()).isNotBlank();
        String owners = officer.at("/features/0/properties/owners").asText();

        for (String format : List.of("text/html", "text/plain", "application/vnd.ogc.gml")) {
            var r = http.get("/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=parcels&QUERY_LAYERS=parcels&STYLES="
                    + "&INFO_FORMAT=" + Http.q(format) + "&I=128&J=128" + mapAround(100));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains(Integer.toString(target.parcelNo())).doesNotContain(owners.split(";")[0]);
        }
    }

    /** One bad request per exception code that applies to us. */
    @Test
    void everyBadParameterGetsItsOgcExceptionCode() {
        String map = "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&STYLES=&FORMAT=image/png&LAYERS=parcels" + mapAround(100);
        long sequence = Long.parseLong(attribute(http.get("/ows?SERVICE=WMS&REQUEST=GetCapabilities").body(), "updateSequence"));
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(map.replace("FORMAT=image/png", "FORMAT=image/tiff"), "InvalidFormat");
        cases.put(map.replace("CRS=EPSG:3857", "CRS=EPSG:2154"), "InvalidCRS");
        cases.put(map.replace("LAYERS=parcels", "LAYERS=parcels,nothing"), "LayerNotDefined");
        cases.put(map.replace("LAYERS=parcels", "LAYERS=import_findings"), "LayerNotDefined");
        cases.put(map.replace("STYLES=", "STYLES=neon"), "StyleNotDefined");
        cases.put(map.replace("REQUEST=GetMap", "REQUEST=GetFeatureInfo").replace("LAYERS=parcels", "LAYERS=districts")
                + "&QUERY_LAYERS=districts&I=1&J=1&INFO_FORMAT=application/json", "LayerNotQueryable");
        cases.put(map.replace("REQUEST=GetMap", "REQUEST=GetFeatureInfo") + "&QUERY_LAYERS=parcels&I=256&J=3&INFO_FORMAT=application/json", "InvalidPoint");
        cases.put(map.replace("REQUEST=GetMap", "REQUEST=GetFeatureInfo") + "&QUERY_LAYERS=parcels&I=2&J=2&INFO_FORMAT=application/pdf", "InvalidFormat");
        cases.put("/ows?SERVICE=WMS&REQUEST=GetCapabilities&UPDATESEQUENCE=" + sequence, "CurrentUpdateSequence");
        cases.put("/ows?SERVICE=WMS&REQUEST=GetCapabilities&UPDATESEQUENCE=" + (sequence + 1), "InvalidUpdateSequence");
        cases.put("/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=DescribeLayer&LAYERS=parcels", "OperationNotSupported");
        cases.put(map.replace("&CRS=EPSG:3857", ""), "MissingParameterValue");
        cases.put(map.replace("WIDTH=256", "WIDTH=100000"), "InvalidParameterValue");
        cases.put(map.replaceAll("BBOX=[^&]*", "BBOX=" + (target.x() + 10) + "," + target.y() + "," + target.x() + "," + (target.y() + 10)), "InvalidParameterValue");
        cases.put(map.replace("BBOX=", "BBOX=abc"), "InvalidParameterValue");
        cases.put(map + "&asOf=yesterday", "InvalidParameterValue");
        cases.put("/ows?SERVICE=WFS2&REQUEST=GetCapabilities", "InvalidParameterValue");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            var r = http.bytes(c.getKey());
            String body = new String(r.body(), StandardCharsets.UTF_8);
            assertThat(r.statusCode()).as(c.getKey()).isEqualTo(400);
            assertThat(body).as(c.getKey()).contains("code=\"" + c.getValue() + "\"");
            assertThat(OgcSchemas.errors(r.body(), "wms/1.3.0/exceptions_1_3_0.xsd")).as(body).isEmpty();
        }
        // INIMAGE and BLANK answer with a picture of the requested size
        BufferedImage blank = image(http.bytes(map.replace("CRS=EPSG:3857", "CRS=EPSG:2154") + "&EXCEPTIONS=BLANK&TRANSPARENT=TRUE"));
        assertThat(blank.getWidth()).isEqualTo(256);
        assertThat(blank.getRGB(10, 10) >>> 24).isZero();
        image(http.bytes(map.replace("CRS=EPSG:3857", "CRS=EPSG:2154") + "&EXCEPTIONS=INIMAGE"));
    }

    static String attribute(String xml, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(xml);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void legendGraphicHasARowPerLandUseRule() {
        BufferedImage legend = image(http.bytes("/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetLegendGraphic&LAYER=parcels&FORMAT=image/png"));
        int rules = jdbc.queryForObject("SELECT count(*) FROM cadastre.land_use_type WHERE current", Integer.class);
        assertThat(legend.getHeight()).isGreaterThanOrEqualTo(rules * 16);
    }

    @Test
    void gdalReadsTheServiceAsAClient(@TempDir Path dir) throws Exception {
        assertThat(Files.isExecutable(Path.of("/usr/bin/gdal_translate"))).as("gdal-bin is installed by scripts/db-up.sh").isTrue();
        String base = http.base() + "/ows?";
        String info = run(dir, "gdalinfo", "WMS:" + base + "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities");
        assertThat(info).contains("LAYERS=parcels");
        double h = 150;
        Path out = dir.resolve("map.png");
        run(dir, "gdal_translate", "-of", "PNG", "-outsize", "256", "256",
                "WMS:" + base + "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=parcels&CRS=EPSG:3857&FORMAT=image/png&BBOX="
                        + (target.x() - h) + "," + (target.y() - h) + "," + (target.x() + h) + "," + (target.y() + h),
                out.toString());
        BufferedImage i = ImageIO.read(out.toFile());
        assertThat(i.getWidth()).isEqualTo(256);
        assertColour(i.getRGB(128, 128) | 0xFF000000, target.color(), 2);
    }

    static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }
}
