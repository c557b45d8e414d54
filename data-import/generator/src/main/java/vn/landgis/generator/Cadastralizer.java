package vn.landgis.generator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Does to generated land what a cadastral survey does: cuts it into map sheets on the national grid (the
 * sheet holding a parcel's label point), numbers sheets from 1 within each commune (north to south, west to
 * east) and parcels from 1 within each sheet (in rows from the north-west), measures areas, and writes the
 * registered area as a survey would have, within the tolerance of the national rule.
 */
final class Cadastralizer {

    /** Allowed difference between registered and map area: dP = 0.0004 * M * sqrt(P) (Circular 25/2014/TT-BTNMT). */
    static double areaTolerance(int scale, double area) {
        return 0.0004 * scale * Math.sqrt(area);
    }

    private final SyntheticDistrict district;
    private final SplittableRandom rng;

    Cadastralizer(SyntheticDistrict district, long seed) {
        this.district = district;
        this.rng = new SplittableRandom(seed ^ 0xA5A5A5A5L);
    }

    void numberAndMeasure() {
        Map<String, Integer> scaleOfCommune = communeScales();
        // sheet cell of each parcel, grouped by commune
        Map<String, Map<Long, List<GeneratedParcel>>> cells = new TreeMap<>();
        for (GeneratedParcel p : district.parcels()) {
            int scale = scaleOfCommune.get(p.communeCode);
            double size = sheetSize(scale);
            long cx = (long) Math.floor(p.labelX / size);
            long cy = (long) Math.floor(p.labelY / size);
            p.scale = scale;
            cells.computeIfAbsent(p.communeCode, k -> new HashMap<>())
                    .computeIfAbsent(cy << 32 | (cx & 0xffffffffL), k -> new ArrayList<>()).add(p);
        }
        for (var commune : cells.entrySet()) {
            List<Long> keys = new ArrayList<>(commune.getValue().keySet());
            keys.sort(Comparator.<Long>comparingLong(k -> -(k >> 32)).thenComparingLong(k -> (int) (long) k));
            int sheetNo = 0;
            for (long key : keys) {
                sheetNo++;
                List<GeneratedParcel> onSheet = commune.getValue().get(key);
                int scale = onSheet.get(0).scale;
                double size = sheetSize(scale);
                long cy = key >> 32;
                long cx = (int) key;
                double[] frame = {cx * size, cy * size, (cx + 1) * size, (cy + 1) * size};
                district.sheets.add(new SyntheticDistrict.Sheet(commune.getKey(), sheetNo, scale, gridRef(scale, frame), frame));
                // rows of 25 m from the north, west to east within a row
                onSheet.sort(Comparator.<GeneratedParcel>comparingLong(p -> (long) Math.floor((frame[3] - p.labelY) / 25))
                        .thenComparingDouble(p -> p.labelX));
                int parcelNo = 0;
                for (GeneratedParcel p : onSheet) {
                    p.sheetNo = sheetNo;
                    p.parcelNo = ++parcelNo;
                    measure(p);
                }
            }
        }
        district.parcels().sort(Comparator.comparing(GeneratedParcel::communeCode).thenComparingInt(GeneratedParcel::sheetNo)
                .thenComparingInt(GeneratedParcel::parcelNo));
    }

    private void measure(GeneratedParcel p) {
        p.geomArea = Math.abs(ringArea(p.rings[0]));
        double tolerance = areaTolerance(p.scale, p.geomArea);
        // surveys round and err a little: mostly well inside the tolerance
        double error = rng.nextGaussian() * tolerance / 4;
        error = Math.max(-0.8 * tolerance, Math.min(0.8 * tolerance, error));
        p.legalArea = Math.round((p.geomArea + error) * 10) / 10.0;
        LandUse use = LandUse.valueOf(p.landUse);
        p.owner = use.publicLand ? "UBND " + communeName(p.communeCode) : Names.person(rng);
    }

    private String communeName(String code) {
        return district.profile().communes().stream().filter(c -> c.code().equals(code)).findFirst().orElseThrow().name();
    }

    /** Wards with town lots at 1:500 or 1:1000, communes at 1:2000. */
    private Map<String, Integer> communeScales() {
        Map<String, double[]> stats = new HashMap<>();
        for (GeneratedParcel p : district.parcels()) {
            double[] s = stats.computeIfAbsent(p.communeCode, k -> new double[2]);
            s[0] += Math.abs(ringArea(p.rings[0]));
            s[1]++;
        }
        Map<String, Integer> scales = new HashMap<>();
        for (DistrictProfile.Commune c : district.profile().communes()) {
            double[] s = stats.get(c.code());
            double mean = s == null ? 0 : s[0] / s[1];
            scales.put(c.code(), !c.urban() ? 2000 : mean < 250 ? 500 : 1000);
        }
        return scales;
    }

    static double sheetSize(int scale) {
        return switch (scale) {
            case 500 -> 250;
            case 1000 -> 500;
            case 2000 -> 1000;
            case 5000 -> 3000;
            default -> throw new IllegalArgumentException("scale " + scale);
        };
    }

    /**
     * The sheet's name on the national grid: the 1:5000 sheet (3 km, named by the km of its north-west corner,
     * northing then easting, 3 digits each), then 1-9 for 1:2000, a-d for 1:1000, 1-16 for 1:500.
     */
    static String gridRef(int scale, double[] frame) {
        double west = frame[0];
        double north = frame[3];
        long baseW = (long) Math.floor(west / 3000) * 3000;
        long baseN = (long) Math.ceil(north / 3000) * 3000;
        String base = String.format("%03d-%03d", Math.floorMod(baseN / 1000, 1000), Math.floorMod(baseW / 1000, 1000));
        int col2000 = (int) Math.floor((west - baseW) / 1000);
        int row2000 = (int) Math.floor((baseN - north) / 1000);
        String s2000 = base + "-" + (row2000 * 3 + col2000 + 1);
        double w2000 = baseW + col2000 * 1000;
        double n2000 = baseN - row2000 * 1000;
        return switch (scale) {
            case 2000 -> s2000;
            case 1000 -> s2000 + "-(" + (char) ('a' + (int) ((n2000 - north) / 500) * 2 + (int) ((west - w2000) / 500)) + ")";
            case 500 -> s2000 + "-(" + ((int) ((n2000 - north) / 250) * 4 + (int) ((west - w2000) / 250) + 1) + ")";
            default -> base;
        };
    }

    /** Signed shoelace area of a closed ring (positive when counter-clockwise). */
    static double ringArea(double[] xy) {
        double sum = 0;
        int n = xy.length / 2;
        double x0 = xy[0];
        double y0 = xy[1];
        for (int i = 0; i < n - 1; i++) {
            sum += (xy[2 * i] - x0) * (xy[2 * i + 3] - y0) - (xy[2 * i + 2] - x0) * (xy[2 * i + 1] - y0);
        }
        return sum / 2;
    }
}
