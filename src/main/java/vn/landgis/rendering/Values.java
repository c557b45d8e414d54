package vn.landgis.rendering;

import java.math.BigDecimal;
import java.text.Normalizer;

/** Conversions of attribute values for filters and labels. */
final class Values {

    private Values() {
    }

    /**
     * The number a value stands for, or NaN: numbers as they are, strings only when the whole (trimmed) string
     * is a plain decimal number ({@code 12}, {@code -3.5}, {@code 1e3}; not {@code 12f}, {@code 0x1A}, {@code NaN}).
     */
    static double number(Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d == 0.0 ? 0.0 : d; // -0.0 and 0.0 are one key
        }
        if (v instanceof String s) {
            return parseNumber(s);
        }
        return Double.NaN;
    }

    static double parseNumber(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && Character.isWhitespace(s.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            return Double.NaN;
        }
        int i = start;
        char c = s.charAt(i);
        if (c == '+' || c == '-') {
            i++;
        }
        int digits = 0;
        while (i < end && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < end && s.charAt(i) == '.') {
            i++;
            while (i < end && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exp = 0;
            while (i < end && isDigit(s.charAt(i))) {
                i++;
                exp++;
            }
            if (exp == 0) {
                return Double.NaN;
            }
        }
        if (i != end) {
            return Double.NaN;
        }
        double d = Double.parseDouble(s.substring(start, end));
        return d == 0.0 ? 0.0 : d;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The text of a value as filters compare it and labels show it; {@code null} stays {@code null}. */
    static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Float f) { // via its own shortest text, not the double it widens to (0.1f -> 0.1)
            return Float.isFinite(f) ? text(Double.parseDouble(Float.toString(f))) : f.toString();
        }
        if (v instanceof Double) {
            double d = (Double) v;
            if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString((long) d);
            }
            return Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : Double.toString(d);
        }
        if (v instanceof BigDecimal b) {
            return b.stripTrailingZeros().toPlainString();
        }
        return v.toString();
    }

    static String nfc(String s) {
        return Normalizer.isNormalized(s, Normalizer.Form.NFC) ? s : Normalizer.normalize(s, Normalizer.Form.NFC);
    }
}
