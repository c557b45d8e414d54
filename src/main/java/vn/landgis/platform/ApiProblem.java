package vn.landgis.platform;

import org.springframework.http.HttpStatus;

/**
 * A request the API refuses, with its HTTP status and a short machine-readable code; rendered as an
 * RFC 9457 problem detail by {@link ProblemDetailsAdvice}. Messages are for people: Vietnamese first, English after.
 */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    public ApiProblem(HttpStatus status, String code, String message) {
        // a refusal, not a failure: no stack trace (filling one in cost more than a point look-up's query when a third
        // of bench/lookup.md's points answer 404)
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiProblem badRequest(String code, String message) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, code, message);
    }

    public static ApiProblem notFound(String code, String message) {
        return new ApiProblem(HttpStatus.NOT_FOUND, code, message);
    }

    /** The challenge a 401 carries for clients that answer one (RFC 9110: a 401 names how to authenticate). */
    public static final String CHALLENGE = "Basic realm=\"landgis\", charset=\"UTF-8\"";

    /**
     * Whether a 401 to this request should carry {@link #CHALLENGE}: yes for programs (GIS clients, scripts: no
     * {@code Sec-Fetch-Mode}) and for a page opened in the browser's address bar ({@code navigate}, where the browser's
     * sign-in dialog is what the user expects); no for a page's own requests ({@code fetch}, images, tiles:
     * {@code cors}, {@code same-origin}, {@code no-cors}) or an {@code X-Requested-With} one, where a dialog would
     * interrupt the web map, which has its own sign-in.
     */
    public static boolean challenges(jakarta.servlet.http.HttpServletRequest request) {
        String mode = request.getHeader("Sec-Fetch-Mode");
        return (mode == null || mode.equalsIgnoreCase("navigate")) && request.getHeader("X-Requested-With") == null;
    }

    /** This refusal as the response {@link ProblemDetailsAdvice} would give, for a handler that answers rather than throws. */
    public org.springframework.http.ResponseEntity<org.springframework.http.ProblemDetail> toResponse() {
        return ProblemDetailsAdvice.problem(status, code, getMessage());
    }

    /**
     * This refusal written straight to a servlet response, with {@code Retry-After}: for filters, which answer before
     * any handler and its advice (the same problem-detail shape {@link ProblemDetailsAdvice} gives).
     */
    public void write(jakarta.servlet.http.HttpServletResponse response, long retryAfterSeconds) throws java.io.IOException {
        response.setHeader("Retry-After", String.valueOf(retryAfterSeconds));
        write(response, null);
    }

    /**
     * This refusal written straight to a servlet response: for a servlet of its own, outside the dispatcher and its
     * advice; {@code instance} the request's path, as Spring MVC fills it in.
     */
    public void write(jakarta.servlet.http.HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException {
        write(response, request.getRequestURI());
    }

    private void write(jakarta.servlet.http.HttpServletResponse response, String instance) throws java.io.IOException {
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("type", "urn:landgis:problem:" + code);
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", getMessage());
        if (instance != null) {
            body.put("instance", instance);
        }
        body.put("code", code);
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.setStatus(status.value());
        response.setContentType("application/problem+json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static final tools.jackson.databind.ObjectMapper JSON = new tools.jackson.databind.ObjectMapper();

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }
}
