package vn.landgis.geo;

/**
 * The datum shift between VN-2000 and WGS 84: the official seven-parameter Helmert transformation of
 * Decision 05/2007/QĐ-BTNMT, EPSG:6960 "VN-2000 to WGS 84 (2)", position-vector convention as PROJ's
 * {@code +towgs84} writes it. Both datums use the WGS 84 ellipsoid. Heights are taken as 0: the plane
 * position error that makes is below a millimetre.
 *
 * <p>Stateless and thread-safe. Longitudes and latitudes in degrees.
 */
public final class Vn2000 {

    /** {@code +towgs84} of EPSG:6960: dX, dY, dZ in metres, rX, rY, rZ in arc-seconds (position vector), ds in ppm. */
    public static final double[] TOWGS84 = {-191.90441429, -39.30318279, -111.45032835, 0.00928836, -0.01975479, 0.00427372, 0.252906278};

    private static final double ARCSEC = Math.PI / (180 * 3600);
    private static final double E2 = TransverseMercator.F * (2 - TransverseMercator.F);

    private Vn2000() {
    }

    /** VN-2000 geodetic {lon, lat} to WGS 84 {lon, lat}. */
    public static double[] toWgs84(double lon, double lat) {
        double[] p = toCartesian(lon, lat);
        return toGeodetic(helmert(p, 1));
    }

    /** WGS 84 geodetic {lon, lat} to VN-2000 {lon, lat}. */
    public static double[] fromWgs84(double lon, double lat) {
        double[] p = toCartesian(lon, lat);
        return toGeodetic(helmert(p, -1));
    }

    /** Applies the Helmert transformation (direction 1) or its first-order inverse (direction -1: within 0.1 mm of the exact inverse for these small parameters). */
    private static double[] helmert(double[] p, int direction) {
        double tx = TOWGS84[0] * direction;
        double ty = TOWGS84[1] * direction;
        double tz = TOWGS84[2] * direction;
        double rx = TOWGS84[3] * ARCSEC * direction;
        double ry = TOWGS84[4] * ARCSEC * direction;
        double rz = TOWGS84[5] * ARCSEC * direction;
        double s = 1 + TOWGS84[6] * 1e-6 * direction;
        double x = p[0];
        double y = p[1];
        double z = p[2];
        return new double[] {
            tx + s * (x - rz * y + ry * z),
            ty + s * (rz * x + y - rx * z),
            tz + s * (-ry * x + rx * y + z),
        };
    }

    private static double[] toCartesian(double lonDeg, double latDeg) {
        double phi = Math.toRadians(latDeg);
        double lambda = Math.toRadians(lonDeg);
        double sinPhi = Math.sin(phi);
        double n = TransverseMercator.A / Math.sqrt(1 - E2 * sinPhi * sinPhi);
        return new double[] {n * Math.cos(phi) * Math.cos(lambda), n * Math.cos(phi) * Math.sin(lambda), n * (1 - E2) * sinPhi};
    }

    private static double[] toGeodetic(double[] p) {
        double x = p[0];
        double y = p[1];
        double z = p[2];
        double lambda = Math.atan2(y, x);
        double r = Math.hypot(x, y);
        double phi = Math.atan2(z, r * (1 - E2));
        for (int i = 0; i < 10; i++) {
            double sinPhi = Math.sin(phi);
            double n = TransverseMercator.A / Math.sqrt(1 - E2 * sinPhi * sinPhi);
            double h = r / Math.cos(phi) - n;
            double next = Math.atan2(z, r * (1 - E2 * n / (n + h)));
            if (Math.abs(next - phi) < 1e-15) {
                phi = next;
                break;
            }
            phi = next;
        }
        return new double[] {Math.toDegrees(lambda), Math.toDegrees(phi)};
    }
}
