package vn.landgis.fieldreports;

/**
 * A request Open311 refuses: rendered as the spec's error list {@code [{"code": 400, "description": "..."}]}
 * (or {@code <errors><error>...}) with the code as HTTP status. Descriptions: Vietnamese first, English second.
 */
class Open311Exception extends RuntimeException {

    private final int code;
    private final long retryAfterSeconds;

    Open311Exception(int code, String description) {
        this(code, description, 0);
    }

    /** With a Retry-After (seconds) for a 429. */
    Open311Exception(int code, String description, long retryAfterSeconds) {
        super(description);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    static Open311Exception badRequest(String description) {
        return new Open311Exception(400, description);
    }

    static Open311Exception notFound(String description) {
        return new Open311Exception(404, description);
    }

    int code() {
        return code;
    }
}
