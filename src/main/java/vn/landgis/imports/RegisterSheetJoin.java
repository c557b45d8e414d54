package vn.landgis.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;

/**
 * Joins an Excel register ({@code .xlsx} or {@code .xls}: one row per parcel, a header row naming the columns) to
 * the geometries of a delivery by (sheet, parcel number), and by commune too when both carry it. The register's
 * values fill in or override the geometry file's; register rows without a geometry and geometries without a row
 * are findings. Columns are found as in the geometry files ({@link ColumnMapping}, the manifest's names first).
 *
 * <p>Workbooks are hostile until read: the file size, POI's inflation ratio and entry size limits (zip bombs) and
 * the row count are bounded.
 */
final class RegisterSheetJoin implements DeliveryReader {

    static final long MAX_FILE_BYTES = 64L << 20;
    static final int MAX_ROWS = 1_000_000;
    private static final List<String> FIELDS = List.of(ColumnMapping.COMMUNE, ColumnMapping.SHEET, ColumnMapping.PARCEL,
            ColumnMapping.LAND_USE, ColumnMapping.LEGAL_AREA, ColumnMapping.ADDRESS, ColumnMapping.OWNER);

    /** One register row: its number in the sheet and our fields' values. */
    private record RegisterRow(int row, Map<String, String> values) {
    }

    private final DeliveryReader geometries;
    private final ColumnMapping columns;
    private final String workbookName;
    /** Rows by "sheet/parcel" and, when they name one, by "commune/sheet/parcel". */
    private final Map<String, RegisterRow> rows = new HashMap<>();
    private final List<RegisterRow> all = new ArrayList<>();
    private final java.util.Set<RegisterRow> joined = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final List<Finding> findings = new ArrayList<>();

    RegisterSheetJoin(DeliveryReader geometries, Path workbook, ColumnMapping columns) throws IOException {
        this.geometries = geometries;
        this.columns = columns;
        this.workbookName = workbook.getFileName().toString();
        if (Files.size(workbook) > MAX_FILE_BYTES) {
            throw new IOException("the register " + workbookName + " is larger than " + (MAX_FILE_BYTES >> 20) + " MB");
        }
        // zip bombs: no entry may inflate more than 100 times, nor beyond 256 MB
        ZipSecureFile.setMinInflateRatio(0.01);
        ZipSecureFile.setMaxEntrySize(256L << 20);
        try (InputStream in = Files.newInputStream(workbook); Workbook wb = WorkbookFactory.create(in)) {
            read(wb.getSheetAt(0));
        } catch (IOException | RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().contains("Zip bomb")) {
                throw new IOException("the register " + workbookName + " inflates far beyond its size (a zip bomb): refused", e);
            }
            if (e instanceof IOException io && io.getMessage() != null && io.getMessage().startsWith("the register")) {
                throw io;
            }
            throw new IOException("the register " + workbookName + " is not a readable Excel workbook: " + e.getMessage(), e);
        }
    }

    private void read(Sheet sheet) throws IOException {
        if (sheet.getLastRowNum() > MAX_ROWS) {
            throw new IOException("the register " + workbookName + " has " + sheet.getLastRowNum() + " rows, more than " + MAX_ROWS);
        }
        DataFormatter format = new DataFormatter(Locale.ROOT);
        Row header = sheet.getRow(sheet.getFirstRowNum());
        if (header == null) {
            throw new IOException("the register " + workbookName + " is empty");
        }
        Map<String, String> names = new LinkedHashMap<>();
        Map<Integer, String> byColumn = new HashMap<>();
        for (Cell c : header) {
            String name = format.formatCellValue(c).strip();
            if (!name.isEmpty()) {
                names.put(name, name);
            }
            byColumn.put(c.getColumnIndex(), name);
        }
        Map<String, String> fieldOfHeader = new HashMap<>();
        for (String field : FIELDS) {
            String h = columns.get(names, field);
            if (h != null) {
                fieldOfHeader.put(h, field);
            }
        }
        if (!fieldOfHeader.containsValue(ColumnMapping.SHEET) || !fieldOfHeader.containsValue(ColumnMapping.PARCEL)) {
            throw new IOException("the register " + workbookName + " has no sheet and parcel number columns (headers: " + names.keySet() + ")");
        }
        for (int r = sheet.getFirstRowNum() + 1; r <= sheet.getLastRowNum(); r++) {
            Row row = sheet.getRow(r);
            if (row == null) {
                continue;
            }
            Map<String, String> values = new HashMap<>();
            for (Cell c : row) {
                String field = fieldOfHeader.get(byColumn.get(c.getColumnIndex()));
                String v = field == null ? "" : format.formatCellValue(c).strip();
                if (!v.isEmpty()) {
                    values.put(field, Normalizer.normalize(v, Normalizer.Form.NFC));
                }
            }
            if (values.isEmpty()) {
                continue;
            }
            RegisterRow rr = new RegisterRow(r + 1, values);
            String sheetNo = number(values.get(ColumnMapping.SHEET));
            String parcel = number(values.get(ColumnMapping.PARCEL));
            if (sheetNo == null || parcel == null) {
                findings.add(new Finding("error", "register-missing-key", values.get(ColumnMapping.COMMUNE), null, null, Double.NaN, Double.NaN,
                        "Dòng " + rr.row() + " của sổ " + workbookName + " thiếu số tờ hoặc số thửa",
                        "row " + rr.row() + " of the register " + workbookName + " has no sheet or parcel number"));
                continue;
            }
            all.add(rr);
            String commune = values.get(ColumnMapping.COMMUNE);
            String key = commune == null ? sheetNo + "/" + parcel : commune + "/" + sheetNo + "/" + parcel;
            if (rows.putIfAbsent(key, rr) != null) {
                findings.add(new Finding("error", "register-duplicate", commune, Integer.valueOf(sheetNo), Integer.valueOf(parcel), Double.NaN, Double.NaN,
                        "Sổ " + workbookName + " có hai dòng cho cùng thửa (dòng " + rows.get(key).row() + " và " + rr.row() + ")",
                        "the register " + workbookName + " has two rows for one parcel (rows " + rows.get(key).row() + " and " + rr.row() + ")"));
            }
        }
    }

    /** "12", "12.0" → "12"; anything else null. */
    private static String number(String s) {
        if (s == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(s.strip().replace(',', '.'));
            return d >= 1 && d == Math.rint(d) && d < Integer.MAX_VALUE ? Integer.toString((int) d) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public int declaredSrid() {
        return geometries.declaredSrid();
    }

    @Override
    public String encodingNote() {
        return geometries.encodingNote();
    }

    @Override
    public long featureCount() {
        return geometries.featureCount();
    }

    @Override
    public List<String[]> sheetScales() {
        return geometries.sheetScales();
    }

    @Override
    public void forEach(Consumer<SourceFeature> consumer) throws IOException {
        geometries.forEach(f -> {
            String commune = columns.get(f.attributes(), ColumnMapping.COMMUNE);
            String sheetNo = number(columns.get(f.attributes(), ColumnMapping.SHEET));
            String parcel = number(columns.get(f.attributes(), ColumnMapping.PARCEL));
            RegisterRow row = sheetNo == null || parcel == null ? null
                    : rows.getOrDefault((commune == null ? "" : commune.strip()) + "/" + sheetNo + "/" + parcel, rows.get(sheetNo + "/" + parcel));
            if (row == null) {
                if (!rows.isEmpty() || !all.isEmpty()) {
                    double[] at = firstPoint(f);
                    findings.add(new Finding("warning", "register-no-row", commune, sheetNo == null ? null : Integer.valueOf(sheetNo),
                            parcel == null ? null : Integer.valueOf(parcel), at[0], at[1],
                            "Thửa có hình nhưng không có dòng trong sổ " + workbookName,
                            "a parcel with a geometry has no row in the register " + workbookName));
                }
                consumer.accept(f);
                return;
            }
            joined.add(row);
            Map<String, String> attributes = new LinkedHashMap<>(f.attributes());
            row.values().forEach((field, value) -> columns.put(attributes, field, value));
            consumer.accept(new SourceFeature(f.featureNo(), attributes, f.polygons()));
        });
        for (RegisterRow r : all) {
            if (!joined.contains(r)) {
                String sheetNo = number(r.values().get(ColumnMapping.SHEET));
                String parcel = number(r.values().get(ColumnMapping.PARCEL));
                findings.add(new Finding("warning", "register-no-geometry", r.values().get(ColumnMapping.COMMUNE), Integer.valueOf(sheetNo),
                        Integer.valueOf(parcel), Double.NaN, Double.NaN,
                        "Dòng " + r.row() + " của sổ " + workbookName + " không có thửa nào trên bản đồ",
                        "row " + r.row() + " of the register " + workbookName + " has no parcel geometry"));
            }
        }
    }

    private static double[] firstPoint(SourceFeature f) {
        if (f.polygons().isEmpty() || f.polygons().getFirst().length == 0 || f.polygons().getFirst()[0].length < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {f.polygons().getFirst()[0][0], f.polygons().getFirst()[0][1]};
    }

    @Override
    public List<Finding> findings() {
        List<Finding> out = new ArrayList<>(geometries.findings());
        out.addAll(findings);
        return out;
    }

    @Override
    public void close() throws IOException {
        geometries.close();
    }
}
