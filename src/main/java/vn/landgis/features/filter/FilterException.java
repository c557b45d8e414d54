package vn.landgis.features.filter;

/**
 * A filter that cannot be read or applied: unknown property, malformed literal or geometry, unsupported
 * operator. {@code code} is the OGC exception code the protocol answers with (InvalidParameterValue,
 * OperationParsingFailed, OperationProcessingFailed), {@code locator} what was at fault.
 */
public class FilterException extends RuntimeException {

    private final String code;
    private final String locator;

    public FilterException(String code, String locator, String message) {
        super(message);
        this.code = code;
        this.locator = locator;
    }

    public String code() {
        return code;
    }

    public String locator() {
        return locator;
    }
}
