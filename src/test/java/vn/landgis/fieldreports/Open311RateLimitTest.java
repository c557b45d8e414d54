package vn.landgis.fieldreports;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import vn.landgis.support.Http;

/** The rate limit over HTTP, with a limit of 3 new reports per client and hour. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "landgis.fieldreports.rate-limit-requests=3")
class Open311RateLimitTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aClientOverItsLimitGets429WithRetryAfterButItsRetriesStillAnswer() throws Exception {
        Http http = new Http(port);
        ObjectMapper json = new ObjectMapper();
        double[] p = jdbc.queryForObject("SELECT ARRAY[ST_X(g), ST_Y(g)] FROM (SELECT ST_Transform(ST_PointOnSurface(geom), 4326) g "
                + "FROM cadastre.parcel WHERE valid_to IS NULL ORDER BY id LIMIT 1) s", (rs, i) -> {
                    Double[] a = (Double[]) rs.getArray(1).getArray();
                    return new double[] {a[0], a[1]};
                });
        String spammer = "key-" + UUID.randomUUID();
        String firstKey = UUID.randomUUID().toString();
        String firstId = null;
        for (int i = 0; i < 4; i++) {
            String key = i == 0 ? firstKey : UUID.randomUUID().toString();
            HttpResponse<String> r = http.post("/open311/v2/requests.json", "application/x-www-form-urlencoded", Http.form("api_key", spammer,
                    "service_code", "waste", "lat", String.valueOf(p[1]), "long", String.valueOf(p[0]), "description", "Rác " + UUID.randomUUID()),
                    "Idempotency-Key", key);
            if (i < 3) {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                if (i == 0) {
                    firstId = json.readTree(r.body()).at("/0/service_request_id").asText();
                }
            } else {
                assertThat(r.statusCode()).isEqualTo(429);
                assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 3600L);
                JsonNode e = json.readTree(r.body());
                assertThat(e.at("/0/code").asInt()).isEqualTo(429);
                assertThat(e.at("/0/description").asText()).contains("too many reports");
            }
        }
        // a retry of the first report is still answered with its id
        HttpResponse<String> retry = http.post("/open311/v2/requests.json", "application/x-www-form-urlencoded", Http.form("api_key", spammer,
                "service_code", "waste", "lat", String.valueOf(p[1]), "long", String.valueOf(p[0]), "description", "lặp lại"),
                "Idempotency-Key", firstKey);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(json.readTree(retry.body()).at("/0/service_request_id").asText()).isEqualTo(firstId);
        // another client is not limited
        assertThat(http.post("/open311/v2/requests.json", "application/x-www-form-urlencoded", Http.form("api_key", "other-" + UUID.randomUUID(),
                "service_code", "waste", "lat", String.valueOf(p[1]), "long", String.valueOf(p[0]), "description", "Rác " + UUID.randomUUID()))
                .statusCode()).isEqualTo(201);
    }
}
