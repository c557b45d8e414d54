package vn.landgis.imports;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

import vn.landgis.geo.Vn2000Tm3;

/**
 * Finds map sheets drawn in another CRS than the delivery declares, the two classic mistakes of DOMAIN.md: the
 * wrong central meridian (the sheet lands tens of kilometres away) and VN-2000 coordinates computed without the
 * seven-parameter shift (200-300 m off). A sheet is suspect when it overlaps the other sheets, lies outside its
 * commune (when the commune's boundary is known), or stands apart from all other sheets; each hypothesis
 * (the other TM-3 meridians of the region, the same meridian without the datum shift) is then tried, and the one
 * that makes the sheet fit (no overlap, inside its commune, next to its neighbours) is reported. Sheets are
 * judged worst first, each judged against the sheets not found misplaced.
 */
final class SheetPlacement {

    private final JdbcTemplate jdbc;
    private final long batch;
    private final int storage;
    private final int sourceSrid;

    SheetPlacement(JdbcTemplate jdbc, long batch, int storage, int sourceSrid) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.storage = storage;
        this.sourceSrid = sourceSrid;
    }

    /** A CRS a sheet may have been drawn in: its name in Vietnamese and in English (the English one in the finding's details). */
    private record Hypothesis(String nameVi, String name, String rule, String transform) {
    }

    /** Marks the parcels of misplaced sheets and writes one finding per sheet. */
    void check() {
        check(null);
    }

    /**
     * As {@link #check()}, with the overlap of each sheet with the other sheets (m², by "commune/sheet") already
     * known, from the cross-sheet check of the parcels on the sheets' outlines: the screen then needs no spatial
     * self-join of the whole batch. A sheet far off its place still shows, by its outline's overlaps or by
     * standing apart; the judgement of each suspect is exact either way.
     */
    void check(Map<String, Double> crossSheetOverlap) {
        check(crossSheetOverlap, null);
    }

    /**
     * As {@link #check(Map)}, with each sheet's extent and parcel area already known ({@code stats}, from the sheets'
     * coverage computed while reading): the screen then reads no staged parcel at all (the aggregate over a 1 M
     * batch took 1.7-1.9 s, statement log).
     */
    void check(Map<String, Double> crossSheetOverlap, List<SheetCoverage.SheetStats> stats) {
        var zone = Vn2000Tm3.bySrid(sourceSrid);
        Integer twin = UTM_DATUM_TWIN.get(sourceSrid);
        if (zone.isEmpty() && twin == null) {
            return;   // hypotheses are about VN-2000 TM-3 and UTM deliveries
        }
        List<Hypothesis> hypotheses = new ArrayList<>();
        if (zone.isPresent()) {
            for (Vn2000Tm3 other : Vn2000Tm3.values()) {
                if (other.srid() != sourceSrid) {
                    hypotheses.add(new Hypothesis("EPSG:" + other.srid() + " (kinh tuyến trục "
                            + vn.landgis.platform.VietnameseNumbers.format(java.math.BigDecimal.valueOf(other.centralMeridian()).stripTrailingZeros()) + "°)",
                            "EPSG:" + other.srid() + " (central meridian " + other.centralMeridian() + "°)", "wrong-meridian",
                            "ST_Transform(ST_SetSRID(source_geom, " + other.srid() + "), " + storage + ")"));
                }
            }
            String noShift = withoutDatumShift(zone.get());
            hypotheses.add(new Hypothesis("tọa độ chưa tính chuyển 7 tham số", "coordinates without the 7-parameter shift", "missing-datum-shift",
                    "ST_Transform(source_geom, '" + noShift + "', " + storage + ")"));
        } else {
            // UTM: the same zone on the other datum (a VN-2000 UTM file whose .prj says WGS 84, QGIS's default, lands
            // about 225 m off in the south; the other way round as far)
            String twinName = "EPSG:" + twin + (twin == 3405 || twin == 3406 ? " (VN-2000 UTM)" : " (WGS 84 UTM)");
            hypotheses.add(new Hypothesis(twinName, twinName, "wrong-datum",
                    "ST_Transform(ST_SetSRID(source_geom, " + twin + "), " + storage + ")"));
            // a datum is the whole file's, not a sheet's: judged on the whole delivery against the communes' boundaries
            // (without them 225 m moves no sheet off its neighbours), never by the sheet-by-sheet screen
            wholeDelivery(1, hypotheses);
            return;
        }

        // suspects, worst first; each is judged again when its turn comes, against the sheets not marked by then
        // a cheap screen first: overlap with other sheets' parcels (pairwise), a sheet's extent far from its commune,
        // or far from every other sheet; only the suspects it finds get the exact, costlier judgement below
        if (crossSheetOverlap == null) {
            StagingTable.spatialIndex(jdbc, batch);   // the screen joins the batch with itself
        }
        List<Map<String, Object>> suspects = jdbc.queryForList("""
                WITH s AS (SELECT commune_code, sheet_no, ext, area,
                                  -- NULL for a sheet with no other sheet within 200 m (DBSCAN's noise with two points
                                  -- a cluster): the same test as a NOT EXISTS over the other sheets, without comparing
                                  -- every sheet with every other (quadratic: 2 475 sheets at 1 M parcels)
                                  ST_ClusterDBSCAN(ext, 200, 2) OVER () near
                           FROM (%3$s) sheets),
                     x AS (%2$s)
                SELECT s.commune_code, s.sheet_no, s.area,
                       coalesce(x.ov, 0)
                       + CASE WHEN EXISTS (SELECT 1 FROM cadastre.admin_unit_legacy c WHERE c.code = s.commune_code AND c.geom IS NOT NULL
                                           AND NOT ST_DWithin(c.geom, ST_Centroid(s.ext), 100)) THEN 1e9 ELSE 0 END
                       + CASE WHEN (SELECT count(*) FROM s o) > 1 AND s.near IS NULL THEN 1e9 ELSE 0 END AS misfit
                FROM s LEFT JOIN x USING (commune_code, sheet_no)
                WHERE coalesce(x.ov, 0) > 0.02 * s.area + 500
                   OR EXISTS (SELECT 1 FROM cadastre.admin_unit_legacy c WHERE c.code = s.commune_code AND c.geom IS NOT NULL
                              AND NOT ST_DWithin(c.geom, ST_Centroid(s.ext), 100))
                   OR ((SELECT count(*) FROM s o) > 1 AND s.near IS NULL)
                ORDER BY misfit DESC""".formatted(storage, crossSheetOverlap == null ? """
                        SELECT a.commune_code, a.sheet_no, sum(ST_Area(ST_Intersection(a.geom, b.geom))) ov
                           FROM staging.parcel a JOIN staging.parcel b ON b.batch_id = a.batch_id AND a.geom && b.geom
                                AND (a.commune_code, a.sheet_no) IS DISTINCT FROM (b.commune_code, b.sheet_no) AND ST_Overlaps(a.geom, b.geom)
                           WHERE a.batch_id = ? GROUP BY 1, 2""" : "SELECT * FROM unnest(?::text[], ?::int[], ?::float8[]) AS x (commune_code, sheet_no, ov)",
                stats == null ? """
                        SELECT commune_code, sheet_no, ST_SetSRID(ST_Extent(geom)::geometry, %1$d) ext, sum(ST_Area(geom)) area
                        FROM staging.parcel WHERE batch_id = ? AND geom IS NOT NULL AND commune_code IS NOT NULL AND sheet_no IS NOT NULL
                        GROUP BY 1, 2""".formatted(storage) : """
                        SELECT c AS commune_code, n AS sheet_no, ST_MakeEnvelope(x0, y0, x1, y1, %1$d) ext, a AS area
                        FROM unnest(?::text[], ?::int[], ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::float8[]) AS t (c, n, x0, y0, x1, y1, a)"""
                        .formatted(storage)),
                parameters(crossSheetOverlap, stats));
        if (!suspects.isEmpty() && wholeDelivery(suspects.size(), hypotheses)) {
            return;
        }
        if (!suspects.isEmpty()) {
            StagingTable.spatialIndex(jdbc, batch);   // each suspect's misfit looks up the parcels around it
        }
        // first the sheets a hypothesis explains; then, of the rest, only the grossly misplaced ones
        for (boolean explainedOnly : new boolean[] {true, false}) {
        for (Map<String, Object> suspect : suspects) {
            String commune = (String) suspect.get("commune_code");
            int sheet = ((Number) suspect.get("sheet_no")).intValue();
            double area = ((Number) suspect.get("area")).doubleValue();
            Double now = jdbc.queryForObject("""
                    WITH s AS (SELECT ?::text AS commune_code, ?::int AS sheet_no, ST_Union(geom) g FROM staging.parcel
                               WHERE batch_id = ? AND commune_code = ? AND sheet_no = ? AND geom IS NOT NULL)
                    SELECT %s FROM s""".formatted(misfit("s.g", "s.commune_code", "s.sheet_no")), Double.class, commune, sheet, batch, commune, sheet);
            boolean marked = Boolean.TRUE.equals(jdbc.queryForObject("SELECT bool_or(misplaced) FROM staging.parcel WHERE batch_id = ? AND commune_code = ? AND sheet_no = ?",
                    Boolean.class, batch, commune, sheet));
            if (marked || now == null || now <= 0.02 * area + 500 || (!explainedOnly && now <= 0.2 * area)) {
                continue;   // its misfit was another sheet's fault, or too small to be a CRS mistake
            }
            double declared = now;
            Hypothesis best = null;
            double bestMisfit = Double.MAX_VALUE;
            for (Hypothesis h : hypotheses) {
                Double m = jdbc.queryForObject("""
                        WITH s AS (SELECT ?::text AS commune_code, ?::int AS sheet_no, ST_Union(ST_MakeValid(%s)) g FROM staging.parcel
                                   WHERE batch_id = ? AND commune_code = ? AND sheet_no = ? AND source_geom IS NOT NULL)
                        SELECT %s FROM s""".formatted(h.transform(), misfit("s.g", "s.commune_code", "s.sheet_no")), Double.class,
                        commune, sheet, batch, commune, sheet);
                if (m != null && m < bestMisfit) {
                    bestMisfit = m;
                    best = h;
                }
            }
            boolean explained = best != null && bestMisfit < 0.1 * declared;
            if (explainedOnly && !explained) {
                continue;
            }
            jdbc.update("UPDATE staging.parcel SET misplaced = true WHERE batch_id = ? AND commune_code = ? AND sheet_no = ?", batch, commune, sheet);
            String rule = explained ? best.rule() : "misplaced-sheet";
            jdbc.update("""
                    INSERT INTO staging.finding (batch_id, severity, rule, commune_code, sheet_no, location, message_vi, message_en, details)
                    SELECT ?, 'error', ?, ?, ?, ST_Centroid(ST_Collect(geom)), ?, ?, jsonb_build_object('declared', ?::int, 'misfitDeclared', ?::numeric,
                           'hypothesis', ?::text, 'misfitHypothesis', ?::numeric)
                    FROM staging.parcel WHERE batch_id = ? AND commune_code = ? AND sheet_no = ?""",
                    batch, rule, commune, sheet,
                    explained ? "Tờ " + sheet + " có vẻ được số hóa theo " + best.nameVi() + " chứ không phải EPSG:" + sourceSrid
                            : "Tờ " + sheet + " nằm sai vị trí (chồng lấn, ngoài xã hoặc tách rời) và không giả thuyết nào giải thích được",
                    explained ? "sheet " + sheet + " appears drawn in " + best.name() + ", not in the declared EPSG:" + sourceSrid
                            : "sheet " + sheet + " is misplaced (overlaps, outside its commune or apart) and no hypothesis explains it",
                    sourceSrid, Math.round(declared * 100) / 100.0, best == null ? null : best.name(),
                    bestMisfit == Double.MAX_VALUE ? null : Math.round(bestMisfit * 100) / 100.0, batch, commune, sheet);
        }
        }
    }

    /**
     * A whole delivery drawn in another system than it declares (the file's .prj wrong, not one sheet): judged one
     * by one against neighbours as misplaced as itself, no sheet fits. When the communes' boundaries are known, a
     * sample of the parcels (about 50 000) tells: the share of them outside their commune (20 m of tolerance) as
     * declared, and under each hypothesis. If the declared system leaves at least 1 % outside and one hypothesis
     * at most a fifth of that, every sheet gets that hypothesis's finding (which a manifest's {@code fixPlacement}
     * applies): a wrong meridian (25 km: nearly all outside) as well as a missing datum shift (250 m: the parcels
     * near commune borders). If nearly all lie outside whatever the system, every sheet is one misplaced-sheet error
     * at once. Otherwise (a few sheets off, the rest right) false: the sheets are judged one by one.
     */
    private boolean wholeDelivery(int suspects, List<Hypothesis> hypotheses) {
        Integer parcels = jdbc.queryForObject("""
                SELECT count(*) FROM staging.parcel p JOIN cadastre.admin_unit_legacy c ON c.code = p.commune_code AND c.geom IS NOT NULL
                WHERE p.batch_id = ? AND p.source_geom IS NOT NULL AND p.geom IS NOT NULL AND p.sheet_no IS NOT NULL""", Integer.class, batch);
        if (parcels == null || parcels < 20 || suspects == 0) {
            return false;   // no boundaries to judge by
        }
        int every = Math.max(1, parcels / 50_000);
        String outside = """
                SELECT avg(CASE WHEN ST_DWithin(c.geom, %s, 20) THEN 0.0 ELSE 1.0 END)
                FROM staging.parcel p JOIN cadastre.admin_unit_legacy c ON c.code = p.commune_code AND c.geom IS NOT NULL
                WHERE p.batch_id = ? AND p.source_geom IS NOT NULL AND p.geom IS NOT NULL AND p.sheet_no IS NOT NULL AND p.feature_no %% ? = 0""";
        Double declared = jdbc.queryForObject(outside.formatted("ST_PointOnSurface(p.geom)"), Double.class, batch, every);
        if (declared == null || declared < 0.01) {
            return false;
        }
        Hypothesis best = null;
        double bestOutside = Double.MAX_VALUE;
        for (Hypothesis h : hypotheses) {
            Double out = jdbc.queryForObject(outside.formatted(h.transform().replace("source_geom", "ST_PointOnSurface(p.source_geom)")), Double.class,
                    batch, every);
            if (out != null && out < bestOutside) {
                bestOutside = out;
                best = h;
            }
        }
        boolean explained = best != null && bestOutside <= 0.2 * declared;
        if (!explained && (declared < 0.9 || bestOutside < 0.9)) {
            return false;   // some sheets off, the rest where they belong: sheet by sheet
        }
        jdbc.update("UPDATE staging.parcel SET misplaced = true WHERE batch_id = ? AND source_geom IS NOT NULL AND commune_code IS NOT NULL AND sheet_no IS NOT NULL",
                batch);
        String declaredShare = String.format(Locale.ROOT, "%.0f", 100 * declared);
        if (explained) {
            String share = String.format(Locale.ROOT, "%.1f", 100 * bestOutside);
            String shareVi = vn.landgis.platform.VietnameseNumbers.format(100 * bestOutside, 1);
            jdbc.update("""
                    INSERT INTO staging.finding (batch_id, severity, rule, commune_code, sheet_no, location, message_vi, message_en, details)
                    SELECT ?, 'error', ?, commune_code, sheet_no, ST_Centroid(ST_Collect(geom)),
                           'Tờ ' || sheet_no || ' có vẻ được số hóa theo ' || ? || ' chứ không phải EPSG:' || ? || ', như cả tệp (' || ? || '% số thửa nằm ngoài xã theo hệ khai báo, '
                               || ? || '% theo hệ đó)',
                           'sheet ' || sheet_no || ' appears drawn in ' || ? || ', not in the declared EPSG:' || ? || ', as does the whole delivery (' || ? || '% of its parcels lie outside '
                               || 'their commune as declared, ' || ? || '% so)',
                           jsonb_build_object('declared', ?::int, 'hypothesis', ?::text, 'wholeDelivery', true, 'outsideDeclared', ?::numeric, 'outsideHypothesis', ?::numeric)
                    FROM staging.parcel WHERE batch_id = ? AND misplaced GROUP BY commune_code, sheet_no""",
                    batch, best.rule(), best.nameVi(), sourceSrid, declaredShare, shareVi, best.name(), sourceSrid, declaredShare, share, sourceSrid, best.name(),
                    Math.round(declared * 1000) / 1000.0, Math.round(bestOutside * 1000) / 1000.0, batch);
            return true;
        }
        // in no system do the parcels lie in their communes: the boundaries loaded are not this delivery's district's as
        // drawn, or its CRS is none of the hypotheses; judging thousands of sheets one by one would say the same
        jdbc.update("""
                INSERT INTO staging.finding (batch_id, severity, rule, commune_code, sheet_no, location, message_vi, message_en, details)
                SELECT ?, 'error', 'misplaced-sheet', commune_code, sheet_no, ST_Centroid(ST_Collect(geom)),
                       'Tờ ' || sheet_no || ' nằm ngoài xã của mình, như gần hết các thửa của tệp (' || ? || '% theo EPSG:' || ?
                           || ', không ít hơn theo giả thuyết nào): kiểm tra hệ tọa độ của tệp, hoặc ranh giới xã đã nạp',
                       'sheet ' || sheet_no || ' lies outside its commune, as do nearly all parcels of the delivery (' || ? || '% in EPSG:' || ?
                           || ', no fewer under any hypothesis): check the delivery''s CRS, or the commune boundaries loaded',
                       jsonb_build_object('declared', ?::int, 'wholeDelivery', true)
                FROM staging.parcel WHERE batch_id = ? AND misplaced GROUP BY commune_code, sheet_no""",
                batch, declaredShare, sourceSrid, declaredShare, sourceSrid, sourceSrid, batch);
        return true;
    }

    /** The screen's parameters: the sheets' statistics (or the batch to aggregate), then the overlaps (or the batch to find them). */
    private Object[] parameters(Map<String, Double> crossSheetOverlap, List<SheetCoverage.SheetStats> stats) {
        List<Object> out = new ArrayList<>();
        if (stats == null) {
            out.add(batch);
        } else {
            String[] communes = new String[stats.size()];
            int[] sheets = new int[stats.size()];
            double[][] values = new double[5][stats.size()];
            for (int i = 0; i < stats.size(); i++) {
                SheetCoverage.SheetStats st = stats.get(i);
                // "commune/sheet": a commune's text as delivered (unknown-commune) may hold a slash, a sheet number cannot
                int slash = st.key().lastIndexOf('/');
                communes[i] = st.key().substring(0, slash);
                sheets[i] = Integer.parseInt(st.key().substring(slash + 1));
                values[0][i] = st.extent().getMinX();
                values[1][i] = st.extent().getMinY();
                values[2][i] = st.extent().getMaxX();
                values[3][i] = st.extent().getMaxY();
                values[4][i] = st.area();
            }
            out.add(communes);
            out.add(sheets);
            out.addAll(java.util.Arrays.asList((Object[]) values));
        }
        if (crossSheetOverlap == null) {
            out.add(batch);
        } else {
            out.add(communes(crossSheetOverlap));
            out.add(sheets(crossSheetOverlap));
            out.add(crossSheetOverlap.values().stream().mapToDouble(Double::doubleValue).toArray());
        }
        return out.toArray();
    }

    private static String[] communes(Map<String, Double> bySheet) {
        return bySheet.keySet().stream().map(k -> k.substring(0, k.lastIndexOf('/'))).toArray(String[]::new);
    }

    private static int[] sheets(Map<String, Double> bySheet) {
        return bySheet.keySet().stream().mapToInt(k -> Integer.parseInt(k.substring(k.lastIndexOf('/') + 1))).toArray();
    }

    /** A UTM zone on VN-2000 and on WGS 84: the same projection, datums about 225 m apart in the south. */
    static final Map<Integer, Integer> UTM_DATUM_TWIN = Map.of(32648, 3405, 3405, 32648, 32649, 3406, 3406, 32649);

    /** The PROJ string of a TM-3 zone's coordinates computed without the 7-parameter shift (WGS 84 taken for VN-2000). */
    static String withoutDatumShift(Vn2000Tm3 zone) {
        return String.format(Locale.ROOT, "+proj=tmerc +lat_0=0 +lon_0=%s +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 "
                + "+towgs84=0,0,0,0,0,0,0 +units=m +no_defs", zone.centralMeridian());
    }

    /**
     * How badly a sheet's geometry {@code g} fits: m² of overlap with other sheets' parcels, m² outside its commune's
     * boundary (when known), and a flat 480 000 m² when no other sheet is within 200 m (a river or an undigitised
     * area may part two sheets; 27 km may not).
     */
    private String misfit(String g, String commune, String sheet) {
        return """
                (coalesce((SELECT sum(ST_Area(ST_Intersection(o.geom, %1$s))) FROM staging.parcel o
                           WHERE o.batch_id = %4$d AND NOT o.misplaced AND o.geom && %1$s AND (o.commune_code, o.sheet_no) IS DISTINCT FROM (%2$s, %3$s)
                             AND ST_Intersects(o.geom, %1$s)), 0)
                 + coalesce((SELECT ST_Area(ST_Difference(%1$s, ST_Buffer(c.geom, 20))) FROM cadastre.admin_unit_legacy c
                             WHERE c.code = %2$s AND c.geom IS NOT NULL), 0)
                 + CASE WHEN EXISTS (SELECT 1 FROM staging.parcel o WHERE o.batch_id = %4$d AND NOT o.misplaced
                                     AND (o.commune_code, o.sheet_no) IS DISTINCT FROM (%2$s, %3$s))
                         AND NOT EXISTS (SELECT 1 FROM staging.parcel o WHERE o.batch_id = %4$d AND NOT o.misplaced
                                     AND (o.commune_code, o.sheet_no) IS DISTINCT FROM (%2$s, %3$s) AND ST_DWithin(o.geom, %1$s, 200))
                        THEN 480000 ELSE 0 END)""".formatted(g, commune, sheet, batch);
    }
}
