package vn.landgis.fieldreports;

/**
 * A request Open311 refuses: rendered as the spec's error list {@code [{"code": 400, "description": "..."}]}
 * (or {@code <errors><error>...}) with the code as HTTP status. Descriptions: Vietnamese first, English second.
 */
class Open311Exception extends RuntimeException {

    private final int code;

    Open311Exception(int code, String description) {
        super(description);
        this.code = code;
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
