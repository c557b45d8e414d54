package vn.landgis.fieldreports;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import vn.landgis.platform.UserAccounts;
import vn.landgis.support.Http;

/** Open311 GeoReport v2 against the running service and a generated district in PostGIS. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class Open311Test {

    static final String OFFICER = "officer.open311";
    static final String PASSWORD = "a-long-test-password";
    static final String[] IOC = {"X-API-Key", "ioc-test-key-0123456789"};
    static final String FORM = "application/x-www-form-urlencoded";

    /** The element names GeoReport v2 gives a service request, in its order. */
    static final List<String> REQUEST_FIELDS = List.of("service_request_id", "status", "status_notes", "service_name", "service_code",
            "description", "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
            "address", "address_id", "zipcode", "lat", "long", "media_url");

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
    }

    JsonNode body(HttpResponse<String> r) {
        try {
            return json.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(r.statusCode() + " " + r.body(), e);
        }
    }

    static Document xml(String body) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(body, e);
        }
    }

    static List<Element> children(Node n) {
        List<Element> out = new ArrayList<>();
        for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    static List<String> names(Node n) {
        return children(n).stream().map(Element::getTagName).toList();
    }

    static List<String> keys(JsonNode o) {
        return new ArrayList<>(o.propertyNames());
    }

    /** A point inside a current parcel (lon, lat in WGS 84), the parcel and old commune ST_Contains gives for it. */
    record Spot(double lon, double lat, long parcelId, int sheetNo, int parcelNo, String legacyCommune, String newCommune, double x, double y) {
    }

    Spot spot(int offset) {
        return jdbc.queryForObject("""
                SELECT ST_X(ST_Transform(pt, 4326)), ST_Y(ST_Transform(pt, 4326)), ST_X(pt), ST_Y(pt) FROM (
                    SELECT ST_PointOnSurface(geom) pt FROM cadastre.parcel WHERE valid_to IS NULL ORDER BY id OFFSET ? LIMIT 1) s""",
                (rs, i) -> {
                    double lon = rs.getDouble(1);
                    double lat = rs.getDouble(2);
                    double x = rs.getDouble(3);
                    double y = rs.getDouble(4);
                    // the truth, from the WGS 84 coordinates a phone would send
                    Map<String, Object> t = jdbc.queryForMap("""
                            WITH pt AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), 4326), 9210) g)
                            SELECT (SELECT p.parcel_id FROM cadastre.parcel p, pt WHERE p.valid_to IS NULL AND ST_Contains(p.geom, pt.g)) parcel_id,
                                   (SELECT p.sheet_no FROM cadastre.parcel p, pt WHERE p.valid_to IS NULL AND ST_Contains(p.geom, pt.g)) sheet_no,
                                   (SELECT p.parcel_no FROM cadastre.parcel p, pt WHERE p.valid_to IS NULL AND ST_Contains(p.geom, pt.g)) parcel_no,
                                   (SELECT c.code FROM cadastre.admin_unit_legacy c, pt WHERE c.level = 'commune' AND ST_Contains(c.geom, pt.g)) legacy,
                                   (SELECT c.code FROM cadastre.admin_unit c, pt WHERE c.level = 'commune' AND ST_Contains(c.geom, pt.g)) new_code""",
                            lon, lat);
                    return new Spot(lon, lat, ((Number) t.get("parcel_id")).longValue(), (Integer) t.get("sheet_no"),
                            (Integer) t.get("parcel_no"), (String) t.get("legacy"), (String) t.get("new_code"), x, y);
                }, offset);
    }

    HttpResponse<String> post(String format, String... pairs) {
        return http.post("/open311/v2/requests." + format, FORM, Http.form(pairs));
    }

    HttpResponse<String> postMultipart(byte[] file, String fileName, String fileType, String... pairs) {
        Object[] mp = Http.multipart("media", fileName, fileType, file, pairs);
        return http.post("/open311/v2/requests.json", (String) mp[0], (byte[]) mp[1]);
    }

    static String unique(String text) {
        return text + " #" + UUID.randomUUID().toString().substring(0, 8);
    }

    long created(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode a = body(r);
        assertThat(a.isArray()).isTrue();
        assertThat(keys(a.get(0))).containsExactly("service_request_id", "token", "service_notice", "account_id");
        return Long.parseLong(a.at("/0/service_request_id").asText());
    }

    /** Asserts an Open311 error list with this code, in JSON; returns the description. */
    String error(HttpResponse<String> r, int code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(code);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode a = body(r);
        assertThat(a.isArray()).isTrue();
        assertThat(keys(a.get(0))).containsExactly("code", "description");
        assertThat(a.at("/0/code").asInt()).isEqualTo(code);
        return a.at("/0/description").asText();
    }

    // ------------------------------------------------------------------ shapes

    @Test
    void discoveryServicesAndDefinitionsHaveTheSpecShapesInJsonAndXml() {
        HttpResponse<String> d = http.get("/open311/v2/discovery.json");
        assertThat(d.statusCode()).isEqualTo(200);
        assertThat(keys(body(d))).containsExactly("changeset", "contact", "key_service", "endpoints");
        assertThat(keys(body(d).at("/endpoints/0"))).containsExactly("specification", "url", "changeset", "type", "formats");
        Document dx = xml(http.get("/open311/discovery.xml").body());
        assertThat(dx.getDocumentElement().getTagName()).isEqualTo("discovery");
        Element endpoint = (Element) dx.getElementsByTagName("endpoint").item(0);
        assertThat(names(endpoint)).containsExactly("specification", "url", "changeset", "type", "formats");
        assertThat(names(endpoint.getElementsByTagName("formats").item(0))).containsExactly("format", "format");

        HttpResponse<String> s = http.get("/open311/v2/services.json");
        assertThat(s.statusCode()).isEqualTo(200);
        assertThat(s.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode services = body(s);
        Map<String, String> names = new java.util.HashMap<>();
        for (JsonNode service : services) {
            assertThat(keys(service)).containsExactly("service_code", "service_name", "description", "metadata", "type", "keywords", "group");
            assertThat(service.get("metadata").isBoolean()).isTrue();
            assertThat(service.get("type").asText()).isIn("realtime", "batch", "blackbox");
            names.put(service.get("service_code").asText(), service.get("service_name").asText());
        }
        assertThat(names).containsEntry("land_encroachment", "Lấn chiếm đất").containsEntry("illegal_construction", "Xây dựng trái phép")
                .containsEntry("flooding", "Ngập úng").containsKeys("street_light", "waste", "road_damage");
        assertThat(services.get(0).get("description").asText()).contains("Đơn vị xử lý");

        HttpResponse<String> sx = http.get("/open311/v2/services.xml");
        assertThat(sx.headers().firstValue("Content-Type").orElse("")).startsWith("text/xml");
        assertThat(sx.body()).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        Document x = xml(sx.body());
        assertThat(x.getDocumentElement().getTagName()).isEqualTo("services");
        assertThat(new HashSet<>(names(x.getDocumentElement()))).containsExactly("service");
        assertThat(children(x.getDocumentElement())).hasSize(services.size());
        assertThat(names(children(x.getDocumentElement()).getFirst()))
                .containsExactly("service_code", "service_name", "description", "metadata", "type", "keywords", "group");

        JsonNode def = body(http.get("/open311/v2/services/land_encroachment.json"));
        assertThat(keys(def)).containsExactly("service_code", "attributes");
        JsonNode list = null;
        for (JsonNode a : def.get("attributes")) {
            assertThat(keys(a)).startsWith("variable", "code", "datatype", "required", "datatype_description", "order", "description");
            assertThat(a.get("datatype").asText()).isIn("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist");
            if (a.has("values")) {
                list = a;
            }
        }
        assertThat(list).isNotNull();
        assertThat(keys(list.at("/values/0"))).containsExactly("key", "name");
        Document dxml = xml(http.get("/open311/v2/services/land_encroachment.xml").body());
        assertThat(dxml.getDocumentElement().getTagName()).isEqualTo("service_definition");
        assertThat(names(dxml.getDocumentElement())).containsExactly("service_code", "attributes");
        Element attributes = (Element) dxml.getElementsByTagName("attributes").item(0);
        assertThat(new HashSet<>(names(attributes))).containsExactly("attribute");
        assertThat(names(dxml.getElementsByTagName("values").item(0))).contains("value");
        assertThat(names(dxml.getElementsByTagName("value").item(0))).containsExactly("key", "name");

        assertThat(error(http.get("/open311/v2/services/nope.json"), 404)).contains("service_code");
        HttpResponse<String> ex = http.get("/open311/v2/services/nope.xml");
        assertThat(ex.statusCode()).isEqualTo(404);
        Document errors = xml(ex.body());
        assertThat(errors.getDocumentElement().getTagName()).isEqualTo("errors");
        assertThat(names(errors.getDocumentElement())).containsExactly("error");
        assertThat(names(errors.getElementsByTagName("error").item(0))).containsExactly("code", "description");
        assertThat(errors.getElementsByTagName("code").item(0).getTextContent()).isEqualTo("404");
    }

    /**
     * The spec's own example interactions (wiki.open311.org/GeoReport_v2), replayed with every parameter it shows:
     * only the service code, the point and the attribute are ours (the examples' are San Francisco's).
     */
    @Test
    void theSpecsExampleRequestsWork() {
        Spot s = spot(2500);
        String description = unique("A large sinkhole is destroying the street");
        HttpResponse<String> r = http.post("/open311/v2/requests.xml", FORM, Http.form("api_key", "xyz", "jurisdiction_id", "city.gov",
                "service_code", "road_damage", "lat", String.valueOf(s.lat()), "long", String.valueOf(s.lon()),
                "address_string", "1234 5th street", "email", "smit333@sfgov.edu", "device_id", "tt222111", "account_id", "123456",
                "first_name", "john", "last_name", "smith", "phone", "111111111", "description", description,
                "media_url", "http://www.example.com/photo.jpg", "attribute[size]", "large"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/xml");
        Document created = xml(r.body());
        assertThat(created.getDocumentElement().getTagName()).isEqualTo("service_requests");
        Element request = (Element) created.getElementsByTagName("request").item(0);
        assertThat(names(request)).contains("service_request_id", "service_notice", "account_id");
        String id = request.getElementsByTagName("service_request_id").item(0).getTextContent();
        String token = request.getElementsByTagName("token").item(0).getTextContent();

        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        String tomorrow = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
        Document list = xml(http.get("/open311/v2/requests.xml?start_date=" + today + "T00:00:00Z&end_date=" + tomorrow
                + "T00:00:00Z&status=open&jurisdiction_id=city.gov").body());
        List<String> ids = new ArrayList<>();
        for (Element e : children(list.getDocumentElement())) {
            assertThat(names(e)).containsExactlyElementsOf(REQUEST_FIELDS);
            ids.add(e.getElementsByTagName("service_request_id").item(0).getTextContent());
        }
        assertThat(ids).contains(id);
        Document one = xml(http.get("/open311/v2/requests/" + id + ".xml?jurisdiction_id=city.gov").body());
        Element req = (Element) one.getElementsByTagName("request").item(0);
        assertThat(req.getElementsByTagName("address").item(0).getTextContent()).isEqualTo("1234 5th street");
        assertThat(req.getElementsByTagName("media_url").item(0).getTextContent()).isEqualTo("http://www.example.com/photo.jpg");
        assertThat(req.getElementsByTagName("status").item(0).getTextContent()).isEqualTo("open");
        Document tokens = xml(http.get("/open311/v2/tokens/" + token + ".xml").body());
        assertThat(names(tokens.getElementsByTagName("request").item(0))).containsExactly("service_request_id", "token");
        assertThat(tokens.getElementsByTagName("service_request_id").item(0).getTextContent()).isEqualTo(id);
        assertThat(xml(http.get("/open311/v2/services.xml?jurisdiction_id=city.gov").body()).getDocumentElement().getTagName()).isEqualTo("services");
        assertThat(xml(http.get("/open311/v2/services/road_damage.xml?jurisdiction_id=city.gov").body()).getDocumentElement().getTagName())
                .isEqualTo("service_definition");
    }

    // ------------------------------------------------------------------ placement

    /** A phone's keyboard in Vietnamese writes coordinates with a decimal comma ("10,5399"): the same point. */
    @Test
    void coordinatesWithADecimalCommaAreTheSamePoint() {
        Spot s = spot(1500);
        String description = unique("Đổ rác trái phép");
        HttpResponse<String> r = post("json", "service_code", "land_encroachment", "lat", String.valueOf(s.lat()).replace('.', ','),
                "long", String.valueOf(s.lon()).replace('.', ','), "description", description);
        long id = created(r);
        assertThat(jdbc.queryForObject("SELECT parcel_id FROM fieldreports.report WHERE id = ?", Long.class, id)).isEqualTo(s.parcelId());
        // a thousands separator or two commas are no coordinate
        assertThat(error(post("json", "service_code", "flooding", "lat", "10,539,9", "long", String.valueOf(s.lon()), "description", "Ngập"), 400))
                .contains("number");
    }

    @Test
    void aReportAtAPointIsTiedToTheCommuneAndParcelThatStContainsSays() {
        for (int offset : new int[] {17, 1234, 2711}) {
            Spot s = spot(offset);
            String description = unique("Lấn chiếm vỉa hè, dựng mái che");
            HttpResponse<String> r = post("json", "service_code", "land_encroachment", "lat", String.valueOf(s.lat()),
                    "long", String.valueOf(s.lon()), "description", description, "accuracy", "4.5", "attribute[area_m2]", "12.5");
            long id = created(r);
            assertThat(body(r).at("/0/service_notice").asText()).contains("Thửa " + s.parcelNo() + ", tờ " + s.sheetNo());
            Map<String, Object> row = jdbc.queryForMap("SELECT * FROM fieldreports.report WHERE id = ?", id);
            assertThat(row.get("parcel_id")).isEqualTo(s.parcelId());
            assertThat(row.get("parcel_no")).isEqualTo(s.parcelNo());
            assertThat(row.get("legacy_commune_code")).isEqualTo(s.legacyCommune());
            assertThat(row.get("commune_code")).isEqualTo(s.newCommune());
            assertThat(row.get("district_code")).isEqualTo(jdbc.queryForObject(
                    "SELECT parent_code FROM cadastre.admin_unit_legacy WHERE code = ?", String.class, s.legacyCommune()));
            assertThat(((Number) row.get("accuracy_m")).doubleValue()).isEqualTo(4.5);
            assertThat(row.get("agency")).isEqualTo("Phòng Nông nghiệp và Môi trường");
            // the zone in force the point lies in, if any
            List<Long> zones = jdbc.queryForList("""
                    SELECT z.id FROM planning.zone z JOIN planning.plan p ON p.id = z.plan_id
                    WHERE p.status = 'in_force' AND ST_Intersects(z.geom, (SELECT geom FROM fieldreports.report WHERE id = ?))""", Long.class, id);
            if (zones.isEmpty()) {
                assertThat(row.get("zone_id")).isNull();
            } else {
                assertThat(zones).contains((Long) row.get("zone_id"));
            }

            JsonNode one = body(http.get("/open311/v2/requests/" + id + ".json?extensions=true"));
            assertThat(one.isArray()).isTrue();
            JsonNode req = one.get(0);
            assertThat(keys(req)).startsWith(REQUEST_FIELDS.toArray(String[]::new));
            assertThat(req.get("status").asText()).isEqualTo("open");
            assertThat(req.get("service_name").asText()).isEqualTo("Lấn chiếm đất");
            assertThat(req.get("description").asText()).isEqualTo(description);
            assertThat(req.get("lat").asDouble()).isCloseTo(s.lat(), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(req.get("long").asDouble()).isCloseTo(s.lon(), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(req.get("requested_datetime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+07:00");
            assertThat(req.at("/extended_attributes/parcel_no").asInt()).isEqualTo(s.parcelNo());
            assertThat(req.at("/extended_attributes/legacy_commune_code").asText()).isEqualTo(s.legacyCommune());
            // without extensions: the spec's fields only
            assertThat(keys(body(http.get("/open311/v2/requests/" + id + ".json")).get(0))).containsExactlyElementsOf(REQUEST_FIELDS);
            Document x = xml(http.get("/open311/v2/requests/" + id + ".xml").body());
            assertThat(x.getDocumentElement().getTagName()).isEqualTo("service_requests");
            assertThat(names(x.getDocumentElement())).containsExactly("request");
            assertThat(names(x.getElementsByTagName("request").item(0))).containsExactlyElementsOf(REQUEST_FIELDS);
            assertThat(x.getElementsByTagName("service_request_id").item(0).getTextContent()).isEqualTo(String.valueOf(id));
        }
        // VN-2000 x/y as an extension lands on the same parcel
        Spot s = spot(99);
        long id = created(post("json", "service_code", "road_damage", "x", String.valueOf(s.x()), "y", String.valueOf(s.y()),
                "description", unique("Ổ gà giữa đường")));
        assertThat(jdbc.queryForObject("SELECT parcel_id FROM fieldreports.report WHERE id = ?", Long.class, id)).isEqualTo(s.parcelId());
    }

    @Test
    void anAddressWithoutAPointIsGeocodedAgainstTheRegister() {
        Map<String, Object> p = jdbc.queryForMap("""
                SELECT p.parcel_id, p.sheet_no, p.parcel_no, c.name FROM cadastre.parcel p JOIN cadastre.admin_unit_legacy c ON c.code = p.commune_code
                WHERE p.valid_to IS NULL ORDER BY p.id OFFSET 500 LIMIT 1""");
        long id = created(post("json", "service_code", "waste", "description", unique("Rác tồn đọng nhiều ngày"),
                "address_string", "thửa " + p.get("parcel_no") + " tờ " + p.get("sheet_no") + " " + p.get("name")));
        Map<String, Object> row = jdbc.queryForMap("SELECT parcel_id, location_source, ST_Contains((SELECT geom FROM cadastre.parcel "
                + "WHERE parcel_id = r.parcel_id AND valid_to IS NULL), r.geom) inside FROM fieldreports.report r WHERE id = ?", id);
        assertThat(row.get("parcel_id")).isEqualTo(p.get("parcel_id"));
        assertThat(row.get("location_source")).isEqualTo("address_parcel");
        assertThat(row.get("inside")).isEqualTo(true);
        assertThat(error(post("json", "service_code", "waste", "description", unique("Rác"), "address_string", "zzqx wvvq 98765 kkk"), 400))
                .contains("address_string");
    }

    @Test
    void badSubmissionsGetClearOpen311ErrorsNeverA500() throws Exception {
        Spot s = spot(42);
        String lat = String.valueOf(s.lat());
        String lon = String.valueOf(s.lon());
        long before = jdbc.queryForObject("SELECT count(*) FROM fieldreports.report", Long.class);
        // Hà Nội
        assertThat(error(post("json", "service_code", "flooding", "lat", "21.0285", "long", "105.8542", "description", "Ngập"), 400))
                .contains("ngoài tỉnh").contains("outside the province");
        assertThat(error(post("json", "service_code", "flooding", "lat", lon, "long", lat, "description", "Ngập"), 400)).contains("swapped");
        assertThat(error(post("json", "service_code", "flooding", "lat", "NaN", "long", lon, "description", "Ngập"), 400)).contains("finite");
        assertThat(error(post("json", "service_code", "flooding", "lat", "abc", "long", lon, "description", "Ngập"), 400)).contains("number");
        assertThat(error(post("json", "service_code", "flooding", "lat", "95", "long", lon, "description", "Ngập"), 400)).contains("-90..90");
        assertThat(error(post("json", "service_code", "nope", "lat", lat, "long", lon, "description", "Ngập"), 400)).contains("service_code");
        // a form body beyond the server's limit (2 MB): too large, said so, not an internal error
        assertThat(error(post("json", "service_code", "flooding", "lat", lat, "long", lon, "description", "Ngập ".repeat(600_000)), 413))
                .contains("too large");
        assertThat(error(post("json", "service_code", "flooding", "description", "Ngập"), 400)).contains("location");
        assertThat(error(post("json", "service_code", "flooding", "lat", lat, "long", lon, "description", "Ngập", "email", "not-an-email"), 400))
                .contains("email");
        assertThat(error(post("json", "service_code", "land_encroachment", "lat", lat, "long", lon, "description", "x",
                "attribute[land_kind]", "moon"), 400)).contains("land_kind");
        // the same error as XML
        HttpResponse<String> x = post("xml", "service_code", "flooding", "lat", "21.0285", "long", "105.8542", "description", "Ngập");
        assertThat(x.statusCode()).isEqualTo(400);
        Document d = xml(x.body());
        assertThat(d.getDocumentElement().getTagName()).isEqualTo("errors");
        assertThat(names(d.getElementsByTagName("error").item(0))).containsExactly("code", "description");

        // a 50 MB photo
        byte[] big = new byte[50 * 1024 * 1024];
        System.arraycopy(jpeg(null), 0, big, 0, 200);
        assertThat(error(postMultipart(big, "big.jpg", "image/jpeg", "service_code", "flooding", "lat", lat, "long", lon,
                "description", unique("Ngập sâu")), 413)).contains("10 MB");
        // a body that is no multipart at all, one cut short
        error(http.post("/open311/v2/requests.json", "multipart/form-data", "garbage".getBytes(StandardCharsets.UTF_8)), 400);
        error(http.post("/open311/v2/requests.json", "multipart/form-data; boundary=xyz",
                "--xyz\r\nContent-Disposition: form-data; name=\"service_code\"\r\n\r\nwaste".getBytes(StandardCharsets.UTF_8)), 400);
        // a zip called .png, declared image/png
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("a.txt"));
            z.write("hello".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        assertThat(error(postMultipart(zip.toByteArray(), "photo.png", "image/png", "service_code", "flooding", "lat", lat, "long", lon,
                "description", unique("Ngập")), 415)).contains("zip");
        // PNG magic with garbage after it
        byte[] fakePng = new byte[64];
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, 0, fakePng, 0, 8);
        error(postMultipart(fakePng, "p.png", "image/png", "service_code", "flooding", "lat", lat, "long", lon, "description", unique("Ngập")), 400);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM fieldreports.report", Long.class)).as("nothing stored").isEqualTo(before);
        // a description is optional (GeoReport v2): a category and a place say something; blank is none
        long bare = created(post("json", "service_code", "flooding", "lat", lat, "long", lon, "description", "   "));
        assertThat(body(http.get("/open311/v2/requests/" + bare + ".json")).at("/0/description").asText()).isEmpty();
        // unknown request, token
        error(http.get("/open311/v2/requests/999999999.json"), 404);
        error(http.get("/open311/v2/requests/abc.json"), 404);
        error(http.get("/open311/v2/tokens/" + UUID.randomUUID() + ".json"), 404);
        error(http.get("/open311/v2/requests.json?start_date=yesterday"), 400);
        error(http.get("/open311/v2/requests.json?bbox=1,2,3"), 400);
    }

    // ------------------------------------------------------------------ photos

    /** A PNG of a few hundred bytes whose header declares {@code width} x {@code height}, 16-bit RGBA; its IDAT is a little zlib of zeros. */
    static byte[] pngDeclaring(int width, int height) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 16).put((byte) 6)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        java.util.zip.Deflater z = new java.util.zip.Deflater(9);
        z.setInput(new byte[4096]);
        z.finish();
        byte[] idat = new byte[512];
        int n = z.deflate(idat);
        z.end();
        chunk(out, "IDAT", java.util.Arrays.copyOf(idat, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void aSmallPngDeclaringAHugeDecodedImageIsRefusedBeforeDecoding() throws Exception {
        Spot s = spot(44);
        long before = jdbc.queryForObject("SELECT count(*) FROM fieldreports.report", Long.class);
        // 7071 x 7071 is under the 50 megapixel limit, but 16-bit RGBA makes it 400 MB once decoded
        byte[] bomb = pngDeclaring(7071, 7071);
        assertThat(bomb.length).isLessThan(1024);
        long t0 = System.nanoTime();
        String description = error(postMultipart(bomb, "bomb.png", "image/png", "service_code", "waste", "lat", String.valueOf(s.lat()),
                "long", String.valueOf(s.lon()), "description", unique("Rác")), 413);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(description).contains("7071 x 7071", "381 MB", "at most 100 MB", "once decoded");
        assertThat(millis).as("refused without decoding").isLessThan(3000);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM fieldreports.report", Long.class)).isEqualTo(before);
    }

    @Test
    void aPostDeclaringABodyLargerThanThePhotoLimitIsRefusedBeforeItIsRead() throws Exception {
        // a raw request: 100 MB announced, a few bytes sent; the answer must come without waiting for the rest
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String request = "POST /open311/v2/requests.json HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + 100L * 1024 * 1024 + "\r\n\r\nservice_code=waste&";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            long t0 = System.nanoTime();
            java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.readUnsignedByte());
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 413").contains("application/json").containsIgnoringCase("connection: close");
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *([0-9]+)").matcher(head);
            assertThat(length.find()).as(head.toString()).isTrue();
            byte[] body = new byte[Integer.parseInt(length.group(1))];
            in.readFully(body);
            assertThat(new String(body, StandardCharsets.UTF_8)).contains("\"code\":413", "10 MB");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5000);
        }
    }

    @Test
    void aPhotosExifGpsPlacesTheReportAndIsStrippedBeforeServing() throws Exception {
        Spot s = spot(321);
        byte[] photo = jpeg(new double[] {s.lon(), s.lat()});
        assertThat(new String(photo, StandardCharsets.ISO_8859_1)).contains("Exif");
        HttpResponse<String> r = postMultipart(photo, "IMG_0001.jpg", "image/jpeg", "service_code", "street_light",
                "description", unique("Đèn đường không sáng"), "attribute[pole_no]", "C-12");
        long id = created(r);
        Map<String, Object> row = jdbc.queryForMap("SELECT parcel_id, location_source FROM fieldreports.report WHERE id = ?", id);
        assertThat(row.get("location_source")).isEqualTo("exif");
        assertThat(row.get("parcel_id")).isEqualTo(s.parcelId());
        JsonNode req = body(http.get("/open311/v2/requests/" + id + ".json")).get(0);
        String mediaUrl = req.get("media_url").asText();
        assertThat(mediaUrl).startsWith(http.base() + "/open311/v2/media/" + id);
        HttpResponse<byte[]> served = http.bytes(mediaUrl.substring(http.base().length()));
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type").orElse("")).isEqualTo("image/jpeg");
        String text = new String(served.body(), StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain("Exif").doesNotContain("MM\u0000*");
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(served.body()));
        assertThat(decoded.getWidth()).isEqualTo(64);
        // the officer gets the stored copy, the public no other one
        assertThat(http.bytes("/api/reports/" + id + "/media").statusCode()).isEqualTo(401);
        assertThat(http.bytes("/api/reports/" + id + "/media", Http.basic(OFFICER, PASSWORD)).statusCode()).isEqualTo(200);
        // HEIC (which cannot be re-encoded here) is kept for officers, never served publicly
        byte[] heic = new byte[256];
        System.arraycopy(new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c'}, 0, heic, 0, 12);
        long heicId = created(postMultipart(heic, "IMG_0002.HEIC", "image/heic", "service_code", "waste", "lat", String.valueOf(s.lat()),
                "long", String.valueOf(s.lon()), "description", unique("Rác thải bên đường")));
        assertThat(body(http.get("/open311/v2/requests/" + heicId + ".json")).at("/0/media_url").isNull()).isTrue();
        assertThat(http.bytes("/open311/v2/media/" + heicId + ".jpg").statusCode()).isEqualTo(404);
        assertThat(http.bytes("/api/reports/" + heicId + "/media", Http.basic(OFFICER, PASSWORD)).headers().firstValue("Content-Type").orElse(""))
                .isEqualTo("image/heic");
        // a PNG is accepted too
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        created(postMultipart(png.toByteArray(), "a.png", "image/png", "service_code", "waste", "lat", String.valueOf(s.lat()),
                "long", String.valueOf(s.lon()), "description", unique("Đổ trộm phế thải")));
    }

    /** A 64×48 JPEG, with an EXIF APP1 segment holding a GPS position (lon, lat) when given. */
    static byte[] jpeg(double[] lonLat) throws Exception {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        img.getGraphics().fillRect(10, 10, 20, 20);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        byte[] plain = out.toByteArray();
        if (lonLat == null) {
            return plain;
        }
        ByteBuffer t = ByteBuffer.allocate(140);   // big-endian TIFF
        t.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        t.putShort((short) 2);
        t.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) 1).putShort((short) 0);
        t.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(38);
        t.putInt(0);
        t.putShort((short) 4);
        t.putShort((short) 1).putShort((short) 2).putInt(2).put((byte) 'N').put((byte) 0).putShort((short) 0);
        t.putShort((short) 2).putShort((short) 5).putInt(3).putInt(92);
        t.putShort((short) 3).putShort((short) 2).putInt(2).put((byte) 'E').put((byte) 0).putShort((short) 0);
        t.putShort((short) 4).putShort((short) 5).putInt(3).putInt(116);
        t.putInt(0);
        for (double v : new double[] {lonLat[1], lonLat[0]}) {
            int deg = (int) v;
            int min = (int) ((v - deg) * 60);
            double sec = ((v - deg) * 60 - min) * 60;
            t.putInt(deg).putInt(1).putInt(min).putInt(1).putInt((int) Math.round(sec * 10000)).putInt(10000);
        }
        byte[] tiff = t.array();
        ByteArrayOutputStream jpg = new ByteArrayOutputStream();
        jpg.write(plain, 0, 2);
        int len = 2 + 6 + tiff.length;
        jpg.write(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (len >> 8), (byte) len});
        jpg.write("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
        jpg.write(tiff);
        jpg.write(plain, 2, plain.length - 2);
        return jpg.toByteArray();
    }

    // ------------------------------------------------------------------ duplicates

    @Test
    void aHundredConcurrentRetriesOfOneReportCreateExactlyOne() throws Exception {
        Spot s = spot(77);
        for (boolean withKey : new boolean[] {true, false}) {
            String description = unique("Xây dựng trái phép trên đất nông nghiệp");
            String key = withKey ? UUID.randomUUID().toString() : null;
            int n = 100;
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < n; i++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        byte[] form = Http.form("service_code", "illegal_construction", "lat", String.valueOf(s.lat()),
                                "long", String.valueOf(s.lon()), "description", description, "device_id", "device-42");
                        return key == null ? http.post("/open311/v2/requests.json", FORM, form)
                                : http.post("/open311/v2/requests.json", FORM, form, "Idempotency-Key", key);
                    }));
                }
                start.countDown();
            }
            Set<String> ids = new HashSet<>();
            int createdCount = 0;
            for (Future<HttpResponse<String>> f : answers) {
                HttpResponse<String> r = f.get();
                assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
                createdCount += r.statusCode() == 201 ? 1 : 0;
                ids.add(body(r).at("/0/service_request_id").asText());
            }
            assertThat(ids).as("key " + withKey).hasSize(1);
            assertThat(createdCount).isEqualTo(1);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM fieldreports.report WHERE description = ?", Long.class, description)).isEqualTo(1);
        }
        // the same idempotency key again is the first report; with another description it is refused, not taken for a retry
        String key = UUID.randomUUID().toString();
        String rubbish = unique("Rác");
        long first = created(http.post("/open311/v2/requests.json", FORM, Http.form("service_code", "waste", "lat", String.valueOf(s.lat()),
                "long", String.valueOf(s.lon()), "description", rubbish), "Idempotency-Key", key));
        HttpResponse<String> again = http.post("/open311/v2/requests.json", FORM, Http.form("service_code", "waste", "lat", String.valueOf(s.lat()),
                "long", String.valueOf(s.lon()), "description", rubbish), "Idempotency-Key", key);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(body(again).at("/0/service_request_id").asLong()).isEqualTo(first);
        HttpResponse<String> other = http.post("/open311/v2/requests.json", FORM, Http.form("service_code", "waste", "lat", String.valueOf(s.lat()),
                "long", String.valueOf(s.lon()), "description", unique("Rác khác")), "Idempotency-Key", key);
        assertThat(other.statusCode()).isEqualTo(422);
        // or the same text 1.5 km away: another report, not a retry
        HttpResponse<String> elsewhere = http.post("/open311/v2/requests.json", FORM, Http.form("service_code", "waste", "lat", String.valueOf(s.lat() + 0.0135),
                "long", String.valueOf(s.lon()), "description", rubbish), "Idempotency-Key", key);
        assertThat(elsewhere.statusCode()).isEqualTo(422);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM fieldreports.report WHERE description LIKE 'Rác khác%'", Long.class)).isZero();
    }

    // ------------------------------------------------------------------ personal data

    @Test
    void contactFieldsNeverReachPublicEndpointsLayersOrTiles() {
        Spot s = spot(555);
        String surname = "Nguyễnthịtest" + UUID.randomUUID().toString().substring(0, 6);
        String email = surname.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "") + "@example.vn";
        String description = unique("Ngập úng sau mưa");
        long id = created(post("json", "service_code", "flooding", "lat", String.valueOf(s.lat()), "long", String.valueOf(s.lon()),
                "description", description, "first_name", "Thị Hoa", "last_name", surname, "email", email, "phone", "0912 345 678",
                "device_id", "dev-" + surname));
        for (String path : List.of("/open311/v2/requests/" + id + ".json", "/open311/v2/requests/" + id + ".xml",
                "/open311/v2/requests/" + id + ".json?extensions=true", "/open311/v2/requests.json?service_request_id=" + id,
                "/open311/v2/requests.xml?service_code=flooding&extensions=true")) {
            HttpResponse<String> r = http.get(path);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).as(path).contains(description).doesNotContain(surname).doesNotContain(email)
                    .doesNotContain("0912 345 678").doesNotContain("Thị Hoa");
        }
        // the officers' view has them
        assertThat(http.get("/api/reports/" + id).statusCode()).isEqualTo(401);
        JsonNode officer = body(http.get("/api/reports/" + id, Http.basic(OFFICER, PASSWORD)));
        assertThat(officer.get("reporter_name").asText()).isEqualTo(surname + " Thị Hoa");   // family name first
        assertThat(officer.get("reporter_email").asText()).isEqualTo(email);
        assertThat(http.get("/api/reports?service_request_id=" + id).statusCode()).isEqualTo(401);
        JsonNode work = body(http.get("/api/reports?service_code=flooding&status=open", Http.basic(OFFICER, PASSWORD)));
        boolean found = false;
        for (JsonNode r : work) {
            found |= r.get("service_request_id").asLong() == id && r.get("reporter_phone").asText().equals("0912 345 678");
        }
        assertThat(found).isTrue();
        assertThat(http.get("/api/reports?bbox=1,2", Http.basic(OFFICER, PASSWORD)).statusCode()).isEqualTo(400);

        String wfs = "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=field_reports&OUTPUTFORMAT=application/json&COUNT=10000";
        String citizen = http.get(wfs).body();
        assertThat(citizen).contains(description).doesNotContain(surname).doesNotContain("reporter_name").doesNotContain("0912 345 678");
        assertThat(http.get(wfs, Http.basic(OFFICER, PASSWORD)).body()).contains(surname).contains("0912 345 678");

        long[] tile = tile(s, 17);
        String mvt = "/tiles/field_reports/17/" + tile[0] + "/" + tile[1] + ".mvt";
        HttpResponse<byte[]> pub = http.bytes(mvt);
        assertThat(pub.statusCode()).isEqualTo(200);
        assertThat(contains(pub.body(), description)).isTrue();
        assertThat(contains(pub.body(), surname)).isFalse();
        assertThat(contains(pub.body(), "reporter_")).isFalse();
        assertThat(contains(http.bytes(mvt, Http.basic(OFFICER, PASSWORD)).body(), surname)).isTrue();
    }

    @Test
    void contactsTypedIntoADescriptionOrStatusNotesAreHiddenFromThePublicNotFromOfficers() {
        Spot s = spot(777);
        String surname = "Trầnthịtest" + UUID.randomUUID().toString().substring(0, 6);
        String tag = unique("Lấn chiếm vỉa hè");
        // the reporter's own phone in another spelling, their name, another phone, an e-mail, a citizen-id number;
        // and numbers that are no contact: an amount, a parcel, a date, a certificate serial
        // and the name again as a phone without Vietnamese input writes it: no diacritics, lower case
        String folded = java.text.Normalizer.normalize("Lan " + surname, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "").replace('đ', 'd')
                .toLowerCase(java.util.Locale.ROOT);
        String description = tag + ". Tôi là Lan " + surname + ", gọi 0912.345.679 hoặc (028) 3823 4567, lan.tt@example.vn, CCCD 079123456789."
                + " Ký tên: " + folded + "… Khoa an toàn."   // "…" as a phone writes "...", and words that only contain the name's letters
                + " Phạt 1.200.000.000 đồng, thửa 123 tờ 45, ngày 12/05/2026, GCN CS 012345.";
        long id = created(post("json", "service_code", "waste", "lat", String.valueOf(s.lat()), "long", String.valueOf(s.lon()),
                "description", description, "first_name", "Lan", "last_name", surname, "phone", "0912 345 679"));
        String[] officer = Http.basic(OFFICER, PASSWORD);
        // the name in the Vietnamese order (family name first) where the description has it in the fields' order
        String notes = "Đã gọi lại " + surname.toUpperCase(java.util.Locale.ROOT) + "  Lan số 0912 345 679, hẹn kiểm tra";
        assertThat(http.post("/api/reports/" + id + "/status", "application/json",
                ("{\"status\":\"acknowledged\",\"notes\":\"" + notes + "\"}").getBytes(StandardCharsets.UTF_8), officer).statusCode()).isEqualTo(200);

        String kept = "Phạt 1.200.000.000 đồng, thửa 123 tờ 45, ngày 12/05/2026, GCN CS 012345.";
        JsonNode pub = body(http.get("/open311/v2/requests/" + id + ".json")).get(0);
        assertThat(pub.get("description").asText()).isEqualTo(tag + ". Tôi là [đã ẩn], gọi [đã ẩn] hoặc [đã ẩn], [đã ẩn], CCCD [đã ẩn]. Ký tên: [đã ẩn]… Khoa an toàn. " + kept);
        assertThat(pub.get("status_notes").asText()).isEqualTo("Đã gọi lại [đã ẩn] số [đã ẩn], hẹn kiểm tra");
        String wfs = "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=field_reports&OUTPUTFORMAT=application/json&RESOURCEID=field_reports." + id;
        for (String body : List.of(http.get("/open311/v2/requests.xml?service_request_id=" + id).body(), http.get(wfs).body())) {
            assertThat(body).contains(tag).contains(kept).doesNotContain(surname).doesNotContain("0912.345.679").doesNotContain("0912 345 679")
                    .doesNotContain("(028) 3823 4567")
                    .doesNotContain("lan.tt@").doesNotContain("079123456789").doesNotContain("_as_written");
        }
        long[] tile = tile(s, 17);
        byte[] mvt = http.bytes("/tiles/field_reports/17/" + tile[0] + "/" + tile[1] + ".mvt").body();
        assertThat(contains(mvt, tag)).isTrue();
        assertThat(contains(mvt, "0912.345.679")).isFalse();
        assertThat(contains(mvt, surname)).isFalse();
        // its times in ISO 8601 as WFS writes them (a browser's Date reads them)
        Map<String, Object> inTile = vn.landgis.support.MvtDecoder.decode(mvt).get("field_reports").stream()
                .filter(f -> String.valueOf(f.get("description")).startsWith(tag)).findFirst().orElseThrow();
        assertThat(String.valueOf(inTile.get("reported_at"))).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?[+-]\\d{2}:\\d{2}");

        // officers read what was written
        assertThat(body(http.get("/api/reports/" + id, officer)).get("description").asText()).isEqualTo(description);
        JsonNode layer = body(http.get(wfs, officer)).at("/features/0/properties");
        assertThat(layer.get("description_as_written").asText()).isEqualTo(description);
        assertThat(layer.get("status_notes_as_written").asText()).isEqualTo(notes);
        assertThat(layer.get("description").asText()).doesNotContain("0912.345.679");   // (a bare "0912" may be in a timestamp's digits)
    }

    @Test
    void aNewReportEvictsTheCachedTileItFallsIn() {
        Spot s = spot(888);
        long[] tile = tile(s, 16);
        String mvt = "/tiles/field_reports/16/" + tile[0] + "/" + tile[1] + ".mvt";
        http.bytes(mvt);   // cached now
        String description = unique("Sụt lún mặt đường");
        created(post("json", "service_code", "road_damage", "lat", String.valueOf(s.lat()), "long", String.valueOf(s.lon()), "description", description));
        assertThat(contains(http.bytes(mvt).body(), description)).isTrue();
    }

    @Test
    void theLayerDrawsByStatusAndAsAHeatMap() throws Exception {
        Spot s = spot(2222);
        created(post("json", "service_code", "flooding", "lat", String.valueOf(s.lat()), "long", String.valueOf(s.lon()), "description", unique("Ngập")));
        double x = Math.toRadians(s.lon()) * 6378137.0;
        double y = Math.log(Math.tan(Math.PI / 4 + Math.toRadians(s.lat()) / 2)) * 6378137.0;
        for (String style : List.of("field_reports_status", "field_reports_heat", "")) {
            HttpResponse<byte[]> r = http.bytes("/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=field_reports&STYLES=" + style
                    + "&CRS=EPSG:3857&BBOX=" + (x - 300) + "," + (y - 300) + "," + (x + 300) + "," + (y + 300)
                    + "&WIDTH=200&HEIGHT=200&FORMAT=image/png&TRANSPARENT=TRUE");
            assertThat(r.statusCode()).as(style).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).isEqualTo("image/png");
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
            assertThat(img.getRGB(100, 100) >>> 24).as(style + ": the report's pixel is drawn").isGreaterThan(0);
            // 20 px off the point: inside the heat map's 48 px disc, outside the status style's 10 px circle
            int off = img.getRGB(120, 100) >>> 24;
            if (style.equals("field_reports_heat")) {
                assertThat(off).as(style).isGreaterThan(0);
            } else {
                assertThat(off).as(style).isZero();
            }
        }
        assertThat(http.get("/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities").body()).contains("<Name>field_reports_heat</Name>");
    }

    long[] tile(Spot s, int z) {
        double x = Math.toRadians(s.lon()) * 6378137.0;
        double y = Math.log(Math.tan(Math.PI / 4 + Math.toRadians(s.lat()) / 2)) * 6378137.0;
        double half = 20037508.342789244;
        double span = 2 * half / (1L << z);
        return new long[] {(long) Math.floor((x + half) / span), (long) Math.floor((half - y) / span)};
    }

    static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(new String(needle.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    }

    // ------------------------------------------------------------------ workflow and statistics

    @Test
    void officersMoveAReportThroughTheWorkflowAndThePublicSeesStatusAndNotes() {
        Spot s = spot(1500);
        long id = created(post("json", "service_code", "illegal_construction", "lat", String.valueOf(s.lat()), "long", String.valueOf(s.lon()),
                "description", unique("Xây nhà không phép")));
        String path = "/api/reports/" + id + "/status";
        String json = "application/json";
        assertThat(http.post(path, json, "{\"status\":\"acknowledged\"}".getBytes()).statusCode()).isEqualTo(401);
        String[] officer = Http.basic(OFFICER, PASSWORD);
        assertThat(http.post(path, json, "{\"status\":\"acknowledged\",\"notes\":\"Đã tiếp nhận, chuyển tổ kiểm tra\"}".getBytes(StandardCharsets.UTF_8), officer)
                .statusCode()).isEqualTo(200);
        assertThat(body(http.get("/open311/v2/requests/" + id + ".json")).at("/0/status").asText()).isEqualTo("open");
        assertThat(http.post(path, json, "{\"status\":\"in_progress\"}".getBytes(), officer).statusCode()).isEqualTo(200);
        HttpResponse<String> back = http.post(path, json, "{\"status\":\"open\"}".getBytes(), officer);
        assertThat(back.statusCode()).isEqualTo(409);
        assertThat(back.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(http.post(path, json, "{\"status\":\"closed\"}".getBytes(), officer).statusCode()).isEqualTo(400);
        assertThat(http.post(path, json, "{\"status\":\"done\"}".getBytes(), officer).statusCode()).isEqualTo(400);
        assertThat(http.post(path, json, "not json".getBytes(), officer).statusCode()).isEqualTo(400);
        String notes = "Đã lập biên bản, buộc tháo dỡ";
        assertThat(http.post(path, json, ("{\"status\":\"closed\",\"notes\":\"" + notes + "\"}").getBytes(StandardCharsets.UTF_8), officer)
                .statusCode()).isEqualTo(200);
        JsonNode pub = body(http.get("/open311/v2/requests/" + id + ".json")).get(0);
        assertThat(pub.get("status").asText()).isEqualTo("closed");
        assertThat(pub.get("status_notes").asText()).isEqualTo(notes);
        assertThat(body(http.get("/open311/v2/requests.json?status=closed&service_request_id=" + id)).size()).isEqualTo(1);
        JsonNode closedOnly = body(http.get("/open311/v2/requests.json?status=open&service_code=illegal_construction"));
        for (JsonNode r : closedOnly) {
            assertThat(r.get("status").asText()).isEqualTo("open");
            assertThat(r.get("service_code").asText()).isEqualTo("illegal_construction");
        }
        List<String> history = jdbc.queryForList("SELECT from_status || '>' || to_status || ':' || actor FROM fieldreports.status_change "
                + "WHERE report_id = ? ORDER BY id", String.class, id);
        assertThat(history).containsExactly("open>acknowledged:" + OFFICER, "acknowledged>in_progress:" + OFFICER, "in_progress>closed:" + OFFICER);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit.event WHERE action = 'field-report-status' AND target = ?", Long.class,
                "fieldreports.report/" + id)).isEqualTo(3);
        assertThat(body(http.get("/api/reports/" + id, officer)).get("history").size()).isEqualTo(3);

        // spam goes off every public answer and the map, and can come back
        String publication = "/api/reports/" + id + "/published";
        assertThat(http.post(publication, json, "{\"published\":false}".getBytes(), officer).statusCode()).isEqualTo(200);
        error(http.get("/open311/v2/requests/" + id + ".json"), 404);
        assertThat(http.get("/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=field_reports&OUTPUTFORMAT=application/json"
                + "&RESOURCEID=field_reports." + id).body()).doesNotContain(notes);
        assertThat(http.get("/api/reports/" + id, officer).statusCode()).isEqualTo(200);
        assertThat(http.post(publication, json, "{\"published\":true}".getBytes(), officer).statusCode()).isEqualTo(200);
        assertThat(http.get("/open311/v2/requests/" + id + ".json").statusCode()).isEqualTo(200);
        assertThat(http.post(publication, json, "{}".getBytes(), officer).statusCode()).isEqualTo(400);
        assertThat(http.post(publication, json, "{\"published\":false}".getBytes()).statusCode()).isEqualTo(401);
    }

    @Test
    void statisticsEqualADirectSqlAggregate() {
        Spot s = spot(2000);
        List<Long> ids = new ArrayList<>();
        for (String code : List.of("flooding", "waste", "waste", "road_damage")) {
            HttpResponse<String> r = post("json", "service_code", code, "lat", String.valueOf(s.lat()), "long", String.valueOf(s.lon()),
                    "description", unique("Thống kê " + code));
            ids.add(created(r));
            // the second waste report hears of the first, 0 m away; the others of none of their kind
            String notice = body(r).at("/0/service_notice").asText();
            if (ids.size() == 3) {
                assertThat(notice).contains("within 50 m: " + ids.get(1));
            } else {
                assertThat(notice).doesNotContain("within 50 m");
            }
        }
        long closeMe = created(post("json", "service_code", "waste", "lat", String.valueOf(s.lat()), "long", String.valueOf(s.lon()), "description", unique("Thống kê")));
        assertThat(http.post("/api/reports/" + closeMe + "/status", "application/json", "{\"status\":\"closed\",\"notes\":\"Đã thu gom\"}"
                .getBytes(StandardCharsets.UTF_8), Http.basic(OFFICER, PASSWORD)).statusCode()).isEqualTo(200);
        // one late: closed after its deadline
        jdbc.update("UPDATE fieldreports.report SET due_at = closed_at - interval '1 hour' WHERE id = (SELECT min(id) FROM fieldreports.report WHERE status = 'closed')");

        assertThat(http.get("/api/statistics/reports").statusCode()).isEqualTo(401);
        HttpResponse<String> r = http.get("/api/statistics/reports", IOC);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode st = body(r);
        Map<String, Object> truth = jdbc.queryForMap("""
                SELECT count(*) total, count(*) FILTER (WHERE status = 'closed') handled,
                       count(*) FILTER (WHERE status = 'closed' AND closed_at <= due_at) on_time
                FROM fieldreports.report WHERE published AND reported_at >= now() - interval '30 days'""");
        assertThat(st.get("total").asLong()).isEqualTo(((Number) truth.get("total")).longValue());
        assertThat(st.get("handled").asLong()).isEqualTo(((Number) truth.get("handled")).longValue());
        assertThat(st.get("onTime").asLong()).isEqualTo(((Number) truth.get("on_time")).longValue());
        assertThat(st.get("handledRate").asDouble()).isCloseTo(((Number) truth.get("handled")).doubleValue() / ((Number) truth.get("total")).doubleValue(),
                org.assertj.core.data.Offset.offset(1e-4));
        Map<String, Long> byCategory = new java.util.HashMap<>();
        jdbc.query("SELECT service_code, count(*) FROM fieldreports.report WHERE published AND reported_at >= now() - interval '30 days' GROUP BY 1",
                rs -> {
                    byCategory.put(rs.getString(1), rs.getLong(2));
                });
        Map<String, Long> got = new java.util.HashMap<>();
        for (JsonNode c : st.get("byCategory")) {
            got.put(c.get("code").asText(), c.get("total").asLong());
        }
        assertThat(got).isEqualTo(byCategory);
        Map<String, Long> byCommune = new java.util.HashMap<>();
        jdbc.query("SELECT coalesce(commune_code, '-'), count(*) FROM fieldreports.report WHERE published AND reported_at >= now() - interval '30 days' GROUP BY 1",
                rs -> {
                    byCommune.put(rs.getString(1), rs.getLong(2));
                });
        Map<String, Long> gotCommune = new java.util.HashMap<>();
        for (JsonNode c : st.get("byCommune")) {
            gotCommune.put(c.get("code").isNull() ? "-" : c.get("code").asText(), c.get("total").asLong());
        }
        assertThat(gotCommune).isEqualTo(byCommune);
        long statusSum = 0;
        for (JsonNode c : st.get("byStatus")) {
            statusSum += c.get("total").asLong();
        }
        assertThat(statusSum).isEqualTo(st.get("total").asLong());
    }
}
