package vn.landgis.imports;

import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Checks a staged batch into findings, in PostGIS, each with a severity, a rule, the parcel key, a location and
 * a message in Vietnamese and English. Errors block publishing; warnings and notes are reported.
 *
 * <ul>
 *   <li>geometry: transformed into storage; an invalid one is an error, with what {@code ST_MakeValid} makes of it;</li>
 *   <li>keys: commune of the district, numbers present, (commune, sheet, parcel) unique;</li>
 *   <li>land use: 2024 codes pass, legacy codes are mapped (a note each), anything else is an error;</li>
 *   <li>area: registered vs map area beyond ΔP = 0.0004 · M · √P (M: the sheet's scale);</li>
 *   <li>coverage: overlaps and gaps between parcels, slivers under {@link ImportService#SLIVER_M2} apart.</li>
 * </ul>
 */
final class BatchValidator {

    private final JdbcTemplate jdbc;
    private final long batch;
    private final int storage;
    private final List<String[]> sheetScales;

    private final int sourceSrid;
    /** The manifest's land-use codes for delivered values that are none, by {@link Manifest#landUseKey}. */
    private java.util.Map<String, String> landUseMap = java.util.Map.of();

    BatchValidator(JdbcTemplate jdbc, long batch, int storage, int sourceSrid, List<String[]> sheetScales) {
        this.sourceSrid = sourceSrid;
        this.jdbc = jdbc;
        this.batch = batch;
        this.storage = storage;
        this.sheetScales = sheetScales;
    }

    /** The province's extent in WGS 84 (west, south, east, north), or null: no parcel is refused for lying outside it. */
    private java.util.List<Double> provinceExtent;

    /** The province's extent in WGS 84 (west, south, east, north): parcels wholly outside it are errors. */
    BatchValidator provinceExtent(java.util.List<Double> extent) {
        this.provinceExtent = extent;
        return this;
    }

    /** The manifest's {@code landUseMap}. */
    BatchValidator landUseMap(java.util.Map<String, String> map) {
        this.landUseMap = map;
        return this;
    }

    /** A staged value of several land-use codes ("ONT+CLN"; {@link FeatureChecks#isSeveralCodes} in SQL). */
    private static final String MIXED_CODES = "btrim(s.land_use_raw) ~* '^[a-z]{2,4}(\\s*[+,;/]\\s*[a-z]{2,4})+$'";

    /** The streamed findings of these rules (a literal SQL list) get their place: the parcel's point on its surface, in storage. */
    private void locateStreamed(String rules) {
        jdbc.update("""
                UPDATE staging.finding f SET location = ST_PointOnSurface(s.geom) FROM staging.parcel s
                WHERE f.batch_id = ? AND f.location IS NULL AND s.batch_id = f.batch_id AND s.feature_no = f.feature_no
                  AND s.geom IS NOT NULL AND f.rule IN (%s)""".formatted(rules), batch);
    }

    /** The SQL of a staged parcel's purposes as maps write them ("ONT+CLN"). */
    private static final String LABEL = "array_to_string(s.land_use_code || coalesce(s.land_use_other, '{}'), '+')";

    /** The SQL of a delivered land-use value's key in the manifest's map ({@link Manifest#landUseKey}). */
    private static final String LAND_USE_KEY = "upper(regexp_replace(%s, '\\s+', '', 'g'))";

    private void finding(String sql, Object... args) {
        String insert = "INSERT INTO staging.finding (batch_id, severity, rule, feature_no, commune_code, sheet_no, parcel_no, location, message_vi, message_en, details) ";
        // a WITH clause goes before the INSERT
        if (sql.stripLeading().startsWith("WITH")) {
            int select = sql.indexOf("SELECT ?,");
            jdbc.update(sql.substring(0, select) + insert + sql.substring(select), args);
        } else {
            jdbc.update(insert + sql, args);
        }
    }

    /** An overlap between parcels of two sheets: {@code a} the one first in the file. */
    record CrossSheetOverlap(int aNo, String commune, int sheet, Integer parcel, int bNo, String bCommune, int bSheet, Integer bParcel,
                             double area, double x, double y) {
    }

    /**
     * The overlaps between parcels of different sheets, in SQL, only for the pairs of sheets whose unions overlap
     * ({@link SheetCoverage#sheetOverlaps()}: a parcel lies in its sheet's union, so sheets meeting edge to edge
     * hold no such overlap); before the sheet placement, which reads its screen from them.
     */
    private List<CrossSheetOverlap> crossSheetOverlaps(SheetCoverage coverage) {
        List<CrossSheetOverlap> out = new java.util.ArrayList<>();
        List<SheetCoverage.SheetOverlap> pairs = coverage.sheetOverlaps();
        if (!pairs.isEmpty()) {
            StagingTable.spatialIndex(jdbc, batch);
        }
        for (SheetCoverage.SheetOverlap pair : pairs) {
            String[] a = pair.a().split("/");
            String[] b = pair.b().split("/");
            out.addAll(jdbc.query("""
                    WITH pair AS (
                        SELECT DISTINCT least(a.feature_no, b.feature_no) lo, greatest(a.feature_no, b.feature_no) hi
                        FROM staging.parcel a JOIN staging.parcel b ON b.batch_id = a.batch_id AND a.geom && b.geom AND ST_Overlaps(a.geom, b.geom)
                        WHERE a.batch_id = ? AND a.commune_code = ? AND a.sheet_no = ? AND b.commune_code = ? AND b.sheet_no = ?)
                    SELECT a.feature_no, a.commune_code, a.sheet_no, a.parcel_no, b.feature_no, b.commune_code, b.sheet_no, b.parcel_no,
                           ST_Area(g), ST_X(p), ST_Y(p)
                    FROM pair JOIN staging.parcel a ON a.batch_id = ? AND a.feature_no = pair.lo JOIN staging.parcel b ON b.batch_id = ? AND b.feature_no = pair.hi
                    CROSS JOIN LATERAL ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 3) g
                    CROSS JOIN LATERAL ST_PointOnSurface(g) p
                    WHERE NOT ST_IsEmpty(g)""", (rs, i) -> new CrossSheetOverlap(rs.getInt(1), rs.getString(2), rs.getInt(3), (Integer) rs.getObject(4),
                    rs.getInt(5), rs.getString(6), rs.getInt(7), (Integer) rs.getObject(8), rs.getDouble(9), rs.getDouble(10), rs.getDouble(11)),
                    batch, a[0], Integer.parseInt(a[1]), b[0], Integer.parseInt(b[1]), batch, batch));
        }
        step("overlaps across sheets (" + pairs.size() + " pairs of sheets overlap)");
        return out;
    }

    /** Overlap findings (warning from the sliver threshold up, info below), one batch of statements. */
    private void insertOverlaps(List<CrossSheetOverlap> overlaps) {
        jdbc.batchUpdate("""
                INSERT INTO staging.finding (batch_id, severity, rule, feature_no, commune_code, sheet_no, parcel_no, location, message_vi, message_en, details)
                VALUES (?, ?, ?, ?, ?, ?, ?, ST_SetSRID(ST_MakePoint(?, ?), ?), ?, ?, jsonb_build_object('otherFeature', ?::int, 'area', round(?::numeric, 3)))""",
                overlaps, 1000, (ps, o) -> {
                    boolean overlap = o.area() >= ImportService.SLIVER_M2;
                    String area = String.format(java.util.Locale.ROOT, "%.2f", o.area());
                    String areaVi = vn.landgis.platform.VietnameseNumbers.format(o.area(), 2);
                    ps.setLong(1, batch);
                    ps.setString(2, overlap ? "warning" : "info");
                    ps.setString(3, overlap ? "overlap" : "sliver-overlap");
                    ps.setInt(4, o.aNo());
                    ps.setString(5, o.commune());
                    ps.setInt(6, o.sheet());
                    ps.setObject(7, o.parcel());
                    ps.setDouble(8, o.x());
                    ps.setDouble(9, o.y());
                    ps.setInt(10, storage);
                    String other = o.bParcel() == null ? "?" : o.bParcel().toString();   // a parcel without number: its missing-key error says so
                    ps.setString(11, "Chồng lấn " + areaVi + " m² với thửa " + other + " tờ " + o.bSheet());
                    ps.setString(12, "overlaps " + area + " m² with parcel " + other + " of sheet " + o.bSheet());
                    ps.setInt(13, o.bNo());
                    ps.setDouble(14, o.area());
                });
    }

    /**
     * Overlaps and gaps from the sheets' coverage computed while reading: within sheets as computed there, across
     * sheets in SQL for the pairs of sheets whose unions' interiors meet (every parcel of both sheets); misplaced
     * sheets left out, as in the SQL.
     */
    private void validateCoverage(SheetCoverage coverage, List<CrossSheetOverlap> cross, java.util.Set<String> misplaced) {
        List<SheetCoverage.Overlap> within = coverage.overlaps(misplaced);
        insertOverlaps(within.stream().map(o -> new CrossSheetOverlap(o.aNo(), o.commune(), o.sheet(), o.parcel(), o.bNo(), o.commune(),
                o.bSheet(), o.bParcel(), o.area(), o.x(), o.y())).toList());
        step("overlaps within sheets (computed while reading)");
        List<CrossSheetOverlap> reported = cross.stream().filter(o -> o.area() >= 0.01
                && !misplaced.contains(o.commune() + "/" + o.sheet()) && !misplaced.contains(o.bCommune() + "/" + o.bSheet())).toList();
        insertOverlaps(reported);
        step("overlaps across sheets (found before the sheet placement)");
        List<SheetCoverage.Gap> gaps = coverage.gaps(misplaced, 0.01);
        jdbc.batchUpdate("""
                INSERT INTO staging.finding (batch_id, severity, rule, location, message_vi, message_en, details)
                VALUES (?, ?, ?, ST_SetSRID(ST_MakePoint(?, ?), ?), ?, ?, jsonb_build_object('area', round(?::numeric, 3)))""",
                gaps, 1000, (ps, g) -> {
                    boolean gap = g.area() >= ImportService.SLIVER_M2;
                    String area = String.format(java.util.Locale.ROOT, "%.2f", g.area());
                    String areaVi = vn.landgis.platform.VietnameseNumbers.format(g.area(), 2);
                    ps.setLong(1, batch);
                    ps.setString(2, gap ? "warning" : "info");
                    ps.setString(3, gap ? "gap" : "sliver-gap");
                    ps.setDouble(4, g.x());
                    ps.setDouble(5, g.y());
                    ps.setInt(6, storage);
                    ps.setString(7, "Hở " + areaVi + " m² giữa các thửa");
                    ps.setString(8, "gap of " + area + " m² between parcels");
                    ps.setDouble(9, g.area());
                });
        step("gaps (union of the sheets' unions)");
    }

    /** A (commune, sheet, parcel) key again: an error at every feature after its first, naming the first. */
    private void duplicateNumbers() {
        finding("""
                SELECT ?, 'error', 'duplicate-number', d.feature_no, d.commune_code, d.sheet_no, d.parcel_no, ST_PointOnSurface(d.geom),
                       'Trùng số thửa ' || d.parcel_no || ' tờ ' || d.sheet_no || ' (cũng ở đối tượng ' || d.first || ')',
                       'parcel number ' || d.parcel_no || ' on sheet ' || d.sheet_no || ' again (also feature ' || d.first || ')', '{}'
                FROM (SELECT s.*, row_number() OVER w AS rn, first_value(s.feature_no) OVER w AS first FROM staging.parcel s
                      WHERE s.batch_id = ? AND s.commune_code IS NOT NULL AND s.sheet_no IS NOT NULL AND s.parcel_no IS NOT NULL
                      WINDOW w AS (PARTITION BY s.commune_code, s.sheet_no, s.parcel_no ORDER BY s.feature_no)) d
                WHERE d.rn > 1""", batch, batch);
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BatchValidator.class);
    private long lap = System.nanoTime();

    /** Logs how long the step just finished took (for bench/imports.md's breakdown). */
    private void step(String name) {
        long now = System.nanoTime();
        log.info("batch {}: {} took {} ms", batch, name, (now - lap) / 1_000_000);
        lap = now;
    }

    /**
     * Checks the staged batch. {@code streamed}: {@link FeatureChecks} already did the per-parcel checks while
     * reading (validity, area, transform of the valid geometries, keys, land use, area tolerance); only the
     * invalid geometries are transformed and repaired here, the rest is as without.
     */
    void validate(boolean streamed, SheetCoverage coverage) {
        validate(streamed, coverage, -1, false);
    }

    /**
     * As {@link #validate(boolean, SheetCoverage)}; {@code invalidGeometries}: how many features the streamed checks
     * found invalid as delivered (-1: not known), so that a batch without any is not scanned twice for them;
     * {@code duplicatesInSql}: the streamed checks could not see every duplicate key (a sheet came back after others,
     * {@link FeatureChecks#duplicatesLeftToSql()}), so the duplicates are found here over the whole batch instead.
     */
    void validate(boolean streamed, SheetCoverage coverage, int invalidGeometries, boolean duplicatesInSql) {
        // the planner must know what the COPY brought (it otherwise plans the spatial joins for an empty table)
        StagingTable.analyze(jdbc, batch);
        if (streamed) {
            if (invalidGeometries != 0) {
                validateInvalidGeometries();
            }
            if (sourceSrid != storage) {
                // the sheets' worker checked the transformed parcels again, also after it gave the coverage up; if a job
                // of it failed, the batch is scanned here
                repairBrokenByTransform(coverage == null ? null : coverage.brokenByTransform());
            }
            if (duplicatesInSql) {
                jdbc.update("DELETE FROM staging.finding WHERE batch_id = ? AND rule = 'duplicate-number'", batch);
                duplicateNumbers();
            }
            locateStreamed("'unknown-commune', 'duplicate-number', 'legacy-land-use', 'unknown-land-use', 'land-use-mapped', 'area-mismatch', "
                    + "'unreadable-area'");
            step("invalid geometries, location of the streamed findings");
        } else {
            validatePerParcel();
            locateStreamed("'unreadable-area'");   // the reading's own, streamed whatever the source
        }
        SheetCoverage checked = coverage != null && coverage.usable() ? coverage : null;   // else read back from staging below
        List<CrossSheetOverlap> cross = checked == null ? null : crossSheetOverlaps(checked);
        validateOutside(cross, checked == null ? null : checked.sheetStats());
        // the sheets the placement check found drawn in another CRS ("commune/sheet"): kept out of the coverage checks
        java.util.Set<String> misplaced = new java.util.HashSet<>(jdbc.queryForList(
                "SELECT DISTINCT commune_code || '/' || sheet_no FROM staging.parcel WHERE batch_id = ? AND misplaced", String.class, batch));
        if (checked != null) {
            validateCoverage(checked, cross, misplaced);
        } else {
            try (SheetCoverage staged = stagedCoverage()) {
                if (staged.usable()) {
                    validateCoverage(staged, crossSheetOverlaps(staged), misplaced);
                } else {
                    log.info("batch {}: coverage checked in SQL: {}", batch, staged.unusableReason());
                    validateCoverageInSql();
                }
            }
        }
        // a file whose X and Y are swapped: its one axes-swapped error says it all; the sheets or parcels it puts out
        // of place, consequences of it, would drown that error in thousands of others
        int consequences = jdbc.update("""
                DELETE FROM staging.finding f WHERE f.batch_id = ? AND f.rule IN ('misplaced-sheet', 'outside-province', 'outside-district')
                  AND EXISTS (SELECT 1 FROM staging.finding a WHERE a.batch_id = f.batch_id AND a.rule = 'axes-swapped')""", batch);
        if (Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM staging.finding WHERE batch_id = ? AND rule = 'axes-swapped')",
                Boolean.class, batch))) {
            jdbc.update("UPDATE staging.parcel SET rejected = true WHERE batch_id = ?", batch);   // not one parcel where it belongs
            log.info("batch {}: {} findings that follow from the swapped axes left out", batch, consequences);
        }
        finishBatch(!misplaced.isEmpty());
    }

    /**
     * The coverage of a batch whose parcels were not checked while reading (a delivery in UTM or WGS 84, whose
     * transform is PostGIS's; a placement fixed; a file whose sheets do not come one after the other): the staged
     * storage geometries read back sheet by sheet and given to {@link SheetCoverage}, as the streamed path does
     * while reading, the sheets found misplaced left out. A batch it cannot take (a parcel without commune or
     * sheet, a sheet of more than {@link SheetCoverage#MAX_SHEET} parcels) is {@linkplain SheetCoverage#usable()
     * not usable} and goes to {@link #validateCoverageInSql()}.
     */
    SheetCoverage stagedCoverage() {
        var factory = new org.locationtech.jts.geom.GeometryFactory();
        SheetCoverage coverage = new SheetCoverage(factory);
        // what would make it give up, known before the batch is sorted and read: a parcel without commune or sheet, a
        // sheet too large
        jdbc.query("""
                SELECT bool_or(commune_code IS NULL OR sheet_no IS NULL), max(n) FROM (
                    SELECT commune_code, sheet_no, count(*) AS n FROM staging.parcel WHERE batch_id = ? AND geom IS NOT NULL AND NOT misplaced
                    GROUP BY commune_code, sheet_no) s""", rs -> {
            if (rs.getBoolean(1)) {
                coverage.unusable("a parcel without commune or sheet");
            } else if (rs.getLong(2) > SheetCoverage.MAX_SHEET) {
                coverage.unusable("a sheet holds more than " + SheetCoverage.MAX_SHEET + " parcels");
            }
        }, batch);
        if (!coverage.usable()) {
            coverage.finish();
            return coverage;
        }
        var reader = new org.locationtech.jts.io.WKBReader(factory);
        try {
            jdbc.execute((java.sql.Connection con) -> {
                // a cursor (it needs a transaction): the rows come in blocks, the heap holds one block and the sheets
                // waiting for the worker
                boolean auto = con.getAutoCommit();
                con.setAutoCommit(false);
                try (var ps = con.prepareStatement("""
                        SELECT feature_no, commune_code, sheet_no, parcel_no, ST_AsBinary(geom) FROM staging.parcel
                        WHERE batch_id = ? AND geom IS NOT NULL AND NOT misplaced ORDER BY commune_code, sheet_no, feature_no""")) {
                    ps.setLong(1, batch);
                    ps.setFetchSize(5000);
                    try (var rs = ps.executeQuery()) {
                        while (rs.next() && coverage.usable()) {
                            try {
                                coverage.add(rs.getInt(1), rs.getString(2), (Integer) rs.getObject(3), (Integer) rs.getObject(4), reader.read(rs.getBytes(5)));
                            } catch (org.locationtech.jts.io.ParseException e) {
                                coverage.unusable("feature " + rs.getInt(1) + ": " + e.getMessage());
                            }
                        }
                    }
                } finally {
                    if (auto) {
                        con.rollback();   // read only
                        con.setAutoCommit(true);
                    }
                }
                return null;
            });
            coverage.finish();
        } catch (RuntimeException e) {
            coverage.close();
            throw e;
        }
        step("coverage of the staged parcels, sheet by sheet (" + coverage.provedClean() + " of " + coverage.sheets() + " sheets proved clean by their edges)");
        return coverage;
    }

    /** Transforms and repairs only the geometries that {@link FeatureChecks} found invalid, with their findings. */
    private void validateInvalidGeometries() {
        jdbc.update("UPDATE staging.parcel SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Transform(source_geom, ?)), 3)) "
                + "WHERE batch_id = ? AND source_geom IS NOT NULL AND NOT source_valid", storage, batch);
        invalidGeometryFindings();
    }

    /**
     * Repairs the parcels valid as delivered whose transform into storage is not ({@code features}: those known,
     * or null to look at every one), each with a {@code transform-repaired} warning. A transform moves every vertex
     * on its own, so a vertex that nearly touches another edge can cross it; what is stored must be valid (the
     * overlays of planning and the editor refuse invalid geometry), and the parcel was valid, so it is repaired
     * without blocking the batch.
     */
    void repairBrokenByTransform(List<Integer> features) {
        if (features != null && features.isEmpty()) {
            return;
        }
        String only = features == null ? "" : " AND feature_no = ANY (?::int[])";
        Object[] args = features == null ? new Object[] {batch, batch, batch}
                : new Object[] {batch, features.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",", "{", "}")), batch, batch};
        finding("WITH broken AS (SELECT feature_no, ST_IsValidReason(geom) AS reason, ST_Area(geom) AS area FROM staging.parcel "
                + "WHERE batch_id = ? AND source_valid AND geom IS NOT NULL" + only + " AND NOT ST_IsValid(geom)), " + """
                fixed AS (
                    UPDATE staging.parcel s SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(s.geom, 'method=structure'), 3))
                    FROM broken b WHERE s.batch_id = ? AND s.feature_no = b.feature_no
                    RETURNING s.feature_no, s.commune_code, s.sheet_no, s.parcel_no, s.geom, b.reason,
                              round(abs(ST_Area(s.geom) - b.area)::numeric, 4) AS change)
                SELECT ?, 'warning', 'transform-repaired', f.feature_no, f.commune_code, f.sheet_no, f.parcel_no, ST_PointOnSurface(f.geom),
                       'Thửa hợp lệ ở hệ tọa độ gốc nhưng không hợp lệ sau khi chuyển sang hệ lưu trữ (' || f.reason
                           || '); đã sửa bằng ST_MakeValid, diện tích đổi ' || cadastre.vi_number(f.change) || ' m²',
                       'valid as delivered but not after the transform into storage (' || f.reason
                           || '); repaired with ST_MakeValid, area changes by ' || f.change || ' m²',
                       jsonb_build_object('reason', f.reason, 'areaChange', f.change)
                FROM fixed f""", args);
    }

    private void invalidGeometryFindings() {
        finding("""
                SELECT ?, 'error', 'invalid-geometry', s.feature_no, s.commune_code, s.sheet_no, s.parcel_no,
                       ST_Transform(ST_SetSRID((ST_IsValidDetail(s.source_geom)).location, ST_SRID(s.source_geom)), ?),
                       'Hình học không hợp lệ: ' || ST_IsValidReason(s.source_geom) || '; ST_MakeValid sửa được, diện tích đổi '
                           || cadastre.vi_number(round(abs(ST_Area(s.geom) - ST_Area(ST_Transform(s.source_geom, ?)))::numeric, 2)) || ' m²',
                       'invalid geometry: ' || ST_IsValidReason(s.source_geom) || '; ST_MakeValid repairs it, area changes by '
                           || round(abs(ST_Area(s.geom) - ST_Area(ST_Transform(s.source_geom, ?)))::numeric, 2) || ' m²',
                       jsonb_build_object('reason', ST_IsValidReason(s.source_geom))
                FROM staging.parcel s WHERE s.batch_id = ? AND s.source_geom IS NOT NULL AND NOT s.source_valid""",
                batch, storage, storage, storage, batch);
    }

    /** The per-parcel checks as SQL passes over the staged batch (any source CRS; the re-check after a placement fix). */
    private void validatePerParcel() {
        // geometry into storage; invalid ones reported with their repair, the repair staged for viewing
        // the map area is measured in the sheet's own VN-2000 TM-3 system, as the registered areas were; a delivery in
        // another system (degrees; UTM, whose scale is 0.9996 on its meridian: areas some 0.03-0.08 % short) in storage
        boolean inSource = vn.landgis.geo.Vn2000Tm3.bySrid(sourceSrid).isPresent();
        // one pass over the batch, each row rewritten once: validity and transform once, ST_MakeValid only where it is needed (it is
        // costly on valid geometries too); the land-use code (current as it is, legacy mapped); the sheet's scale, from
        // the delivery's sheets layer, else wards and towns 1:1000 and communes 1:2000
        java.util.Map<String, Integer> scales = FeatureChecks.sheetScales(sheetScales);
        // every staged column, the transformed and checked ones computed: validity and transform once per row (the
        // lateral subquery is not pulled up), the land-use code (current as it is, legacy mapped), the sheet's scale
        String computed = """
                SELECT p.batch_id, p.feature_no, p.commune_code, p.sheet_no, p.parcel_no, p.land_use_raw,
                       CASE WHEN several.codes IS NULL THEN coalesce(t.successor, t.code) ELSE several.codes[1] END AS land_use_code,
                       p.legal_area, round(ST_Area(%s)::numeric, 2) AS geom_area,
                       p.address, p.owner,
                       coalesce(sc.scale, CASE WHEN c.kind IN ('ward', 'town') THEN 1000 WHEN c.code IS NOT NULL THEN 2000 END) AS map_scale,
                       p.source_geom,
                       CASE WHEN x.valid THEN ST_Multi(x.transformed) ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(x.transformed), 3)) END AS geom,
                       p.rejected, p.misplaced, x.valid AS source_valid, nullif(several.codes[2:], '{}') AS land_use_other
                FROM staging.parcel p
                CROSS JOIN LATERAL (SELECT ST_IsValid(p.source_geom) AS valid, ST_Transform(p.source_geom, ?) AS transformed OFFSET 0) x
                LEFT JOIN unnest(?::text[], ?::text[]) lm (raw, code) ON lm.raw = %s
                LEFT JOIN cadastre.land_use_type t ON t.code = coalesce(lm.code, upper(p.land_use_raw))
                -- a parcel of several purposes, unless the manifest names the code for its value
                CROSS JOIN LATERAL (SELECT CASE WHEN lm.code IS NULL AND p.land_use_raw ~ '[+,;/]' THEN staging.land_uses(p.land_use_raw) END AS codes) several
                LEFT JOIN unnest(?::text[], ?::int[]) sc (sheet, scale) ON sc.sheet = p.commune_code || '/' || p.sheet_no
                LEFT JOIN cadastre.admin_unit_legacy c ON c.code = p.commune_code
                WHERE p.batch_id = ?""".formatted(inSource ? "p.source_geom" : "x.transformed", LAND_USE_KEY.formatted("p.land_use_raw"));
        Object[] args = {storage, landUseMap.keySet().toArray(new String[0]), landUseMap.values().toArray(new String[0]),
                scales.keySet().toArray(new String[0]), scales.values().toArray(new Integer[0]), batch};
        // the batch's table written anew rather than every row updated in place (StagingTable.rewrite)
        if (!StagingTable.rewrite(jdbc, batch, computed, args)) {
            jdbc.update("UPDATE staging.parcel s SET source_valid = x.source_valid, geom = x.geom, geom_area = x.geom_area,"
                    + " land_use_code = x.land_use_code, land_use_other = x.land_use_other, map_scale = x.map_scale FROM (" + computed + " OFFSET 0) x"
                    + " WHERE s.batch_id = ? AND s.feature_no = x.feature_no", storage, args[1], args[2], args[3], args[4], batch, batch);
        }
        invalidGeometryFindings();
        if (sourceSrid != storage) {
            repairBrokenByTransform(null);
        }
        step("geometry transform and validity");
        finding("""
                SELECT ?, 'error', 'unknown-commune', s.feature_no, s.commune_code, s.sheet_no, s.parcel_no, ST_PointOnSurface(s.geom),
                       'Mã xã ' || s.commune_code || ' không thuộc huyện của lô', 'commune code ' || s.commune_code || ' is not of the batch''s district', '{}'
                FROM staging.parcel s JOIN staging.import_batch b ON b.id = s.batch_id
                WHERE s.batch_id = ? AND s.commune_code IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM cadastre.admin_unit_legacy c WHERE c.code = s.commune_code AND c.parent_code = b.district_code)""", batch, batch);
        duplicateNumbers();
        // land use: current codes as they are, legacy codes mapped (above), the manifest's decisions applied, the rest refused
        String[] mapped = landUseMap.keySet().toArray(new String[0]);
        String key = LAND_USE_KEY.formatted("s.land_use_raw");
        finding("""
                SELECT ?, 'info', 'land-use-mapped', s.feature_no, s.commune_code, s.sheet_no, s.parcel_no, ST_PointOnSurface(s.geom),
                       'Loại đất ' || s.land_use_raw || ' ghi là ' || s.land_use_code || ' theo manifest',
                       'land use ' || s.land_use_raw || ' registered as ' || s.land_use_code || ' as the manifest says', '{}'
                FROM staging.parcel s WHERE s.batch_id = ? AND s.land_use_code IS NOT NULL AND %s = ANY (?::text[])""".formatted(key), batch, batch, mapped);
        finding("""
                SELECT ?, 'info', 'legacy-land-use', s.feature_no, s.commune_code, s.sheet_no, s.parcel_no, ST_PointOnSurface(s.geom),
                       'Mã loại đất cũ ' || s.land_use_raw || ' đổi thành ' || %2$s,
                       'legacy land-use code ' || s.land_use_raw || ' mapped to ' || %2$s, '{}'
                FROM staging.parcel s WHERE s.batch_id = ? AND s.land_use_code IS NOT NULL
                  AND %2$s <> upper(regexp_replace(btrim(s.land_use_raw), '\\s*[+,;/]\\s*', '+', 'g'))
                  AND NOT %1$s = ANY (?::text[])""".formatted(key, LABEL), batch, batch, mapped);
        // a value of several codes (a parcel of several purposes) naming a code in no list (or more than nine)
        finding("""
                SELECT ?, 'error', 'unknown-land-use', s.feature_no, s.commune_code, s.sheet_no, s.parcel_no, ST_PointOnSurface(s.geom),
                       'Thửa nhiều mục đích sử dụng ' || s.land_use_raw || ': mã không có trong danh mục: ' || coalesce(u.codes, 'quá 9 mã'),
                       'parcel of several land uses ' || s.land_use_raw || ': code in no list: ' || coalesce(u.codes, 'more than 9'), '{}'
                FROM staging.parcel s
                CROSS JOIN LATERAL (SELECT string_agg(upper(part), ', ') AS codes FROM regexp_split_to_table(btrim(s.land_use_raw), '\\s*[+,;/]\\s*') part
                                     WHERE NOT EXISTS (SELECT 1 FROM cadastre.land_use_type t WHERE t.code = upper(part))) u
                WHERE s.batch_id = ? AND s.land_use_code IS NULL AND NOT s.rejected
                  AND %2$s AND NOT %1$s = ANY (?::text[])""".formatted(key, MIXED_CODES), batch, batch, mapped);
        // the manifest named a code that is in no list
        finding("""
                SELECT ?, 'error', 'unknown-land-use', s.feature_no, s.commune_code, s.sheet_no, s.parcel_no, ST_PointOnSurface(s.geom),
                       'Manifest ghi loại đất ' || s.land_use_raw || ' là một mã không có trong danh mục',
                       'the manifest maps land use ' || s.land_use_raw || ' to a code in no list', '{}'
                FROM staging.parcel s WHERE s.batch_id = ? AND s.land_use_code IS NULL AND NOT s.rejected AND %s = ANY (?::text[])""".formatted(key),
                batch, batch, mapped);
        finding("""
                SELECT ?, 'error', 'unknown-land-use', s.feature_no, s.commune_code, s.sheet_no, s.parcel_no, ST_PointOnSurface(s.geom),
                       coalesce('Mã loại đất không có trong danh mục: ' || s.land_use_raw, 'Thửa không ghi mã loại đất (mục đích sử dụng)'),
                       coalesce('land-use code in no list: ' || s.land_use_raw, 'the parcel has no land-use code'), '{}'
                FROM staging.parcel s WHERE s.batch_id = ? AND s.land_use_code IS NULL AND NOT s.rejected
                  AND NOT coalesce(%2$s, false)
                  AND NOT coalesce(%1$s = ANY (?::text[]), false)""".formatted(key, MIXED_CODES), batch, batch, mapped);
        finding("""
                SELECT ?, 'warning', 'area-mismatch', s.feature_no, s.commune_code, s.sheet_no, s.parcel_no, ST_PointOnSurface(s.geom),
                       'Diện tích pháp lý ' || cadastre.vi_number(s.legal_area) || ' m² khác diện tích bản đồ ' || cadastre.vi_number(s.geom_area)
                           || ' m² quá sai số cho phép ' || cadastre.vi_number(round((0.0004 * s.map_scale * sqrt(s.geom_area))::numeric, 1))
                           || ' m² (tỷ lệ 1:' || s.map_scale || ')',
                       'registered area ' || s.legal_area || ' m² differs from the map area ' || s.geom_area || ' m² by more than the allowed '
                           || round((0.0004 * s.map_scale * sqrt(s.geom_area))::numeric, 1) || ' m² (scale 1:' || s.map_scale || ')',
                       jsonb_build_object('legalArea', s.legal_area, 'geomArea', s.geom_area, 'scale', s.map_scale)
                FROM staging.parcel s WHERE s.batch_id = ? AND s.legal_area IS NOT NULL AND s.geom_area > 0 AND s.map_scale IS NOT NULL
                  AND abs(s.legal_area - s.geom_area) > 0.0004 * s.map_scale * sqrt(s.geom_area) + 0.05""", batch, batch);
        step("keys, land use, area");
    }

    /** How far, in metres, a delivered sheet may lie from every current parcel of its commune in the register. */
    static final double FAR_FROM_REGISTER_M = 15_000;   // a 1:10 000 sheet is 6 km across, a commune tens; a wrong meridian 25-55 km

    /**
     * Without its commune's boundary the placement checks cannot tell a sheet drawn in another CRS than declared; the
     * register can, when it holds the commune: a sheet whose first parcel lies more than {@link #FAR_FROM_REGISTER_M}
     * from every current parcel of the register is an error, {@code far-from-register}, kept out of the coverage checks
     * (a file in UTM declared as TM-3 was published 55 km away, in Cambodia, without a word). A new survey, renumbered,
     * lies where the land is: it passes; a small shift (a missing datum shift, 200-300 m) does not trip it, the
     * boundaries' checks do. Cheap: one probe of the current parcels' spatial index a sheet.
     */
    private void farFromRegister() {
        // nothing to compare with (a first load; every commune's boundary loaded): no pass over the batch
        if (!Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM staging.import_batch b JOIN cadastre.admin_unit_legacy u ON u.parent_code = b.district_code
                                WHERE b.id = ? AND u.geom IS NULL
                                  AND EXISTS (SELECT 1 FROM cadastre.parcel p WHERE p.valid_to IS NULL AND p.commune_code = u.code))""",
                Boolean.class, batch))) {
            return;
        }
        // near: any current parcel within the distance of a point on the sheet's first parcel, one probe of the spatial
        // index (a probe filtered by commune first read the commune's every parcel: 5 ms a sheet, 14 s for a district of
        // 2 475 sheets; the middle of a sheet's extent may lie off its parcels). Land of any commune counts: a sheet put
        // on another commune's land is the boundaries' checks to find. The distance said is to the middle of (a sample
        // of) the commune's parcels
        List<Map<String, Object>> far = jdbc.queryForList("""
                WITH firsts AS (
                    SELECT commune_code, sheet_no, min(feature_no) AS feature_no
                      FROM staging.parcel s WHERE batch_id = ? AND geom IS NOT NULL AND commune_code IS NOT NULL AND sheet_no IS NOT NULL AND NOT misplaced
                       AND NOT EXISTS (SELECT 1 FROM staging.finding f WHERE f.batch_id = s.batch_id AND f.rule = 'outside-province'
                                       AND f.commune_code = s.commune_code AND f.sheet_no = s.sheet_no)
                     GROUP BY commune_code, sheet_no),
                sheets AS MATERIALIZED (   -- one probe a sheet (inlined, the planner probed every staged parcel: 111 s at 1 M)
                    SELECT f.commune_code, f.sheet_no, ST_PointOnSurface(s.geom) AS c
                      FROM firsts f JOIN staging.parcel s ON s.batch_id = ? AND s.feature_no = f.feature_no),
                far AS (
                    SELECT sh.* FROM sheets sh
                     WHERE NOT EXISTS (SELECT 1 FROM cadastre.admin_unit_legacy u WHERE u.code = sh.commune_code AND u.geom IS NOT NULL)
                       AND EXISTS (SELECT 1 FROM cadastre.parcel p WHERE p.valid_to IS NULL AND p.commune_code = sh.commune_code)
                       AND NOT EXISTS (SELECT 1 FROM cadastre.parcel p WHERE p.valid_to IS NULL AND ST_DWithin(p.geom, sh.c, ?)))
                SELECT far.commune_code, far.sheet_no,
                       round((ST_Distance(far.c, (SELECT ST_SetSRID(ST_Centroid(ST_Extent(q.geom)::geometry), ?) FROM (
                           SELECT geom FROM cadastre.parcel WHERE valid_to IS NULL AND commune_code = far.commune_code LIMIT 500) q)) / 1000)::numeric, 1) AS km
                  FROM far""", batch, batch, FAR_FROM_REGISTER_M, storage);
        for (Map<String, Object> f : far) {
            String commune = (String) f.get("commune_code");
            int sheet = ((Number) f.get("sheet_no")).intValue();
            java.math.BigDecimal km = (java.math.BigDecimal) f.get("km");
            jdbc.update("UPDATE staging.parcel SET misplaced = true WHERE batch_id = ? AND commune_code = ? AND sheet_no = ?", batch, commune, sheet);
            finding("""
                    SELECT ?, 'error', 'far-from-register', NULL, ?, ?, NULL, ST_Centroid(ST_Collect(geom)),
                           ?, ?, jsonb_build_object('km', ?::numeric, 'sourceSrid', ?::int)
                      FROM staging.parcel WHERE batch_id = ? AND commune_code = ? AND sheet_no = ? AND geom IS NOT NULL""",
                    batch, commune, sheet,
                    "Tờ " + sheet + " nằm xa các thửa hiện có của xã " + commune + " trong sổ (khoảng " + vn.landgis.platform.VietnameseNumbers.format(km)
                            + " km): hệ tọa độ của tệp (EPSG:" + sourceSrid + ") có lẽ sai; nạp ranh giới xã để kiểm tra vị trí tờ nói rõ hệ nào đúng",
                    "sheet " + sheet + " lies far from the current parcels of commune " + commune + " in the register (about "
                            + km.toPlainString() + " km): the delivery's CRS (EPSG:" + sourceSrid + ") is likely wrong; load the communes' boundaries for the placement checks to say which one is right",
                    km, sourceSrid, batch, commune, sheet);
        }
    }

    private void validateOutside(List<CrossSheetOverlap> cross, List<SheetCoverage.SheetStats> sheetStats) {
        // sheets drawn in another CRS than declared: one finding per sheet, kept out of the coverage checks
        java.util.Map<String, Double> bySheet = null;
        if (cross != null) {
            bySheet = new java.util.HashMap<>();
            for (CrossSheetOverlap o : cross) {
                bySheet.merge(o.commune() + "/" + o.sheet(), o.area(), Double::sum);
                bySheet.merge(o.bCommune() + "/" + o.bSheet(), o.area(), Double::sum);
            }
        }
        new SheetPlacement(jdbc, batch, storage, sourceSrid).check(bySheet, sheetStats);
        step("sheet placement (CRS)");
        // parcels outside their district, when its boundary is known (5 m of digitising tolerance)
        finding("""
                WITH d AS (SELECT ST_Buffer(u.geom, 5) g FROM staging.import_batch b
                           JOIN cadastre.admin_unit_legacy u ON u.code = b.district_code AND u.geom IS NOT NULL WHERE b.id = ?)
                SELECT ?, 'warning', 'outside-district', s.feature_no, s.commune_code, s.sheet_no, s.parcel_no, ST_PointOnSurface(s.geom),
                       'Thửa nằm ngoài ranh giới huyện ' || cadastre.vi_number(round(ST_Area(ST_Difference(s.geom, d.g))::numeric, 1)) || ' m²',
                       'the parcel lies ' || round(ST_Area(ST_Difference(s.geom, d.g))::numeric, 1) || ' m² outside the district boundary', '{}'
                FROM staging.parcel s, d
                WHERE s.batch_id = ? AND s.geom IS NOT NULL AND NOT s.misplaced AND NOT ST_Within(s.geom, d.g)""", batch, batch, batch);
        step("outside district");
        // parcels that cannot be in the province at all (a CRS wrongly declared or assumed, coordinates in another
        // unit): refused, whether or not the boundaries are loaded; sheets the placement check found are reported.
        // Beyond the configured extent by more than 0.1° (about 11 km): an extent drawn tight is no reason to refuse a
        // parcel, and the mistakes this is for move data 25 km (a meridian) to thousands (degrees read as metres)
        if (provinceExtent != null) {
            finding("""
                    WITH p AS (SELECT ST_Transform(ST_MakeEnvelope(? - 0.1, ? - 0.1, ? + 0.1, ? + 0.1, 4326), ?) g)
                    SELECT ?, 'error', 'outside-province', s.feature_no, s.commune_code, s.sheet_no, s.parcel_no, NULL,
                           'Thửa nằm ngoài tỉnh (tọa độ ' || round(ST_X(ST_PointOnSurface(s.geom))::numeric) || ', ' || round(ST_Y(ST_PointOnSurface(s.geom))::numeric)
                               || '): kiểm tra hệ tọa độ của tệp',
                           'the parcel lies outside the province (at ' || round(ST_X(ST_PointOnSurface(s.geom))::numeric) || ', ' || round(ST_Y(ST_PointOnSurface(s.geom))::numeric)
                               || '): check the delivery''s CRS', '{}'
                    FROM staging.parcel s, p
                    WHERE s.batch_id = ? AND s.geom IS NOT NULL AND NOT s.misplaced AND NOT s.rejected AND NOT (s.geom && p.g)""",
                    provinceExtent.get(0), provinceExtent.get(1), provinceExtent.get(2), provinceExtent.get(3), storage, batch, batch);
            step("outside province");
        }
        farFromRegister();
        step("far from the register");
    }

    /** Overlaps and gaps in SQL, for a batch {@link SheetCoverage} cannot take (package-private: the reference in tests). */
    void validateCoverageInSql() {
        StagingTable.spatialIndex(jdbc, batch);
        // coverage: overlaps between neighbours (slivers apart), and gaps inside the delivered area
        finding("""
                SELECT ?, CASE WHEN o.area >= ? THEN 'warning' ELSE 'info' END, CASE WHEN o.area >= ? THEN 'overlap' ELSE 'sliver-overlap' END,
                       o.a_no, o.commune_code, o.sheet_no, o.parcel_no, ST_PointOnSurface(o.g),
                       'Chồng lấn ' || cadastre.vi_number(round(o.area::numeric, 2)) || ' m² với thửa ' || coalesce(o.b_parcel::text, '?') || ' tờ ' || coalesce(o.b_sheet::text, '?'),
                       'overlaps ' || round(o.area::numeric, 2) || ' m² with parcel ' || coalesce(o.b_parcel::text, '?') || ' of sheet ' || coalesce(o.b_sheet::text, '?'),
                       jsonb_build_object('otherFeature', o.b_no, 'area', round(o.area::numeric, 3))
                FROM (SELECT a.feature_no a_no, a.commune_code, a.sheet_no, a.parcel_no, b.feature_no b_no, b.sheet_no b_sheet,
                             b.parcel_no b_parcel, g, ST_Area(g) area
                      FROM staging.parcel a JOIN staging.parcel b ON b.batch_id = a.batch_id AND a.feature_no < b.feature_no
                           AND a.geom && b.geom AND ST_Overlaps(a.geom, b.geom)
                      CROSS JOIN LATERAL ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 3) g
                      WHERE a.batch_id = ? AND NOT a.misplaced AND NOT b.misplaced) o
                WHERE o.area >= 0.01""", batch, ImportService.SLIVER_M2, ImportService.SLIVER_M2, batch);
        step("overlaps");
        finding("""
                SELECT ?, CASE WHEN ST_Area(h.g) >= ? THEN 'warning' ELSE 'info' END, CASE WHEN ST_Area(h.g) >= ? THEN 'gap' ELSE 'sliver-gap' END,
                       NULL, NULL, NULL, NULL, ST_PointOnSurface(h.g),
                       'Hở ' || cadastre.vi_number(round(ST_Area(h.g)::numeric, 2)) || ' m² giữa các thửa', 'gap of ' || round(ST_Area(h.g)::numeric, 2) || ' m² between parcels',
                       jsonb_build_object('area', round(ST_Area(h.g)::numeric, 3))
                FROM (SELECT ST_MakePolygon(ST_InteriorRingN(p.geom, n)) g
                      FROM (SELECT (ST_Dump(ST_Union(geom))).geom FROM staging.parcel WHERE batch_id = ? AND geom IS NOT NULL AND NOT misplaced) p
                      CROSS JOIN LATERAL generate_series(1, ST_NumInteriorRings(p.geom)) n) h
                WHERE ST_Area(h.g) >= 0.01""", batch, ImportService.SLIVER_M2, ImportService.SLIVER_M2, batch);
        step("gaps");
    }

    /** Rejects what may not be published and counts the batch, all communes in one pass ({@code misplaced}: some sheet is). */
    private void finishBatch(boolean misplaced) {
        if (misplaced) {
            jdbc.update("UPDATE staging.parcel SET rejected = true WHERE batch_id = ? AND misplaced", batch);
        }
        jdbc.update("""
                UPDATE staging.parcel s SET rejected = true WHERE s.batch_id = ? AND EXISTS (
                    SELECT 1 FROM staging.finding f WHERE f.batch_id = s.batch_id AND f.feature_no = s.feature_no AND f.severity = 'error')""", batch);
        // the report's per-commune counts outlive the staged parcels (StagingTable.dropExpired); the batch's totals from them
        List<Object[]> communes = jdbc.query("""
                SELECT commune_code, count(*), count(*) FILTER (WHERE rejected) FROM staging.parcel WHERE batch_id = ? GROUP BY commune_code""",
                (rs, i) -> new Object[] {rs.getString(1), rs.getLong(2), rs.getLong(3)}, batch);
        jdbc.update("DELETE FROM staging.batch_commune WHERE batch_id = ?", batch);
        jdbc.batchUpdate("INSERT INTO staging.batch_commune (batch_id, commune_code, parcels) VALUES (?, ?, ?)", communes, 1000, (ps, c) -> {
            ps.setLong(1, batch);
            ps.setString(2, (String) c[0]);
            ps.setLong(3, (Long) c[1]);
        });
        long all = communes.stream().mapToLong(c -> (Long) c[1]).sum();
        long rejected = communes.stream().mapToLong(c -> (Long) c[2]).sum();
        jdbc.update("UPDATE staging.import_batch SET accepted_count = ?, rejected_count = ?, status = 'validated' WHERE id = ?",
                all - rejected, rejected, batch);
    }
}
