package vn.landgis.cadastre;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import vn.landgis.platform.UserAccounts;
import vn.landgis.support.Http;

/**
 * Who sees personal data: only land officers, however they sign in; nobody else on any endpoint.
 * And bad input is always a 4xx problem, never a 500.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RegisterSecurityTest {

    /** Field names that only personal-data answers carry. */
    static final List<String> PERSONAL = List.of("\"rights\"", "\"party\"", "\"fullName\"", "\"idNumber\"", "\"birthYear\"", "\"certificateNo\"");

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    UserAccounts accounts;
    Http http;
    Map<String, Object> parcel;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts.save("officer.sec", "another-long-password".toCharArray(), Set.of("LAND_OFFICER"));
        accounts.save("investor.sec", "another-long-password".toCharArray(), Set.of("INVESTOR", "PLANNER"));
        parcel = jdbc.queryForMap("""
                SELECT p.parcel_id, p.commune_code, p.sheet_no, p.parcel_no, ST_X(w) lon, ST_Y(w) lat, pa.full_name, p.address
                FROM cadastre.parcel p JOIN cadastre.land_right r ON r.parcel_version = p.id JOIN cadastre.party pa ON pa.id = r.party_id
                CROSS JOIN LATERAL ST_Transform(ST_PointOnSurface(p.geom), 4326) w
                WHERE p.valid_to IS NULL AND pa.kind = 'person' ORDER BY p.id LIMIT 1""");
    }

    /** Every endpoint of the register API that answers a citizen. */
    List<String> publicEndpoints() {
        return List.of(
                "/api/parcels/" + parcel.get("commune_code") + "/" + parcel.get("sheet_no") + "/" + parcel.get("parcel_no"),
                "/api/parcels/" + parcel.get("commune_code") + "/" + parcel.get("sheet_no") + "/" + parcel.get("parcel_no") + "?asOf=2030-01-01",
                "/api/parcels/" + parcel.get("parcel_id"),
                "/api/parcels/" + parcel.get("parcel_id") + "?crs=EPSG:9210",
                "/api/parcels/at?lon=" + parcel.get("lon") + "&lat=" + parcel.get("lat"),
                "/api/parcels/at?lon=" + parcel.get("lon") + "&lat=" + parcel.get("lat") + "&asOf=2030-01-01",
                "/api/parcels/search?q=" + Http.q((String) parcel.get("full_name")) + "&limit=100",
                "/api/parcels/search?q=" + Http.q((String) parcel.get("address")) + "&limit=100",
                "/api/parcels/search?q=" + Http.q("thửa " + parcel.get("parcel_no") + " tờ " + parcel.get("sheet_no")) + "&limit=100",
                "/api/parcels/" + parcel.get("parcel_id") + "/planning",
                "/api/planning/plans",
                "/api/statistics/land-use?commune=" + parcel.get("commune_code"),
                "/api/statistics/planned-vs-current?commune=" + parcel.get("commune_code"));
    }

    @Test
    void anotherSitesWebMapMayReadThePublishedServicesButNothingMoreThanItsCallerMay() {
        String origin = "https://ioc.tayninh.gov.vn";
        String id = String.valueOf(parcel.get("parcel_id"));
        for (String path : List.of("/ows?SERVICE=WMS&REQUEST=GetCapabilities", "/api/parcels/" + id, "/open311/v2/services.json",
                "/api/planning/plans", "/tiles/parcels.json")) {
            var r = http.get(path, "Origin", origin);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).as(path).hasValue("*");
            assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).as(path).isEmpty();
        }
        // an anonymous cross-origin call gets the public answer only
        assertThat(http.get("/api/parcels/" + id, "Origin", origin).body()).doesNotContain((String) parcel.get("full_name"));
        // the browser's preflight for a WFS POST or a signed-in request
        var preflight = http.send("OPTIONS", "/ows", "Origin", origin, "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization,content-type,x-api-key");
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase()).contains("x-api-key").contains("authorization");
        // the editor, the imports and the officers' report work list stay same-origin
        for (String path : List.of("/api/edits/split", "/api/imports", "/api/reports")) {
            var refused = http.send("OPTIONS", path, "Origin", origin, "Access-Control-Request-Method", "POST");
            assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).as(path).isEmpty();
            assertThat(http.get(path, "Origin", origin).headers().firstValue("Access-Control-Allow-Origin")).as(path).isEmpty();
        }
    }

    @Test
    void onlyOfficersEverReceivePartiesOrRights() throws Exception {
        String[][] notOfficers = {
            {},                                                 // anonymous citizen
            Http.basic("investor.sec", "another-long-password"),
            {"X-API-Key", "ioc-test-key-0123456789"},
            Http.bearer(token(List.of("INVESTOR"))),
        };
        for (String[] who : notOfficers) {
            for (String endpoint : publicEndpoints()) {
                var r = http.get(endpoint, who);
                assertThat(r.statusCode()).as(endpoint).isEqualTo(200);
                for (String field : PERSONAL) {
                    assertThat(r.body()).as("%s as %s", endpoint, who.length == 0 ? "anonymous" : who[0]).doesNotContain(field);
                }
                assertThat(r.body()).doesNotContain((String) parcel.get("full_name"));
            }
            var history = http.get("/api/parcels/" + parcel.get("parcel_id") + "/history", who);
            assertThat(history.statusCode()).isIn(401, 403);
            // either as a problem detail (a 403 was the container's error page); a 401 challenges a program
            assertThat(history.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
            if (history.statusCode() == 401) {
                assertThat(history.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic realm=");
            }
        }
        // a web page's own request gets no challenge: the browser's sign-in dialog would interrupt the map
        var fromPage = http.get("/api/parcels/" + parcel.get("parcel_id") + "/history", "Sec-Fetch-Mode", "cors");
        assertThat(fromPage.statusCode()).isEqualTo(401);
        assertThat(fromPage.headers().firstValue("WWW-Authenticate")).isEmpty();
        var reports = http.get("/api/reports");
        assertThat(reports.statusCode()).isEqualTo(401);
        assertThat(reports.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic realm=");
        // an officer, by password or by the province's identity provider, sees them
        for (String[] officer : new String[][] {Http.basic("officer.sec", "another-long-password"), Http.bearer(token(List.of("land_officer")))}) {
            var r = http.get(publicEndpoints().get(0), officer);
            assertThat(r.body()).contains("\"rights\"", (String) parcel.get("full_name"));
            // the point look-up is a servlet of its own (ParcelPointServlet): the same audience from the same sign-in
            var at = http.get(publicEndpoints().get(4), officer);
            assertThat(at.body()).contains("\"rights\"", (String) parcel.get("full_name"));
            assertThat(http.get("/api/parcels/" + parcel.get("parcel_id") + "/history", officer).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void badCredentialsAreRefusedNotDowngraded() throws Exception {
        String endpoint = publicEndpoints().get(0);
        assertThat(http.get(endpoint, Http.basic("officer.sec", "wrong-password-here")).statusCode()).isEqualTo(401);
        // on /ows the refusal is an OGC exception report, which GDAL and QGIS show (a problem detail they print as "401 (0)")
        var ows = http.get("/ows?SERVICE=WFS&REQUEST=GetCapabilities", Http.basic("officer.sec", "wrong-password-here"));
        assertThat(ows.statusCode()).isEqualTo(401);
        assertThat(ows.body()).contains("ows:ExceptionReport", "wrong user name or password");
        assertThat(ows.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic realm=");
        assertThat(http.get(endpoint, "X-API-Key", "not-a-key").statusCode()).isEqualTo(401);
        assertThat(http.get(endpoint, Http.bearer(token(List.of("LAND_OFFICER")).replace('a', 'b'))).statusCode()).isEqualTo(401);
        assertThat(http.get(endpoint, Http.bearer(expiredToken())).statusCode()).isEqualTo(401);
        // guessing a password is throttled: the sixth wrong one for an account from this address gets 429
        for (int i = 0; i < 5; i++) {
            assertThat(http.get(endpoint, Http.basic("nobody.guessed", "guess-number-" + i)).statusCode()).isEqualTo(401);
        }
        var throttled = http.get(endpoint, Http.basic("nobody.guessed", "guess-number-5"));
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        assertThat(throttled.body()).contains("too-many-sign-ins");
        // while the officer, whose password is right, still gets in from the same address
        assertThat(http.get("/api/parcels/" + 1 + "/history", Http.basic("officer.sec", "another-long-password")).statusCode()).isIn(200, 404);
    }

    @Test
    void accountsNeedStrongPasswordsAndKnownRoles() {
        assertThatThrownBy(() -> accounts.save("weak.user", "short".toCharArray(), Set.of("LAND_OFFICER")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> accounts.save("odd.user", "a-long-enough-password".toCharArray(), Set.of("ADMIN")))
                .isInstanceOf(IllegalArgumentException.class);
        String hash = jdbc.queryForObject("SELECT password_hash FROM platform.user_account WHERE username = 'officer.sec'", String.class);
        assertThat(hash).startsWith("{bcrypt}").doesNotContain("another-long-password");
    }

    @Test
    void badInputGetsAProblemDetailNeverA500() {
        Map<String, Integer> cases = new java.util.LinkedHashMap<>();
        cases.put("/api/parcels/at?lon=10.54&lat=106.41", 400);                      // swapped
        cases.put("/api/parcels/at?lon=105.85&lat=21.03", 422);                      // Hà Nội: outside the province
        cases.put("/api/parcels/at?lon=200&lat=10", 400);
        cases.put("/api/parcels/at?lon=abc&lat=10", 400);
        cases.put("/api/parcels/at?lon=NaN&lat=10", 400);
        cases.put("/api/parcels/at?lon=106.41&lat=10.54&tolerance=abc", 400);
        cases.put("/api/parcels/at?x=1&y=2&crs=EPSG:4242", 400);                     // unknown CRS
        cases.put("/api/parcels/at?x=1&y=2&crs=" + Http.q("EPSG:9210'; DROP TABLE cadastre.parcel;--"), 400);
        cases.put("/api/parcels/at?x=572000&y=1165000", 400);                        // x/y without crs
        cases.put("/api/parcels/at?lon=106.41&lat=10.54&tolerance=5000", 400);
        cases.put("/api/parcels/at?lon=106.41&lat=10.54&asOf=yesterday", 400);
        cases.put("/api/parcels/at", 400);
        cases.put("/api/parcels/27694/0/1", 400);
        cases.put("/api/parcels/2769'/1/1", 400);
        cases.put("/api/parcels/27694/1/99999", 404);
        cases.put("/api/parcels/27694/x/1", 400);
        cases.put("/api/parcels/999999999", 404);
        cases.put("/api/parcels/-1", 404);                                          // no such API path: a problem detail too
        cases.put("/api/parcels/abc", 404);
        cases.put("/api/parcels/27694/1", 404);
        cases.put("/api/nothing-here", 404);
        cases.put("/api/parcels/1?crs=EPSG:99999", 400);
        cases.put("/api/parcels/search?q=", 400);
        cases.put("/api/parcels/search?q=a&limit=100000", 400);
        cases.put("/api/parcels/search?q=" + Http.q("x".repeat(300)), 400);
        cases.put("/api/parcels/search?q=%ff%fe", 400);                             // no UTF-8 (was a 500)
        cases.put("/api/parcels/at?lon=%ff&lat=10", 400);
        for (var c : cases.entrySet()) {
            var r = http.get(c.getKey());
            assertThat(r.statusCode()).as(c.getKey()).isEqualTo(c.getValue());
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(c.getKey()).contains("application/problem+json");
            assertThat(r.body()).as(c.getKey()).contains("\"code\"").contains(" / ");   // a code, and Vietnamese / English
        }
        // a wrong API key: 401 as a problem detail whose Vietnamese survives (it was sent as ISO-8859-1: "Kh?a")
        var wrongKey = http.get("/api/statistics/land-use", "X-API-Key", "not-a-key-of-ours");
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        assertThat(wrongKey.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json").containsIgnoringCase("utf-8");
        assertThat(wrongKey.body()).contains("Khóa API không hợp lệ");
        // the point look-up's own servlet answers other methods as the dispatcher does, HEAD as GET without a body
        var post = http.post("/api/parcels/at?lon=106.41&lat=10.54", "application/json", "{}");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(post.body()).contains("method-not-allowed");
        var options = http.send("OPTIONS", "/api/parcels/at");
        assertThat(options.statusCode()).isEqualTo(200);
        assertThat(options.headers().firstValue("Allow").orElse("")).isEqualTo("GET, HEAD, OPTIONS");
        var delete = http.send("DELETE", "/api/parcels/at?lon=106.41&lat=10.54");
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.body()).contains("\"instance\":\"/api/parcels/at\"", "method-not-allowed");
        var head = http.head("/api/parcels/at?lon=" + parcel.get("lon") + "&lat=" + parcel.get("lat"));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Type").orElse("")).contains("application/geo+json");
        // SQL metacharacters and odd text in a search are data, not code
        for (String q : List.of("'; DROP TABLE cadastre.parcel; --", "%_\\", "thửa 1 tờ 1 xã ' OR 1=1 --", "\u0000abc", "😀 đường")) {
            assertThat(http.get("/api/parcels/search?q=" + Http.q(q)).statusCode()).as(q).isIn(200, 400);
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel", Integer.class)).isPositive();
        // a 10 MB query string
        var huge = http.get("/api/parcels/search?q=" + "a".repeat(10 * 1024 * 1024));
        assertThat(huge.statusCode()).isBetween(400, 499);
    }

    @Test
    void auditTrailIsAppendOnly() {
        jdbc.update("INSERT INTO audit.event (actor, action) VALUES ('test', 'probe')");
        assertThatThrownBy(() -> jdbc.update("UPDATE audit.event SET actor = 'someone else'")).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("DELETE FROM audit.event")).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("TRUNCATE audit.event")).rootCause().hasMessageContaining("append-only");
    }

    // ------------------------------------------------------------------ tokens from a local issuer

    static String token(List<String> roles) throws Exception {
        return sign(new JWTClaimsSet.Builder().subject("u-123").claim("preferred_username", "tester")
                .claim("realm_access", Map.of("roles", roles)).issueTime(new java.util.Date())
                .expirationTime(java.util.Date.from(Instant.now().plusSeconds(300))).build());
    }

    static String expiredToken() throws Exception {
        return sign(new JWTClaimsSet.Builder().subject("u-123").claim("roles", List.of("LAND_OFFICER"))
                .expirationTime(java.util.Date.from(Instant.now().minusSeconds(3600))).build());
    }

    private static String sign(JWTClaimsSet claims) throws Exception {
        String pem = Files.readString(Path.of(RegisterSecurityTest.class.getResource("/jwt/test-private-pkcs8.pem").toURI()), StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        RSAPrivateKey key = (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
