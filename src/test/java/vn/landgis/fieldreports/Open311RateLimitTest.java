package vn.landgis.fieldreports;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import vn.landgis.support.Http;

/**
 * The rate limit over HTTP, with a limit of 3 new reports per client and hour. The tests connect from the loopback
 * address, trusted here as a reverse proxy, so each test is its own client by the X-Forwarded-For it sends.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"landgis.fieldreports.rate-limit-requests=3",
        "landgis.fieldreports.trusted-proxies=127.0.0.1,0:0:0:0:0:0:0:1"})
class Open311RateLimitTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    final ObjectMapper json = new ObjectMapper();

    double[] somePoint() {
        return jdbc.queryForObject("SELECT ARRAY[ST_X(g), ST_Y(g)] FROM (SELECT ST_Transform(ST_PointOnSurface(geom), 4326) g "
                + "FROM cadastre.parcel WHERE valid_to IS NULL ORDER BY id LIMIT 1) s", (rs, i) -> {
                    Double[] a = (Double[]) rs.getArray(1).getArray();
                    return new double[] {a[0], a[1]};
                });
    }

    HttpResponse<String> post(Http http, double[] p, String from, String apiKey, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "X-Forwarded-For";
        all[1] = from;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return http.post("/open311/v2/requests.json", "application/x-www-form-urlencoded", Http.form("api_key", apiKey,
                "service_code", "waste", "lat", String.valueOf(p[1]), "long", String.valueOf(p[0]), "description", "Rác " + UUID.randomUUID()), all);
    }

    @Test
    void aClientOverItsLimitGets429WithRetryAfterButItsRetriesStillAnswer() throws Exception {
        Http http = new Http(port);
        double[] p = somePoint();
        String spammer = "key-" + UUID.randomUUID();
        String firstKey = UUID.randomUUID().toString();
        String firstId = null;
        for (int i = 0; i < 4; i++) {
            String key = i == 0 ? firstKey : UUID.randomUUID().toString();
            HttpResponse<String> r = post(http, p, "203.0.113.1", spammer, "Idempotency-Key", key);
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
                "Idempotency-Key", firstKey, "X-Forwarded-For", "203.0.113.1");
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(json.readTree(retry.body()).at("/0/service_request_id").asText()).isEqualTo(firstId);
        // another client is not limited
        assertThat(post(http, p, "203.0.113.2", "other-" + UUID.randomUUID()).statusCode()).isEqualTo(201);
    }

    @Test
    void aFreshRandomApiKeyPerRequestIsStillTheSameClient() {
        Http http = new Http(port);
        double[] p = somePoint();
        for (int i = 0; i < 3; i++) {
            assertThat(post(http, p, "203.0.113.3", "random-" + UUID.randomUUID()).statusCode()).isEqualTo(201);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(post(http, p, "203.0.113.3", "random-" + UUID.randomUUID()).statusCode()).isEqualTo(429);
        }
        // a configured key is a client of its own, wherever it posts from
        assertThat(post(http, p, "203.0.113.3", "ioc-test-key-0123456789").statusCode()).isEqualTo(201);
    }

    @Test
    void parallelPostsOverTheLimitAdmitExactlyTheLimit() throws Exception {
        Http http = new Http(port);
        double[] p = somePoint();
        int n = 16;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return post(http, p, "203.0.113.4", "").statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : results) {
                statuses.add(f.get());
            }
            assertThat(statuses.stream().filter(st -> st == 201).count()).as(statuses.toString()).isEqualTo(3);
            assertThat(statuses.stream().filter(st -> st == 429).count()).as(statuses.toString()).isEqualTo(n - 3);
        }
    }
}
