package vn.landgis.features.postgis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.util.AffineTransformation;

import vn.landgis.geo.Vn2000Tm3;

/** The affine stand-in for VN-2000 / TM-3 → Web Mercator over a map's area, against the exact transformation. */
class LocalAffineTest {

    static final double EARTH = 6378137.0;

    static double[] mercator(double lon, double lat) {
        return new double[] {Math.toRadians(lon) * EARTH, Math.log(Math.tan(Math.PI / 4 + Math.toRadians(lat) / 2)) * EARTH};
    }

    @Test
    void overAZoom14TileTheAffineMapIsWithinAHundredthOfAPixel() {
        assertThat(worstError(14)).isLessThan(0.05).isLessThan(40075016.68557849 / (1 << 14) / 256 / 100);
        assertThat(worstError(18)).isLessThan(0.001);
    }

    static double worstError(int zoom) {
        Vn2000Tm3 tm = Vn2000Tm3.TM3_105_45;
        double[] centre = mercator(106.41, 10.54);   // Tân An
        double span = 40075016.68557849 / (1 << zoom);
        Envelope tile = new Envelope(centre[0], centre[0] + span, centre[1], centre[1] + span);
        AffineTransformation a = LocalAffine.fit(9210, 3857, tile, span / 256 / 10).orElseThrow();
        SplittableRandom r = new SplittableRandom(1);
        double worst = 0;
        for (int i = 0; i < 1000; i++) {
            double x = tile.getMinX() + r.nextDouble() * tile.getWidth();
            double y = tile.getMinY() + r.nextDouble() * tile.getHeight();
            double[] s = LocalAffine.toSource(tm, 3857, x, y);
            // forward exactly: TM-3 → WGS 84 → Mercator
            double[] ll = tm.toWgs84(s[0], s[1]);
            double[] exact = mercator(ll[0], ll[1]);
            Coordinate c = new Coordinate(s[0], s[1]);
            a.transform(c, c);
            worst = Math.max(worst, Math.hypot(c.x - exact[0], c.y - exact[1]));
        }
        return worst;
    }

    @Test
    void aProvinceSizedMapAtPixelToleranceIsRefusedAndOtherPairsAreNotOurs() {
        double[] sw = mercator(105.4, 10.3);
        double[] ne = mercator(107.0, 11.9);
        Envelope province = new Envelope(sw[0], ne[0], sw[1], ne[1]);
        // 178 km across: the curvature of the map is hundreds of metres, more than a tenth of its 700 m pixels
        assertThat(LocalAffine.fit(9210, 3857, province, province.getWidth() / 256 / 10)).isEmpty();
        assertThat(LocalAffine.fit(9210, 32648, province, 10)).isEmpty();
        assertThat(LocalAffine.fit(4326, 3857, province, 10)).isEmpty();
    }
}
