package vn.landgis.cadastre;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.security.core.context.SecurityContextHolder;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationPredicate;

import vn.landgis.geo.SupportedCrs;
import vn.landgis.platform.ApiProblem;

/**
 * {@code GET /api/parcels/at}, the point look-up, as a servlet of its own beside Spring MVC's dispatcher. It is the
 * hottest request of the register (every click on the map, every GPS point of a field report) and its work is one
 * prepared query whose JSON PostgreSQL writes; Spring MVC's dispatch around it (handler mapping, argument binding,
 * return-value handling, message conversion) cost the JVM more than the query (bench/lookup.md). The servlet
 * filters still run in front of it as in front of the dispatcher: admission control, Spring Security (the caller's
 * roles decide the audience here, as in {@link ParcelController}). Refusals are the same RFC 9457 problem details the
 * controllers' advice gives.
 *
 * <p>Its HTTP metric is the one every other request has ({@code http.server.requests}, the same tags, uri = this
 * path), but recorded on timers looked up once by a filter of this path ({@link RequestTimers}) in front of the
 * others, not by an observation per request: Micrometer's observation (context, key values, meter look-up,
 * long-task timer) cost about a tenth of the look-up's throughput (bench/lookup.md). The filter sees what the
 * observation saw, refusals of the admission gate (503) and of Spring Security (401, 429) included, and with this
 * path's uri where the observation said UNKNOWN for them. What is lost is the in-flight gauge
 * ({@code http.server.requests.active}) for this path; the name and tags are the defaults (a deployment that renames
 * the metric or changes its convention would see this path apart).
 */
final class ParcelPointServlet extends HttpServlet {

    static final String PATH = "/api/parcels/at";
    private static final Logger log = LoggerFactory.getLogger(ParcelPointServlet.class);

    private final transient ParcelLookup lookup;

    ParcelPointServlet(ParcelLookup lookup) {
        this.lookup = lookup;
    }

    /** GET and HEAD, OPTIONS; anything else is refused as the dispatcher refuses it, with a problem detail. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws jakarta.servlet.ServletException, IOException {
        switch (request.getMethod()) {
            case "GET", "HEAD" -> super.service(request, response);
            case "OPTIONS" -> {
                response.setHeader("Allow", ALLOW);
                response.setStatus(HttpServletResponse.SC_OK);
            }
            default -> {
                response.setHeader("Allow", ALLOW);
                new ApiProblem(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Phương thức không được hỗ trợ / method not allowed").write(request, response);
            }
        }
    }

    private static final String ALLOW = "GET, HEAD, OPTIONS";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            Query q = Query.of(request);
            Optional<byte[]> found = q.answer(lookup);
            if (found.isEmpty()) {
                throw ApiProblem.notFound("parcel-not-found", "Không có thửa đất trong phạm vi " + q.tolerance()
                        + " m / no parcel within " + q.tolerance() + " m");
            }
            byte[] body = found.get();
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("application/geo+json");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        } catch (ApiProblem p) {
            p.write(request, response);
        } catch (org.apache.tomcat.util.http.InvalidParameterException e) {
            ApiProblem.badRequest("invalid-parameter", "Tham số không đọc được (không phải UTF-8?) / parameters could not be decoded (not UTF-8?)")
                    .write(request, response);
        } catch (RuntimeException e) {
            log.error("unexpected error", e);
            new ApiProblem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Lỗi máy chủ / internal error").write(request, response);
        }
    }

    /**
     * The point look-up's parameters, read in the order Spring MVC bound them (a malformed number is refused first):
     * {@code lon}/{@code lat} in WGS 84, or {@code x}/{@code y} in {@code crs}; {@code tolerance} metres (5),
     * {@code asOf}, the answer in {@code outCrs} (WGS 84).
     */
    record Query(Double lon, Double lat, Double x, Double y, String crs, String outCrs, double tolerance, String asOf) {

        static Query of(HttpServletRequest request) {
            Double lon = number(request, "lon");
            Double lat = number(request, "lat");
            Double x = number(request, "x");
            Double y = number(request, "y");
            Double tolerance = number(request, "tolerance");
            return new Query(lon, lat, x, y, request.getParameter("crs"), request.getParameter("outCrs"),
                    tolerance == null ? 5 : tolerance, request.getParameter("asOf"));
        }

        Optional<byte[]> answer(ParcelLookup lookup) {
            double px;
            double py;
            SupportedCrs input;
            if (lon != null && lat != null && x == null && y == null) {
                px = lon;
                py = lat;
                input = SupportedCrs.WGS84;
            } else if (x != null && y != null && lon == null && lat == null) {
                if (crs == null) {
                    throw ApiProblem.badRequest("missing-crs", "x/y cần tham số crs / x and y need crs (e.g. EPSG:9210)");
                }
                px = x;
                py = y;
                input = ParcelController.parseCrs(crs);
            } else {
                throw ApiProblem.badRequest("missing-coordinate", "Cần lon và lat, hoặc x, y và crs / give lon and lat, or x, y and crs");
            }
            return lookup.at(px, py, input, tolerance, ParcelLookup.parseAsOf(asOf), ParcelController.outputCrs(outCrs),
                    ParcelController.audience(SecurityContextHolder.getContext().getAuthentication()));
        }
    }

    /** A number parameter, null when absent or empty; malformed: a 400 as the controllers' advice words it. */
    private static Double number(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Double.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("invalid-parameter", "Tham số '" + name + "' không hợp lệ / parameter '" + name + "' is malformed");
        }
    }

    /**
     * {@code http.server.requests} for this path on timers registered once per method, status and exception, with
     * the tags Spring's {@code DefaultServerRequestObservationConvention} and Micrometer's meter handler give every
     * other request (a Prometheus registry wants one set of tag keys per name).
     */
    static final class RequestTimers extends jakarta.servlet.http.HttpFilter {

        private static final java.util.Set<String> METHODS = java.util.Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");
        private final transient MeterRegistry registry;
        private final transient java.util.concurrent.ConcurrentMap<Key, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

        private record Key(String method, int status, Class<?> failure) {
        }

        RequestTimers(MeterRegistry registry) {
            this.registry = registry;
        }

        // a plain filter (registered for the request dispatch only): no once-per-request attribute to set and remove on the hot path
        @Override
        protected void doFilter(HttpServletRequest request, HttpServletResponse response, jakarta.servlet.FilterChain chain)
                throws jakarta.servlet.ServletException, IOException {
            long start = System.nanoTime();
            Throwable failure = null;
            try {
                chain.doFilter(request, response);
            } catch (IOException | RuntimeException | jakarta.servlet.ServletException | Error e) {
                failure = e instanceof jakarta.servlet.ServletException && e.getCause() != null ? e.getCause() : e;
                throw e;
            } finally {
                // an answer already on its way keeps its status (a client that hung up mid-body), as Spring's filter records it
                int status = failure == null || response.isCommitted() ? response.getStatus() : 500;
                record(request.getMethod(), status, failure, System.nanoTime() - start);
            }
        }

        void record(String method, int status, Throwable failure, long nanos) {
            Key key = new Key(METHODS.contains(method) ? method : "UNKNOWN", status, failure == null ? null : failure.getClass());
            timers.computeIfAbsent(key, RequestTimers.this::timer).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        private Timer timer(Key key) {
            String exception = key.failure() == null ? "none"
                    : key.failure().getSimpleName().isEmpty() ? key.failure().getName() : key.failure().getSimpleName();
            return Timer.builder("http.server.requests")
                    .tag("error", exception)
                    .tag("exception", exception)
                    .tag("method", key.method())
                    .tag("outcome", outcome(key.status()))
                    .tag("status", String.valueOf(key.status()))
                    .tag("uri", PATH)
                    .register(registry);
        }

        private static String outcome(int status) {
            return switch (status / 100) {
                case 1 -> "INFORMATIONAL";
                case 2 -> "SUCCESS";
                case 3 -> "REDIRECTION";
                case 4 -> "CLIENT_ERROR";
                case 5 -> "SERVER_ERROR";
                default -> "UNKNOWN";
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        ServletRegistrationBean<ParcelPointServlet> parcelPointServlet(ParcelLookup lookup) {
            var registration = new ServletRegistrationBean<>(new ParcelPointServlet(lookup), PATH);
            registration.setLoadOnStartup(1);
            return registration;
        }

        /** In front of every filter but the observation's (which Spring Boot puts first and which this path skips). */
        @Bean
        org.springframework.boot.web.servlet.FilterRegistrationBean<RequestTimers> parcelPointTimers(
                org.springframework.beans.factory.ObjectProvider<MeterRegistry> registry) {
            MeterRegistry meters = registry.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new);
            var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(new RequestTimers(meters));
            registration.addUrlPatterns(PATH);
            registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 2);
            return registration;
        }

        /** This path's requests are timed by {@link RequestTimers}: no observation for them. */
        @Bean
        ObservationPredicate pointLookupTimedByItsFilter() {
            return (name, context) -> !(context instanceof ServerRequestObservationContext request
                    && PATH.equals(request.getCarrier().getServletPath()));
        }
    }
}
