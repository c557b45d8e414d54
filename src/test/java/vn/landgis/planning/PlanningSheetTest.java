package vn.landgis.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import vn.landgis.support.Commands;
import vn.landgis.support.Http;

/**
 * The planning-information sheet as a reader gets it: the PDF rendered by poppler (pdftoppm, pdftotext) shows
 * the map and the table of the JSON answer; the workbook opened by POI holds the JSON's numbers; the printed
 * verification code answers online; land statistics equal direct SQL aggregates.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PlanningSheetTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    org.springframework.context.ApplicationEventPublisher events;

    Http http;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    JsonNode get(String path) {
        var r = http.get(path);
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    /** A parcel across two zones and a road reserve, so the sheet has every kind of row. */
    long richParcel() {
        return jdbc.queryForObject("""
                SELECT p.parcel_id FROM cadastre.parcel p JOIN planning.line l ON ST_DWithin(l.geom, p.geom, l.width_m / 2)
                 WHERE p.valid_to IS NULL
                   AND (SELECT count(*) FROM planning.zone z WHERE ST_Area(ST_Intersection(z.geom, p.geom)) > 1) >= 2
                 ORDER BY ST_Area(p.geom) DESC LIMIT 1""", Long.class);
    }

    @Test
    void thePdfShowsTheMapAndTheTableOfTheAnswer() throws Exception {
        long id = richParcel();
        JsonNode answer = get("/api/parcels/" + id + "/planning");
        var r = http.bytes("/api/parcels/" + id + "/planning-sheet.pdf");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/pdf");
        Path dir = Files.createDirectories(Path.of("target/planning-sheets"));
        Path pdf = dir.resolve("sheet-" + id + ".pdf");
        Files.write(pdf, r.body());

        // poppler renders it: one A4 page with the map (the parcel's red outline, zone colours)
        Commands.run(List.of("pdftoppm", "-r", "60", "-png", "-singlefile", pdf.toString(), dir.resolve("sheet-" + id).toString()), null);
        BufferedImage page = ImageIO.read(dir.resolve("sheet-" + id + ".png").toFile());
        assertThat(page.getHeight()).isGreaterThan(page.getWidth());
        int red = 0;
        int coloured = 0;
        for (int y = 0; y < page.getHeight(); y++) {
            for (int x = 0; x < page.getWidth(); x++) {
                int rgb = page.getRGB(x, y);
                int rr = rgb >> 16 & 0xFF;
                int gg = rgb >> 8 & 0xFF;
                int bb = rgb & 0xFF;
                if (rr > 180 && gg < 60 && bb < 60) {
                    red++;
                }
                if (Math.max(rr, Math.max(gg, bb)) - Math.min(rr, Math.min(gg, bb)) > 40) {
                    coloured++;
                }
            }
        }
        assertThat(red).as("the parcel's red outline").isGreaterThan(50);
        assertThat(coloured).as("the map's colours").isGreaterThan(page.getWidth() * page.getHeight() / 20);

        // and its text holds the parcel, the decision, every zone row of the JSON, and a verification code
        String text = Commands.run(List.of("pdftotext", "-layout", pdf.toString(), "-"), null);
        assertThat(text).contains("PHIẾU THÔNG TIN QUY HOẠCH");
        assertThat(text).contains(answer.at("/parcel/communeName").asString());
        // the commune's district and the commune it belongs to since 1 July 2025 (a "Phường 2" alone is ambiguous)
        assertThat(text.replaceAll("\\s+", " ")).contains(answer.at("/parcel/districtName").asString())
                .contains("nay là " + answer.at("/parcel/newCommuneName").asString());
        JsonNode plan = answer.at("/plans/0");
        assertThat(text).contains(plan.at("/decision/number").asString());
        for (JsonNode z : plan.get("zones")) {
            assertThat(text).contains(z.get("zoneCode").asString());
            assertThat(text).contains(PlanningSheets.area(z.get("area").asDouble()));
        }
        assertThat(text).contains("Chỉ giới đường đỏ");
        Matcher m = Pattern.compile("code: ([A-Z0-9]{12})").matcher(text);
        assertThat(m.find()).isTrue();

        // the printed code answers online with what the sheet printed, still current
        JsonNode verified = get("/api/planning/sheets/" + m.group(1));
        assertThat(verified.get("parcelId").asLong()).isEqualTo(id);
        assertThat(verified.get("stillCurrent").asBoolean()).isTrue();
        assertThat(verified.at("/answer/plans/0/zones").size()).isEqualTo(plan.get("zones").size());
        assertThat(http.get("/api/planning/sheets/NOSUCHCODE12").statusCode()).isEqualTo(404);

        // printing the same answer again keeps its code and adds no row
        long issued = jdbc.queryForObject("SELECT count(*) FROM planning.sheet_issue", Long.class);
        Path again = dir.resolve("again-" + id + ".pdf");
        Files.write(again, http.bytes("/api/parcels/" + id + "/planning-sheet.pdf").body());
        assertThat(Commands.run(List.of("pdftotext", again.toString(), "-"), null)).contains(m.group(1));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM planning.sheet_issue", Long.class)).isEqualTo(issued);

        // as of a date before the plans were decided: the sheet says which date, lists none, draws no zone of today
        String before = jdbc.queryForObject("SELECT to_char((min(decision_date) - 1), 'YYYY-MM-DD') FROM planning.plan WHERE status = 'in_force'", String.class);
        String validFrom = jdbc.queryForObject("SELECT to_char(valid_from AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') FROM cadastre.parcel WHERE parcel_id = ? AND valid_to IS NULL",
                String.class, id);
        if (before != null && before.compareTo(validFrom) >= 0) {
            Path past = dir.resolve("past-" + id + ".pdf");
            var pr = http.bytes("/api/parcels/" + id + "/planning-sheet.pdf?asOf=" + before);
            assertThat(pr.statusCode()).isEqualTo(200);
            Files.write(past, pr.body());
            String pastText = Commands.run(List.of("pdftotext", "-layout", past.toString(), "-"), null).replaceAll("\\s+", " ");
            String printed = before.substring(8, 10) + "/" + before.substring(5, 7) + "/" + before.substring(0, 4);
            assertThat(pastText).contains("Plans in force on " + printed).contains("No plan in force").doesNotContain(plan.at("/decision/number").asString());
        }
    }

    @Test
    void theWorkbookHoldsTheNumbersOfTheJson() throws Exception {
        long id = richParcel();
        JsonNode answer = get("/api/parcels/" + id + "/planning");
        var r = http.bytes("/api/parcels/" + id + "/planning-sheet.xlsx");
        assertThat(r.statusCode()).isEqualTo(200);
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(r.body()))) {
            XSSFSheet s = wb.getSheetAt(0);
            Map<String, double[]> zones = new HashMap<>();
            double geometricArea = Double.NaN;
            for (Row row : s) {
                Cell first = row.getCell(0);
                Cell area = row.getCell(2);
                if (first == null || area == null || area.getCellType() != CellType.NUMERIC) {
                    continue;
                }
                if (first.getStringCellValue().startsWith("Diện tích hình thể")) {
                    geometricArea = area.getNumericCellValue();
                } else {
                    zones.put(first.getStringCellValue(), new double[] {area.getNumericCellValue(), row.getCell(3).getNumericCellValue()});
                }
            }
            assertThat(geometricArea).isEqualTo(answer.get("area").asDouble());
            JsonNode plan = answer.at("/plans/0");
            for (JsonNode z : plan.get("zones")) {
                double[] cells = zones.get(z.get("zoneCode").asString());
                assertThat(cells).as(z.get("zoneCode").asString()).isNotNull();
                assertThat(cells[0]).isEqualTo(z.get("area").asDouble());
                assertThat(cells[1]).isEqualTo(z.get("share").asDouble());
            }
            assertThat(s.getDrawingPatriarch().getShapes()).as("the map picture").isNotEmpty();
        }
    }

    @Test
    void statisticsAreRememberedUntilTheRegisterChanges() {
        events.publishEvent(new vn.landgis.cadastre.RegisterChanged(0, null, 9210));
        Map<String, Object> parcel = jdbc.queryForMap(
                "SELECT id, commune_code, land_use_code FROM cadastre.parcel WHERE valid_to IS NULL ORDER BY id LIMIT 1");
        String path = "/api/statistics/land-use?commune=" + parcel.get("commune_code");
        String code = (String) parcel.get("land_use_code");
        String other = code.equals("ONT") ? "CLN" : "ONT";
        JsonNode before = get(path);
        jdbc.update("UPDATE cadastre.parcel SET land_use_code = ? WHERE id = ?", other, parcel.get("id"));
        try {
            // a write behind the service's back (no change event) is not seen: the answer is remembered
            assertThat(get(path)).isEqualTo(before);
            // a change event (an import, an edit, a plan published) makes the next answer fresh
            events.publishEvent(new vn.landgis.cadastre.RegisterChanged(0, null, 9210));
            JsonNode after = get(path);
            assertThat(after).isNotEqualTo(before);
            long others = jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL AND commune_code = ? AND land_use_code = ?",
                    Long.class, parcel.get("commune_code"), other);
            JsonNode row = null;
            for (JsonNode r : after.get("rows")) {
                if (r.get("landUseCode").asString().equals(other)) {
                    row = r;
                }
            }
            assertThat(row).isNotNull();
            assertThat(row.get("parcels").asLong()).isEqualTo(others);
        } finally {
            jdbc.update("UPDATE cadastre.parcel SET land_use_code = ? WHERE id = ?", code, parcel.get("id"));
            events.publishEvent(new vn.landgis.cadastre.RegisterChanged(0, null, 9210));
        }
        assertThat(get(path)).isEqualTo(before);
    }

    @Test
    void landStatisticsEqualTheDirectAggregate() throws Exception {
        // other tests of this context write parcels with plain SQL, which the remembered answers do not see
        events.publishEvent(new vn.landgis.cadastre.RegisterChanged(0, null, 9210));
        JsonNode stats = get("/api/statistics/land-use");
        List<Map<String, Object>> sql = jdbc.queryForList("""
                SELECT commune_code, land_use_code, count(*) AS n, sum(geom_area)::float8 AS a FROM cadastre.parcel
                 WHERE valid_to IS NULL GROUP BY 1, 2 ORDER BY 1, 2""");
        assertThat(stats.get("rows").size()).isEqualTo(sql.size());
        for (int i = 0; i < sql.size(); i++) {
            JsonNode row = stats.get("rows").get(i);
            assertThat(row.get("communeCode").asString()).isEqualTo(sql.get(i).get("commune_code"));
            assertThat(row.get("landUseCode").asString()).isEqualTo(sql.get(i).get("land_use_code"));
            assertThat(row.get("parcels").asLong()).isEqualTo(((Number) sql.get(i).get("n")).longValue());
            assertThat(row.get("area").asDouble()).isCloseTo((Double) sql.get(i).get("a"), within(0.01));
        }
        long total = jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL", Long.class);
        assertThat(stats.at("/total/parcels").asLong()).isEqualTo(total);

        // the communes from 2025, one commune, and before the register existed
        JsonNode newUnits = get("/api/statistics/land-use?units=2025");
        assertThat(newUnits.at("/total/parcels").asLong()).isEqualTo(total);
        String commune = (String) sql.get(0).get("commune_code");
        JsonNode one = get("/api/statistics/land-use?commune=" + commune);
        assertThat(one.get("byCommune").size()).isEqualTo(1);
        assertThat(one.at("/total/parcels").asLong()).isEqualTo(
                jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL AND commune_code = ?", Long.class, commune));
        assertThat(get("/api/statistics/land-use?asOf=1990-01-01").get("rows").size()).isZero();
        assertThat(http.get("/api/statistics/land-use?units=1999").statusCode()).isEqualTo(400);
        assertThat(http.get("/api/statistics/land-use?commune=x';--").statusCode()).isEqualTo(400);

        // planned against current use, equal to the same cut done straight in PostGIS
        JsonNode planned = get("/api/statistics/planned-vs-current?commune=" + commune);
        double apiSum = 0;
        for (JsonNode row : planned.get("rows")) {
            apiSum += row.get("area").asDouble();
        }
        double sqlSum = jdbc.queryForObject("""
                SELECT sum(ST_Area(ST_Intersection(p.geom, z.geom))) FROM cadastre.parcel p
                  JOIN planning.zone z ON ST_Intersects(p.geom, z.geom) JOIN planning.plan pl ON pl.id = z.plan_id AND pl.status = 'in_force'
                 WHERE p.valid_to IS NULL AND p.commune_code = ?""", Double.class, commune);
        assertThat(apiSum).isCloseTo(sqlSum, within(0.05 + planned.get("rows").size() * 0.005));

        // the workbook: the pivot's totals in hectares equal the JSON's, and it has a chart
        var x = http.bytes("/api/statistics/land-use.xlsx");
        assertThat(x.statusCode()).isEqualTo(200);
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(x.body()))) {
            XSSFSheet pivot = wb.getSheetAt(0);
            int totalColumn = pivot.getRow(0).getLastCellNum() - 1;
            List<Double> hectares = new ArrayList<>();
            for (int r = 1; r <= pivot.getLastRowNum(); r++) {
                hectares.add(pivot.getRow(r).getCell(totalColumn).getNumericCellValue());
            }
            double sum = hectares.stream().mapToDouble(Double::doubleValue).sum();
            assertThat(sum * 10_000).isCloseTo(stats.at("/total/area").asDouble(), within(1.0));
            assertThat(pivot.getDrawingPatriarch().getCharts()).hasSize(1);
            assertThat(wb.getSheet("Chi tiết").getLastRowNum()).isEqualTo(sql.size());
            // what the numbers are of, and the groups in Vietnamese
            assertThat(wb.getSheet("Thông tin").getRow(1).getCell(1).getStringCellValue()).isEqualTo("hiện tại / now");
            assertThat(wb.getSheet("Chi tiết").getRow(1).getCell(4).getStringCellValue()).isIn("Nông nghiệp", "Phi nông nghiệp", "Đất ở", "Chưa sử dụng");
        }
        var dated = http.bytes("/api/statistics/land-use.xlsx?asOf=2025-12-31&units=2025");
        assertThat(dated.headers().firstValue("Content-Disposition").orElse("")).contains("thong-ke-dat-dai-2025-12-31-xa-2025.xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(dated.body()))) {
            assertThat(wb.getSheet("Thông tin").getRow(1).getCell(1).getStringCellValue()).isEqualTo("2025-12-31");
            assertThat(wb.getSheet("Thông tin").getRow(2).getCell(1).getStringCellValue()).contains("since 1 July 2025");
        }
        // planned against current use answers today only: a date is refused, not answered with today's rows
        assertThat(http.get("/api/statistics/planned-vs-current?asOf=2020-01-01").statusCode()).isEqualTo(400);
    }
}
