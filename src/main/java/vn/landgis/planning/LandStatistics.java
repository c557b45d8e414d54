package vn.landgis.planning;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xddf.usermodel.chart.AxisCrosses;
import org.apache.poi.xddf.usermodel.chart.AxisPosition;
import org.apache.poi.xddf.usermodel.chart.BarDirection;
import org.apache.poi.xddf.usermodel.chart.BarGrouping;
import org.apache.poi.xddf.usermodel.chart.ChartTypes;
import org.apache.poi.xddf.usermodel.chart.LegendPosition;
import org.apache.poi.xddf.usermodel.chart.XDDFBarChartData;
import org.apache.poi.xddf.usermodel.chart.XDDFCategoryAxis;
import org.apache.poi.xddf.usermodel.chart.XDDFDataSourcesFactory;
import org.apache.poi.xddf.usermodel.chart.XDDFValueAxis;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.apache.poi.xssf.usermodel.XSSFChart;
import org.apache.poi.xssf.usermodel.XSSFFont;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionalEventListener;
import vn.landgis.cadastre.RegisterChanged;

import vn.landgis.platform.ApiProblem;

/**
 * Land statistics (thống kê đất đai): parcels and area by commune × land-use code, for the register now or as
 * of a date, in the communes before 2025 or the communes from 1 July 2025; and the planned use against the
 * current use by commune (the parts of parcels inside the zones of the plans in force). Areas are geometric
 * areas in VN-2000 metres (the legal areas are summed beside them). Aggregates only: no party is ever read.
 */
@Service
public class LandStatistics {

    public record UseRow(String communeCode, String communeName, String landUseCode, String landUseName, String category,
                         long parcels, double area, double legalArea) {
    }

    public record PlannedRow(String communeCode, String communeName, String currentCode, String plannedCode,
                             String plannedName, long parcels, double area) {
    }

    /** How long an answer is kept when no change event says otherwise (writes made outside the service). */
    static final Duration KEEP = Duration.ofMinutes(10);
    /** Aggregations over the whole register computed at once; the rest wait (public endpoints, seconds of work each). */
    static final int CONCURRENT = 2;
    private static final int MAX_ANSWERS = 512;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private record Key(String kind, OffsetDateTime asOf, String commune, String units) {
    }

    private record Answer(CompletableFuture<List<?>> rows, long until) {
    }

    private final JdbcTemplate jdbc;
    private final Map<Key, Answer> answers = new ConcurrentHashMap<>();
    private final Semaphore computing = new Semaphore(CONCURRENT, true);

    LandStatistics(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The register or a plan changed: forget every answer. After the commit when the change ran in a transaction
     * (an answer computed before it would otherwise be kept), at once when it did not.
     */
    @TransactionalEventListener(fallbackExecution = true)
    void on(RegisterChanged event) {
        answers.clear();
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(PlansChanged event) {
        answers.clear();
    }

    /**
     * An answer from memory, or computed once however many ask for it at the same time (the others wait for that
     * one), by at most {@link #CONCURRENT} computations at a time: these are public, and each reads the whole
     * register, so that neither repeated nor varied requests (every {@code asOf} is another question) can pile up
     * full scans. Waiting longer than {@link #WAIT} is answered 503.
     */
    @SuppressWarnings("unchecked")
    private <T> List<T> remembered(Key key, java.util.function.Supplier<List<T>> compute) {
        long now = System.nanoTime();
        Answer known = answers.get(key);
        if (known == null || known.until() - now < 0) {
            Answer mine = new Answer(new CompletableFuture<>(), now + KEEP.toNanos());
            boolean ours = known == null ? answers.putIfAbsent(key, mine) == null : answers.replace(key, known, mine);
            if (ours) {
                if (answers.size() > MAX_ANSWERS) {
                    answers.entrySet().removeIf(e -> e.getValue() != mine && e.getValue().rows().isDone());
                }
                try {
                    if (!computing.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw busy();
                    }
                    try {
                        mine.rows().complete(List.copyOf(compute.get()));
                    } finally {
                        computing.release();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    answers.remove(key, mine);
                    mine.rows().completeExceptionally(e);
                    throw busy();
                } catch (RuntimeException e) {
                    answers.remove(key, mine);
                    mine.rows().completeExceptionally(e);
                    throw e;
                }
                return (List<T>) mine.rows().join();
            }
            known = answers.get(key);
            if (known == null) {
                return remembered(key, compute);
            }
        }
        try {
            return (List<T>) known.rows().get(2 * WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy();
        } catch (TimeoutException e) {
            throw busy();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** For tests: the same memory under a plain question. */
    <T> List<T> remembered(String question, java.util.function.Supplier<List<T>> compute) {
        return remembered(new Key(question, null, null, null), compute);
    }

    private static ApiProblem busy() {
        return new ApiProblem(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE, "busy",
                "Đang tính thống kê khác, vui lòng thử lại sau / other statistics are being computed, retry in a moment");
    }

    /** {@code units}: "legacy" (communes before 2025) or "2025". */
    public List<UseRow> landUse(OffsetDateTime asOf, String communeCode, String units) {
        boolean legacy = !"2025".equals(units);
        return remembered(new Key("use", asOf, communeCode, legacy ? "legacy" : "2025"), () -> computeLandUse(asOf, communeCode, legacy));
    }

    private List<UseRow> computeLandUse(OffsetDateTime asOf, String communeCode, boolean legacy) {
        String commune = legacy ? "p.commune_code" : "p.new_commune_code";
        String names = legacy ? "cadastre.admin_unit_legacy" : "cadastre.admin_unit";
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(asOf == null ? "p.valid_to IS NULL" : "p.valid_from <= ? AND (p.valid_to IS NULL OR p.valid_to > ?)");
        if (asOf != null) {
            args.add(asOf);
            args.add(asOf);
        }
        if (communeCode != null) {
            where.append(" AND ").append(commune).append(" = ?");
            args.add(communeCode);
        }
        return jdbc.query("SELECT " + commune + " AS commune, c.name, p.land_use_code, t.name_vi, t.category, count(*), "
                + "sum(p.geom_area)::float8, coalesce(sum(p.legal_area), 0)::float8 FROM cadastre.parcel p "
                + "LEFT JOIN " + names + " c ON c.code = " + commune + " "
                + "LEFT JOIN cadastre.land_use_type t ON t.code = p.land_use_code "
                + "WHERE " + where + " GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 3",
                (rs, i) -> new UseRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getLong(6), PlanningOverlay.round(rs.getDouble(7), 2), PlanningOverlay.round(rs.getDouble(8), 1)),
                args.toArray());
    }

    /** Current parcels cut by the zones of the plans in force: area by commune, current use and planned use. */
    public List<PlannedRow> plannedVsCurrent(String communeCode) {
        return remembered(new Key("planned", null, communeCode, null), () -> computePlannedVsCurrent(communeCode));
    }

    private List<PlannedRow> computePlannedVsCurrent(String communeCode) {
        List<Object> args = new ArrayList<>();
        String filter = "";
        if (communeCode != null) {
            filter = " AND p.commune_code = ?";
            args.add(communeCode);
        }
        return jdbc.query("""
                SELECT p.commune_code, c.name, p.land_use_code, z.land_use_code, t.name_vi, count(DISTINCT p.id),
                       sum(CASE WHEN ST_CoveredBy(p.geom, z.geom) THEN ST_Area(p.geom) ELSE ST_Area(ST_Intersection(p.geom, z.geom)) END)
                  FROM planning.zone z
                  JOIN planning.plan pl ON pl.id = z.plan_id AND pl.status = 'in_force'
                  JOIN cadastre.parcel p ON p.valid_to IS NULL AND ST_Intersects(p.geom, z.geom)""" + filter + """

                  LEFT JOIN cadastre.admin_unit_legacy c ON c.code = p.commune_code
                  LEFT JOIN cadastre.land_use_type t ON t.code = z.land_use_code
                 GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 3, 4""",
                (rs, i) -> new PlannedRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getLong(6), PlanningOverlay.round(rs.getDouble(7), 2)), args.toArray());
    }

    /** The JSON answer: rows, and totals by commune, by land-use code and overall. */
    public Map<String, Object> landUseAnswer(OffsetDateTime asOf, String communeCode, String units) {
        if (units != null && !units.equals("legacy") && !units.equals("2025")) {
            throw ApiProblem.badRequest("invalid-units", "units phải là legacy hoặc 2025 / units must be legacy or 2025");
        }
        List<UseRow> rows = landUse(asOf, communeCode, units);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("asOf", asOf);
        m.put("units", "2025".equals(units) ? "2025" : "legacy");
        m.put("areaUnit", "m²");
        m.put("rows", rows);
        Map<String, Map<String, Object>> byCommune = new TreeMap<>();
        Map<String, Map<String, Object>> byUse = new TreeMap<>();
        long parcels = 0;
        double area = 0;
        for (UseRow r : rows) {
            add(byCommune.computeIfAbsent(String.valueOf(r.communeCode()), k -> group("communeCode", r.communeCode(), "communeName", r.communeName())), r);
            add(byUse.computeIfAbsent(r.landUseCode(), k -> group("landUseCode", r.landUseCode(), "landUseName", r.landUseName())), r);
            parcels += r.parcels();
            area += r.area();
        }
        m.put("byCommune", byCommune.values());
        m.put("byLandUse", byUse.values());
        m.put("total", Map.of("parcels", parcels, "area", PlanningOverlay.round(area, 2)));
        return m;
    }

    private static Map<String, Object> group(String k1, String v1, String k2, String v2) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put(k1, v1);
        g.put(k2, v2);
        g.put("parcels", 0L);
        g.put("area", 0.0);
        return g;
    }

    private static void add(Map<String, Object> g, UseRow r) {
        g.put("parcels", (Long) g.get("parcels") + r.parcels());
        g.put("area", PlanningOverlay.round((Double) g.get("area") + r.area(), 2));
    }

    // ------------------------------------------------------------------ workbook

    /** Sheets: land use by commune (a pivot in hectares with a bar chart), the detail rows, planned vs current. */
    public byte[] workbook(OffsetDateTime asOf, String communeCode, String units) {
        List<UseRow> rows = landUse(asOf, communeCode, units);
        List<PlannedRow> planned = asOf == null ? plannedVsCurrent(communeCode) : List.of();
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            XSSFCellStyle bold = wb.createCellStyle();
            XSSFFont f = wb.createFont();
            f.setBold(true);
            bold.setFont(f);
            XSSFCellStyle ha = wb.createCellStyle();
            ha.setDataFormat(wb.createDataFormat().getFormat("#,##0.00"));

            // pivot: communes × land-use codes, hectares
            List<String> codes = rows.stream().map(UseRow::landUseCode).distinct().sorted().toList();
            Map<String, String> communes = new LinkedHashMap<>();
            rows.forEach(r -> communes.putIfAbsent(String.valueOf(r.communeCode()), r.communeName()));
            XSSFSheet pivot = wb.createSheet("Hiện trạng (ha)");
            XSSFRow h = pivot.createRow(0);
            cell(h, 0, "Mã xã / Commune", bold);
            cell(h, 1, "Tên / Name", bold);
            for (int i = 0; i < codes.size(); i++) {
                cell(h, 2 + i, codes.get(i), bold);
            }
            cell(h, 2 + codes.size(), "Tổng / Total", bold);
            int r = 1;
            for (var e : communes.entrySet()) {
                XSSFRow row = pivot.createRow(r++);
                cell(row, 0, e.getKey(), null);
                cell(row, 1, e.getValue(), null);
                double total = 0;
                for (int i = 0; i < codes.size(); i++) {
                    String code = codes.get(i);
                    double a = rows.stream().filter(x -> e.getKey().equals(String.valueOf(x.communeCode())) && code.equals(x.landUseCode()))
                            .mapToDouble(UseRow::area).sum() / 10_000;
                    var c = row.createCell(2 + i);
                    c.setCellValue(Math.round(a * 1e6) / 1e6);   // to the m² hundredth: no 28.686683000000002
                    c.setCellStyle(ha);
                    total += a;
                }
                var c = row.createCell(2 + codes.size());
                c.setCellValue(Math.round(total * 1e6) / 1e6);
                c.setCellStyle(ha);
            }
            pivot.setColumnWidth(1, 24 * 256);
            if (!communes.isEmpty() && !codes.isEmpty()) {
                chart(pivot, communes.size(), codes.size(), codes);
            }

            XSSFSheet detail = wb.createSheet("Chi tiết");
            String[] head = {"Mã xã", "Tên xã", "Mã loại đất", "Loại đất", "Nhóm", "Số thửa", "Diện tích m²", "Diện tích pháp lý m²"};
            XSSFRow dh = detail.createRow(0);
            for (int i = 0; i < head.length; i++) {
                cell(dh, i, head[i], bold);
            }
            r = 1;
            for (UseRow u : rows) {
                XSSFRow row = detail.createRow(r++);
                cell(row, 0, u.communeCode(), null);
                cell(row, 1, u.communeName(), null);
                cell(row, 2, u.landUseCode(), null);
                cell(row, 3, u.landUseName(), null);
                cell(row, 4, CATEGORY_VI.getOrDefault(u.category(), u.category()), null);
                row.createCell(5).setCellValue(u.parcels());
                row.createCell(6).setCellValue(u.area());
                row.createCell(7).setCellValue(u.legalArea());
            }
            detail.setColumnWidth(3, 36 * 256);

            XSSFSheet plan = wb.createSheet("Quy hoạch - hiện trạng");
            String[] ph = {"Mã xã", "Tên xã", "Hiện trạng", "Quy hoạch", "Chức năng quy hoạch", "Số thửa", "Diện tích m²"};
            XSSFRow hh = plan.createRow(0);
            for (int i = 0; i < ph.length; i++) {
                cell(hh, i, ph[i], bold);
            }
            r = 1;
            for (PlannedRow p : planned) {
                XSSFRow row = plan.createRow(r++);
                cell(row, 0, p.communeCode(), null);
                cell(row, 1, p.communeName(), null);
                cell(row, 2, p.currentCode(), null);
                cell(row, 3, p.plannedCode(), null);
                cell(row, 4, p.plannedName(), null);
                row.createCell(5).setCellValue(p.parcels());
                row.createCell(6).setCellValue(p.area());
            }
            // what the numbers are of: the workbook of one day and one set of communes looked like any other's
            XSSFSheet about = wb.createSheet("Thông tin");
            String[][] facts = {
                    {"Thống kê đất đai / Land statistics", ""},
                    {"Thời điểm / As of", asOf == null ? "hiện tại / now" : asOf.atZoneSameInstant(java.time.ZoneId.of("Asia/Ho_Chi_Minh")).toLocalDate().toString()},
                    {"Đơn vị hành chính / Administrative units", "2025".equals(units) ? "xã, phường từ 1/7/2025 / communes since 1 July 2025"
                            : "xã, phường trước 1/7/2025 / communes before 1 July 2025"},
                    {"Xã / Commune", communeCode == null ? "tất cả / all" : communeCode},
                    {"Đơn vị diện tích / Area units", "ha (trang hiện trạng / pivot), m² (chi tiết / detail)"},
                    {"Lập lúc / Made at", java.time.OffsetDateTime.now(java.time.ZoneId.of("Asia/Ho_Chi_Minh")).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()}};
            for (int i = 0; i < facts.length; i++) {
                XSSFRow row = about.createRow(i);
                cell(row, 0, facts[i][0], i == 0 ? bold : null);
                cell(row, 1, facts[i][1], null);
            }
            about.setColumnWidth(0, 40 * 256);
            about.setColumnWidth(1, 60 * 256);
            wb.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stacked bar chart of the pivot: one bar per commune, one series per land-use code. */
    private static void chart(XSSFSheet sheet, int communes, int codes, List<String> codeNames) {
        var drawing = sheet.createDrawingPatriarch();
        var anchor = drawing.createAnchor(0, 0, 0, 0, 0, communes + 3, Math.max(12, codes + 3), communes + 30);
        XSSFChart chart = drawing.createChart(anchor);
        chart.setTitleText("Diện tích theo loại đất (ha) / Area by land use (ha)");
        chart.setTitleOverlay(false);
        chart.getOrAddLegend().setPosition(LegendPosition.RIGHT);
        XDDFCategoryAxis x = chart.createCategoryAxis(AxisPosition.BOTTOM);
        XDDFValueAxis y = chart.createValueAxis(AxisPosition.LEFT);
        y.setCrosses(AxisCrosses.AUTO_ZERO);
        var names = XDDFDataSourcesFactory.fromStringCellRange(sheet, new CellRangeAddress(1, communes, 1, 1));
        XDDFBarChartData data = (XDDFBarChartData) chart.createData(ChartTypes.BAR, x, y);
        data.setBarDirection(BarDirection.COL);
        data.setBarGrouping(BarGrouping.STACKED);
        for (int i = 0; i < codes; i++) {
            var values = XDDFDataSourcesFactory.fromNumericCellRange(sheet, new CellRangeAddress(1, communes, 2 + i, 2 + i));
            data.addSeries(names, values).setTitle(codeNames.get(i), null);
        }
        chart.plot(data);
    }

    /** The land-use list's groups as the Vietnamese sheet names them. */
    private static final Map<String, String> CATEGORY_VI = Map.of("agricultural", "Nông nghiệp", "non_agricultural", "Phi nông nghiệp",
            "residential", "Đất ở", "unused", "Chưa sử dụng");

    private static void cell(XSSFRow row, int c, String v, XSSFCellStyle style) {
        var cell = row.createCell(c);
        cell.setCellValue(v);
        if (style != null) {
            cell.setCellStyle(style);
        }
    }
}
