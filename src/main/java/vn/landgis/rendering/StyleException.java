package vn.landgis.rendering;

/** A style that cannot be read or used: the message says which file, element and why. */
public final class StyleException extends RuntimeException {

    public StyleException(String message, Throwable cause) {
        super(message, cause);
    }

    public StyleException(String message) {
        super(message);
    }
}
