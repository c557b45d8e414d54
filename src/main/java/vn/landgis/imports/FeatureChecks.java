package vn.landgis.imports;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.CoordinateSequenceFilter;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.impl.PackedCoordinateSequenceFactory;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.springframework.jdbc.core.JdbcTemplate;

import vn.landgis.geo.TransverseMercator;
import vn.landgis.geo.Vn2000Tm3;

/**
 * The per-parcel checks of a batch, done in Java while the features stream past instead of as passes of SQL over
 * the staged table: geometric validity (JTS {@link IsValidOp}), the map area in the sheet's TM-3 system, the
 * transform into the storage CRS, the commune of the district, duplicate (commune, sheet, parcel) keys, land-use
 * codes (2024 codes pass, legacy ones are mapped, the rest refused) and registered vs map area beyond
 * ΔP = 0.0004 · M · √P (M the sheet's scale). The same rules as {@link BatchValidator}'s SQL, which still runs them
 * when a delivery is not in a VN-2000 TM-3 system or its placement is to be fixed.
 *
 * <p>Not thread-safe: one instance per batch, fed in feature order.
 */
final class FeatureChecks {

    /** A finding of these checks, located later (the parcel's point on surface, in storage) by {@link BatchValidator}. */
    record Found(int featureNo, String commune, Integer sheet, Integer parcel, String severity, String rule, String vi, String en, String details) {
    }

    /** What the checks made of one feature: columns of {@code staging.parcel}. */
    record Checked(String landUseCode, Integer mapScale, BigDecimal geomArea, Boolean valid, MultiPolygon storage, Geometry coverage) {
    }

    private static final GeometryFactory FACTORY = new GeometryFactory(PackedCoordinateSequenceFactory.DOUBLE_FACTORY);

    private final Set<String> districtCommunes;
    private final Map<String, String> communeKinds;
    private final Map<String, String> landUse;
    private final Map<String, Integer> sheetScales = new HashMap<>();
    /** The first feature of each numeric key, packed (12 bytes a parcel instead of about 70 in a HashMap). */
    private final LongIntMap firstByKey = new LongIntMap();
    /** Keys that do not pack into a long (a commune code that is not a number): rare, kept as text. */
    private final Map<String, Integer> firstByTextKey = new HashMap<>();
    private final CellTransform cells;
    private final TransverseMercator to;

    private FeatureChecks(Set<String> districtCommunes, Map<String, String> communeKinds, Map<String, String> landUse,
                          List<String[]> scales, TransverseMercator from, TransverseMercator to) {
        this.districtCommunes = districtCommunes;
        this.communeKinds = communeKinds;
        this.landUse = landUse;
        this.to = to;
        this.cells = to == null ? null : new CellTransform(from, to);
        for (String[] row : scales) {
            try {
                sheetScales.put(row[0] + "/" + Integer.parseInt(row[1]), Integer.parseInt(row[2]));
            } catch (NumberFormatException e) {
                // a sheet row without a usable number or scale: the default applies, as in the SQL
            }
        }
    }

    /**
     * The checks for a delivery in {@code sourceSrid} stored in {@code storageSrid}, or empty when they do not apply
     * (a source that is not VN-2000 TM-3: its transform and area are left to PostGIS and the SQL checks).
     */
    static Optional<FeatureChecks> forBatch(JdbcTemplate jdbc, String district, int sourceSrid, int storageSrid, List<String[]> scales) {
        var source = Vn2000Tm3.bySrid(sourceSrid);
        var storage = Vn2000Tm3.bySrid(storageSrid);
        if (source.isEmpty() || storage.isEmpty()) {
            return Optional.empty();
        }
        Set<String> communes = new HashSet<>(jdbc.queryForList(
                "SELECT code FROM cadastre.admin_unit_legacy WHERE parent_code = ?", String.class, district));
        Map<String, String> kinds = new HashMap<>();
        jdbc.query("SELECT code, kind FROM cadastre.admin_unit_legacy", rs -> {
            kinds.put(rs.getString(1), rs.getString(2));
        });
        Map<String, String> uses = new HashMap<>();
        jdbc.query("SELECT code, coalesce(successor, code) FROM cadastre.land_use_type", rs -> {
            uses.put(rs.getString(1), rs.getString(2));
        });
        return Optional.of(new FeatureChecks(communes, kinds, uses, scales,
                source.get().projection(), source.get() == storage.get() ? null : storage.get().projection()));
    }

    /**
     * Checks one feature whose rings {@link RingChecks} has repaired ({@code polygons} empty when none was left),
     * adding its findings to {@code out}. {@code rejected}: the reading already refused it (no geometry or no key).
     */
    Checked check(int featureNo, String commune, Integer sheet, Integer parcel, String landUseRaw, String legalArea,
                  List<double[][]> polygons, boolean rejected, List<Found> out) {
        if (commune != null && !districtCommunes.contains(commune)) {
            out.add(new Found(featureNo, commune, sheet, parcel, "error", "unknown-commune",
                    "Mã xã " + commune + " không thuộc huyện của lô", "commune code " + commune + " is not of the batch's district", "{}"));
        }
        if (commune != null && sheet != null && parcel != null) {
            long packed = packedKey(commune, sheet, parcel);
            Integer first = packed >= 0 ? firstByKey.putIfAbsent(packed, featureNo)
                    : firstByTextKey.putIfAbsent(commune + "/" + sheet + "/" + parcel, featureNo);
            if (first != null) {
                out.add(new Found(featureNo, commune, sheet, parcel, "error", "duplicate-number",
                        "Trùng số thửa " + parcel + " tờ " + sheet + " (cũng ở đối tượng " + first + ")",
                        "parcel number " + parcel + " on sheet " + sheet + " again (also feature " + first + ")", "{}"));
            }
        }
        String code = landUseRaw == null ? null : landUse.get(landUseRaw.toUpperCase(Locale.ROOT));
        if (code != null && !code.equals(landUseRaw.toUpperCase(Locale.ROOT))) {
            out.add(new Found(featureNo, commune, sheet, parcel, "info", "legacy-land-use",
                    "Mã loại đất cũ " + landUseRaw + " đổi thành " + code, "legacy land-use code " + landUseRaw + " mapped to " + code, "{}"));
        }
        if (code == null && !rejected) {
            out.add(new Found(featureNo, commune, sheet, parcel, "error", "unknown-land-use",
                    "Mã loại đất không có trong danh mục: " + (landUseRaw == null ? "(trống)" : landUseRaw),
                    "land-use code in no list: " + (landUseRaw == null ? "(empty)" : landUseRaw), "{}"));
        }
        Integer scale = commune == null ? null : sheet == null ? null : sheetScales.get(commune + "/" + sheet);
        if (scale == null && commune != null && communeKinds.containsKey(commune)) {
            String kind = communeKinds.get(commune);
            scale = kind.equals("ward") || kind.equals("town") ? 1000 : 2000;
        }
        if (polygons.isEmpty()) {
            return new Checked(code, scale, null, null, null, null);
        }
        MultiPolygon geometry;
        Boolean valid;
        try {
            geometry = multiPolygon(polygons);
            valid = IsValidOp.isValid(geometry);
        } catch (RuntimeException e) {
            return new Checked(code, scale, null, null, null, null);   // PostGIS decides, as for any other source
        }
        BigDecimal area = BigDecimal.valueOf(geometry.getArea()).setScale(2, RoundingMode.HALF_UP);
        if (legalArea != null && scale != null && area.signum() > 0) {
            BigDecimal legal = new BigDecimal(legalArea).setScale(1, RoundingMode.HALF_UP);
            double allowed = 0.0004 * scale * Math.sqrt(area.doubleValue());
            if (legal.subtract(area).abs().doubleValue() > allowed + 0.05) {
                String tolerance = String.format(Locale.ROOT, "%.1f", allowed);
                out.add(new Found(featureNo, commune, sheet, parcel, "warning", "area-mismatch",
                        "Diện tích pháp lý " + legal.toPlainString() + " m² khác diện tích bản đồ " + area.toPlainString()
                                + " m² quá sai số cho phép " + tolerance + " m² (tỷ lệ 1:" + scale + ")",
                        "registered area " + legal.toPlainString() + " m² differs from the map area " + area.toPlainString()
                                + " m² by more than the allowed " + tolerance + " m² (scale 1:" + scale + ")",
                        "{\"legalArea\": " + legal.toPlainString() + ", \"geomArea\": " + area.toPlainString() + ", \"scale\": " + scale + "}"));
            }
        }
        MultiPolygon storage = transform(geometry);
        // an invalid geometry is transformed and repaired by PostGIS (ST_MakeValid), with its finding; the coverage
        // checks take JTS's repair of it, which differs from PostGIS's only in the tiny pieces that both drop
        return new Checked(code, scale, area, valid, valid ? storage : null, valid ? storage : GeometryFixer.fix(storage));
    }

    /** The key of (commune, sheet, parcel) packed into a long when the commune code is a number, as it always is; else -1. */
    private static long packedKey(String commune, int sheet, int parcel) {
        if (commune.length() <= 6 && sheet < 100_000 && parcel < 10_000_000 && commune.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return (Long.parseLong(commune) * 100_000L + sheet) * 10_000_000L + parcel;
        }
        return -1;
    }

    /** An open-addressing map of non-negative long keys to int values: what the duplicate-key check needs, no more. */
    static final class LongIntMap {

        private long[] keys = new long[1 << 12];
        private int[] values = new int[1 << 12];
        private int size;

        LongIntMap() {
            java.util.Arrays.fill(keys, -1);
        }

        /** The value already held for {@code key}, or null after putting {@code value} there. */
        Integer putIfAbsent(long key, int value) {
            if (size * 2 >= keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            for (int i = slot(key, mask); ; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    return values[i];
                }
                if (keys[i] == -1) {
                    keys[i] = key;
                    values[i] = value;
                    size++;
                    return null;
                }
            }
        }

        private static int slot(long key, int mask) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32)) & mask;
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new int[oldKeys.length * 2];
            java.util.Arrays.fill(keys, -1);
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != -1) {
                    putIfAbsent(oldKeys[i], oldValues[i]);
                }
            }
        }
    }

    private static MultiPolygon multiPolygon(List<double[][]> polygons) {
        Polygon[] out = new Polygon[polygons.size()];
        for (int p = 0; p < out.length; p++) {
            double[][] rings = polygons.get(p);
            LinearRing shell = ring(rings[0]);
            LinearRing[] holes = new LinearRing[rings.length - 1];
            for (int r = 1; r < rings.length; r++) {
                holes[r - 1] = ring(rings[r]);
            }
            out[p] = FACTORY.createPolygon(shell, holes);
        }
        return FACTORY.createMultiPolygon(out);
    }

    private static LinearRing ring(double[] xy) {
        Coordinate[] c = new Coordinate[xy.length / 2];
        for (int i = 0; i < c.length; i++) {
            c[i] = new Coordinate(xy[2 * i], xy[2 * i + 1]);
        }
        return FACTORY.createLinearRing(c);
    }

    /** The geometry in the storage CRS: both are VN-2000 TM-3, so the datum stays and only the projection changes. */
    private MultiPolygon transform(MultiPolygon source) {
        MultiPolygon out = (MultiPolygon) source.copy();
        if (to == null) {
            return out;
        }
        out.apply(new CoordinateSequenceFilter() {
            @Override
            public void filter(CoordinateSequence seq, int i) {
                double[] en = cells.transform(seq.getX(i), seq.getY(i));
                seq.setOrdinate(i, 0, en[0]);
                seq.setOrdinate(i, 1, en[1]);
            }

            @Override
            public boolean isDone() {
                return false;
            }

            @Override
            public boolean isGeometryChanged() {
                return true;
            }
        });
        return out;
    }

    /**
     * TM-3 to TM-3 by cells of {@link #CELL} metres: the exact transform is taken at the grid's corners and
     * interpolated bilinearly inside each cell, so a vertex is moved by the cell it lies in and a vertex that two
     * parcels share lands on the same coordinates in both (the coverage stays exact: the result depends on the
     * vertex alone, never on what the caches hold). A corner is shared by four cells, so a district needs about one
     * exact transform per cell (the first-order expansion at each cell's centre that this replaces needed five),
     * and neighbouring cells agree along their common edge. Bilinear interpolation is exact at the corners and
     * reproduces the linear and the mixed (x·y) terms; the neglected x² and y² terms across 32 m (change of scale
     * and grid convergence) stay below 0.1 mm, which {@code FeatureChecksTest} holds it to; the exact series cost
     * half the reading's time.
     *
     * <p>The cells and the corners are cached direct-mapped by the low bits of their indices: a window of
     * {@link #WINDOW} × {@link #WINDOW} cells (4 km square) in which no two cells share a slot, so a map sheet and
     * its neighbours (files come sheet by sheet) stay in the cache, which is small enough for the processor's
     * cache (1.5 MB, fixed); a hashed map of the whole district's cells missed it on nearly every vertex.
     */
    static final class CellTransform {

        static final double CELL = 32;
        static final int WINDOW = 128;
        private static final long FREE = Long.MIN_VALUE;

        private final TransverseMercator from;
        private final TransverseMercator to;
        /** Per cell (its lower-left corner is its index times {@link #CELL}): the bilinear coefficients of easting and northing. */
        private final long[] cellKeys = new long[WINDOW * WINDOW];
        private final double[] cells = new double[WINDOW * WINDOW * 8];
        /** The exact transform of grid corners, shared by the four cells around each. */
        private final long[] cornerKeys = new long[WINDOW * WINDOW];
        private final double[] corners = new double[WINDOW * WINDOW * 2];
        private final double[] scratch = new double[8];
        private long exactCount;

        CellTransform(TransverseMercator from, TransverseMercator to) {
            this.from = from;
            this.to = to;
            java.util.Arrays.fill(cellKeys, FREE);
            java.util.Arrays.fill(cornerKeys, FREE);
        }

        /** A cell's or corner's key: its two indices in one long ({@link #FREE} is a cell 69 million km west, never cached). */
        private static long key(long cx, long cy) {
            return cx << 32 ^ (cy & 0xffffffffL);
        }

        /** The slot of a cell or corner: the low bits of its indices. */
        private static int slot(long cx, long cy) {
            return (int) ((cy & (WINDOW - 1)) * WINDOW + (cx & (WINDOW - 1)));
        }

        /** How many exact transforms the cells have needed so far. */
        long exactTransforms() {
            return exactCount;
        }

        double[] exact(double x, double y) {
            double[] lonLat = from.inverse(x, y);
            return to.forward(lonLat[0], lonLat[1]);
        }

        double[] transform(double x, double y) {
            long cx = (long) Math.floor(x / CELL);
            long cy = (long) Math.floor(y / CELL);
            long key = key(cx, cy);
            int slot = slot(cx, cy);
            double[] a = cells;
            int o = slot * 8;
            if (cellKeys[slot] != key || key == FREE) {
                double[] c00 = corner(cx, cy);
                double[] c10 = corner(cx + 1, cy);
                double[] c01 = corner(cx, cy + 1);
                double[] c11 = corner(cx + 1, cy + 1);
                if (key == FREE) {
                    a = scratch;
                    o = 0;
                } else {
                    cellKeys[slot] = key;
                }
                a[o] = c00[0];
                a[o + 1] = (c10[0] - c00[0]) / CELL;
                a[o + 2] = (c01[0] - c00[0]) / CELL;
                a[o + 3] = (c11[0] - c10[0] - c01[0] + c00[0]) / (CELL * CELL);
                a[o + 4] = c00[1];
                a[o + 5] = (c10[1] - c00[1]) / CELL;
                a[o + 6] = (c01[1] - c00[1]) / CELL;
                a[o + 7] = (c11[1] - c10[1] - c01[1] + c00[1]) / (CELL * CELL);
            }
            double dx = x - cx * CELL;
            double dy = y - cy * CELL;
            return new double[] {a[o] + a[o + 1] * dx + a[o + 2] * dy + a[o + 3] * dx * dy,
                    a[o + 4] + a[o + 5] * dx + a[o + 6] * dy + a[o + 7] * dx * dy};
        }

        /** The exact transform of a corner, {easting, northing}. */
        private double[] corner(long cx, long cy) {
            long key = key(cx, cy);
            int slot = slot(cx, cy);
            if (cornerKeys[slot] == key && key != FREE) {
                return new double[] {corners[2 * slot], corners[2 * slot + 1]};
            }
            double[] c = exact(cx * CELL, cy * CELL);
            exactCount++;
            if (key != FREE) {
                cornerKeys[slot] = key;
                corners[2 * slot] = c[0];
                corners[2 * slot + 1] = c[1];
            }
            return c;
        }
    }
}
