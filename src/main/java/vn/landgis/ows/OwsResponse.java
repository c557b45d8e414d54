package vn.landgis.ows;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * An answer of an OGC operation: content type, extra headers and a body written straight to the response
 * stream (so large answers stream).
 */
public record OwsResponse(String contentType, Map<String, String> headers, Body body) {

    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    public static OwsResponse of(String contentType, byte[] bytes) {
        return new OwsResponse(contentType, Map.of(), out -> out.write(bytes));
    }

    public OwsResponse withHeaders(Map<String, String> extra) {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.putAll(extra);
        return new OwsResponse(contentType, h, body);
    }
}
