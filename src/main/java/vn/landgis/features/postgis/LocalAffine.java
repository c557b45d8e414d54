package vn.landgis.features.postgis;

import java.util.Optional;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.util.AffineTransformation;

import vn.landgis.geo.Vn2000Tm3;

/**
 * Over the few kilometres of a map tile, VN-2000 / TM-3 → Web Mercator (or WGS 84) is an affine map to a few
 * centimetres (zoom 14, 2.4 km: 4 cm, a two-hundredth of its pixel; zoom 18: a tenth of a millimetre): the
 * scales of both projections change by parts per million across such an area. Drawing a map
 * therefore needs no per-vertex datum shift and projection (PostGIS spends about 1 µs a vertex on them, 40 ms
 * for a zoom-14 tile of 2 300 parcels): this class fits the affine map to the exact transformation at a grid
 * of control points and accepts it only when it reproduces a second, interleaved grid within the given
 * tolerance; otherwise the caller transforms exactly in PostGIS. The exact transformation is the official
 * EPSG:6960 shift of {@link Vn2000Tm3}, which agrees with PROJ within a centimetre. Stateless.
 */
final class LocalAffine {

    private static final double EARTH = 6378137.0;
    private static final int GRID = 5;

    private LocalAffine() {
    }

    /**
     * The affine map from {@code sourceSrid} to {@code targetSrid} valid over {@code targetArea} within
     * {@code tolerance} (target units); empty when the pair is not one we compute or the map is not affine enough.
     */
    static Optional<AffineTransformation> fit(int sourceSrid, int targetSrid, Envelope targetArea, double tolerance) {
        Optional<Vn2000Tm3> source = Vn2000Tm3.bySrid(sourceSrid);
        if (source.isEmpty() || (targetSrid != 3857 && targetSrid != 4326) || targetArea == null || targetArea.isNull()
                || !(tolerance > 0)) {
            return Optional.empty();
        }
        Vn2000Tm3 tm = source.get();
        // control points (fit) on a GRID x GRID lattice, check points halfway between them
        int n = GRID * GRID;
        double[][] src = new double[n][];
        double[][] dst = new double[n][];
        for (int i = 0; i < GRID; i++) {
            for (int j = 0; j < GRID; j++) {
                double x = targetArea.getMinX() + targetArea.getWidth() * i / (GRID - 1);
                double y = targetArea.getMinY() + targetArea.getHeight() * j / (GRID - 1);
                dst[i * GRID + j] = new double[] {x, y};
                src[i * GRID + j] = toSource(tm, targetSrid, x, y);
                if (src[i * GRID + j] == null) {
                    return Optional.empty();
                }
            }
        }
        AffineTransformation a = leastSquares(src, dst);
        if (a == null) {
            return Optional.empty();
        }
        for (int i = 0; i < GRID - 1; i++) {
            for (int j = 0; j < GRID - 1; j++) {
                double x = targetArea.getMinX() + targetArea.getWidth() * (i + 0.5) / (GRID - 1);
                double y = targetArea.getMinY() + targetArea.getHeight() * (j + 0.5) / (GRID - 1);
                double[] s = toSource(tm, targetSrid, x, y);
                if (s == null) {
                    return Optional.empty();
                }
                org.locationtech.jts.geom.Coordinate c = new org.locationtech.jts.geom.Coordinate(s[0], s[1]);
                a.transform(c, c);
                if (Math.abs(c.x - x) > tolerance || Math.abs(c.y - y) > tolerance) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(a);
    }

    /** Target CRS → the source TM-3 system, exactly; null outside the transformation's domain. */
    static double[] toSource(Vn2000Tm3 tm, int targetSrid, double x, double y) {
        double lon;
        double lat;
        if (targetSrid == 3857) {
            lon = Math.toDegrees(x / EARTH);
            lat = Math.toDegrees(2 * Math.atan(Math.exp(y / EARTH)) - Math.PI / 2);
        } else {
            lon = x;
            lat = y;
        }
        if (!(Math.abs(lat) < 85) || !(Math.abs(lon - tm.centralMeridian()) < 10)) {
            return null;
        }
        double[] s = tm.fromWgs84(lon, lat);
        return Double.isFinite(s[0]) && Double.isFinite(s[1]) ? s : null;
    }

    /** Least-squares affine map src → dst (x' = a x + b y + c, y' = d x + e y + f); null if degenerate. */
    static AffineTransformation leastSquares(double[][] src, double[][] dst) {
        // centre the coordinates for a well-conditioned system
        double mx = 0, my = 0, nx = 0, ny = 0;
        int n = src.length;
        for (int i = 0; i < n; i++) {
            mx += src[i][0];
            my += src[i][1];
            nx += dst[i][0];
            ny += dst[i][1];
        }
        mx /= n;
        my /= n;
        nx /= n;
        ny /= n;
        double sxx = 0, sxy = 0, syy = 0, sxu = 0, syu = 0, sxv = 0, syv = 0;
        for (int i = 0; i < n; i++) {
            double x = src[i][0] - mx, y = src[i][1] - my, u = dst[i][0] - nx, v = dst[i][1] - ny;
            sxx += x * x;
            sxy += x * y;
            syy += y * y;
            sxu += x * u;
            syu += y * u;
            sxv += x * v;
            syv += y * v;
        }
        double det = sxx * syy - sxy * sxy;
        if (!(Math.abs(det) > 0)) {
            return null;
        }
        double a = (sxu * syy - syu * sxy) / det;
        double b = (syu * sxx - sxu * sxy) / det;
        double d = (sxv * syy - syv * sxy) / det;
        double e = (syv * sxx - sxv * sxy) / det;
        double c = nx - a * mx - b * my;
        double f = ny - d * mx - e * my;
        return new AffineTransformation(a, b, c, d, e, f);
    }
}
