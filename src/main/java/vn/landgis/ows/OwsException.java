package vn.landgis.ows;

/**
 * A request the service refuses, with the OGC exception code, the parameter at fault (locator) and the HTTP
 * status it is answered with. The message is for people and may be shown to the caller.
 */
public class OwsException extends RuntimeException {

    private final String code;
    private final String locator;
    private final int status;

    public OwsException(String code, String locator, String message, int status) {
        super(message);
        this.code = code;
        this.locator = locator;
        this.status = status;
    }

    public OwsException(String code, String locator, String message) {
        this(code, locator, message, 400);
    }

    public static OwsException missing(String parameter) {
        return new OwsException("MissingParameterValue", parameter, "Thiếu tham số " + parameter + " / missing parameter " + parameter);
    }

    public static OwsException invalid(String parameter, String message) {
        return new OwsException("InvalidParameterValue", parameter, message);
    }

    public String code() {
        return code;
    }

    public String locator() {
        return locator;
    }

    public int status() {
        return status;
    }
}
