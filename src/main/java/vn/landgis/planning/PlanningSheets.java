package vn.landgis.planning;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.poi.ss.usermodel.ClientAnchor;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.apache.poi.xssf.usermodel.XSSFFont;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

import tools.jackson.databind.ObjectMapper;

import vn.landgis.geo.ProvinceProperties;
import vn.landgis.platform.ApiProblem;

/**
 * The planning-information sheet (phiếu thông tin quy hoạch) of a parcel as a one-page A4 PDF and as a workbook:
 * the parcel, a map of it over the plans (drawn by the map server's renderer), per plan the decision cited and the
 * table of zones with areas, shares and indicators, the area inside road reserves, the date, and a verification
 * code with its QR code. Each issued sheet is recorded ({@code planning.sheet_issue}) with the answer it printed,
 * so the code can be checked online later.
 */
@Service
class PlanningSheets {

    private static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("HH:mm 'ngày' dd/MM/yyyy");
    private static final String CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<Path> FONT_DIRS = List.of(Path.of("/usr/share/fonts/truetype/dejavu"), Path.of("/usr/share/fonts"));

    private final PlanningOverlay overlay;
    private final SheetMap map;
    private final JdbcTemplate jdbc;
    private final ProvinceProperties province;
    private final ObjectMapper json;

    PlanningSheets(PlanningOverlay overlay, SheetMap map, JdbcTemplate jdbc, ProvinceProperties province, ObjectMapper json) {
        this.overlay = overlay;
        this.map = map;
        this.jdbc = jdbc;
        this.province = province;
        this.json = json;
    }

    // ------------------------------------------------------------------ plans, verification

    /** Whether {@code planId} is a plan still in draft. */
    boolean isDraft(long planId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM planning.plan WHERE id = ? AND status = 'draft')",
                Boolean.class, planId));
    }

    /**
     * The plans, in force first, with their decision, how many zones and lines, and their extent in WGS 84; drafts
     * only when {@code withDrafts} (planners and land officers: a draft is not public before its approval).
     */
    List<Map<String, Object>> plans(boolean withDrafts) {
        return jdbc.query("""
                SELECT p.id, p.name, p.kind, p.scale, p.status, p.decision_no, p.decision_date, p.decision_body, p.district_code,
                       (SELECT count(*) FROM planning.zone z WHERE z.plan_id = p.id) AS zones,
                       (SELECT count(*) FROM planning.line l WHERE l.plan_id = p.id) AS lines,
                       (SELECT ST_Extent(ST_Transform(z.geom, 4326))::text FROM planning.zone z WHERE z.plan_id = p.id) AS extent
                  FROM planning.plan p
                 WHERE ? OR p.status <> 'draft'
                 ORDER BY p.status <> 'in_force', p.id""", (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", rs.getLong("id"));
            m.put("name", rs.getString("name"));
            m.put("kind", rs.getString("kind"));
            m.put("kindName", PlanningOverlay.KIND_NAMES.getOrDefault(rs.getString("kind"), rs.getString("kind")));
            m.put("scale", rs.getObject("scale"));
            m.put("status", rs.getString("status"));
            m.put("decision", new PlanningOverlay.Decision(rs.getString("decision_no"),
                    rs.getDate("decision_date") == null ? null : rs.getDate("decision_date").toLocalDate(), rs.getString("decision_body")));
            m.put("districtCode", rs.getString("district_code"));
            m.put("zones", rs.getLong("zones"));
            m.put("lines", rs.getLong("lines"));
            m.put("bbox", bbox(rs.getString("extent")));
            return m;
        }, withDrafts);
    }

    private static double[] bbox(String box2d) {
        if (box2d == null) {
            return null;
        }
        String[] n = box2d.replaceAll("[^0-9.,\\- ]", "").trim().split("[ ,]+");
        return new double[] {Double.parseDouble(n[0]), Double.parseDouble(n[1]), Double.parseDouble(n[2]), Double.parseDouble(n[3])};
    }

    /** An issued sheet: what it printed, when, and whether the parcel's planning answer is still the same now. */
    Optional<Map<String, Object>> verify(String code) {
        return jdbc.query("SELECT parcel_id, issued_at, format, answer::text, answer_sha256 FROM planning.sheet_issue WHERE code = ?",
                (rs, i) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("code", code);
                    m.put("parcelId", rs.getLong(1));
                    m.put("issuedAt", rs.getObject(2, OffsetDateTime.class));
                    m.put("format", rs.getString(3));
                    String sha = rs.getString(5);
                    var now = overlay.forParcel(rs.getLong(1), null);
                    m.put("stillCurrent", now.isPresent() && sha.equals(sha256(plansJson(now.get()))));
                    m.put("answer", json.readTree(rs.getString(4)));
                    return m;
                }, code.toUpperCase(Locale.ROOT)).stream().findFirst();
    }

    /** The part of an answer that a sheet certifies: the parcel version and the plans. */
    private String plansJson(PlanningOverlay.Overlay o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("parcelVersion", o.parcel() == null ? null : o.parcel().versionId());
        m.put("plans", o.plans());
        return json.writeValueAsString(m);
    }

    private String issue(PlanningOverlay.Overlay o, String format) {
        String sha = sha256(plansJson(o));
        // the same answer printed again keeps its code: a reload or a link crawler adds no row
        String known = jdbc.query("""
                SELECT code FROM planning.sheet_issue WHERE parcel_id = ? AND parcel_version = ? AND format = ? AND answer_sha256 = ?
                 ORDER BY issued_at LIMIT 1""", rs -> rs.next() ? rs.getString(1) : null, o.parcel().id(), o.parcel().versionId(), format, sha);
        if (known != null) {
            return known;
        }
        String answer = json.writeValueAsString(PlanningController.PlanningJson.answer(o, Map.of()));
        for (int attempt = 0; ; attempt++) {
            StringBuilder code = new StringBuilder(12);
            for (int i = 0; i < 12; i++) {
                code.append(CODE_ALPHABET.charAt(RANDOM.nextInt(CODE_ALPHABET.length())));
            }
            int n = jdbc.update("""
                    INSERT INTO planning.sheet_issue (code, parcel_id, parcel_version, format, answer, answer_sha256)
                    VALUES (?, ?, ?, ?, ?::jsonb, ?) ON CONFLICT (code) DO NOTHING""",
                    code.toString(), o.parcel().id(), o.parcel().versionId(), format, answer, sha);
            if (n == 1 || attempt > 5) {
                return code.toString();
            }
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ shared text

    private record Row(String label, String value) {
    }

    private static String day(OffsetDateTime t) {
        return t.atZoneSameInstant(VIETNAM).format(DAY);
    }

    /** Section 2's heading: the plans in force now, or on the date the answer is for. */
    private static String plansHeading(PlanningOverlay.Overlay o) {
        return o.asOf() == null ? "2. Quy hoạch có hiệu lực / Plans in force"
                : "2. Quy hoạch có hiệu lực ngày " + day(o.asOf()) + " / Plans in force on " + day(o.asOf());
    }

    private List<Row> parcelRows(PlanningOverlay.Overlay o) {
        PlanningOverlay.ParcelInfo p = o.parcel();
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("Thửa đất số / Parcel", String.valueOf(p.parcelNo())));
        rows.add(new Row("Tờ bản đồ số / Map sheet", String.valueOf(p.sheetNo())));
        // the commune of the map sheets (before 1 July 2025) with its district, then the commune it belongs to now: a
        // name like "Phường 2" alone is in several districts of the province
        rows.add(new Row("Xã, phường / Commune", nz(p.communeName()) + " (" + p.communeCode() + ")"
                + (p.districtName() == null ? "" : ", " + p.districtName()) + " (trước 01/07/2025)"
                + (p.newCommuneName() == null ? "" : "; nay là " + p.newCommuneName()) + ", tỉnh " + province.name()));
        if (p.address() != null) {
            rows.add(new Row("Địa chỉ / Address", p.address()));
        }
        rows.add(new Row("Diện tích pháp lý / Legal area", p.legalArea() == null ? "—" : area(p.legalArea().doubleValue()) + " m²"));
        rows.add(new Row("Diện tích hình thể / Mapped area", area(o.area()) + " m² (VN-2000 / TM-3)"));
        rows.add(new Row("Loại đất hiện trạng / Current use", p.landUseCode() + " – " + nz(p.landUseName())
                + (p.landUses() != null && !p.landUses().equals(p.landUseCode()) ? " (" + p.landUses() + ")" : "")));
        if (p.validTo() != null) {
            rows.add(new Row("Phiên bản / Version", "đến " + p.validTo().atZoneSameInstant(VIETNAM).format(DAY) + " (lịch sử / historical)"));
        }
        return rows;
    }

    private static String decision(PlanningOverlay.PlanOverlay plan) {
        PlanningOverlay.Decision d = plan.decision();
        StringBuilder s = new StringBuilder("Quyết định số ").append(nz(d.number()));
        if (d.date() != null) {
            s.append(" ngày ").append(d.date().format(DAY));
        }
        if (d.body() != null) {
            s.append(" của ").append(d.body());
        }
        return s.toString();
    }

    private static String planTitle(PlanningOverlay.PlanOverlay plan) {
        return plan.name() + (plan.scale() == null || plan.name().contains("1/") ? "" : " – tỷ lệ 1/" + String.format(Locale.ROOT, "%,d", plan.scale()).replace(',', '.'));
    }

    static final String[] ZONE_HEADER = {"Khu / Zone", "Chức năng quy hoạch / Planned use", "Diện tích m²", "Tỷ lệ %",
            "Mật độ XD %", "Tầng cao", "Cao m", "HSSDĐ", "Lùi m"};

    private static String[] zoneCells(PlanningOverlay.ZonePart z) {
        return new String[] {z.zoneCode(), z.landUseCode() + " – " + nz(z.landUseName()) + (Boolean.FALSE.equals(z.matchesCurrentUse()) ? " *" : ""),
                area(z.area()), pct(z.share()), num(z.buildingDensity()), z.maxFloors() == null ? "—" : z.maxFloors().toString(),
                num(z.heightLimitM()), num(z.floorAreaRatio()), num(z.setbackM())};
    }

    static String area(double m2) {
        return vn.landgis.platform.VietnameseNumbers.format(m2, 1);
    }

    static String pct(double share) {
        return vn.landgis.platform.VietnameseNumbers.format(share * 100, 1);   // at most 100: no thousands
    }

    private static String num(BigDecimal v) {
        return v == null ? "—" : v.stripTrailingZeros().toPlainString().replace('.', ',');
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    // ------------------------------------------------------------------ PDF

    byte[] pdf(PlanningOverlay.Overlay o, String baseUrl) {
        String code = issue(o, "pdf");
        String url = baseUrl + "/api/planning/sheets/" + code;
        BufferedImage image = map.draw(o, o.asOf() != null ? o.asOf() : o.parcel().validTo() == null ? null : o.parcel().validFrom());
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            doc.getDocumentInformation().setTitle("Phiếu thông tin quy hoạch – thửa " + o.parcel().parcelNo() + " tờ " + o.parcel().sheetNo());
            doc.getDocumentInformation().setCreator("landgis");
            PdfWriter w = new PdfWriter(doc, font("DejaVuSans.ttf"), font("DejaVuSans-Bold.ttf"));
            w.text(w.margin, w.y, 15, true, "PHIẾU THÔNG TIN QUY HOẠCH");
            w.y -= 16;
            w.text(w.margin, w.y, 9, false, "Planning information sheet · landgis · tỉnh " + province.name());
            w.y -= 12;
            w.text(w.margin, w.y, 8, false, "Lập lúc " + OffsetDateTime.now(VIETNAM).format(MINUTE) + " · Mã xác minh / verification code: " + code);
            w.qr(url, w.right - 72, w.top - 72, 72);
            w.y -= 18;
            w.heading("1. Thửa đất / Parcel");
            for (Row r : parcelRows(o)) {
                w.labelValue(r.label(), r.value());
            }
            w.y -= 6;
            float mapWidth = w.right - w.margin;
            float mapHeight = mapWidth * SheetMap.HEIGHT / SheetMap.WIDTH;
            w.ensure(mapHeight + 20);
            w.y -= mapHeight;
            w.stream.drawImage(LosslessFactory.createFromImage(doc, image), w.margin, w.y, mapWidth, mapHeight);
            w.stream.setStrokingColor(Color.DARK_GRAY);
            w.stream.addRect(w.margin, w.y, mapWidth, mapHeight);
            w.stream.stroke();
            w.y -= 10;
            w.wrapped(w.margin, mapWidth, 7.5f, false, o.asOf() == null
                    ? "Bản đồ: thửa đất (viền đỏ) trên các khu quy hoạch đang có hiệu lực; dải gạch đỏ: phạm vi lộ giới. "
                    + "Map: the parcel (red outline) over the zones of the plans in force; red band: road reserve."
                    : "Bản đồ: thửa đất (viền đỏ) ngày " + day(o.asOf()) + "; quy hoạch của ngày đó ở mục 2 (bản đồ khu quy hoạch chỉ vẽ cho hiện tại). "
                    + "Map: the parcel (red outline) on " + day(o.asOf()) + "; that date's plans are in section 2 (zones are drawn for today only).");
            w.y -= 4;
            w.heading(plansHeading(o));
            if (o.plans().isEmpty()) {
                w.wrapped(w.margin, mapWidth, 9, false, "Thửa đất không thuộc phạm vi quy hoạch nào đang có hiệu lực trong cơ sở dữ liệu. "
                        + "No plan in force in the database covers this parcel.");
            }
            float[] cols = {52, 150, 58, 38, 44, 36, 36, 36, 32};
            for (PlanningOverlay.PlanOverlay plan : o.plans()) {
                w.ensure(60);
                w.wrapped(w.margin, mapWidth, 9.5f, true, planTitle(plan) + " (" + plan.kindName() + ")");
                w.wrapped(w.margin, mapWidth, 8.5f, false, decision(plan));
                w.y -= 2;
                List<String[]> rows = new ArrayList<>();
                plan.zones().forEach(z -> rows.add(zoneCells(z)));
                w.table(cols, ZONE_HEADER, rows);
                for (PlanningOverlay.LinePart l : plan.lines()) {
                    w.wrapped(w.margin, mapWidth, 8.5f, false, String.format(Locale.ROOT, "%s%s: %s m² (%s %%) của thửa nằm trong phạm vi / of the parcel lies inside%s",
                            l.kindName(), l.widthM() == null ? "" : " " + num(l.widthM()) + " m", area(l.area()), pct(l.share()),
                            l.note() == null ? "" : " – " + l.note()));
                }
                if (!plan.slivers().isEmpty()) {
                    w.wrapped(w.margin, mapWidth, 8, false, String.format(Locale.ROOT,
                            "Phần rất nhỏ ở ranh giới khu (sai số số hóa, không tính là chồng lấn): %s m² / slivers at zone borders (digitising noise): %s m².",
                            area(plan.sliversArea()), area(plan.sliversArea())));
                }
                if (plan.uncoveredArea() > 0.005) {
                    w.wrapped(w.margin, mapWidth, 8, false, "Ngoài phạm vi quy hoạch / outside the plan: " + area(plan.uncoveredArea()) + " m².");
                }
                if (plan.changedUseArea() > 0.005) {
                    w.wrapped(w.margin, mapWidth, 8, false, "(*) Khác loại đất hiện trạng / differs from the current use: "
                            + area(plan.changedUseArea()) + " m².");
                }
                w.y -= 4;
            }
            w.ensure(40);
            w.y -= 4;
            w.wrapped(w.margin, mapWidth, 7.5f, false, "Diện tích tính trên hệ VN-2000 / TM-3. Phiếu có giá trị tham khảo, không thay thế văn bản cung cấp "
                    + "thông tin quy hoạch của cơ quan có thẩm quyền. Kiểm tra phiếu: " + url);
            w.wrapped(w.margin, mapWidth, 7.5f, false, "Areas in VN-2000 / TM-3. For information only; it does not replace the planning information "
                    + "issued by the competent authority. Verify this sheet at the address above.");
            w.close();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path font(String file) {
        for (Path dir : FONT_DIRS) {
            Path direct = dir.resolve(file);
            if (Files.isReadable(direct)) {
                return direct;
            }
            try (Stream<Path> s = Files.exists(dir) ? Files.walk(dir, 3) : Stream.empty()) {
                Optional<Path> found = s.filter(p -> p.getFileName().toString().equals(file)).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            } catch (IOException e) {
                // next directory
            }
        }
        throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "font-missing",
                "Thiếu phông chữ DejaVu Sans (gói fonts-dejavu-core) / the DejaVu Sans font is not installed");
    }

    /** A cursor over A4 pages: text that wraps, tables, a new page when the space runs out. */
    private static final class PdfWriter {
        final PDDocument doc;
        final PDType0Font regular;
        final PDType0Font bold;
        final float margin = 40;
        final float top = PDRectangle.A4.getHeight() - 36;
        final float right = PDRectangle.A4.getWidth() - 40;
        PDPageContentStream stream;
        float y;

        PdfWriter(PDDocument doc, Path regular, Path bold) throws IOException {
            this.doc = doc;
            this.regular = PDType0Font.load(doc, regular.toFile());
            this.bold = PDType0Font.load(doc, bold.toFile());
            newPage();
        }

        void newPage() throws IOException {
            if (stream != null) {
                stream.close();
            }
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            stream = new PDPageContentStream(doc, page);
            y = top - 14;
        }

        void ensure(float height) throws IOException {
            if (y - height < 36) {
                newPage();
            }
        }

        void close() throws IOException {
            stream.close();
        }

        void text(float x, float atY, float size, boolean isBold, String s) throws IOException {
            stream.setNonStrokingColor(Color.BLACK);
            stream.beginText();
            stream.setFont(isBold ? bold : regular, size);
            stream.newLineAtOffset(x, atY);
            stream.showText(Normalizer.normalize(s, Normalizer.Form.NFC));
            stream.endText();
        }

        float width(String s, float size, boolean isBold) throws IOException {
            return (isBold ? bold : regular).getStringWidth(Normalizer.normalize(s, Normalizer.Form.NFC)) / 1000 * size;
        }

        List<String> wrap(String s, float maxWidth, float size, boolean isBold) throws IOException {
            List<String> lines = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (String word : s.split(" ")) {
                String candidate = line.isEmpty() ? word : line + " " + word;
                if (width(candidate, size, isBold) > maxWidth && !line.isEmpty()) {
                    lines.add(line.toString());
                    line = new StringBuilder(word);
                } else {
                    line = new StringBuilder(candidate);
                }
            }
            if (!line.isEmpty()) {
                lines.add(line.toString());
            }
            return lines;
        }

        void wrapped(float x, float maxWidth, float size, boolean isBold, String s) throws IOException {
            for (String line : wrap(s, maxWidth, size, isBold)) {
                ensure(size + 3);
                y -= size + 2;
                text(x, y, size, isBold, line);
            }
        }

        void heading(String s) throws IOException {
            ensure(30);
            y -= 8;
            wrapped(margin, right - margin, 11, true, s);
            y -= 3;
        }

        void labelValue(String label, String value) throws IOException {
            List<String> lines = wrap(value, right - margin - 170, 9, false);
            ensure(11 * lines.size() + 2);
            y -= 11;
            text(margin, y, 9, false, label);
            for (int i = 0; i < lines.size(); i++) {
                if (i > 0) {
                    y -= 11;
                }
                text(margin + 170, y, 9, true, lines.get(i));
            }
        }

        void table(float[] widths, String[] header, List<String[]> rows) throws IOException {
            row(widths, header, true);
            for (String[] r : rows) {
                row(widths, r, false);
            }
        }

        private void row(float[] widths, String[] cells, boolean isHeader) throws IOException {
            float size = isHeader ? 7 : 8;
            List<List<String>> wrapped = new ArrayList<>();
            int lines = 1;
            for (int i = 0; i < cells.length; i++) {
                List<String> l = wrap(cells[i], widths[i] - 4, size, isHeader);
                wrapped.add(l);
                lines = Math.max(lines, l.size());
            }
            float h = lines * (size + 2) + 4;
            ensure(h);
            float x = margin;
            if (isHeader) {
                float total = 0;
                for (float w : widths) {
                    total += w;
                }
                stream.setNonStrokingColor(new Color(230, 236, 245));
                stream.addRect(margin, y - h, total, h);
                stream.fill();
            }
            stream.setStrokingColor(Color.GRAY);
            stream.setLineWidth(0.5f);
            for (int i = 0; i < cells.length; i++) {
                stream.addRect(x, y - h, widths[i], h);
                stream.stroke();
                boolean numeric = !isHeader && i >= 2;
                for (int k = 0; k < wrapped.get(i).size(); k++) {
                    String s = wrapped.get(i).get(k);
                    float tx = numeric ? x + widths[i] - 2 - width(s, size, false) : x + 2;
                    text(tx, y - (k + 1) * (size + 2), size, isHeader, s);
                }
                x += widths[i];
            }
            y -= h;
        }

        void qr(String content, float x, float atY, float size) throws IOException {
            BitMatrix m;
            try {
                m = new QRCodeWriter().encode(content, BarcodeFormat.QR_CODE, 0, 0,
                        Map.of(EncodeHintType.MARGIN, 0, EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M));
            } catch (WriterException e) {
                throw new IOException(e);
            }
            float module = size / m.getWidth();
            stream.setNonStrokingColor(Color.BLACK);
            for (int j = 0; j < m.getHeight(); j++) {
                for (int i = 0; i < m.getWidth(); i++) {
                    if (m.get(i, j)) {
                        stream.addRect(x + i * module, atY + size - (j + 1) * module, module, module);
                    }
                }
            }
            stream.fill();
        }
    }

    // ------------------------------------------------------------------ XLSX

    byte[] xlsx(PlanningOverlay.Overlay o, String baseUrl) {
        String code = issue(o, "xlsx");
        String url = baseUrl + "/api/planning/sheets/" + code;
        BufferedImage image = map.draw(o, o.asOf() != null ? o.asOf() : o.parcel().validTo() == null ? null : o.parcel().validFrom());
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            XSSFFont boldFont = wb.createFont();
            boldFont.setBold(true);
            XSSFCellStyle bold = wb.createCellStyle();
            bold.setFont(boldFont);
            XSSFCellStyle title = wb.createCellStyle();
            XSSFFont titleFont = wb.createFont();
            titleFont.setBold(true);
            titleFont.setFontHeightInPoints((short) 14);
            title.setFont(titleFont);
            XSSFCellStyle areaStyle = wb.createCellStyle();
            areaStyle.setDataFormat(wb.createDataFormat().getFormat("#,##0.0"));
            XSSFCellStyle pctStyle = wb.createCellStyle();
            pctStyle.setDataFormat(wb.createDataFormat().getFormat("0.0%"));

            XSSFSheet s = wb.createSheet("Thông tin quy hoạch");
            int r = 0;
            cell(s, r++, 0, "PHIẾU THÔNG TIN QUY HOẠCH / Planning information sheet", title);
            cell(s, r++, 0, "Lập lúc " + OffsetDateTime.now(VIETNAM).format(MINUTE) + " · mã xác minh / verification code", null);
            cell(s, r - 1, 2, code, bold);
            cell(s, r++, 0, "Kiểm tra / verify", null);
            cell(s, r - 1, 2, url, null);
            r++;
            cell(s, r++, 0, "1. Thửa đất / Parcel", bold);
            for (Row row : parcelRows(o)) {
                cell(s, r, 0, row.label(), null);
                cell(s, r++, 2, row.value(), bold);
            }
            cell(s, r, 0, "Diện tích hình thể (số) / mapped area (number), m²", null);
            number(s, r++, 2, PlanningOverlay.round(o.area(), 4), areaStyle);
            r++;
            cell(s, r++, 0, plansHeading(o), bold);
            for (PlanningOverlay.PlanOverlay plan : o.plans()) {
                cell(s, r++, 0, planTitle(plan) + " (" + plan.kindName() + ")", bold);
                cell(s, r++, 0, decision(plan), null);
                for (int c = 0; c < ZONE_HEADER.length; c++) {
                    cell(s, r, c, ZONE_HEADER[c], bold);
                }
                r++;
                for (PlanningOverlay.ZonePart z : plan.zones()) {
                    String[] cells = zoneCells(z);
                    cell(s, r, 0, cells[0], null);
                    cell(s, r, 1, cells[1], null);
                    number(s, r, 2, z.area(), areaStyle);
                    number(s, r, 3, z.share(), pctStyle);
                    decimal(s, r, 4, z.buildingDensity());
                    decimal(s, r, 5, z.maxFloors() == null ? null : BigDecimal.valueOf(z.maxFloors()));
                    decimal(s, r, 6, z.heightLimitM());
                    decimal(s, r, 7, z.floorAreaRatio());
                    decimal(s, r, 8, z.setbackM());
                    r++;
                }
                for (PlanningOverlay.LinePart l : plan.lines()) {
                    cell(s, r, 0, l.kindName() + (l.widthM() == null ? "" : " " + num(l.widthM()) + " m"), null);
                    cell(s, r, 1, nz(l.note()), null);
                    number(s, r, 2, l.area(), areaStyle);
                    number(s, r++, 3, l.share(), pctStyle);
                }
                if (plan.sliversArea() > 0) {
                    cell(s, r, 1, "Phần nhỏ ở ranh giới khu (sai số số hóa) / slivers", null);
                    number(s, r++, 2, plan.sliversArea(), areaStyle);
                }
                cell(s, r, 1, "Ngoài phạm vi quy hoạch / outside the plan", null);
                number(s, r++, 2, plan.uncoveredArea(), areaStyle);
                r++;
            }
            cell(s, r++, 0, "Diện tích tính trên hệ VN-2000 / TM-3. Phiếu có giá trị tham khảo. / Areas in VN-2000 / TM-3; for information only.", null);
            s.setColumnWidth(0, 34 * 256);
            s.setColumnWidth(1, 44 * 256);
            for (int c = 2; c < ZONE_HEADER.length; c++) {
                s.setColumnWidth(c, 14 * 256);
            }
            // the map beside the tables
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            int picture = wb.addPicture(png.toByteArray(), Workbook.PICTURE_TYPE_PNG);
            var anchor = wb.getCreationHelper().createClientAnchor();
            anchor.setCol1(ZONE_HEADER.length + 1);
            anchor.setRow1(1);
            anchor.setAnchorType(ClientAnchor.AnchorType.MOVE_DONT_RESIZE);
            s.createDrawingPatriarch().createPicture(anchor, picture).resize(0.6);
            wb.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static XSSFRow row(XSSFSheet s, int r) {
        XSSFRow row = s.getRow(r);
        return row != null ? row : s.createRow(r);
    }

    private static void cell(XSSFSheet s, int r, int c, String value, XSSFCellStyle style) {
        var cell = row(s, r).createCell(c);
        cell.setCellValue(value);
        if (style != null) {
            cell.setCellStyle(style);
        }
    }

    private static void number(XSSFSheet s, int r, int c, double value, XSSFCellStyle style) {
        var cell = row(s, r).createCell(c);
        cell.setCellValue(value);
        cell.setCellStyle(style);
    }

    private static void decimal(XSSFSheet s, int r, int c, BigDecimal value) {
        if (value != null) {
            row(s, r).createCell(c).setCellValue(value.doubleValue());
        }
    }
}
