package vn.landgis.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

import vn.landgis.geo.Vn2000Tm3;

/** The cell-wise TM-3 to TM-3 transform of the streaming checks against the exact series. */
class FeatureChecksTest {

    @Test
    void cellTransformStaysWithinATenthOfAMillimetreOfTheExactOneAcrossAProvince() {
        var cells = new FeatureChecks.CellTransform(Vn2000Tm3.TM3_105_30.projection(), Vn2000Tm3.TM3_105_45.projection());
        Random random = new Random(7);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            // former Tây Ninh and Long An in EPSG:9209: 100 km either side of 106.1°E, 10.3°N to 11.9°N
            double x = 470_000 + random.nextDouble() * 220_000;
            double y = 1_140_000 + random.nextDouble() * 180_000;
            double[] exact = cells.exact(x, y);
            double[] cell = cells.transform(x, y);
            worst = Math.max(worst, Math.hypot(exact[0] - cell[0], exact[1] - cell[1]));
        }
        assertThat(worst).isLessThan(1e-4);
        assertThat(worst).isGreaterThan(0);   // it is an approximation: the test would notice the exact one
    }

    @Test
    void aSharedVertexLandsOnTheSameCoordinatesWhicheverParcelBringsItFirst() {
        var a = new FeatureChecks.CellTransform(Vn2000Tm3.TM3_105_30.projection(), Vn2000Tm3.TM3_105_45.projection());
        var b = new FeatureChecks.CellTransform(Vn2000Tm3.TM3_105_30.projection(), Vn2000Tm3.TM3_105_45.projection());
        b.transform(560_010, 1_250_010);   // b has seen another vertex of the cell first
        assertThat(a.transform(560_000.25, 1_250_000.75)).containsExactly(b.transform(560_000.25, 1_250_000.75));
    }

    @Test
    void aCellGivesTheSameCoordinatesWhateverItsNeighboursCachedBefore() {
        var a = new FeatureChecks.CellTransform(Vn2000Tm3.TM3_105_30.projection(), Vn2000Tm3.TM3_105_45.projection());
        var b = new FeatureChecks.CellTransform(Vn2000Tm3.TM3_105_30.projection(), Vn2000Tm3.TM3_105_45.projection());
        // b has the four corners of the cell already, from the cells around it
        for (double[] p : new double[][] {{560_010 - 32, 1_250_010}, {560_010 + 32, 1_250_010}, {560_010, 1_250_010 - 32}, {560_010, 1_250_010 + 32}}) {
            b.transform(p[0], p[1]);
        }
        assertThat(a.transform(560_010.5, 1_250_017.25)).containsExactly(b.transform(560_010.5, 1_250_017.25));
    }

    @Test
    void aVertexLandsOnTheSameCoordinatesAfterItsCellWasEvicted() {
        var a = new FeatureChecks.CellTransform(Vn2000Tm3.TM3_105_30.projection(), Vn2000Tm3.TM3_105_45.projection());
        double[] first = a.transform(560_000.25, 1_250_000.75);
        for (int i = 0; i < 600; i++) {   // 360 000 cells and their corners, 22 times the window: every slot overwritten
            for (int j = 0; j < 600; j++) {
                a.transform(500_000 + i * FeatureChecks.CellTransform.CELL + 1, 1_200_000 + j * FeatureChecks.CellTransform.CELL + 1);
            }
        }
        var fresh = new FeatureChecks.CellTransform(Vn2000Tm3.TM3_105_30.projection(), Vn2000Tm3.TM3_105_45.projection());
        assertThat(a.transform(560_000.25, 1_250_000.75)).containsExactly(first).containsExactly(fresh.transform(560_000.25, 1_250_000.75));
        assertThat(a.transform(510_000.5, 1_210_000.5)).containsExactly(fresh.transform(510_000.5, 1_210_000.5));
    }

    @Test
    void aDistrictNeedsAboutOneExactTransformPerCell() {
        var cells = new FeatureChecks.CellTransform(Vn2000Tm3.TM3_105_30.projection(), Vn2000Tm3.TM3_105_45.projection());
        for (int i = 0; i < 100; i++) {
            for (int j = 0; j < 100; j++) {
                for (int k = 0; k < 5; k++) {   // a few vertices in each cell
                    cells.transform((17_500 + i) * FeatureChecks.CellTransform.CELL + 3 + 5 * k, (39_062 + j) * FeatureChecks.CellTransform.CELL + 7 + 4 * k);
                }
            }
        }
        assertThat(cells.exactTransforms()).isEqualTo(101 * 101);   // the corners of 10 000 cells; five a cell before
    }

    @Test
    void neighbouringCellsAgreeAlongTheirCommonEdge() {
        var cells = new FeatureChecks.CellTransform(Vn2000Tm3.TM3_105_30.projection(), Vn2000Tm3.TM3_105_45.projection());
        double edge = 17_500 * FeatureChecks.CellTransform.CELL;
        double[] left = cells.transform(Math.nextDown(edge), 1_250_013);
        double[] right = cells.transform(edge, 1_250_013);
        assertThat(Math.hypot(left[0] - right[0], left[1] - right[1])).isLessThan(1e-8);
    }

    @Test
    void theKeyMapRemembersTheFirstFeatureOfEveryKeyThroughItsGrowth() {
        var map = new FeatureChecks.LongIntMap();
        var reference = new java.util.HashMap<Long, Integer>();
        Random random = new Random(3);
        for (int i = 0; i < 300_000; i++) {
            long key = (long) random.nextInt(200_000) * 1_000_003L;   // about a third repeat
            assertThat(map.putIfAbsent(key, i)).isEqualTo(reference.putIfAbsent(key, i));
        }
    }
}
