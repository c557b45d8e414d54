package vn.landgis.features.filter;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Length units of {@code fes:Distance/@uom} to metres (see {@link Filter.Distance#metres()}). */
final class DistanceUnits {

    /** EPSG unit of measure codes. */
    private static final Map<Integer, Double> EPSG = Map.of(
            9001, 1.0,              // metre
            9036, 1000.0,           // kilometre
            1033, 0.01,             // centimetre
            1025, 0.001,            // millimetre
            9002, 0.3048,           // international foot
            9003, 1200.0 / 3937.0,  // US survey foot
            9096, 0.9144,           // yard
            9093, 1609.344,         // statute mile
            9030, 1852.0);          // nautical mile

    private static final Map<String, Integer> NAMES = Map.ofEntries(
            Map.entry("m", 9001), Map.entry("metre", 9001), Map.entry("meter", 9001), Map.entry("metres", 9001),
            Map.entry("meters", 9001),
            Map.entry("km", 9036), Map.entry("kilometre", 9036), Map.entry("kilometer", 9036),
            Map.entry("kilometres", 9036), Map.entry("kilometers", 9036),
            Map.entry("cm", 1033), Map.entry("mm", 1025),
            Map.entry("ft", 9002), Map.entry("foot", 9002), Map.entry("feet", 9002),
            Map.entry("us-ft", 9003), Map.entry("ft_us", 9003),
            Map.entry("yd", 9096), Map.entry("yard", 9096), Map.entry("yards", 9096),
            Map.entry("mi", 9093), Map.entry("mile", 9093), Map.entry("miles", 9093),
            Map.entry("nmi", 9030), Map.entry("nautical mile", 9030), Map.entry("nautical miles", 9030));

    /** Angular units (degree 9102, degree supplier-defined 9122, radian 9101, grad 9105, arc-second 9104...). */
    private static final java.util.Set<String> ANGULAR_NAMES = java.util.Set.of("deg", "degree", "degrees", "dd", "rad", "radian", "radians");
    private static final java.util.Set<Integer> ANGULAR_CODES = java.util.Set.of(9101, 9102, 9103, 9104, 9105, 9122);

    private static final Pattern CODE = Pattern.compile(
            "(?:urn:ogc:def:uom:epsg:[0-9.]*:|urn:x-ogc:def:uom:epsg:[0-9.]*:|https?://www\\.opengis\\.net/def/uom/epsg/[0-9.]+/|epsg:)([0-9]{1,6})");

    private DistanceUnits() {
    }

    static double metresPer(String uom) {
        if (uom == null || uom.isBlank()) {
            return 1.0;
        }
        String u = uom.trim().toLowerCase(Locale.ROOT);
        Integer code = NAMES.get(u);
        if (code == null) {
            if (ANGULAR_NAMES.contains(u)) {
                throw angular(uom);
            }
            Matcher m = CODE.matcher(u);
            if (m.matches()) {
                code = Integer.parseInt(m.group(1));
                if (ANGULAR_CODES.contains(code)) {
                    throw angular(uom);
                }
            }
        }
        Double f = code == null ? null : EPSG.get(code);
        if (f == null) {
            throw new FilterException("InvalidParameterValue", "FILTER", "unknown distance unit " + shorten(uom)
                    + " (use m, km, ft, mi or an EPSG unit URN)");
        }
        return f;
    }

    private static FilterException angular(String uom) {
        return new FilterException("InvalidParameterValue", "FILTER", "distance in " + shorten(uom)
                + " refused: an angle is not a fixed length on the ground; give the distance in metres (uom=\"m\")");
    }

    static String shorten(String s) {
        if (s == null) {
            return "null";
        }
        String t = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        StringBuilder b = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }
}
