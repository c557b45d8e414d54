package vn.landgis.imports;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.JdbcTemplate;

import vn.landgis.geo.Vn2000Tm3;

/**
 * When the manifest says {@code "fixPlacement": true}: the map sheets that {@link SheetPlacement} found drawn with
 * the wrong central meridian or without the 7-parameter shift get the fitting correction (their source coordinates
 * read in the CRS they were really drawn in, transformed into the declared one), the batch is checked again as if
 * delivered so, and each corrected sheet keeps a warning saying what was done. Sheets no hypothesis explains
 * ({@code misplaced-sheet}) are left as they are.
 */
final class PlacementFix {

    private static final Pattern EPSG = Pattern.compile("EPSG:(\\d+)");

    private PlacementFix() {
    }

    /**
     * Corrects the sheets named by the findings after {@code mark}; when there are any, removes the checks' findings
     * (after {@code mark}), runs {@code revalidate} and reports the corrections. Returns the number of sheets corrected.
     */
    static int apply(JdbcTemplate jdbc, long batch, int srid, long mark, Runnable revalidate) {
        var zone = Vn2000Tm3.bySrid(srid);
        List<Map<String, Object>> sheets = jdbc.queryForList("""
                SELECT commune_code, sheet_no, rule, details->>'hypothesis' AS hypothesis FROM staging.finding
                WHERE batch_id = ? AND id > ? AND rule IN ('wrong-meridian', 'missing-datum-shift', 'wrong-datum') ORDER BY commune_code, sheet_no""",
                batch, mark);
        if (sheets.isEmpty() || (zone.isEmpty() && !SheetPlacement.UTM_DATUM_TWIN.containsKey(srid))) {
            return 0;
        }
        for (Map<String, Object> s : sheets) {
            String rule = (String) s.get("rule");
            if (rule.equals("wrong-meridian") || rule.equals("wrong-datum")) {
                Matcher m = EPSG.matcher(String.valueOf(s.get("hypothesis")));
                if (!m.find() || (rule.equals("wrong-meridian") ? Vn2000Tm3.bySrid(Integer.parseInt(m.group(1))).isEmpty()
                        : !Integer.valueOf(Integer.parseInt(m.group(1))).equals(SheetPlacement.UTM_DATUM_TWIN.get(srid)))) {
                    continue;
                }
                jdbc.update("""
                        UPDATE staging.parcel SET source_geom = ST_Transform(ST_SetSRID(source_geom, ?), ?)
                        WHERE batch_id = ? AND commune_code = ? AND sheet_no = ? AND source_geom IS NOT NULL""",
                        Integer.parseInt(m.group(1)), srid, batch, s.get("commune_code"), s.get("sheet_no"));
            } else if (zone.isPresent()) {
                jdbc.update("""
                        UPDATE staging.parcel SET source_geom = ST_Transform(source_geom, ?, ?)
                        WHERE batch_id = ? AND commune_code = ? AND sheet_no = ? AND source_geom IS NOT NULL""",
                        SheetPlacement.withoutDatumShift(zone.get()), srid, batch, s.get("commune_code"), s.get("sheet_no"));
            }
        }
        // checked again from the state the reading left: the checks' findings and marks go
        jdbc.update("DELETE FROM staging.finding WHERE batch_id = ? AND id > ?", batch, mark);
        jdbc.update("""
                UPDATE staging.parcel SET misplaced = false,
                       rejected = (source_geom IS NULL OR commune_code IS NULL OR sheet_no IS NULL OR parcel_no IS NULL)
                WHERE batch_id = ?""", batch);
        revalidate.run();
        for (Map<String, Object> s : sheets) {
            boolean meridian = !s.get("rule").equals("missing-datum-shift");   // another system named by its EPSG code
            Object sheet = s.get("sheet_no");
            jdbc.update("""
                    INSERT INTO staging.finding (batch_id, severity, rule, commune_code, sheet_no, location, message_vi, message_en, details)
                    SELECT ?, 'warning', 'placement-fixed', ?, ?, ST_Centroid(ST_Collect(geom)), ?, ?, jsonb_build_object('was', ?::text, 'hypothesis', ?::text)
                    FROM staging.parcel WHERE batch_id = ? AND commune_code = ? AND sheet_no = ?""",
                    batch, s.get("commune_code"), sheet,
                    "Tờ " + sheet + (meridian ? " vẽ theo " + String.valueOf(s.get("hypothesis")).replace("central meridian", "kinh tuyến trục").replaceAll("(\\d)\\.(\\d)", "$1,$2") + ": đã chuyển về EPSG:" + srid + " theo manifest"
                            : " thiếu phép chuyển 7 tham số: đã tính lại theo manifest"),
                    "sheet " + sheet + (meridian ? " drawn in " + s.get("hypothesis") + ": moved into EPSG:" + srid + " as the manifest says"
                            : " lacked the 7-parameter shift: recomputed as the manifest says"),
                    s.get("rule"), s.get("hypothesis"), batch, s.get("commune_code"), sheet);
        }
        return sheets.size();
    }
}
