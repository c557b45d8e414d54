package vn.landgis.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The exact transform shares one expm1 between the sinh and the cosh of its series' terms: every output stays the
 * double it was (a re-delivered district whose coordinates moved by one bit would re-version every parcel).
 */
class TransverseMercatorTest {

    @Test
    void sinhAndCoshFromOneExpm1AreStrictMathsToTheBit() {
        Random random = new Random(5);
        double threshold = Double.longBitsToDouble(0x3fd6_2e43L << 32);   // FdLibm's 0.5 ln 2 cut, high word
        double tiny = Double.longBitsToDouble(0x3e30_0000L << 32);       // 2^-28
        double[] edges = {threshold, Math.nextDown(threshold), Math.nextUp(threshold), tiny, Math.nextDown(tiny), Math.nextUp(tiny),
            0.5 * Math.log(2), 0.35, 1e-9, 0, -0.0, 1, 22, Double.NaN, Double.POSITIVE_INFINITY};
        int shared = 0;
        for (int i = 0; i < 2_000_000 + edges.length; i++) {
            double x = i < edges.length ? edges[i] : switch (i % 3) {
                case 0 -> random.nextDouble() * 0.7 - 0.35;
                case 1 -> Math.pow(10, -12 * random.nextDouble()) * (random.nextBoolean() ? 1 : -1);
                default -> random.nextDouble() * 2 - 1;
            };
            for (double v : new double[] {x, -x}) {
                double t = TransverseMercator.sharedExpm1(v);
                if (Double.isNaN(t)) {
                    continue;
                }
                shared++;
                assertThat(Double.doubleToRawLongBits(TransverseMercator.sinhOf(v, t))).as("sinh %s", v).isEqualTo(Double.doubleToRawLongBits(StrictMath.sinh(v)));
                assertThat(Double.doubleToRawLongBits(TransverseMercator.coshOf(t))).as("cosh %s", v).isEqualTo(Double.doubleToRawLongBits(StrictMath.cosh(v)));
            }
        }
        assertThat(shared).isGreaterThan(2_000_000);
        assertThat(TransverseMercator.sharedExpm1(threshold)).isNaN();
        assertThat(TransverseMercator.sharedExpm1(Math.nextDown(threshold))).isNotNaN();
        assertThat(TransverseMercator.sharedExpm1(Math.nextDown(tiny))).isNaN();
    }

    @Test
    void forwardAndInverseGiveTheDoublesOfTheSeriesWithSeparateSinhAndCosh() {
        Random random = new Random(8);
        for (double meridian : new double[] {104.5, 105.5, 105.75, 106.25, 107.75}) {
            TransverseMercator tm = TransverseMercator.vn2000Tm3(meridian);
            for (int i = 0; i < 100_000; i++) {
                double lon = meridian - 3 + 6 * random.nextDouble();   // well beyond a 3° zone's half-width
                double lat = 8 + 15 * random.nextDouble();
                double[] en = tm.forward(lon, lat);
                double[] reference = referenceForward(tm, meridian, lon, lat);
                assertThat(en[0]).isEqualTo(reference[0]);
                assertThat(en[1]).isEqualTo(reference[1]);
                double[] back = tm.inverse(en[0], en[1]);
                double[] referenceBack = referenceInverse(meridian, en[0], en[1]);
                assertThat(back[0]).isEqualTo(referenceBack[0]);
                assertThat(back[1]).isEqualTo(referenceBack[1]);
            }
        }
    }

    // ---- the series as written before, each term's sinh and cosh computed apart (k0 0.9999, false easting 500 km)

    private static final double N = TransverseMercator.F / (2 - TransverseMercator.F);
    private static final double E = Math.sqrt(TransverseMercator.F * (2 - TransverseMercator.F));
    private static final double RR = TransverseMercator.A / (1 + N) * (1 + N * N / 4 + Math.pow(N, 4) / 64 + Math.pow(N, 6) / 256);

    private static double[] coefficients(String field) {
        try {
            var f = TransverseMercator.class.getDeclaredField(field);
            f.setAccessible(true);
            return (double[]) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double[] referenceForward(TransverseMercator tm, double meridian, double lonDeg, double latDeg) {
        double[] alpha = coefficients("ALPHA");
        double phi = Math.toRadians(latDeg);
        double lambda = Math.toRadians(lonDeg - meridian);
        double sinPhi = Math.sin(phi);
        double t = Math.sinh(atanh(sinPhi) - E * atanh(E * sinPhi));
        double xiP = Math.atan2(t, Math.cos(lambda));
        double etaP = atanh(Math.sin(lambda) / Math.sqrt(1 + t * t));
        double xi = xiP;
        double eta = etaP;
        for (int j = 1; j <= 6; j++) {
            xi += alpha[j - 1] * Math.sin(2 * j * xiP) * Math.cosh(2 * j * etaP);
            eta += alpha[j - 1] * Math.cos(2 * j * xiP) * Math.sinh(2 * j * etaP);
        }
        return new double[] {500_000 + 0.9999 * RR * eta, 0.9999 * RR * xi};
    }

    private static double[] referenceInverse(double meridian, double easting, double northing) {
        double[] beta = coefficients("BETA");
        double xi = northing / (0.9999 * RR);
        double eta = (easting - 500_000) / (0.9999 * RR);
        double xiP = xi;
        double etaP = eta;
        for (int j = 1; j <= 6; j++) {
            xiP -= beta[j - 1] * Math.sin(2 * j * xi) * Math.cosh(2 * j * eta);
            etaP -= beta[j - 1] * Math.cos(2 * j * xi) * Math.sinh(2 * j * eta);
        }
        double sinhEtaP = Math.sinh(etaP);
        double sinXiP = Math.sin(xiP);
        double cosXiP = Math.cos(xiP);
        double tauP = sinXiP / Math.sqrt(sinhEtaP * sinhEtaP + cosXiP * cosXiP);
        double tau = tauP;
        for (int i = 0; i < 8; i++) {
            double sigma = Math.sinh(E * atanh(E * tau / Math.sqrt(1 + tau * tau)));
            double tauPi = tau * Math.sqrt(1 + sigma * sigma) - sigma * Math.sqrt(1 + tau * tau);
            double dTau = (tauP - tauPi) / Math.sqrt(1 + tauPi * tauPi)
                    * (1 + (1 - E * E) * tau * tau) / ((1 - E * E) * Math.sqrt(1 + tau * tau));
            tau += dTau;
            if (Math.abs(dTau) < 1e-14) {
                break;
            }
        }
        double lambda = Math.atan2(sinhEtaP, cosXiP);
        return new double[] {meridian + Math.toDegrees(lambda), Math.toDegrees(Math.atan(tau))};
    }

    private static double atanh(double x) {
        return 0.5 * Math.log((1 + x) / (1 - x));
    }
}
