package vn.landgis.imports;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import vn.landgis.platform.ApiProblem;

/**
 * The report of an import batch: an .xlsx workbook (summary, every finding with its coordinates and a map link,
 * counts per commune) written in streaming mode so that a batch with a million findings fits in a small heap,
 * and the findings as GeoJSON for the map.
 */
@Service
public class ImportReport {

    private final JdbcTemplate jdbc;

    ImportReport(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The findings of a batch as a GeoJSON FeatureCollection in WGS 84, built by PostGIS. */
    public String findingsGeoJson(long batch) {
        exists(batch);
        return jdbc.queryForObject("""
                SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                    'type', 'Feature', 'id', f.id,
                    'geometry', ST_AsGeoJSON(ST_Transform(f.location, 4326), 7)::json,
                    'properties', json_build_object('severity', f.severity, 'rule', f.rule, 'featureNo', f.feature_no,
                        'communeCode', f.commune_code, 'sheetNo', f.sheet_no, 'parcelNo', f.parcel_no,
                        'messageVi', f.message_vi, 'messageEn', f.message_en)) ORDER BY f.id), '[]'::json))::text
                FROM staging.finding f WHERE f.batch_id = ?""", String.class, batch);
    }

    public void xlsx(long batch, OutputStream out) throws IOException {
        xlsx(batch, out, "");
    }

    /**
     * The report; {@code site} the service's address ({@code https://gis.tayninh.gov.vn}), for the findings' map links
     * to open the web map at the finding from Excel (a relative link opens nothing there); empty: relative links.
     */
    public void xlsx(long batch, OutputStream out, String site) throws IOException {
        Map<String, Object> b = exists(batch);
        try (SXSSFWorkbook wb = new SXSSFWorkbook(500)) {
            CellStyle bold = wb.createCellStyle();
            Font font = wb.createFont();
            font.setBold(true);
            bold.setFont(font);

            Sheet summary = wb.createSheet("Tổng hợp - Summary");
            int r = 0;
            for (String[] line : List.of(
                    new String[] {"Lô nhập / batch", String.valueOf(b.get("id"))},
                    new String[] {"Huyện / district", String.valueOf(b.get("district_code"))},
                    new String[] {"Tệp / file", String.valueOf(b.get("source_name"))},
                    new String[] {"Trạng thái / status", String.valueOf(b.get("status"))},
                    new String[] {"Chạy thử / dry run", String.valueOf(b.get("dry_run"))},
                    new String[] {"Hệ tọa độ / CRS", "EPSG:" + b.get("source_srid")},
                    new String[] {"Bảng mã / encoding", String.valueOf(b.get("encoding_note"))},
                    new String[] {"Số thửa / features", String.valueOf(b.get("feature_count"))},
                    new String[] {"Nhận / accepted", String.valueOf(b.get("accepted_count"))},
                    new String[] {"Loại / rejected", String.valueOf(b.get("rejected_count"))},
                    new String[] {"Ghi chú / message", String.valueOf(b.get("message"))},
                    new String[] {"SHA-256 (+m: manifest)", String.valueOf(b.get("checksum"))})) {
                Row row = summary.createRow(r++);
                cell(row, 0, line[0], bold);
                cell(row, 1, line[1], null);
            }
            r++;
            Row head = summary.createRow(r++);
            String[] columns = {"Mức / severity", "Quy tắc / rule", "Số lượng / count"};
            for (int c = 0; c < columns.length; c++) {
                cell(head, c, columns[c], bold);
            }
            for (Map<String, Object> byRule : jdbc.queryForList("""
                    SELECT severity, rule, count(*) AS n FROM staging.finding WHERE batch_id = ? GROUP BY 1, 2
                    ORDER BY array_position(ARRAY['error', 'warning', 'info'], severity), rule""", batch)) {
                Row row = summary.createRow(r++);
                cell(row, 0, (String) byRule.get("severity"), null);
                cell(row, 1, (String) byRule.get("rule"), null);
                row.createCell(2).setCellValue(((Number) byRule.get("n")).doubleValue());
            }
            summary.setColumnWidth(0, 28 * 256);
            summary.setColumnWidth(1, 70 * 256);

            Sheet findings = wb.createSheet("Phát hiện - Findings");
            String[] fcols = {"#", "Mức / severity", "Quy tắc / rule", "Mã xã / commune", "Tờ / sheet", "Thửa / parcel", "Đối tượng / feature",
                "Kinh độ / lon", "Vĩ độ / lat", "Bản đồ / map", "Nội dung", "Message"};
            Row fh = findings.createRow(0);
            for (int c = 0; c < fcols.length; c++) {
                cell(fh, c, fcols[c], bold);
            }
            findings.createFreezePane(0, 1);
            int[] row = {1};
            jdbc.query("""
                    SELECT f.id, f.severity, f.rule, f.commune_code, f.sheet_no, f.parcel_no, f.feature_no,
                           ST_X(ST_Transform(f.location, 4326)), ST_Y(ST_Transform(f.location, 4326)), f.message_vi, f.message_en
                    FROM staging.finding f WHERE f.batch_id = ?
                    ORDER BY array_position(ARRAY['error', 'warning', 'info'], f.severity), f.rule, f.commune_code, f.sheet_no, f.parcel_no, f.id""",
                    rs -> {
                        Row x = findings.createRow(row[0]++);
                        x.createCell(0).setCellValue(rs.getLong(1));
                        cell(x, 1, rs.getString(2), null);
                        cell(x, 2, rs.getString(3), null);
                        cell(x, 3, rs.getString(4), null);
                        number(x, 4, rs.getObject(5));
                        number(x, 5, rs.getObject(6));
                        number(x, 6, rs.getObject(7));
                        Object lon = rs.getObject(8);
                        Object lat = rs.getObject(9);
                        number(x, 7, lon);
                        number(x, 8, lat);
                        if (lon != null) {
                            // the web map's own view link (#z=&c=lon,lat), clickable when the site is known
                            String url = site + "/#z=19&c=" + lon + "," + lat;
                            cell(x, 9, url, null);
                            if (site.startsWith("http")) {
                                var link = wb.getCreationHelper().createHyperlink(org.apache.poi.common.usermodel.HyperlinkType.URL);
                                link.setAddress(url);
                                x.getCell(9).setHyperlink(link);
                            }
                        }
                        cell(x, 10, rs.getString(10), null);
                        cell(x, 11, rs.getString(11), null);
                    }, batch);

            Sheet communes = wb.createSheet("Theo xã - By commune");
            Row ch = communes.createRow(0);
            String[] ccols = {"Mã xã / commune", "Tên / name", "Thửa / parcels", "Lỗi / errors", "Cảnh báo / warnings", "Ghi chú / notes"};
            for (int c = 0; c < ccols.length; c++) {
                cell(ch, c, ccols[c], bold);
            }
            int cr = 1;
            for (Map<String, Object> c : jdbc.queryForList("""
                    SELECT p.commune_code, u.name, sum(p.parcels) AS parcels,
                           (SELECT count(*) FROM staging.finding f WHERE f.batch_id = ? AND f.commune_code IS NOT DISTINCT FROM p.commune_code AND f.severity = 'error') AS errors,
                           (SELECT count(*) FROM staging.finding f WHERE f.batch_id = ? AND f.commune_code IS NOT DISTINCT FROM p.commune_code AND f.severity = 'warning') AS warnings,
                           (SELECT count(*) FROM staging.finding f WHERE f.batch_id = ? AND f.commune_code IS NOT DISTINCT FROM p.commune_code AND f.severity = 'info') AS notes
                    FROM staging.batch_commune p LEFT JOIN cadastre.admin_unit_legacy u ON u.code = p.commune_code
                    WHERE p.batch_id = ? GROUP BY p.commune_code, u.name ORDER BY p.commune_code""", batch, batch, batch, batch)) {
                Row x = communes.createRow(cr++);
                cell(x, 0, (String) c.get("commune_code"), null);
                cell(x, 1, (String) c.get("name"), null);
                for (int k = 0; k < 4; k++) {
                    x.createCell(2 + k).setCellValue(((Number) c.get(new String[] {"parcels", "errors", "warnings", "notes"}[k])).doubleValue());
                }
            }
            wb.write(out);
            wb.dispose();
        }
    }

    private Map<String, Object> exists(long batch) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM staging.import_batch WHERE id = ?", batch);
        if (rows.isEmpty()) {
            throw ApiProblem.notFound("import-not-found", "Không có lô nhập " + batch + " / no import batch " + batch);
        }
        return rows.get(0);
    }

    private static void cell(Row row, int column, String value, CellStyle style) {
        Cell c = row.createCell(column);
        c.setCellValue(value == null ? "" : value);
        if (style != null) {
            c.setCellStyle(style);
        }
    }

    private static void number(Row row, int column, Object value) {
        if (value instanceof Number n) {
            row.createCell(column).setCellValue(n.doubleValue());
        }
    }
}
