package vn.landgis.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The admission filter with real threads: bounded, first come first served, refusing after the wait, never leaking a permit. */
class AdmissionFilterTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private AdmissionFilter filter(int permits, Duration maxWait) {
        return new AdmissionFilter(new AdmissionProperties(permits, maxWait, List.of("/api/parcels/**", "/open311/v2/**"),
                List.of("/api/parcels/*/planning-sheet.pdf")), meters);
    }

    private static MockHttpServletRequest post(String path) {
        MockHttpServletRequest request = get(path);
        request.setMethod("POST");
        return request;
    }

    private static MockHttpServletRequest get(String path) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setRequestURI(path);
        return request;
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    private void await(String gauge, double value) throws InterruptedException {
        for (int i = 0; i < 500 && gauge(gauge) != value; i++) {
            Thread.sleep(10);
        }
        assertThat(gauge(gauge)).as(gauge).isEqualTo(value);
    }

    @Test
    void admitsAtMostThePermitsAndRefusesWithRetryAfterOnceTheWaitIsOver() throws Exception {
        AdmissionFilter filter = filter(2, Duration.ofMillis(300));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        FilterChain slow = (req, res) -> {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inside.decrementAndGet();
        };
        List<Thread> running = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 2; i++) {
            running.add(Thread.ofPlatform().start(() -> run(filter, get("/api/parcels/at"), slow)));
        }
        await("landgis.admission.active", 2);
        MockHttpServletResponse refused = new MockHttpServletResponse();
        long t0 = System.nanoTime();
        filter.doFilter(get("/api/parcels/at"), refused, (req, res) -> { throw new AssertionError("must not run"); });
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(refused.getStatus()).isEqualTo(503);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("2");
        assertThat(refused.getContentType()).isEqualTo("application/problem+json");
        assertThat(refused.getContentAsString(java.nio.charset.StandardCharsets.UTF_8)).contains("\"code\":\"busy\"", "Hệ thống đang bận");
        assertThat(waitedMs).isBetween(250L, 5_000L);
        assertThat(refused.getHeader("Access-Control-Allow-Origin")).as("no Origin, no CORS header").isNull();
        // another site's page may read the refusal and its Retry-After; a preflight is never queued
        MockHttpServletRequest fromIoc = get("/api/parcels/at");
        fromIoc.addHeader("Origin", "https://ioc.tayninh.gov.vn");
        MockHttpServletResponse refusedIoc = new MockHttpServletResponse();
        filter.doFilter(fromIoc, refusedIoc, (req, res) -> { throw new AssertionError("must not run"); });
        assertThat(refusedIoc.getStatus()).isEqualTo(503);
        assertThat(refusedIoc.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(refusedIoc.getHeader("Access-Control-Expose-Headers")).contains("Retry-After");
        MockHttpServletRequest preflight = new MockHttpServletRequest("OPTIONS", "/api/parcels/at");
        preflight.setRequestURI("/api/parcels/at");
        preflight.addHeader("Origin", "https://ioc.tayninh.gov.vn");
        preflight.addHeader("Access-Control-Request-Method", "GET");
        AtomicInteger passed = new AtomicInteger();
        filter.doFilter(preflight, new MockHttpServletResponse(), (req, res) -> passed.incrementAndGet());
        assertThat(passed.get()).as("the preflight went on while every permit was held").isOne();
        release.countDown();
        for (Thread t : running) {
            t.join(5_000);
        }
        assertThat(most.get()).isEqualTo(2);
        await("landgis.admission.active", 0);
        await("landgis.admission.waiting", 0);
    }

    @Test
    void admitsInArrivalOrder() throws Exception {
        AdmissionFilter filter = filter(1, Duration.ofSeconds(10));
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> order = new CopyOnWriteArrayList<>();
        Thread holder = Thread.ofPlatform().start(() -> run(filter, get("/open311/v2/requests.json"), (req, res) -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        await("landgis.admission.active", 1);
        List<Thread> queued = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = i;
            queued.add(Thread.ofPlatform().start(() -> run(filter, get("/api/parcels/" + n), (req, res) -> order.add(n))));
            await("landgis.admission.waiting", i + 1);   // the next one comes strictly after this one queued
        }
        release.countDown();
        holder.join(5_000);
        for (Thread t : queued) {
            t.join(5_000);
        }
        assertThat(order).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void aFailingRequestGivesItsPermitBack() throws Exception {
        AdmissionFilter filter = filter(1, Duration.ofMillis(200));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> filter.doFilter(get("/api/parcels/at"), new MockHttpServletResponse(),
                    (req, res) -> { throw new IllegalStateException("boom"); })).hasMessage("boom");
        }
        MockHttpServletResponse ok = new MockHttpServletResponse();
        AtomicInteger ran = new AtomicInteger();
        filter.doFilter(get("/api/parcels/at"), ok, (req, res) -> ran.incrementAndGet());
        assertThat(ran.get()).isEqualTo(1);
        assertThat(ok.getStatus()).isEqualTo(200);
        assertThat(gauge("landgis.admission.active")).isZero();
    }

    @Test
    void onlyTheGatedPathsQueueAndExcludedDocumentsDoNot() throws Exception {
        AdmissionFilter filter = filter(1, Duration.ofMillis(100));
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> run(filter, get("/api/parcels/at"), (req, res) -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        await("landgis.admission.active", 1);
        for (String free : List.of("/ows", "/tiles/parcels/10/1/1.mvt", "/api/parcels/12/planning-sheet.pdf", "/", "/api/imports")) {
            MockHttpServletResponse response = new MockHttpServletResponse();
            AtomicInteger ran = new AtomicInteger();
            filter.doFilter(get(free), response, (req, res) -> ran.incrementAndGet());
            assertThat(ran.get()).as(free).isEqualTo(1);
        }
        MockHttpServletResponse gated = new MockHttpServletResponse();
        filter.doFilter(get("/api/parcels/12/planning"), gated, (req, res) -> { throw new AssertionError("must wait"); });
        assertThat(gated.getStatus()).isEqualTo(503);
        // Open311 clients get GeoReport v2's error list, in the format they asked for
        MockHttpServletResponse json = new MockHttpServletResponse();
        filter.doFilter(post("/open311/v2/requests.json"), json, (req, res) -> { throw new AssertionError("must wait"); });
        assertThat(json.getStatus()).isEqualTo(503);
        assertThat(json.getHeader("Retry-After")).isEqualTo("2");
        assertThat(new tools.jackson.databind.ObjectMapper().readTree(json.getContentAsByteArray()).get(0).get("code").asInt())
                .isEqualTo(503);
        MockHttpServletResponse xml = new MockHttpServletResponse();
        filter.doFilter(post("/open311/v2/requests.xml"), xml, (req, res) -> { throw new AssertionError("must wait"); });
        assertThat(xml.getStatus()).isEqualTo(503);
        assertThat(javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(xml.getContentAsByteArray()))
                .getElementsByTagName("code").item(0).getTextContent()).isEqualTo("503");
        release.countDown();
        holder.join(5_000);
    }

    @Test
    void theDefaultIsOnePerProcessorPlusOne() {
        assertThat(new AdmissionProperties(0, null, null, null).permits()).isEqualTo(Runtime.getRuntime().availableProcessors() + 1);
        assertThat(new AdmissionProperties(7, null, null, null).permits()).isEqualTo(7);
        assertThatThrownBy(() -> new AdmissionProperties(-1, null, null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void run(AdmissionFilter filter, MockHttpServletRequest request, FilterChain chain) {
        try {
            filter.doFilter(request, new MockHttpServletResponse(), chain);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
