package vn.landgis.generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import vn.landgis.geo.TransverseMercator;
import vn.landgis.geo.Vn2000;
import vn.landgis.geo.Vn2000Tm3;

/**
 * Injects defects into a numbered district at exact rates: round(rate x parcels) parcels for each parcel
 * kind (each parcel gets at most one), round(rate x sheets) sheets (at least one when the rate is above 0)
 * for the per-sheet kinds. Every injected defect is listed in {@link SyntheticDistrict#defects()}.
 * Geometry defects go to lots only, on their first side, which always has a neighbour.
 */
final class DefectInjector {

    private static final String[] UNKNOWN_CODES = {"XYZ", "LUX", "0DT", "ODTT", "HNKK", "CLNX"};

    private final SyntheticDistrict district;
    private final SplittableRandom rng;

    DefectInjector(SyntheticDistrict district, long seed) {
        this.district = district;
        this.rng = new SplittableRandom(seed ^ 0xDEFEC7L);
    }

    void inject(Map<Defect, Double> rates) {
        List<GeneratedParcel> parcels = district.parcels();
        BitSet taken = new BitSet(parcels.size());
        // edges move only where the neighbouring sides leave room: no defect of one kind turns into another
        int[] lots = java.util.stream.IntStream.range(0, parcels.size())
                .filter(i -> !parcels.get(i).linear && clearance(parcels.get(i)) >= 1.5).toArray();
        int[] all = java.util.stream.IntStream.range(0, parcels.size()).toArray();
        for (Defect kind : Defect.values()) {
            double rate = rates.getOrDefault(kind, 0.0);
            if (rate <= 0) {
                continue;
            }
            if (kind.perSheet()) {
                injectSheets(kind, rate);
                continue;
            }
            boolean geometric = kind == Defect.OVERLAP || kind == Defect.GAP || kind == Defect.SELF_INTERSECTION;
            int[] pool = geometric ? lots : all;
            int wanted = (int) Math.round(rate * parcels.size());
            for (int index : pick(pool, wanted, taken)) {
                GeneratedParcel p = parcels.get(index);
                apply(kind, p, index);
                p.defect = kind;
                district.defects.add(new SyntheticDistrict.InjectedDefect(kind, p.communeCode, p.sheetNo, p.parcelNo, p.labelX, p.labelY));
            }
        }
    }

    /** Picks {@code wanted} indices of {@code pool} not taken yet, uniformly, deterministically. */
    private int[] pick(int[] pool, int wanted, BitSet taken) {
        int[] free = Arrays.stream(pool).filter(i -> !taken.get(i)).toArray();
        if (wanted > free.length) {
            throw new IllegalArgumentException("defect rates add up to more than the parcels there are");
        }
        for (int i = 0; i < wanted; i++) {   // partial Fisher-Yates
            int j = i + rng.nextInt(free.length - i);
            int t = free[i];
            free[i] = free[j];
            free[j] = t;
            taken.set(free[i]);
        }
        int[] chosen = Arrays.copyOf(free, wanted);
        Arrays.sort(chosen);
        return chosen;
    }

    private void apply(Defect kind, GeneratedParcel p, int index) {
        double[] ring = p.rings[0];
        switch (kind) {
            case OVERLAP -> moveFirstSide(p, Math.min(0.5 + rng.nextDouble() * 2.5, 0.6 * clearance(p)));
            case GAP -> moveFirstSide(p, -Math.min(0.5 + rng.nextDouble() * 1.5, 0.6 * clearance(p)));
            case SELF_INTERSECTION -> bowTie(p);
            case UNCLOSED_RING -> {
                p.cleanRing = ring;
                p.rings = new double[][] {Arrays.copyOf(ring, ring.length - 2)};
            }
            case DUPLICATE_RING -> p.rings = new double[][] {ring, ring.clone()};
            case DUPLICATE_NUMBER -> {
                // take the number of the neighbour in the numbering; that number now appears twice on the sheet
                GeneratedParcel other = neighbourOnSheet(index);
                p.parcelNo = other.parcelNo;
            }
            case UNKNOWN_LAND_USE -> p.landUse = UNKNOWN_CODES[rng.nextInt(UNKNOWN_CODES.length)];
            case AREA_MISMATCH -> {
                double tolerance = Cadastralizer.areaTolerance(p.scale, p.geomArea);
                double off = Math.max(3, (2 + rng.nextDouble() * 2) * tolerance);
                double legal = p.geomArea + (rng.nextBoolean() || p.geomArea - off < 1 ? off : -off);
                p.legalArea = Math.round(legal * 10) / 10.0;
            }
            default -> throw new IllegalStateException(kind.name());
        }
    }

    private GeneratedParcel neighbourOnSheet(int index) {
        List<GeneratedParcel> parcels = district.parcels();
        GeneratedParcel p = parcels.get(index);
        for (int k : new int[] {index - 1, index + 1}) {
            if (k >= 0 && k < parcels.size() && parcels.get(k).communeCode.equals(p.communeCode) && parcels.get(k).sheetNo == p.sheetNo) {
                return parcels.get(k);
            }
        }
        throw new IllegalStateException("sheet with a single parcel");
    }

    /**
     * How far the first side can move before it meets a vertex of the sides next to it: the distance from its
     * line to the nearest vertex that is not on it.
     */
    static double clearance(GeneratedParcel p) {
        double[] r = p.rings[0];
        int end = p.southEdgeEnd;
        int n = r.length / 2;
        double dx = r[2 * end] - r[0];
        double dy = r[2 * end + 1] - r[1];
        double len = Math.hypot(dx, dy);
        double min = Double.MAX_VALUE;
        for (int i = end + 1; i < n - 1; i++) {
            min = Math.min(min, Math.abs((r[2 * i] - r[0]) * dy - (r[2 * i + 1] - r[1]) * dx) / len);
        }
        return min;
    }

    /**
     * Moves the ring's first side by d metres (d > 0 pushes out, d < 0 pulls in): its inner vertices along the
     * side's normal, its two corners along the sides next to it, so that only the neighbour across the moved
     * side is touched, whatever the corner angles.
     */
    private void moveFirstSide(GeneratedParcel p, double d) {
        double[] clean = p.rings[0];
        double[] ring = clean.clone();
        p.cleanRing = clean;
        int end = p.southEdgeEnd;
        int last = clean.length / 2 - 2;   // the vertex before the closing one
        double dx = clean[2 * end] - clean[0];
        double dy = clean[2 * end + 1] - clean[1];
        double len = Math.hypot(dx, dy);
        double nx = dy / len * d;    // outward of a counter-clockwise ring: to the right of the direction
        double ny = -dx / len * d;
        for (int i = 1; i < end; i++) {
            ring[2 * i] = round(clean[2 * i] + nx);
            ring[2 * i + 1] = round(clean[2 * i + 1] + ny);
        }
        slideCorner(clean, ring, 0, last, d);
        slideCorner(clean, ring, end, end + 1, d);
        ring[ring.length - 2] = ring[0];
        ring[ring.length - 1] = ring[1];
        p.rings = new double[][] {ring};
    }

    /** Moves corner {@code c} along the line to vertex {@code toward}: away from it when d > 0, toward it when d < 0. */
    private static void slideCorner(double[] clean, double[] ring, int c, int toward, double d) {
        double ux = clean[2 * toward] - clean[2 * c];
        double uy = clean[2 * toward + 1] - clean[2 * c + 1];
        double len = Math.hypot(ux, uy);
        ring[2 * c] = round(clean[2 * c] - ux / len * d);
        ring[2 * c + 1] = round(clean[2 * c + 1] - uy / len * d);
    }

    /** A 0.2 m bow-tie in the first segment: the ring crosses itself, the area hardly changes. */
    private void bowTie(GeneratedParcel p) {
        double[] ring = p.rings[0];
        p.cleanRing = ring;
        double ax = ring[0];
        double ay = ring[1];
        double bx = ring[2];
        double by = ring[3];
        double len = Math.hypot(bx - ax, by - ay);
        double nx = (by - ay) / len * 0.2;
        double ny = -(bx - ax) / len * 0.2;
        double[] p1 = {ax + (bx - ax) * 0.4, ay + (by - ay) * 0.4};
        double[] p2 = {ax + (bx - ax) * 0.6, ay + (by - ay) * 0.6};
        double[] insert = {round(p1[0]), round(p1[1]), round(p2[0] + nx), round(p2[1] + ny), round(p1[0] + nx), round(p1[1] + ny),
            round(p2[0]), round(p2[1])};
        double[] out = new double[ring.length + insert.length];
        System.arraycopy(ring, 0, out, 0, 2);
        System.arraycopy(insert, 0, out, 2, insert.length);
        System.arraycopy(ring, 2, out, 2 + insert.length, ring.length - 2);
        p.rings = new double[][] {out};
    }

    /** Re-draws whole sheets as a district gets them wrong: another meridian, or no datum shift. */
    private void injectSheets(Defect kind, double rate) {
        List<SyntheticDistrict.Sheet> sheets = district.sheets();
        int wanted = Math.max(1, (int) Math.round(rate * sheets.size()));
        BitSet used = new BitSet();
        for (SyntheticDistrict.InjectedDefect d : district.defects) {
            if (d.kind().perSheet()) {
                used.set(sheetIndex(d.communeCode(), d.sheetNo()));
            }
        }
        int[] pool = java.util.stream.IntStream.range(0, sheets.size()).filter(i -> !used.get(i)).toArray();
        Map<String, List<GeneratedParcel>> bySheet = new HashMap<>();
        for (GeneratedParcel p : district.parcels()) {
            bySheet.computeIfAbsent(p.communeCode + "/" + p.sheetNo, k -> new ArrayList<>()).add(p);
        }
        Vn2000Tm3 crs = district.crs();
        TransverseMercator wrong = TransverseMercator.vn2000Tm3(crs.centralMeridian() == 105.5 ? 105.75 : crs.centralMeridian() - 0.25);
        for (int s : pick(pool, wanted, new BitSet())) {
            SyntheticDistrict.Sheet sheet = sheets.get(s);
            List<GeneratedParcel> onSheet = bySheet.get(sheet.communeCode() + "/" + sheet.sheetNo());
            double[] shift = null;
            for (GeneratedParcel p : onSheet) {
                if (p.cleanRing == null) {
                    p.cleanRing = p.rings[0];
                }
                double[][] rings = new double[p.rings.length][];
                for (int r = 0; r < rings.length; r++) {
                    rings[r] = p.rings[r].clone();
                    for (int i = 0; i < rings[r].length; i += 2) {
                        double[] moved = redraw(kind, crs, wrong, rings[r][i], rings[r][i + 1]);
                        rings[r][i] = round(moved[0]);
                        rings[r][i + 1] = round(moved[1]);
                    }
                }
                p.rings = rings;
                p.sheetDefect = kind;
                double[] label = redraw(kind, crs, wrong, p.labelX, p.labelY);
                shift = new double[] {label[0] - p.labelX, label[1] - p.labelY};
            }
            GeneratedParcel first = onSheet.get(0);
            district.defects.add(new SyntheticDistrict.InjectedDefect(kind, sheet.communeCode(), sheet.sheetNo(), 0,
                    first.labelX + shift[0], first.labelY + shift[1]));
        }
    }

    private static double[] redraw(Defect kind, Vn2000Tm3 crs, TransverseMercator wrong, double x, double y) {
        double[] lonLat = crs.projection().inverse(x, y);
        if (kind == Defect.WRONG_MERIDIAN) {
            return wrong.forward(lonLat[0], lonLat[1]);
        }
        // GPS (WGS 84) positions written as if they were VN-2000
        double[] wgs = Vn2000.toWgs84(lonLat[0], lonLat[1]);
        return crs.projection().forward(wgs[0], wgs[1]);
    }

    private int sheetIndex(String commune, int sheetNo) {
        List<SyntheticDistrict.Sheet> sheets = district.sheets();
        for (int i = 0; i < sheets.size(); i++) {
            if (sheets.get(i).communeCode().equals(commune) && sheets.get(i).sheetNo() == sheetNo) {
                return i;
            }
        }
        throw new IllegalStateException();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
