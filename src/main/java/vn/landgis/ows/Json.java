package vn.landgis.ows;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;

/** Minimal streaming JSON output for feature attributes (strings, numbers, booleans, dates, null). */
final class Json {

    private Json() {
    }

    static void string(String s, Appendable out) throws IOException {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    static void value(Object v, Appendable out) throws IOException {
        switch (v) {
            case null -> out.append("null");
            case Boolean b -> out.append(b.toString());
            case BigDecimal d -> out.append(d.toPlainString());
            case Double d when !Double.isFinite(d) -> out.append("null");
            case Float f when !Float.isFinite(f) -> out.append("null");
            case Number n -> out.append(n.toString());
            default -> string(v.toString(), out);
        }
    }

    static void object(Map<String, Object> values, Appendable out) throws IOException {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(e.getKey(), out);
            out.append(':');
            value(e.getValue(), out);
        }
        out.append('}');
    }
}
