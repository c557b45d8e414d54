package vn.landgis.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Admission control for the short, database-bound requests (point look-ups, planning overlays, Open311 submissions):
 * at most {@link AdmissionProperties#permits()} run at once and the rest wait in arrival order. On a small machine
 * sixteen requests at once mean sixteen PostgreSQL backends and as many JVM threads fighting for two cores, and the
 * scheduler serves them in no particular order: the median stays low and the slowest percent waits ten times as
 * long (bench/lookup.md). Admitted in order, a request waits its turn once, then runs with little contention.
 * A request that waits longer than {@link AdmissionProperties#maxWait()} is refused with 503 and
 * {@code Retry-After}. Runs ahead of the security filters, whose work (a password hash for HTTP Basic) is also
 * bounded so.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class AdmissionFilter extends OncePerRequestFilter {

    private final Semaphore permits;
    private final long maxWaitNanos;
    private final List<PathPattern> gated;
    private final List<PathPattern> excluded;
    private final AtomicInteger waiting = new AtomicInteger();
    private final int size;

    /** Whose pages may read the refusal from another site (the CORS configuration of the security chain). */
    private final org.springframework.web.cors.CorsConfigurationSource cors;

    AdmissionFilter(AdmissionProperties properties, MeterRegistry meters) {
        this(properties, meters, new SecurityProperties(null, null));
    }

    @org.springframework.beans.factory.annotation.Autowired
    AdmissionFilter(AdmissionProperties properties, MeterRegistry meters, SecurityProperties security) {
        this.cors = SecurityConfig.crossOrigin(security);
        this.size = properties.permits();
        this.permits = new Semaphore(size, true);
        this.maxWaitNanos = properties.maxWait().toNanos();
        this.gated = properties.paths().stream().map(PathPatternParser.defaultInstance::parse).toList();
        this.excluded = properties.excludePaths().stream().map(PathPatternParser.defaultInstance::parse).toList();
        Gauge.builder("landgis.admission.waiting", waiting, AtomicInteger::get)
                .description("requests waiting for admission").register(meters);
        Gauge.builder("landgis.admission.active", permits, p -> size - p.availablePermits())
                .description("requests admitted and running").register(meters);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (org.springframework.web.cors.CorsUtils.isPreFlightRequest(request)) {
            return true;   // a browser's preflight is answered by the CORS filter alone: nothing to queue
        }
        PathContainer path = PathContainer.parsePath(request.getRequestURI().substring(request.getContextPath().length()));
        return gated.stream().noneMatch(p -> p.matches(path)) || excluded.stream().anyMatch(p -> p.matches(path));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean admitted;
        waiting.incrementAndGet();
        try {
            admitted = permits.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        } finally {
            waiting.decrementAndGet();
        }
        if (!admitted) {
            refuse(request, response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            permits.release();
        }
    }

    /**
     * The refusal runs ahead of the security chain's CORS filter: without these headers another site's page (the
     * IOC's dashboard) would see a network error instead of a 503 it may read, with its {@code Retry-After}.
     */
    private void allowOrigin(HttpServletRequest request, HttpServletResponse response) {
        String origin = request.getHeader("Origin");
        org.springframework.web.cors.CorsConfiguration c = origin == null ? null : cors.getCorsConfiguration(request);
        String allowed = c == null ? null : c.checkOrigin(origin);
        if (allowed != null) {
            response.setHeader("Access-Control-Allow-Origin", allowed);
            response.setHeader("Access-Control-Expose-Headers", "Retry-After");
            if (!allowed.equals("*")) {
                response.addHeader("Vary", "Origin");
            }
        }
    }

    private static final String BUSY = "Hệ thống đang bận, vui lòng thử lại sau giây lát / the service is busy, retry in a moment";

    /**
     * 503 with {@code Retry-After}, in the error format of the protocol asked: GeoReport v2's error list (JSON array,
     * or {@code <errors>} for {@code .xml}) under {@code /open311/}, so that Open311 clients read it as they read any
     * other error; a problem detail elsewhere.
     */
    private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        allowOrigin(request, response);
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.startsWith("/open311/")) {
            new ApiProblem(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE, "busy", BUSY).write(response, 2);
            return;
        }
        String body;
        String type;
        if (path.endsWith(".xml")) {
            body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<errors><error><code>503</code><description>" + BUSY
                    + "</description></error></errors>";
            type = "text/xml;charset=UTF-8";
        } else {
            body = "[{\"code\":503,\"description\":\"" + BUSY + "\"}]";
            type = "application/json;charset=UTF-8";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", "2");
        response.setContentType(type);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
