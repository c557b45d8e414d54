package vn.landgis.ows;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The key-value parameters of an OGC request. Parameter names are case-insensitive (OGC 06-121r3 §11.5.2);
 * values are kept as sent. A name given twice with different values is refused, so a cache in front of us and
 * we cannot read the request differently.
 */
public final class KvpRequest {

    static final int MAX_VALUE_LENGTH = 64 * 1024;

    private final Map<String, String> values;

    private KvpRequest(Map<String, String> values) {
        this.values = values;
    }

    public static KvpRequest of(Map<String, String[]> parameters) {
        Map<String, String> m = new TreeMap<>();
        for (Map.Entry<String, String[]> e : parameters.entrySet()) {
            String name = e.getKey().toUpperCase(Locale.ROOT);
            for (String v : e.getValue()) {
                if (v.length() > MAX_VALUE_LENGTH) {
                    throw OwsException.invalid(e.getKey(), "Giá trị quá dài / value too long");
                }
                String old = m.putIfAbsent(name, v);
                if (old != null && !old.equals(v)) {
                    throw OwsException.invalid(e.getKey(), "Tham số lặp với giá trị khác nhau / parameter repeated with different values");
                }
            }
        }
        return new KvpRequest(m);
    }

    /** The value, or null when absent. An empty value is returned as the empty string. */
    public String get(String name) {
        return values.get(name.toUpperCase(Locale.ROOT));
    }

    public String get(String name, String fallback) {
        String v = get(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** The value, which must be present and not blank. */
    public String require(String name) {
        String v = get(name);
        if (v == null || v.isBlank()) {
            throw OwsException.missing(name);
        }
        return v.trim();
    }

    public boolean has(String name) {
        return values.containsKey(name.toUpperCase(Locale.ROOT));
    }

    public int requireInt(String name, int min, int max) {
        String v = require(name);
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw OwsException.invalid(name, name + " phải là số nguyên / must be an integer: " + shorten(v));
        }
        if (n < min || n > max) {
            throw OwsException.invalid(name, name + " phải trong khoảng / must be within " + min + ".." + max);
        }
        return n;
    }

    static String shorten(String v) {
        return v.length() > 40 ? v.substring(0, 40) + "…" : v;
    }
}
