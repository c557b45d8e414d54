package vn.landgis;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.modulith.core.ApplicationModules;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApplicationTest {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsUpWithTheDatabase() throws Exception {
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    @Test
    void prometheusExposesJvmDatabaseAndHttpMetrics() throws Exception {
        get("/actuator/health");
        get("/api/parcels/at?lon=106.41&lat=10.54");   // a servlet of its own, outside Spring MVC: still measured, by its path
        HttpResponse<String> metrics = get("/actuator/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes", "hikaricp_connections", "http_server_requests_seconds", "application=\"landgis\"",
                "uri=\"/api/parcels/at\"");
    }

    /**
     * The point look-up's requests are timed by a filter of their own (no observation): each counted once under this
     * path's uri, a refusal before the servlet (Spring Security's 401) too, and under the tag keys every other
     * request's series has (Prometheus takes one set of label names per metric).
     */
    @Test
    void thePointLookupIsTimedOnceWithTheTagsOfEveryOtherRequest() throws Exception {
        String series = "http_server_requests_seconds_count{application=\"landgis\",error=\"none\",exception=\"none\",method=\"GET\","
                + "outcome=\"CLIENT_ERROR\",status=\"%s\",uri=\"%s\"}";
        String badRequest = series.formatted("400", "/api/parcels/at");
        String unauthorized = series.formatted("401", "/api/parcels/at");
        String unknown = series.formatted("400", "UNKNOWN");
        String before = get("/actuator/prometheus").body();
        assertThat(get("/api/parcels/at?lon=abc&lat=10.54").statusCode()).isEqualTo(400);
        assertThat(get("/api/parcels/at?x=1&y=2").statusCode()).isEqualTo(400);
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/parcels/at?lon=106.41&lat=10.54"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("nobody:wrong".getBytes())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        get("/actuator/health");
        // a request is recorded when its filter returns, which may be just after the client has the answer
        String metrics = get("/actuator/prometheus").body();
        for (int i = 0; i < 50 && (sample(metrics, badRequest) < sample(before, badRequest) + 2 || sample(metrics, unauthorized) < sample(before, unauthorized) + 1); i++) {
            Thread.sleep(100);
            metrics = get("/actuator/prometheus").body();
        }
        assertThat(sample(metrics, badRequest)).isEqualTo(sample(before, badRequest) + 2);
        assertThat(sample(metrics, unauthorized)).isEqualTo(sample(before, unauthorized) + 1);
        assertThat(sample(metrics, unknown)).as("no observation of the same requests").isEqualTo(sample(before, unknown));
        java.util.Set<java.util.Set<String>> labelSets = metrics.lines().filter(l -> l.startsWith("http_server_requests_seconds_count{"))
                .map(ApplicationTest::labelNames).collect(java.util.stream.Collectors.toSet());
        assertThat(metrics).contains("uri=\"/actuator/health\"");
        assertThat(labelSets).hasSize(1);
    }

    private static double sample(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElse(0);
    }

    private static java.util.Set<String> labelNames(String line) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([a-z_]+)=\"").matcher(line.substring(0, line.indexOf('}')));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void modulesKeepTheirBoundaries() {
        ApplicationModules.of(LandgisApplication.class).verify();
    }
}
