package vn.landgis.imports;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the CRS an ESRI {@code .prj} (or any WKT 1) names, as far as landgis cares: VN-2000 TM-3 by its
 * central meridian (and its parameters, whatever its datum is called), VN-2000 (by its name or its shift) or WGS 84
 * UTM 48/49, WGS 84 geographic, and an explicit EPSG authority.
 * Returns 0 when it cannot tell.
 */
final class PrjInterpreter {

    private static final Pattern AUTHORITY = Pattern.compile("AUTHORITY\\[\"EPSG\",\\s*\"?(\\d+)\"?\\]\\s*\\]\\s*$");
    private static final Pattern MERIDIAN = Pattern.compile("PARAMETER\\[\"CENTRAL_MERIDIAN\",\\s*([-0-9.]+)\\]");
    private static final Pattern SCALE = Pattern.compile("PARAMETER\\[\"SCALE_FACTOR\",\\s*([0-9.]+)\\]");
    private static final Pattern FALSE_EASTING = Pattern.compile("PARAMETER\\[\"FALSE_EASTING\",\\s*([-0-9.]+)\\]");
    /** VN-2000's shift to WGS 84 as WKT writes it ({@code TOWGS84[-191.904...,}) or as GDAL names a datum it cannot name. */
    private static final Pattern VN2000_SHIFT = Pattern.compile("TOWGS84\\[\\s*-191\\.9|TOWGS84_-191_9");

    private PrjInterpreter() {
    }

    static int srid(String wkt) {
        if (wkt == null || wkt.isBlank()) {
            return 0;
        }
        String w = wkt.trim().toUpperCase(Locale.ROOT);
        Matcher a = AUTHORITY.matcher(w);
        if (a.find()) {
            return Integer.parseInt(a.group(1));
        }
        // by its name, or by its 7-parameter shift (QGIS and GDAL write a custom VN-2000 as "D_Unknown_based_on_WGS84_
        // ellipsoid_using_towgs84_-191_9...", ArcGIS as "D_Vietnam_2000")
        boolean vn2000 = w.contains("VN-2000") || w.contains("VN_2000") || w.contains("VIETNAM_2000") || w.contains("VIETNAM 2000")
                || VN2000_SHIFT.matcher(w).find();
        if (!w.startsWith("PROJCS")) {
            return w.contains("WGS_1984") || w.contains("WGS 84") ? (vn2000 ? 4756 : 4326) : vn2000 ? 4756 : 0;
        }
        Matcher m = MERIDIAN.matcher(w);
        Matcher k = SCALE.matcher(w);
        if (!m.find()) {
            return 0;
        }
        double meridian = Double.parseDouble(m.group(1));
        double scale = k.find() ? Double.parseDouble(k.group(1)) : 0;
        Matcher e = FALSE_EASTING.matcher(w);
        double falseEasting = e.find() ? Double.parseDouble(e.group(1)) : 500_000;
        // a TM-3 system as Vietnam's cadastre defines it (scale 0.9999, 500 km false easting, the WGS 84 ellipsoid)
        // is VN-2000's whatever its datum is called: a file whose datum lacks the shift is caught by the sheets'
        // placement (missing-datum-shift)
        boolean wgs84Ellipsoid = w.contains("6378137") && (w.contains("298.257223563") || w.contains("WGS"));
        if (Math.abs(scale - 0.9999) < 1e-9 && Math.abs(falseEasting - 500_000) < 1e-3 && (vn2000 || wgs84Ellipsoid)) {
            if (Math.abs(meridian - 105.75) < 1e-6) {
                return 9210;
            }
            if (Math.abs(meridian - 105.5) < 1e-6) {
                return 9209;
            }
            if (Math.abs(meridian - 105.0) < 1e-6) {
                return 5897;
            }
        }
        if (Math.abs(scale - 0.9996) < 1e-9) {
            if (Math.abs(meridian - 105) < 1e-6) {
                return vn2000 ? 3405 : 32648;
            }
            if (Math.abs(meridian - 111) < 1e-6) {
                return vn2000 ? 3406 : 32649;
            }
        }
        return 0;
    }
}
