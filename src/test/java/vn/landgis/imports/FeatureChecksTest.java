package vn.landgis.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

import vn.landgis.geo.Vn2000Tm3;

/** The cell-wise TM-3 to TM-3 transform of the streaming checks against the exact series. */
class FeatureChecksTest {

    @Test
    void cellTransformStaysWithinAHundredthOfAMillimetreOfTheExactOneAcrossAProvince() {
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
        assertThat(worst).isLessThan(1e-5);   // 1.4 µm at 128 m cells
        assertThat(worst).isGreaterThan(0);   // it is an approximation: the test would notice the exact one
    }

    @Test
    void rememberingCornersChangesNoOutputBit() {
        var cells = new FeatureChecks.CellTransform(Vn2000Tm3.TM3_105_30.projection(), Vn2000Tm3.TM3_105_45.projection());
        Random random = new Random(5);
        double c = FeatureChecks.CellTransform.CELL;
        for (int i = 0; i < 20_000; i++) {
            // a small area, so that most cells meet corners already computed by their neighbours
            double x = 560_000 + random.nextDouble() * 2_000;
            double y = 1_250_000 + random.nextDouble() * 2_000;
            // the cell's four corners computed anew, nothing remembered
            double x0 = Math.floor(x / c) * c;
            double y0 = Math.floor(y / c) * c;
            double[] a = cells.exact(x0, y0);
            double[] b = cells.exact(x0 + c, y0);
            double[] d = cells.exact(x0, y0 + c);
            double[] e = cells.exact(x0 + c, y0 + c);
            double u = (x - x0) / c;
            double w = (y - y0) / c;
            double[] expected = new double[2];
            for (int k = 0; k < 2; k++) {
                expected[k] = a[k] + (b[k] - a[k]) * u + (d[k] - a[k]) * w + (e[k] - b[k] - d[k] + a[k]) * u * w;
            }
            assertThat(cells.transform(x, y)).containsExactly(expected);
        }
    }

    @Test
    void theMapIsContinuousAcrossCellEdges() {
        var cells = new FeatureChecks.CellTransform(Vn2000Tm3.TM3_105_30.projection(), Vn2000Tm3.TM3_105_45.projection());
        double c = FeatureChecks.CellTransform.CELL;
        double edge = 4_400 * c;   // a cell edge near 563 km east
        for (double y = 1_250_000; y < 1_251_000; y += 7.3) {
            double[] left = cells.transform(Math.nextDown(edge), y);
            double[] right = cells.transform(edge, y);
            assertThat(Math.hypot(left[0] - right[0], left[1] - right[1])).isLessThan(1e-9);
        }
    }

    @Test
    void aSharedVertexLandsOnTheSameCoordinatesWhicheverParcelBringsItFirst() {
        var a = new FeatureChecks.CellTransform(Vn2000Tm3.TM3_105_30.projection(), Vn2000Tm3.TM3_105_45.projection());
        var b = new FeatureChecks.CellTransform(Vn2000Tm3.TM3_105_30.projection(), Vn2000Tm3.TM3_105_45.projection());
        b.transform(560_010, 1_250_010);   // b has seen another vertex of the cell first
        assertThat(a.transform(560_000.25, 1_250_000.75)).containsExactly(b.transform(560_000.25, 1_250_000.75));
    }

    /**
     * A key can repeat only within its sheet's run of features in a file that comes sheet by sheet: the table holds
     * one sheet's keys. A sheet that comes back after others leaves the duplicates to SQL (the earlier keys are gone).
     */
    @Test
    void duplicateKeysAreFoundWithinTheirSheetsRunAndLeftToSqlWhenASheetComesBack() {
        var checks = new FeatureChecks(java.util.Set.of("25633"), java.util.Map.of(), java.util.Map.of("ONT", "ONT"), java.util.List.of(),
                Vn2000Tm3.TM3_105_30.projection(), null);
        var out = new java.util.ArrayList<FeatureChecks.Found>();
        int[][] features = {{1, 10}, {1, 11}, {1, 10}, {2, 10}, {2, 10}, {2, 11}, {3, 10}};
        for (int i = 0; i < features.length; i++) {
            checks.check(i + 1, "25633", features[i][0], features[i][1], "ONT", null, java.util.List.of(), false, out);
        }
        assertThat(out).extracting(f -> f.rule() + " " + f.featureNo() + " " + f.en())
                .containsExactly("duplicate-number 3 parcel number 10 on sheet 1 again (also feature 1)",
                        "duplicate-number 5 parcel number 10 on sheet 2 again (also feature 4)");
        assertThat(checks.duplicatesLeftToSql()).isFalse();
        checks.check(8, "25633", 1, 12, "ONT", null, java.util.List.of(), false, out);   // sheet 1 again
        checks.check(9, "25633", 1, 12, "ONT", null, java.util.List.of(), false, out);
        checks.check(10, "25633", 3, 10, "ONT", null, java.util.List.of(), false, out);
        assertThat(checks.duplicatesLeftToSql()).isTrue();
        assertThat(out).hasSize(2);
    }

    @Test
    void theKeyMapIsEmptiedBetweenSheets() {
        var map = new FeatureChecks.LongIntMap();
        for (int i = 0; i < 100_000; i++) {
            map.putIfAbsent(i * 7L, i);
        }
        map.clear();
        assertThat(map.putIfAbsent(7L, 5)).isNull();
        assertThat(map.putIfAbsent(7L, 6)).isEqualTo(5);
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

    @Test
    void theCellTableFindsWhatItHoldsAndForgetsItAllAtOnce() {
        var table = new FeatureChecks.DoublesByKey(1_000, 2);
        var reference = new java.util.HashMap<Long, Double>();
        Random random = new Random(11);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 1_000; i++) {
                long key = i < 2 ? i - 1 : FeatureChecks.CellTransform.mix(random.nextInt(1_500));   // -1 and 0 are keys too
                int slot = table.find(key);
                assertThat(slot >= 0).isEqualTo(reference.containsKey(key));
                if (slot < 0 && table.size() < 1_000) {
                    slot = table.insert(slot, key);
                    table.values[2 * slot] = key * 0.5;
                    reference.put(key, key * 0.5);
                }
                if (slot >= 0) {
                    assertThat(table.values[2 * slot]).isEqualTo(reference.get(key));
                }
            }
            table.clear();
            reference.clear();
            assertThat(table.find(-1L)).isNegative();
        }
    }

    @Test
    void cellKeysStayDistinctAndSpreadOnceMixed() {
        var mixed = new java.util.HashSet<Long>();
        var buckets = new int[1 << 16];
        for (long cx = 15_000; cx < 16_000; cx++) {
            for (long cy = 35_000; cy < 36_000; cy++) {
                long key = FeatureChecks.CellTransform.mix(cx << 32 ^ (cy & 0xffffffffL));
                mixed.add(key);
                int h = Long.hashCode(key);
                buckets[(h ^ (h >>> 16)) & 0xffff]++;
            }
        }
        assertThat(mixed).hasSize(1_000_000);
        // a million cells over 65 536 buckets: about 15 each, none crowded (the unmixed keys put hundreds in one)
        assertThat(java.util.Arrays.stream(buckets).max().getAsInt()).isLessThan(60);
    }
}
