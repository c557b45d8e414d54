package vn.landgis.imports;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
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
    record Checked(String landUseCode, List<String> landUseOther, Integer mapScale, BigDecimal geomArea, Boolean valid, MultiPolygon storage,
                   Geometry coverage) {
    }

    /** The most purposes a parcel's value may name: its main one and {@code cadastre.parcel.land_use_other}'s eight. */
    static final int MAX_LAND_USES = 9;

    private static final GeometryFactory FACTORY = new GeometryFactory(PackedCoordinateSequenceFactory.DOUBLE_FACTORY);

    private final Set<String> districtCommunes;
    private final Map<String, String> communeKinds;
    private final Map<String, String> landUse;
    private final Map<String, Integer> sheetScales;
    /**
     * The first feature of each numeric key of the current sheet, packed. A file comes sheet by sheet, so a key can
     * repeat only within its sheet's run of features: the table is emptied when the sheet changes, and the heap
     * holds one sheet's keys, not the district's (24 bytes a parcel: 25 MB at 1 M parcels).
     */
    private final LongIntMap firstByKey = new LongIntMap();
    /** Keys that do not pack into a long (a commune code that is not a number): rare, kept as text. */
    private final Map<String, Integer> firstByTextKey = new HashMap<>();
    /** The sheet whose keys the tables hold, and the sheets ("commune/sheet") whose run of features has ended. */
    private String currentCommune;
    private int currentSheetNo;
    private final Set<String> sheetsDone = new HashSet<>();
    /** A sheet came back after others: its earlier keys are gone, so the duplicates are {@link BatchValidator}'s SQL. */
    private boolean duplicatesLeftToSql;
    private final CellTransform cells;
    /** The features found invalid as delivered (staged with {@code source_valid} false): none, and nothing is repaired in SQL. */
    private int invalid;
    private final TransverseMercator to;
    /** The manifest's land-use codes for values that are none, by {@link Manifest#landUseKey}. */
    private Map<String, String> landUseMap = Map.of();

    FeatureChecks(Set<String> districtCommunes, Map<String, String> communeKinds, Map<String, String> landUse,
                          List<String[]> scales, TransverseMercator from, TransverseMercator to) {
        this.districtCommunes = districtCommunes;
        this.communeKinds = communeKinds;
        this.landUse = landUse;
        this.to = to;
        this.cells = to == null ? null : new CellTransform(from, to);
        this.sheetScales = sheetScales(scales);
    }

    /**
     * The delivery's sheets layer as scales by "commune/sheet" (the key {@link #check} and {@link BatchValidator}
     * look them up by); a row without a usable number or scale is left out (the default applies); of a repeated
     * sheet, the last row.
     */
    static Map<String, Integer> sheetScales(List<String[]> rows) {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        for (String[] row : rows) {
            try {
                out.put(row[0] + "/" + Integer.parseInt(row[1]), Integer.parseInt(row[2]));
            } catch (NumberFormatException e) {
                // the default applies
            }
        }
        return out;
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

    /** The manifest's {@code landUseMap}: the code to take for a delivered value that is none. */
    FeatureChecks landUseMap(Map<String, String> map) {
        this.landUseMap = map;
        return this;
    }

    /** How many of the features checked so far were invalid as delivered. */
    int invalid() {
        return invalid;
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
        if (commune != null && sheet != null && parcel != null && !duplicatesLeftToSql && sameSheetRun(commune, sheet)) {
            long packed = packedKey(commune, sheet, parcel);
            Integer first = packed >= 0 ? firstByKey.putIfAbsent(packed, featureNo)
                    : firstByTextKey.putIfAbsent(commune + "/" + sheet + "/" + parcel, featureNo);
            if (first != null) {
                out.add(new Found(featureNo, commune, sheet, parcel, "error", "duplicate-number",
                        "Trùng số thửa " + parcel + " tờ " + sheet + " (cũng ở đối tượng " + first + ")",
                        "parcel number " + parcel + " on sheet " + sheet + " again (also feature " + first + ")", "{}"));
            }
        }
        String decided = landUseRaw == null || landUseMap.isEmpty() ? null : landUseMap.get(Manifest.landUseKey(landUseRaw));
        String code;
        List<String> others = List.of();
        if (decided == null && landUseRaw != null && isSeveralCodes(landUseRaw)) {
            // a parcel of several purposes: each code as a single one would be taken, the first the main purpose
            List<String> codes = new ArrayList<>();
            List<String> unknown = new ArrayList<>();
            for (String part : landUseParts(landUseRaw)) {
                String one = landUse.get(part);
                if (one == null) {
                    unknown.add(part);
                } else if (!codes.contains(one)) {
                    codes.add(one);
                }
            }
            code = unknown.isEmpty() && codes.size() <= MAX_LAND_USES ? codes.getFirst() : null;
            if (code != null) {
                others = List.copyOf(codes.subList(1, codes.size()));
                String label = vn.landgis.cadastre.LandUses.label(codes.getFirst(), codes.subList(1, codes.size()));
                if (!label.equals(String.join("+", landUseParts(landUseRaw)))) {
                    out.add(legacyLandUse(featureNo, commune, sheet, parcel, landUseRaw, label));
                }
            } else if (!rejected) {
                out.add(unknownLandUse(featureNo, commune, sheet, parcel, landUseRaw,
                        unknown.isEmpty() ? "more than " + MAX_LAND_USES : String.join(", ", unknown)));
            }
        } else {
            code = landUseRaw == null ? null : landUse.get(decided != null ? decided : landUseRaw.toUpperCase(Locale.ROOT));
            if (code != null && decided != null) {
                out.add(new Found(featureNo, commune, sheet, parcel, "info", "land-use-mapped",
                        "Loại đất " + landUseRaw + " ghi là " + code + " theo manifest", "land use " + landUseRaw + " registered as " + code + " as the manifest says", "{}"));
            } else if (code != null && !code.equals(landUseRaw.toUpperCase(Locale.ROOT))) {
                out.add(legacyLandUse(featureNo, commune, sheet, parcel, landUseRaw, code));
            }
            if (code == null && !rejected) {
                out.add(decided != null
                        ? new Found(featureNo, commune, sheet, parcel, "error", "unknown-land-use",
                                "Manifest ghi loại đất " + landUseRaw + " là " + decided + ", mã không có trong danh mục",
                                "the manifest maps land use " + landUseRaw + " to " + decided + ", a code in no list", "{}")
                        : unknownLandUse(featureNo, commune, sheet, parcel, landUseRaw, null));
            }
        }
        Integer scale = commune == null ? null : sheet == null ? null : sheetScales.get(commune + "/" + sheet);
        if (scale == null && commune != null && communeKinds.containsKey(commune)) {
            String kind = communeKinds.get(commune);
            scale = kind.equals("ward") || kind.equals("town") ? 1000 : 2000;
        }
        if (polygons.isEmpty()) {
            return new Checked(code, others, scale, null, null, null, null);
        }
        MultiPolygon geometry;
        Boolean valid;
        try {
            geometry = multiPolygon(polygons);
            // one short simple ring, as most parcels are, is proved valid without JTS's general test
            valid = RingChecks.provablySimpleShell(polygons) || IsValidOp.isValid(geometry);
        } catch (RuntimeException e) {
            return new Checked(code, others, scale, null, null, null, null);   // PostGIS decides, as for any other source
        }
        if (!valid) {
            invalid++;
        }
        BigDecimal area = BigDecimal.valueOf(geometry.getArea()).setScale(2, RoundingMode.HALF_UP);
        if (legalArea != null && scale != null && area.signum() > 0) {
            BigDecimal legal = new BigDecimal(legalArea).setScale(1, RoundingMode.HALF_UP);
            double allowed = 0.0004 * scale * Math.sqrt(area.doubleValue());
            if (legal.subtract(area).abs().doubleValue() > allowed + 0.05) {
                String tolerance = String.format(Locale.ROOT, "%.1f", allowed);
                out.add(new Found(featureNo, commune, sheet, parcel, "warning", "area-mismatch",
                        "Diện tích pháp lý " + vn.landgis.platform.VietnameseNumbers.format(legal) + " m² khác diện tích bản đồ "
                                + vn.landgis.platform.VietnameseNumbers.format(area) + " m² quá sai số cho phép "
                                + vn.landgis.platform.VietnameseNumbers.format(allowed, 1) + " m² (tỷ lệ 1:" + scale + ")",
                        "registered area " + legal.toPlainString() + " m² differs from the map area " + area.toPlainString()
                                + " m² by more than the allowed " + tolerance + " m² (scale 1:" + scale + ")",
                        "{\"legalArea\": " + legal.toPlainString() + ", \"geomArea\": " + area.toPlainString() + ", \"scale\": " + scale + "}"));
            }
        }
        MultiPolygon storage = transform(geometry);
        // an invalid geometry is transformed and repaired by PostGIS (ST_MakeValid), with its finding; the coverage
        // checks take JTS's repair of it, which differs from PostGIS's only in the tiny pieces that both drop
        return new Checked(code, others, scale, area, valid, valid ? storage : null, valid ? storage : GeometryFixer.fix(storage));
    }

    /** The note of a legacy code mapped to its 2024 successor ({@code registered}: the code or codes, "ONT+HNK", taken). */
    private static Found legacyLandUse(int featureNo, String commune, Integer sheet, Integer parcel, String raw, String registered) {
        return new Found(featureNo, commune, sheet, parcel, "info", "legacy-land-use",
                "Mã loại đất cũ " + raw + " đổi thành " + registered, "legacy land-use code " + raw + " mapped to " + registered, "{}");
    }

    /**
     * The error of a land-use value that no list holds; of a value of several codes ("ONT+XYZ"), {@code unknown} names
     * the codes in no list.
     */
    static Found unknownLandUse(int featureNo, String commune, Integer sheet, Integer parcel, String raw, String unknown) {
        if (unknown != null) {
            return new Found(featureNo, commune, sheet, parcel, "error", "unknown-land-use",
                    "Thửa nhiều mục đích sử dụng " + raw + ": mã không có trong danh mục: " + unknown,
                    "parcel of several land uses " + raw + ": code in no list: " + unknown, "{}");
        }
        return new Found(featureNo, commune, sheet, parcel, "error", "unknown-land-use",
                raw == null ? "Thửa không ghi mã loại đất (mục đích sử dụng)" : "Mã loại đất không có trong danh mục: " + raw,
                raw == null ? "the parcel has no land-use code" : "land-use code in no list: " + raw, "{}");
    }

    /** "ONT+CLN", "ONT, CLN", "ONT;CLN": codes joined, as district files write a parcel of several purposes. */
    static boolean isSeveralCodes(String raw) {
        // every parcel's value comes here: the separators' scan spares the pattern the single codes
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '+' || c == ',' || c == ';' || c == '/') {
                return SEVERAL_CODES.matcher(raw.strip()).matches();
            }
        }
        return false;
    }

    private static final java.util.regex.Pattern SEVERAL_CODES = java.util.regex.Pattern.compile("(?i)[a-z]{2,4}(\\s*[+,;/]\\s*[a-z]{2,4})+");

    /** The codes of a value of several ({@link #isSeveralCodes}), upper case, in the order written. */
    static List<String> landUseParts(String raw) {
        return vn.landgis.cadastre.LandUses.codes(raw);
    }

    /**
     * True while the features stay on the sheet of the one before or move to a sheet not seen yet (the tables are
     * emptied then); false from the first feature of a sheet that comes back, which leaves the duplicates to SQL.
     */
    private boolean sameSheetRun(String commune, int sheet) {
        if (sheet == currentSheetNo && commune.equals(currentCommune)) {
            return true;
        }
        if (currentCommune != null) {
            sheetsDone.add(currentCommune + "/" + currentSheetNo);
        }
        firstByKey.clear();
        firstByTextKey.clear();
        if (sheetsDone.contains(commune + "/" + sheet)) {
            duplicatesLeftToSql = true;
            return false;
        }
        currentCommune = commune;
        currentSheetNo = sheet;
        return true;
    }

    /**
     * True when the file's sheets were not each one run of features: the duplicate keys found so far are not all of
     * them, and {@link BatchValidator} finds them in SQL over the staged batch instead.
     */
    boolean duplicatesLeftToSql() {
        return duplicatesLeftToSql;
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

        /** Empties the map; one that grew for a large sheet goes back to its first size. */
        void clear() {
            if (size == 0) {
                return;
            }
            if (keys.length > 1 << 14) {
                keys = new long[1 << 12];
                values = new int[1 << 12];
            }
            java.util.Arrays.fill(keys, -1);
            size = 0;
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

    /** Whether the geometries are transformed (the delivery's TM-3 system is not the storage's). */
    boolean transforms() {
        return to != null;
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
     * TM-3 to TM-3 by cells of {@link #CELL} metres: within a cell the exact transform is interpolated bilinearly
     * between its four corners, each computed exactly once and shared with the cells around it, so a vertex is
     * moved by the cell it lies in and a vertex that two parcels share lands on the same coordinates in both (the
     * coverage stays exact); the map is continuous across cell edges. The neglected curvature (the change of scale
     * and grid convergence across a cell) stays below 0.01 mm (1.4 µm at most across the province), which
     * {@code FeatureChecksTest} holds it to. The exact series cost half the reading's time; cells of 32 m expanded
     * to first order at their centres (three exact transforms a cell, under 0.1 mm) still a quarter of the reading
     * thread's samples (JFR, 1 M parcels); corners of 128 m cells (one exact transform a cell) leave them a few per cent.
     */
    static final class CellTransform {

        static final double CELL = 128;
        /**
         * At most this many corners are remembered, then all are forgotten: about 1.5 MB. A file comes sheet by sheet
         * and a sheet spans a few to a few hundred cells, so little is computed twice; a corner depends on nothing but
         * its place, so forgetting never changes an output bit.
         */
        private static final int MAX_CORNERS = 1 << 15;

        private final TransverseMercator from;
        private final TransverseMercator to;
        /** The exact transform at the cells' corners (easting, northing), by corner. */
        private final DoublesByKey corners = new DoublesByKey(MAX_CORNERS, 2);
        /** The cell of the vertex before (a parcel's vertices mostly share one) and its map's coefficients. */
        private long lastCx = Long.MIN_VALUE;
        private long lastCy = Long.MIN_VALUE;
        private final double[] map = new double[8];

        CellTransform(TransverseMercator from, TransverseMercator to) {
            this.from = from;
            this.to = to;
        }

        /** MurmurHash3's 64-bit finaliser: invertible, every input bit reaches every output bit. */
        static long mix(long k) {
            k ^= k >>> 33;
            k *= 0xff51afd7ed558ccdL;
            k ^= k >>> 33;
            k *= 0xc4ceb9fe1a85ec53L;
            k ^= k >>> 33;
            return k;
        }

        double[] exact(double x, double y) {
            double[] lonLat = from.inverse(x, y);
            return to.forward(lonLat[0], lonLat[1]);
        }

        /** The slot of the exact transform at the corner (ix, iy) · CELL. */
        private int corner(long ix, long iy) {
            // mixed (a bijection, so still one key per corner): neighbouring corners' keys spread over the table
            long key = mix(ix << 32 ^ (iy & 0xffffffffL));
            int slot = corners.find(key);
            if (slot < 0) {
                double[] m = exact(ix * CELL, iy * CELL);
                slot = corners.insert(slot, key);
                corners.values[2 * slot] = m[0];
                corners.values[2 * slot + 1] = m[1];
            }
            return slot;
        }

        double[] transform(double x, double y) {
            long cx = (long) Math.floor(x / CELL);
            long cy = (long) Math.floor(y / CELL);
            double[] m = map;
            if (cx != lastCx || cy != lastCy) {
                if (corners.size() > MAX_CORNERS - 4) {
                    corners.clear();   // bounded; files come sheet by sheet, so the corners in use are few
                }
                int c00 = corner(cx, cy);
                int c10 = corner(cx + 1, cy);
                int c01 = corner(cx, cy + 1);
                int c11 = corner(cx + 1, cy + 1);
                double[] v = corners.values;
                for (int k = 0; k < 2; k++) {
                    double a = v[2 * c00 + k];
                    double b = v[2 * c10 + k];
                    double c = v[2 * c01 + k];
                    double d = v[2 * c11 + k];
                    m[4 * k] = a;
                    m[4 * k + 1] = b - a;
                    m[4 * k + 2] = c - a;
                    m[4 * k + 3] = d - b - c + a;
                }
                lastCx = cx;
                lastCy = cy;
            }
            double u = (x - cx * CELL) / CELL;
            double w = (y - cy * CELL) / CELL;
            return new double[] {m[0] + m[1] * u + m[2] * w + m[3] * u * w, m[4] + m[5] * u + m[6] * w + m[7] * u * w};
        }
    }

    /**
     * A fixed number of entries of {@code stride} doubles by a (well mixed) long key, in flat arrays with open
     * addressing: no boxed key, no node, no array per entry (the cells' {@code HashMap} look-ups were a tenth of the
     * reading thread's samples, JFR, 1 M parcels). Slots stay where they are until {@link #clear}.
     */
    static final class DoublesByKey {

        private final long[] keys;
        private final boolean[] used;
        final double[] values;
        private final int mask;
        private int size;

        DoublesByKey(int max, int stride) {
            int slots = Integer.highestOneBit(Math.max(2 * max - 1, 1)) * 2;   // at most half full: short probes
            this.keys = new long[slots];
            this.used = new boolean[slots];
            this.values = new double[slots * stride];
            this.mask = slots - 1;
        }

        /** The slot that holds {@code key}, or a negative number that {@link #insert} turns into a free slot for it. */
        int find(long key) {
            for (int i = (int) (key ^ (key >>> 32)) & mask; ; i = (i + 1) & mask) {
                if (!used[i]) {
                    return -1 - i;
                }
                if (keys[i] == key) {
                    return i;
                }
            }
        }

        /** Takes the free slot {@link #find} said ({@code absent} &lt; 0) for {@code key}; its values are the caller's to set. */
        int insert(int absent, long key) {
            int i = -1 - absent;
            used[i] = true;
            keys[i] = key;
            size++;
            return i;
        }

        int size() {
            return size;
        }

        void clear() {
            java.util.Arrays.fill(used, false);
            size = 0;
        }
    }
}
