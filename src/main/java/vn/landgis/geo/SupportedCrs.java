package vn.landgis.geo;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The coordinate reference systems landgis accepts from and returns to its clients, by EPSG code, and how to
 * bring a coordinate in one of them to WGS 84 without a database (to check it lies in the province before
 * any query runs). Codes are parsed from the spellings clients use: {@code 9210}, {@code EPSG:9210},
 * {@code urn:ogc:def:crs:EPSG::9210}, {@code http://www.opengis.net/def/crs/EPSG/0/9210}, and {@code CRS:84}
 * (WGS 84, longitude first) as 4326.
 */
public enum SupportedCrs {
    WGS84(4326, "WGS 84", true),
    WEB_MERCATOR(3857, "WGS 84 / Pseudo-Mercator", false),
    VN2000(4756, "VN-2000", true),
    VN2000_TM3_482(5897, "VN-2000 / TM-3 zone 482 (105°00′)", false),
    VN2000_TM3_105_30(9209, "VN-2000 / TM-3 105-30", false),
    VN2000_TM3_105_45(9210, "VN-2000 / TM-3 105-45", false),
    VN2000_UTM_48N(3405, "VN-2000 / UTM zone 48N", false),
    VN2000_UTM_49N(3406, "VN-2000 / UTM zone 49N", false),
    WGS84_UTM_48N(32648, "WGS 84 / UTM zone 48N", false),
    WGS84_UTM_49N(32649, "WGS 84 / UTM zone 49N", false);

    private static final Pattern CODE = Pattern.compile(
            "^(?:EPSG:|URN:OGC:DEF:CRS:EPSG:[0-9.]*:|HTTPS?://WWW\\.OPENGIS\\.NET/DEF/CRS/EPSG/[0-9.]+/)?([0-9]{4,6})$");
    private static final TransverseMercator UTM48 = new TransverseMercator(105, 0.9996, 500_000, 0);
    private static final TransverseMercator UTM49 = new TransverseMercator(111, 0.9996, 500_000, 0);

    private final int srid;
    private final String title;
    private final boolean geographic;

    SupportedCrs(int srid, String title, boolean geographic) {
        this.srid = srid;
        this.title = title;
        this.geographic = geographic;
    }

    public int srid() {
        return srid;
    }

    public String title() {
        return title;
    }

    public boolean geographic() {
        return geographic;
    }

    /** Decimal digits that keep about a millimetre in this system. */
    public int precision() {
        return geographic ? 8 : 3;
    }

    public static Optional<SupportedCrs> bySrid(int srid) {
        for (SupportedCrs c : values()) {
            if (c.srid == srid) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Parses a client's spelling of a CRS; empty when it is malformed or not supported. */
    public static Optional<SupportedCrs> parse(String text) {
        if (text == null || text.length() > 100) {
            return Optional.empty();
        }
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.equals("CRS:84") || t.equals("URN:OGC:DEF:CRS:OGC:1.3:CRS84") || t.equals("HTTP://WWW.OPENGIS.NET/DEF/CRS/OGC/1.3/CRS84")) {
            return Optional.of(WGS84);
        }
        Matcher m = CODE.matcher(t);
        if (!m.matches()) {
            return Optional.empty();
        }
        return bySrid(Integer.parseInt(m.group(1)));
    }

    /** {x, y} in this system (lon/lat order for geographic ones) to WGS 84 {lon, lat}. */
    public double[] toWgs84(double x, double y) {
        return switch (this) {
            case WGS84 -> new double[] {x, y};
            case VN2000 -> Vn2000.toWgs84(x, y);
            case WEB_MERCATOR -> new double[] {Math.toDegrees(x / 6378137.0),
                Math.toDegrees(2 * Math.atan(Math.exp(y / 6378137.0)) - Math.PI / 2)};
            case VN2000_TM3_482, VN2000_TM3_105_30, VN2000_TM3_105_45 -> Vn2000Tm3.bySrid(srid).orElseThrow().toWgs84(x, y);
            case VN2000_UTM_48N -> toWgs84Vn2000(UTM48.inverse(x, y));
            case VN2000_UTM_49N -> toWgs84Vn2000(UTM49.inverse(x, y));
            case WGS84_UTM_48N -> UTM48.inverse(x, y);
            case WGS84_UTM_49N -> UTM49.inverse(x, y);
        };
    }

    private static double[] toWgs84Vn2000(double[] lonLat) {
        return Vn2000.toWgs84(lonLat[0], lonLat[1]);
    }

    public static Map<Integer, SupportedCrs> all() {
        Map<Integer, SupportedCrs> m = new java.util.LinkedHashMap<>();
        for (SupportedCrs c : values()) {
            m.put(c.srid, c);
        }
        return m;
    }
}
