package vn.landgis.ows;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


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

/** WFS 2.0 read side over the demo district: documents valid by the OGC schemas, paging, roles, errors, GDAL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WfsTest {

    static final String OFFICER = "officer.wfs";
    static final String PASSWORD = "a-long-test-password";
    static final String WFS = "/ows?SERVICE=WFS&VERSION=2.0.0&";

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

    static String attribute(String xml, String name) {
        Matcher m = Pattern.compile(" " + name + "=\"([^\"]*)\"").matcher(xml);
        assertThat(m.find()).as(name).isTrue();
        return m.group(1);
    }

    JsonNode json(String pathAndQuery, String... headers) {
        var r = http.get(pathAndQuery, headers);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        try {
            return json.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(r.body(), e);
        }
    }

    @Test
    void capabilitiesAreValidAndDeclareWhatWeImplement() {
        var r = http.bytes("/ows?SERVICE=WFS&REQUEST=GetCapabilities");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(OgcSchemas.errors(r.body(), "wfs/2.0/wfs.xsd")).isEmpty();
        String xml = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(xml).contains("<wfs:Name>landgis:parcels</wfs:Name>", "urn:ogc:def:crs:EPSG::9210",
                "name=\"ImplementsBasicWFS\"", "name=\"resolve\"", "fes:Filter_Capabilities").doesNotContain("import_findings");
        assertThat(http.get("/ows?SERVICE=WFS&REQUEST=GetCapabilities", Http.basic(OFFICER, PASSWORD)).body()).contains("landgis:import_findings");
    }

    @Test
    void getFeatureIsValidGmlByOurSchemaAndPagesWithNextAndPrevious() throws Exception {
        var r = http.bytes(WFS + "REQUEST=GetFeature&TYPENAMES=landgis:parcels&COUNT=5&STARTINDEX=5");
        assertThat(r.statusCode()).isEqualTo(200);
        String xml = new String(r.body(), StandardCharsets.UTF_8);
        long current = jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL", Long.class);
        assertThat(attribute(xml, "numberMatched")).isEqualTo(Long.toString(current));
        assertThat(attribute(xml, "numberReturned")).isEqualTo("5");
        assertThat(attribute(xml, "next")).contains("STARTINDEX=10");
        assertThat(attribute(xml, "previous")).contains("STARTINDEX=0");
        assertThat(xml).doesNotContain("owners");
        // valid by wfs.xsd together with our DescribeFeatureType schema
        byte[] schema = http.bytes(WFS + "REQUEST=DescribeFeatureType&TYPENAMES=parcels").body();
        assertThat(new String(schema, StandardCharsets.UTF_8)).contains("substitutionGroup=\"gml:AbstractFeature\"");
        assertThat(OgcSchemas.errors(r.body(), "wfs/2.0/wfs.xsd", schema)).isEmpty();
        // officers see the owners in the schema and the features
        String officer = http.get(WFS + "REQUEST=GetFeature&TYPENAMES=parcels&COUNT=50", Http.basic(OFFICER, PASSWORD)).body();
        assertThat(officer).contains("<landgis:owners>");
    }

    @Test
    void severalQueriesInOneKvpRequestEachWithItsOwnFilterAndProperties() {
        java.util.Map<String, Object> parcel = jdbc.queryForMap("SELECT commune_code, sheet_no, parcel_no FROM cadastre.parcel WHERE valid_to IS NULL ORDER BY id LIMIT 1 OFFSET 300");
        String commune = (String) parcel.get("commune_code");
        int parcelNo = (Integer) parcel.get("parcel_no");
        long parcels = jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL AND parcel_no = ? AND commune_code = ?", Long.class,
                parcelNo, commune);
        String equal = "<fes:Filter xmlns:fes=\"http://www.opengis.net/fes/2.0\"><fes:And><fes:PropertyIsEqualTo><fes:ValueReference>%s</fes:ValueReference>"
                + "<fes:Literal>%s</fes:Literal></fes:PropertyIsEqualTo><fes:PropertyIsEqualTo><fes:ValueReference>%s</fes:ValueReference>"
                + "<fes:Literal>%s</fes:Literal></fes:PropertyIsEqualTo></fes:And></fes:Filter>";
        String both = WFS + "REQUEST=GetFeature&TYPENAMES=" + Http.q("(parcels)(communes)") + "&OUTPUTFORMAT=application/json&FILTER="
                + Http.q("(" + equal.formatted("parcel_no", parcelNo, "commune_code", commune) + ")("
                        + equal.formatted("code", commune, "kind", "(không)") + ")");
        // the second filter's literal holds parentheses: the groups split between tags only; it matches no commune
        JsonNode r = json(both);
        assertThat(r.get("features")).hasSize((int) parcels);
        JsonNode one = json(both.replace(Http.q("(không)"), Http.q(jdbc.queryForObject("SELECT kind FROM ows.communes WHERE code = ?", String.class, commune)))
                + "&PROPERTYNAME=" + Http.q("(parcel_no)(name)"));
        assertThat(one.get("features")).hasSize((int) parcels + 1);
        int parcelsShown = 0;
        int communesShown = 0;
        for (JsonNode f : one.get("features")) {
            JsonNode p = f.get("properties");
            parcelsShown += p.has("parcel_no") && !p.has("sheet_no") && !p.has("name") ? 1 : 0;
            communesShown += p.has("name") && !p.has("kind") && !p.has("parcel_no") ? 1 : 0;
        }
        assertThat(parcelsShown).as(one.toString()).isEqualTo(parcels);
        assertThat(communesShown).isOne();
        // each query its own order: the communes by name backwards, then forwards
        List<String> names = jdbc.queryForList("SELECT name FROM ows.communes ORDER BY name", String.class);
        JsonNode sorted = json(WFS + "REQUEST=GetFeature&TYPENAMES=" + Http.q("(communes)(communes)") + "&OUTPUTFORMAT=application/json&SORTBY="
                + Http.q("(name DESC)(name ASC)") + "&PROPERTYNAME=" + Http.q("(name)(name)"));
        List<String> shown = new java.util.ArrayList<>();
        sorted.get("features").forEach(f -> shown.add(f.at("/properties/name").asText()));
        List<String> expected = new java.util.ArrayList<>(names.reversed());
        expected.addAll(names);
        assertThat(shown).isEqualTo(expected);
        // a join, groups that do not match the queries, an unclosed list: refused
        for (String bad : List.of("TYPENAMES=" + Http.q("(parcels,communes)"), "TYPENAMES=" + Http.q("(parcels)(communes)") + "&PROPERTYNAME=" + Http.q("(parcel_no)"),
                "TYPENAMES=" + Http.q("(parcels)(communes)") + "&SORTBY=" + Http.q("(parcel_no)"),
                "TYPENAMES=" + Http.q("(parcels)(communes"))) {
            assertThat(http.get(WFS + "REQUEST=GetFeature&" + bad).statusCode()).as(bad).isEqualTo(400);
        }
    }

    @Test
    void geoJsonHitsSortingAndBboxAgreeWithPostgis() {
        JsonNode page = json(WFS + "REQUEST=GetFeature&TYPENAMES=parcels&COUNT=3&OUTPUTFORMAT=application/json&SORTBY=parcel_no%20DESC");
        assertThat(page.get("features")).hasSize(3);
        int max = jdbc.queryForObject("SELECT max(parcel_no) FROM cadastre.parcel WHERE valid_to IS NULL", Integer.class);
        assertThat(page.at("/features/0/properties/parcel_no").asInt()).isEqualTo(max);
        assertThat(page.at("/features/0/geometry/type").asText()).isEqualTo("MultiPolygon");
        // a bbox in EPSG:4326 (latitude first), counted by PostGIS
        // around a demo parcel (other tests of this database publish other districts elsewhere)
        double[] c = jdbc.queryForObject("SELECT ST_Y(p), ST_X(p) FROM (SELECT ST_Transform(ST_PointOnSurface(geom), 4326) p FROM cadastre.parcel WHERE valid_to IS NULL ORDER BY id LIMIT 1 OFFSET 500) x",
                (rs, i) -> new double[] {rs.getDouble(1), rs.getDouble(2)});
        double d = 0.003;
        long truth = jdbc.queryForObject("""
                SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL
                   AND ST_Intersects(geom, ST_Transform(ST_MakeEnvelope(?, ?, ?, ?, 4326), 9210))""", Long.class,
                c[1] - d, c[0] - d, c[1] + d, c[0] + d);
        assertThat(truth).isPositive();
        String bbox = (c[0] - d) + "," + (c[1] - d) + "," + (c[0] + d) + "," + (c[1] + d) + ",urn:ogc:def:crs:EPSG::4326";
        JsonNode hits = json(WFS + "REQUEST=GetFeature&TYPENAMES=parcels&RESULTTYPE=hits&OUTPUTFORMAT=application/json&BBOX=" + bbox);
        assertThat(hits.get("numberMatched").asLong()).isEqualTo(truth);
        assertThat(hits.get("features")).isEmpty();
        // without its own CRS the BBOX is in SRSNAME's, else in the feature type's DefaultCRS (VN-2000, metres)
        String latLonOnly = bbox.substring(0, bbox.lastIndexOf(','));
        assertThat(json(WFS + "REQUEST=GetFeature&TYPENAMES=parcels&RESULTTYPE=hits&OUTPUTFORMAT=application/json&SRSNAME=urn:ogc:def:crs:EPSG::4326&BBOX="
                + latLonOnly).get("numberMatched").asLong()).isEqualTo(truth);
        double[] m = jdbc.queryForObject("""
                SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM (SELECT ST_Transform(ST_MakeEnvelope(?, ?, ?, ?, 4326), 9210)::box2d b) x""",
                (rs, i) -> new double[] {rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)}, c[1] - d, c[0] - d, c[1] + d, c[0] + d);
        long inMetres = jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL AND ST_Intersects(geom, ST_MakeEnvelope(?, ?, ?, ?, 9210))",
                Long.class, m[0], m[1], m[2], m[3]);
        assertThat(json(WFS + "REQUEST=GetFeature&TYPENAMES=parcels&RESULTTYPE=hits&OUTPUTFORMAT=application/json&BBOX=" + m[0] + "," + m[1] + ","
                + m[2] + "," + m[3]).get("numberMatched").asLong()).isEqualTo(inMetres).isPositive();
        // COUNT=0 asks for none of them (it answered all before)
        JsonNode none = json(WFS + "REQUEST=GetFeature&TYPENAMES=parcels&COUNT=0&OUTPUTFORMAT=application/json&BBOX=" + bbox);
        assertThat(none.get("numberMatched").asLong()).isEqualTo(truth);
        assertThat(none.get("features")).isEmpty();
        assertThat(http.get(WFS + "REQUEST=GetFeature&TYPENAMES=parcels&COUNT=0&BBOX=" + bbox).body()).contains("numberReturned=\"0\"")
                .doesNotContain("wfs:member");
        JsonNode all = json(WFS + "REQUEST=GetFeature&TYPENAMES=parcels&OUTPUTFORMAT=application/json&SRSNAME=EPSG:4326&BBOX=" + bbox);
        assertThat(all.get("features")).hasSize((int) truth);
        double lon = all.at("/features/0/geometry/coordinates/0/0/0/0").asDouble();
        assertThat(lon).isBetween(104.0, 108.0);   // GeoJSON is longitude first whatever the CRS's axis order
        // the vendor parameter asOf, as in WMS: the register as it was (before anything was registered: nothing), now: the same
        assertThat(json(WFS + "REQUEST=GetFeature&TYPENAMES=parcels&RESULTTYPE=hits&OUTPUTFORMAT=application/json&asOf=1990-01-01&BBOX=" + bbox)
                .get("numberMatched").asLong()).isZero();
        assertThat(json(WFS + "REQUEST=GetFeature&TYPENAMES=parcels&RESULTTYPE=hits&OUTPUTFORMAT=application/json&asOf="
                + java.time.LocalDate.now().plusDays(1) + "&BBOX=" + bbox).get("numberMatched").asLong()).isEqualTo(truth);
    }

    @Test
    void storedQueriesAndPropertyValues() {
        long id = jdbc.queryForObject("SELECT id FROM cadastre.parcel WHERE valid_to IS NULL ORDER BY id LIMIT 1", Long.class);
        var byId = http.get(WFS + "REQUEST=GetFeature&STOREDQUERY_ID=urn:ogc:def:query:OGC-WFS::GetFeatureById&ID=parcels." + id);
        assertThat(byId.statusCode()).as(byId.body()).isEqualTo(200);
        assertThat(byId.body()).contains("gml:id=\"parcels." + id + "\"").doesNotContain("FeatureCollection");
        // COUNT=0 means nothing to GetFeatureById (its answer is the feature itself)
        assertThat(http.get(WFS + "REQUEST=GetFeature&COUNT=0&STOREDQUERY_ID=urn:ogc:def:query:OGC-WFS::GetFeatureById&ID=parcels." + id).body())
                .isEqualTo(byId.body());
        var missing = http.get(WFS + "REQUEST=GetFeature&STOREDQUERY_ID=urn:ogc:def:query:OGC-WFS::GetFeatureById&ID=parcels.999999999");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("exceptionCode=\"NotFound\"");
        var row = jdbc.queryForMap("SELECT commune_code, sheet_no, parcel_no FROM cadastre.parcel WHERE id = ?", id);
        JsonNode byNumber = json(WFS + "REQUEST=GetFeature&STOREDQUERY_ID=urn:landgis:query:ParcelByNumber&OUTPUTFORMAT=application/json"
                + "&COMMUNE=" + row.get("commune_code") + "&SHEET=" + row.get("sheet_no") + "&PARCEL=" + row.get("parcel_no"));
        assertThat(byNumber.at("/features/0/id").asText()).isEqualTo("parcels." + id);
        // asOf holds for stored queries as for ad hoc ones (they answered today's register whatever it said)
        assertThat(json(WFS + "REQUEST=GetFeature&STOREDQUERY_ID=urn:landgis:query:ParcelsOfCommune&OUTPUTFORMAT=application/json&RESULTTYPE=hits"
                + "&COMMUNE=" + row.get("commune_code") + "&asOf=1990-01-01").get("numberMatched").asLong()).isZero();
        assertThat(json(WFS + "REQUEST=GetFeature&STOREDQUERY_ID=urn:landgis:query:ParcelByNumber&OUTPUTFORMAT=application/json"
                + "&COMMUNE=" + row.get("commune_code") + "&SHEET=" + row.get("sheet_no") + "&PARCEL=" + row.get("parcel_no") + "&asOf="
                + java.time.LocalDate.now().plusDays(1)).at("/features/0/id").asText()).isEqualTo("parcels." + id);
        assertThat(http.get(WFS + "REQUEST=GetFeature&STOREDQUERY_ID=urn:landgis:query:ParcelsOfCommune&COMMUNE=" + row.get("commune_code")
                + "&asOf=garbage").statusCode()).isEqualTo(400);
        assertThat(http.get(WFS + "REQUEST=ListStoredQueries").body()).contains("urn:landgis:query:ParcelsOfCommune");
        assertThat(http.get(WFS + "REQUEST=DescribeStoredQueries").body()).contains("name=\"COMMUNE\"");
        String values = http.get(WFS + "REQUEST=GetPropertyValue&TYPENAMES=parcels&VALUEREFERENCE=land_use_code&COUNT=3").body();
        assertThat(values).contains("wfs:ValueCollection", "numberReturned=\"3\"");
        assertThat(http.get(WFS + "REQUEST=GetPropertyValue&TYPENAMES=parcels&VALUEREFERENCE=owners&COUNT=3").statusCode()).isEqualTo(400);
    }

    @Test
    void badRequestsGetOwsExceptionReportsWithTheirStatus() {
        record Case(String query, String code, int status) {
        }
        for (Case c : List.of(
                new Case("/ows?REQUEST=GetCapabilities", "MissingParameterValue", 400),
                new Case(WFS + "REQUEST=GetFeature&TYPENAMES=nothing", "InvalidParameterValue", 400),
                new Case(WFS + "REQUEST=GetFeature&TYPENAMES=import_findings", "InvalidParameterValue", 400),
                new Case(WFS + "REQUEST=DescribeFeatureType&TYPENAMES=nothing", "InvalidParameterValue", 400),
                new Case(WFS + "REQUEST=GetFeature&TYPENAMES=parcels&SRSNAME=EPSG:32690", "InvalidParameterValue", 400),
                new Case(WFS + "REQUEST=GetFeature&TYPENAMES=parcels&COUNT=-1", "InvalidParameterValue", 400),
                new Case(WFS + "REQUEST=GetFeature&TYPENAMES=parcels&PROPERTYNAME=owners", "InvalidParameterValue", 400),
                new Case(WFS + "REQUEST=GetFeature&TYPENAMES=parcels&SORTBY=owners", "InvalidParameterValue", 400),
                new Case(WFS + "REQUEST=GetFeature&TYPENAMES=parcels;DROP%20TABLE%20cadastre.parcel", "InvalidParameterValue", 400),
                new Case(WFS + "REQUEST=GetFeature&TYPENAMES=parcels&SORTBY=parcel_no%3BDROP%20TABLE%20x", "InvalidParameterValue", 400),
                new Case(WFS + "REQUEST=GetPropertyValue&TYPENAMES=parcels&VALUEREFERENCE=", "InvalidParameterValue", 400),
                new Case(WFS + "REQUEST=GetFeature&STOREDQUERY_ID=urn:nothing", "InvalidParameterValue", 400),
                new Case("/ows?SERVICE=WFS&VERSION=1.1.0&REQUEST=GetFeature&TYPENAMES=parcels", "InvalidParameterValue", 400),
                new Case(WFS + "REQUEST=Transaction", "OperationNotSupported", 400),
                new Case(WFS + "REQUEST=GetFeature&TYPENAMES=parcels&asOf=garbage", "InvalidParameterValue", 400),
                new Case(WFS + "REQUEST=GetFeature&TYPENAMES=communes&asOf=2020-01-01", "InvalidParameterValue", 400))) {
            var r = http.bytes(c.query());
            String body = new String(r.body(), StandardCharsets.UTF_8);
            assertThat(r.statusCode()).as(c.query() + "\n" + body).isEqualTo(c.status());
            assertThat(body).as(c.query()).contains("exceptionCode=\"" + c.code() + "\"");
            assertThat(OgcSchemas.errors(r.body(), "ows/1.1.0/owsExceptionReport.xsd")).isEmpty();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel", Long.class)).isPositive();
    }

    HttpResponse<String> post(String xml) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(http.base() + "/ows"))
                .header("Content-Type", "application/xml").POST(HttpRequest.BodyPublishers.ofString(xml)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void xmlPostWorksAndExternalEntitiesAreRefusedUnread(@TempDir Path dir) throws Exception {
        var r = post("""
                <wfs:GetFeature xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:landgis="https://landgis.vn/ns/landgis" \
                service="WFS" version="2.0.0" count="2"><wfs:Query typeNames="landgis:communes"/></wfs:GetFeature>""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(attribute(r.body(), "numberReturned")).isEqualTo("2");
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "MARKER-7f3a");
        for (String evil : List.of(
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file://" + secret + "\">]>"
                        + "<wfs:GetFeature xmlns:wfs=\"http://www.opengis.net/wfs/2.0\" service=\"WFS\" version=\"2.0.0\">"
                        + "<wfs:Query typeNames=\"&e;\"/></wfs:GetFeature>",
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                        + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
                        + "<wfs:GetFeature xmlns:wfs=\"http://www.opengis.net/wfs/2.0\" service=\"WFS\" version=\"2.0.0\">"
                        + "<wfs:Query typeNames=\"&d;\"/></wfs:GetFeature>")) {
            var refused = post(evil);
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("OperationParsingFailed").doesNotContain("MARKER-7f3a").doesNotContain("aaaaaaaaaa");
        }
    }

    @Test
    void gdalReadsTheLayersAndCopiesOneWithASpatialFilter(@TempDir Path dir) throws Exception {
        String url = "WFS:" + http.base() + "/ows?SERVICE=WFS&VERSION=2.0.0";
        String info = WmsTest.run(dir, "ogrinfo", "-ro", "-so", url, "landgis:communes");
        long communes = jdbc.queryForObject("SELECT count(*) FROM ows.communes", Long.class);
        assertThat(info).contains("Feature Count: " + communes);
        // copy the parcels within a box (EPSG:9210) to a GeoPackage; PostGIS says how many intersect it
        double[] e = jdbc.queryForObject("SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM (SELECT ST_Expand(ST_PointOnSurface(geom), 150)::box2d b FROM cadastre.parcel WHERE valid_to IS NULL ORDER BY id LIMIT 1 OFFSET 500) x",
                (rs, i) -> new double[] {rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)});
        long truth = jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL AND ST_Intersects(geom, ST_MakeEnvelope(?, ?, ?, ?, 9210))",
                Long.class, e[0], e[1], e[2], e[3]);
        assertThat(truth).isGreaterThan(3);
        Path gpkg = dir.resolve("parcels.gpkg");
        WmsTest.run(dir, "ogr2ogr", "-f", "GPKG", gpkg.toString(), url, "landgis:parcels",
                "-spat", Double.toString(e[0]), Double.toString(e[1]), Double.toString(e[2]), Double.toString(e[3]));
        String copied = WmsTest.run(dir, "ogrinfo", "-ro", "-al", "-so", gpkg.toString());
        assertThat(copied).contains("Feature Count: " + truth);
    }
}
