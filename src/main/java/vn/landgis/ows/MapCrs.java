package vn.landgis.ows;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import vn.landgis.geo.SupportedCrs;

/**
 * A CRS as a map request names it, with what the protocol makes of it: WMS 1.3.0 and WFS 2.0 give EPSG:4326
 * and EPSG:4756 coordinates latitude first ({@code northFirst}); {@code CRS:84} and WMS 1.1.1 give longitude
 * first.
 *
 * @param code          the advertised spelling (EPSG:4326, CRS:84 ...)
 * @param srid          EPSG code PostGIS uses
 * @param northFirst    axis order of the request's coordinates is north, east
 * @param metresPerUnit ground metres in one unit (degree at the equator for geographic CRSs)
 */
public record MapCrs(String code, int srid, boolean northFirst, double metresPerUnit) {

    static final double METRES_PER_DEGREE = 6378137.0 * 2 * Math.PI / 360;

    /** Every CRS the map services offer, in the order the capabilities list them. */
    public static final List<String> ADVERTISED = List.of("EPSG:3857", "EPSG:4326", "CRS:84", "EPSG:4756", "EPSG:9210",
            "EPSG:9209", "EPSG:5897", "EPSG:3405", "EPSG:3406", "EPSG:32648", "EPSG:32649");

    /**
     * Parses a client's CRS. {@code epsgNorthFirst}: true for WMS 1.3.0 / WFS 2.0 semantics (EPSG geographic
     * codes are lat/lon), false for WMS 1.1.1.
     */
    public static Optional<MapCrs> parse(String text, boolean epsgNorthFirst) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim().toUpperCase(Locale.ROOT);
        boolean crs84 = t.equals("CRS:84") || t.equals("URN:OGC:DEF:CRS:OGC:1.3:CRS84") || t.equals("URN:OGC:DEF:CRS:OGC::CRS84")
                || t.equals("HTTP://WWW.OPENGIS.NET/DEF/CRS/OGC/1.3/CRS84");
        if (crs84) {
            return Optional.of(new MapCrs("CRS:84", 4326, false, METRES_PER_DEGREE));
        }
        return SupportedCrs.parse(t).map(c -> new MapCrs("EPSG:" + c.srid(), c.srid(), epsgNorthFirst && c.geographic(),
                c.geographic() ? METRES_PER_DEGREE : 1.0));
    }

    public boolean geographic() {
        return metresPerUnit != 1.0;
    }

    /** Decimals that keep about a millimetre. */
    public int decimals() {
        return geographic() ? 8 : 3;
    }

    /** The OGC URN of the CRS, for GML srsName. */
    public String urn() {
        return code.equals("CRS:84") ? "urn:ogc:def:crs:OGC:1.3:CRS84" : "urn:ogc:def:crs:EPSG::" + srid;
    }
}
