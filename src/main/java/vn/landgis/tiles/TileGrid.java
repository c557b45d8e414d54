package vn.landgis.tiles;

import org.locationtech.jts.geom.Envelope;

/**
 * The WebMercatorQuad tile matrix set (OGC 17-083r2): EPSG:3857, origin at the top-left corner, 256 px tiles,
 * zoom 0 to {@link #MAX_ZOOM}. Tile rows grow southwards (XYZ order).
 */
public final class TileGrid {

    public static final int MAX_ZOOM = 22;
    public static final double HALF = 20037508.342789244;
    public static final int TILE_SIZE = 256;
    /** Scale denominator of zoom 0 with 0.28 mm pixels. */
    public static final double SCALE_0 = 559082264.0287178;

    private TileGrid() {
    }

    public static boolean valid(int z, long x, long y) {
        if (z < 0 || z > MAX_ZOOM) {
            return false;
        }
        long n = 1L << z;
        return x >= 0 && y >= 0 && x < n && y < n;
    }

    public static double span(int z) {
        return 2 * HALF / (1L << z);
    }

    /** The tile's bounds in EPSG:3857. */
    public static Envelope bounds(int z, long x, long y) {
        double s = span(z);
        double minx = -HALF + x * s;
        double maxy = HALF - y * s;
        return new Envelope(minx, minx + s, maxy - s, maxy);
    }

    public static double scaleDenominator(int z) {
        return SCALE_0 / (1L << z);
    }

    /** The tiles of zoom z that intersect an EPSG:3857 envelope: {minX, minY, maxX, maxY} (inclusive). */
    public static long[] range(int z, Envelope e) {
        double s = span(z);
        long n = 1L << z;
        long minX = clamp((long) Math.floor((e.getMinX() + HALF) / s), n);
        long maxX = clamp((long) Math.floor((e.getMaxX() + HALF) / s), n);
        long minY = clamp((long) Math.floor((HALF - e.getMaxY()) / s), n);
        long maxY = clamp((long) Math.floor((HALF - e.getMinY()) / s), n);
        return new long[] {minX, minY, maxX, maxY};
    }

    private static long clamp(long v, long n) {
        return Math.max(0, Math.min(n - 1, v));
    }
}
