package vn.landgis.ows;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Coordinates are written as BigDecimal would round them, only faster. */
class GeometryEncodingTest {

    static String reference(double v, int decimals) {
        BigDecimal d = new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    @Test
    void numbersMatchBigDecimalRounding() {
        SplittableRandom r = new SplittableRandom(3);
        int differences = 0;
        for (int i = 0; i < 200_000; i++) {
            double v = switch (i % 4) {
                case 0 -> 500_000 + r.nextDouble() * 100_000;            // TM-3 easting
                case 1 -> 1_100_000 + r.nextDouble() * 300_000;          // TM-3 northing
                case 2 -> 104 + r.nextDouble() * 4;                      // longitude
                default -> -r.nextDouble() * 20_037_508;                 // negative mercator
            };
            int decimals = i % 4 == 2 ? 8 : 3;
            String fast = GeometryEncoding.number(v, decimals);
            String exact = reference(v, decimals);
            if (!fast.equals(exact)) {
                // only a tie broken differently by double rounding may differ, and by one unit in the last place
                differences++;
                assertThat(new BigDecimal(fast).subtract(new BigDecimal(exact)).abs())
                        .isLessThanOrEqualTo(BigDecimal.ONE.movePointLeft(decimals));
            }
        }
        assertThat(differences).isLessThan(20);
        assertThat(GeometryEncoding.number(1.5, 3)).isEqualTo("1.5");
        assertThat(GeometryEncoding.number(-0.0004, 3)).isEqualTo("0");
        assertThat(GeometryEncoding.number(-2.05, 3)).isEqualTo("-2.05");
        assertThat(GeometryEncoding.number(106.000000004, 8)).isEqualTo("106");
        assertThat(GeometryEncoding.number(0.00000001, 8)).isEqualTo("0.00000001");
        assertThat(GeometryEncoding.number(1e300, 3)).startsWith("1000000");
    }
}
