package vn.landgis.geo;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The province this deployment serves ({@code landgis.province.*}): its post-2025 code and name, the
 * VN-2000 / TM-3 system every geometry is stored in, and its extent in WGS 84 (west, south, east, north),
 * used to refuse coordinates that cannot be in the province before any query runs.
 */
@ConfigurationProperties("landgis.province")
public record ProvinceProperties(String code, String name, int storageSrid, List<Double> extentWgs84) {

    public ProvinceProperties {
        if (extentWgs84 == null || extentWgs84.size() != 4) {
            throw new IllegalArgumentException("landgis.province.extent-wgs84 needs west, south, east, north");
        }
    }

    public boolean contains(double lon, double lat) {
        return lon >= extentWgs84.get(0) && lat >= extentWgs84.get(1) && lon <= extentWgs84.get(2) && lat <= extentWgs84.get(3);
    }

    /** What is wrong with a client's coordinate, if anything, before any query runs. */
    public enum Placement {
        /** within the province's extent */
        INSIDE,
        /** NaN or infinite */
        NOT_FINITE,
        /** a longitude beyond ±180 or a latitude beyond ±90 */
        OUT_OF_RANGE,
        /** longitude and latitude swapped: the swapped pair is in the province */
        SWAPPED,
        /** a valid coordinate elsewhere */
        OUTSIDE
    }

    /** Classifies {x, y} in {@code crs} (lon/lat order for geographic systems) against the province's extent. */
    public Placement classify(double x, double y, SupportedCrs crs) {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            return Placement.NOT_FINITE;
        }
        if (crs.geographic() && (Math.abs(x) > 180 || Math.abs(y) > 90)) {
            return contains(y, x) ? Placement.SWAPPED : Placement.OUT_OF_RANGE;
        }
        double[] lonLat = crs.toWgs84(x, y);
        if (contains(lonLat[0], lonLat[1])) {
            return Placement.INSIDE;
        }
        return crs.geographic() && contains(y, x) ? Placement.SWAPPED : Placement.OUTSIDE;
    }
}
