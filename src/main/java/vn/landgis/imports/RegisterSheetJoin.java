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
 * the row count are bounded; an {@code .xlsx} sheet is streamed (SAX), never held whole.
 */
final class RegisterSheetJoin implements DeliveryReader {

    static final long MAX_FILE_BYTES = 64L << 20;
    static final int MAX_ROWS = 1_000_000;
    private static final List<String> FIELDS = List.of(ColumnMapping.COMMUNE, ColumnMapping.SHEET, ColumnMapping.PARCEL,
            ColumnMapping.LAND_USE, ColumnMapping.LEGAL_AREA, ColumnMapping.ADDRESS, ColumnMapping.OWNER);

    /**
     * One register row: its number in its worksheet, the worksheet's name when it is not the first with a header
     * (null: messages say "row N" as for a book of one worksheet), and our fields' values.
     */
    private record RegisterRow(int row, String worksheet, Map<String, String> values) {
        String vi() {
            return worksheet == null ? String.valueOf(row) : row + " (trang \"" + worksheet + "\")";
        }

        String en() {
            return worksheet == null ? String.valueOf(row) : row + " (worksheet \"" + worksheet + "\")";
        }
    }

    private final DeliveryReader geometries;
    private final int maxRows;
    private final ColumnMapping columns;
    private final String workbookName;
    /** Rows by "sheet/parcel" and, when they name one, by "commune/sheet/parcel". */
    private final Map<String, RegisterRow> rows = new HashMap<>();
    private final List<RegisterRow> all = new ArrayList<>();
    private final java.util.Set<RegisterRow> joined = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final List<Finding> findings = new ArrayList<>();

    /** A commune as written (a code, a number, a name) → the code both sides are keyed by. */
    private final java.util.function.UnaryOperator<String> communeCode;

    RegisterSheetJoin(DeliveryReader geometries, Path workbook, ColumnMapping columns) throws IOException {
        this(geometries, workbook, columns, MAX_ROWS, c -> c);
    }

    RegisterSheetJoin(DeliveryReader geometries, Path workbook, ColumnMapping columns, java.util.function.UnaryOperator<String> communeCode)
            throws IOException {
        this(geometries, workbook, columns, MAX_ROWS, communeCode);
    }

    RegisterSheetJoin(DeliveryReader geometries, Path workbook, ColumnMapping columns, int maxRows) throws IOException {
        this(geometries, workbook, columns, maxRows, c -> c);
    }

    private RegisterSheetJoin(DeliveryReader geometries, Path workbook, ColumnMapping columns, int maxRows,
                              java.util.function.UnaryOperator<String> communeCode) throws IOException {
        this.communeCode = communeCode;
        this.maxRows = maxRows;
        this.geometries = geometries;
        this.columns = columns;
        this.workbookName = workbook.getFileName().toString();
        if (Files.size(workbook) > MAX_FILE_BYTES) {
            throw new IOException("Sổ " + workbookName + " lớn hơn " + (MAX_FILE_BYTES >> 20) + " MB / the register " + workbookName + " is larger than "
                    + (MAX_FILE_BYTES >> 20) + " MB");
        }
        // zip bombs: no entry may inflate more than 100 times, nor beyond 256 MB
        ZipSecureFile.setMinInflateRatio(0.01);
        ZipSecureFile.setMaxEntrySize(256L << 20);
        try {
            if (workbookName.toLowerCase(Locale.ROOT).endsWith(".xlsx")) {
                streamXlsx(workbook);
            } else {
                try (InputStream in = Files.newInputStream(workbook); Workbook wb = WorkbookFactory.create(in)) {
                    for (int i = 0; i < wb.getNumberOfSheets(); i++) {
                        startSheet(wb.getSheetName(i));
                        readSheet(wb.getSheetAt(i));
                    }
                }
            }
            if (headerSheets == 0) {
                throw new IOException("Sổ " + workbookName + " không có cột số tờ và số thửa (hoặc dòng \"Tờ bản đồ số\") trong " + MAX_ROWS_ABOVE_HEADER
                        + " dòng đầu của trang nào / the register " + workbookName + " has no sheet and parcel number columns in any of its sheets' first "
                        + MAX_ROWS_ABOVE_HEADER + " rows"
                        + (firstRowNames == null ? " (no row names any column)" : " (first row: " + firstRowNames + ")"));
            }
        } catch (IOException | RuntimeException | org.xml.sax.SAXException | org.apache.poi.openxml4j.exceptions.OpenXML4JException
                 | javax.xml.parsers.ParserConfigurationException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t.getMessage() != null && t.getMessage().contains("Zip bomb")) {
                    throw new IOException("Sổ " + workbookName + " giải nén ra quá lớn (zip bomb): bị từ chối / the register " + workbookName
                            + " inflates far beyond its size (a zip bomb): refused", e);
                }
            }
            if (e instanceof IOException io && io.getMessage() != null && io.getMessage().contains("the register " + workbookName)) {
                throw io;
            }
            throw new IOException("Sổ " + workbookName + " không phải tệp Excel đọc được / the register " + workbookName + " is not a readable Excel workbook: "
                    + e.getMessage(), e);
        }
        if (headerSheets == 0) {
            throw new IOException("Sổ " + workbookName + " rỗng / the register " + workbookName + " is empty");
        }
        if (!skippedSheets.isEmpty()) {
            findings.add(new Finding("info", "register-worksheet-skipped", null, null, null, Double.NaN, Double.NaN,
                    "Sổ " + workbookName + ": bỏ qua trang " + skippedSheets + " (tiêu đề cột khác trang sổ đầu tiên: trang tổng hợp?)",
                    "register " + workbookName + ": worksheets " + skippedSheets + " left out (their headers differ from the first register "
                            + "worksheet's: summaries?)"));
        }
        if (titleCommune == null) {
            titleCommune = communeInFileName(workbookName);
        }
        if (carried > 0) {
            findings.add(new Finding("info", "register-sheet-carried", null, null, null, Double.NaN, Double.NaN,
                    carried + " dòng của sổ " + workbookName + " không ghi số tờ lấy số tờ của dòng trên (ô gộp)",
                    carried + " rows of the register " + workbookName + " without a sheet number took the one of the row above (merged cells)"));
        }
    }

    /** .xlsx: the first sheet streamed through SAX, one row at a time (a workbook's DOM would hold every cell). */
    private void streamXlsx(Path workbook) throws IOException, org.xml.sax.SAXException, org.apache.poi.openxml4j.exceptions.OpenXML4JException,
            javax.xml.parsers.ParserConfigurationException {
        try (var pkg = org.apache.poi.openxml4j.opc.OPCPackage.open(workbook.toFile(), org.apache.poi.openxml4j.opc.PackageAccess.READ)) {
            var reader = new org.apache.poi.xssf.eventusermodel.XSSFReader(pkg);
            var strings = new org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable(pkg);
            var sheets = reader.getSheetsData();
            // every worksheet: a cover ("Bìa") may come first, the register may take one worksheet per map sheet or
            // per commune ("Tờ 1", "Tờ 2", ...: only the first was read, the others' parcels reported without a row)
            while (sheets.hasNext()) {
                try (InputStream sheet = sheets.next()) {
                startSheet(((org.apache.poi.xssf.eventusermodel.XSSFReader.SheetIterator) sheets).getSheetName());
                Map<Integer, String> cells = new HashMap<>();
                int[] current = {0};
                var handler = new org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler.SheetContentsHandler() {
                    @Override
                    public void startRow(int rowNum) {
                        cells.clear();
                        current[0] = rowNum;
                    }

                    @Override
                    public void endRow(int rowNum) {
                        try {
                            row(rowNum, cells);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }

                    @Override
                    public void cell(String ref, String value, org.apache.poi.xssf.usermodel.XSSFComment comment) {
                        if (ref != null && value != null) {
                            cells.put(new org.apache.poi.ss.util.CellReference(ref).getCol() & 0xFFFF, value);
                        }
                    }
                };
                var parser = org.apache.poi.util.XMLHelper.newXMLReader();   // POI's: external entities off
                parser.setContentHandler(new org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler(reader.getStylesTable(), null, strings,
                        handler, new RawNumbers(), false));
                try {
                    parser.parse(new org.xml.sax.InputSource(sheet));
                } catch (java.io.UncheckedIOException e) {
                    throw e.getCause();
                }
                }
            }
        }
    }

    /**
     * Numbers as the cell holds them, not as its format shows them: a {@code #,##0} area of 1234 would read "1,234"
     * (a Vietnamese decimal comma: 1.234 m²) and 245.6 would read "246". Text cells and dates stay as shown.
     */
    static final class RawNumbers extends DataFormatter {

        RawNumbers() {
            super(Locale.ROOT);
        }

        @Override
        public String formatRawCellContents(double value, int formatIndex, String formatString) {
            return formatRawCellContents(value, formatIndex, formatString, false);
        }

        @Override
        public String formatRawCellContents(double value, int formatIndex, String formatString, boolean use1904Windowing) {
            if (org.apache.poi.ss.usermodel.DateUtil.isADateFormat(formatIndex, formatString) || !Double.isFinite(value)) {
                return super.formatRawCellContents(value, formatIndex, formatString, use1904Windowing);
            }
            return raw(value);
        }

        static String raw(double value) {
            return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        }
    }

    /** .xls (at most 65 536 rows by the format): through POI's user model. */
    private void readSheet(Sheet sheet) throws IOException {
        DataFormatter format = new RawNumbers();
        for (Row row : sheet) {
            Map<Integer, String> cells = new HashMap<>();
            for (Cell c : row) {
                boolean number = c.getCellType() == org.apache.poi.ss.usermodel.CellType.NUMERIC
                        && !org.apache.poi.ss.usermodel.DateUtil.isCellDateFormatted(c) && Double.isFinite(c.getNumericCellValue());
                cells.put(c.getColumnIndex(), number ? RawNumbers.raw(c.getNumericCellValue()) : format.formatCellValue(c));
            }
            row(row.getRowNum(), cells);
        }
    }

    /**
     * Which of our fields each column holds, from the header row (the first row naming a sheet and a parcel column,
     * within the first {@link #MAX_ROWS_ABOVE_HEADER} non-empty rows); null before it.
     */
    private Map<Integer, String> fieldOfColumn;
    /** The column of the parcel numbers, once the header is read. */
    private Integer parcelColumn;
    static final int MAX_ROWS_ABOVE_HEADER = 20;
    private static final java.util.regex.Pattern COLUMN_NUMBER = java.util.regex.Pattern.compile("\\(\\s*\\d{1,3}\\s*\\)");
    private int rowsAboveHeader;
    /** The non-empty row just above the header, for a header of two rows. */
    private Map<Integer, String> aboveHeader;
    /** The sheet number of the last row that gave one, and how many rows without one took it (merged cells). */
    private String lastSheet;
    private String lastCommune;
    private int carried;

    /** The sheet number the last section row named ("Tờ bản đồ số: 12"), for the rows under it without one. */
    private String sectionSheet;
    private static final java.util.regex.Pattern SECTION = java.util.regex.Pattern.compile(
            "^\\s*(?:tờ(?:\\s+bản\\s+đồ)?(?:\\s+số)?|to\\s+ban\\s+do(?:\\s+so)?)\\s*[:.]?\\s*0*(\\d{1,5})\\s*$");

    /**
     * A worksheet of the workbook begins: its header is searched anew; its name may say its map sheet ("Tờ 12") or
     * its commune ("Xã Tân Bình", "Phường 1", a code), for rows that do not.
     */
    private void startSheet(String name) {
        worksheet = name == null ? "" : Normalizer.normalize(name.strip(), Normalizer.Form.NFC);
        fieldOfColumn = null;
        parcelColumn = null;
        skipping = false;
        rowsAboveHeader = 0;
        aboveHeader = null;
        lastSheet = null;
        lastCommune = null;
        java.util.regex.Matcher m = WORKSHEET_SHEET.matcher(worksheet.toLowerCase(Locale.ROOT));
        sectionSheet = m.matches() ? m.group(1).replaceFirst("^0+(?=\\d)", "") : null;
        worksheetCommune = worksheetCommune(worksheet);
    }

    /** "Tờ 12", "To 12", "Tờ số 12", "Tờ BĐ 12", "TBD12", "12": a worksheet named by its map sheet ("Sheet1" is Excel's name, not one). */
    private static final java.util.regex.Pattern WORKSHEET_SHEET = java.util.regex.Pattern.compile(
            "(?:(?:tờ|to)(?:\\s*(?:bản\\s*đồ|ban\\s*do|bđ|bd))?(?:\\s*số|\\s*so)?|tbd)?\\s*[.:#-]?\\s*0*(\\d{1,4})");

    /** The commune a worksheet's name gives ("Xã Tân Bình", "Tân Bình", "25459"), as its code, or null. */
    private String worksheetCommune(String name) {
        if (name.isBlank() || WORKSHEET_SHEET.matcher(name.toLowerCase(Locale.ROOT)).matches()) {
            return null;
        }
        String titled = communeNamed(name);
        if (titled != null) {
            return titled;
        }
        String code = communeCode.apply(name);
        return code != null && code.matches("[0-9]{5}") ? code : null;
    }
    /** The commune the rows above the header name, when the register has no commune column (one commune's book). */
    private String titleCommune;
    /** The worksheet being read, and the commune its name or its own title rows give (null: none). */
    private String worksheet;
    private String worksheetCommune;
    /** How many worksheets had a header, the first one's fields, and the worksheets left out (another header: summaries). */
    private int headerSheets;
    private java.util.Set<String> firstFields;
    private final List<String> skippedSheets = new ArrayList<>();
    private boolean skipping;
    /** The first header worksheet's rows keyed without a commune, and that worksheet's commune: keyed by it once a second comes. */
    private final List<String> firstSheetKeys = new ArrayList<>();
    private String firstSheetCommune;
    /** The commune whose features took rows that name no commune, when no title says whose they are. */
    private String joinedCommune;
    private boolean ambiguous;
    private java.util.Set<String> firstRowNames;
    private int rowCount;

    /** One row of the sheet ({@code rowNum} from 0), cells by column index. */
    private void row(int rowNum, Map<Integer, String> cells) throws IOException {
        if (++rowCount > maxRows) {
            throw new IOException("Sổ " + workbookName + " có hơn " + maxRows + " dòng / the register " + workbookName + " has more than " + maxRows + " rows");
        }
        if (skipping) {
            return;
        }
        if (fieldOfColumn == null) {
            if (rowsAboveHeader >= MAX_ROWS_ABOVE_HEADER) {
                return;   // no header in this sheet's first rows: not a register sheet
            }
            Map<String, String> names = new LinkedHashMap<>();
            cells.values().stream().map(String::strip).filter(n -> !n.isEmpty()).forEach(n -> names.put(n, n));
            if (names.isEmpty()) {
                return;
            }
            Map<Integer, String> fields = new HashMap<>();
            for (String field : FIELDS) {
                String h = columns.get(names, field);
                cells.forEach((column, name) -> {
                    if (h != null && name.strip().equals(h)) {
                        fields.putIfAbsent(column, field);
                    }
                });
            }
            // the sheet may come from section rows instead of a column ("Tờ bản đồ số: 12" above its parcels, as the
            // official book prints it): a parcel column and one more field make a header then
            boolean sectioned = !fields.containsValue(ColumnMapping.SHEET) && fields.containsValue(ColumnMapping.PARCEL) && fields.size() >= 2;
            if (!sectioned && (!fields.containsValue(ColumnMapping.SHEET) || !fields.containsValue(ColumnMapping.PARCEL))) {
                // a sổ mục kê printed from a land register has its title, commune and date above the header row
                if (firstRowNames == null) {
                    firstRowNames = names.keySet();
                }
                String named = names.keySet().stream().map(this::communeNamed).filter(java.util.Objects::nonNull).findFirst().orElse(null);
                if (titleCommune == null) {
                    titleCommune = named;
                }
                if (named != null && headerSheets > 0) {
                    worksheetCommune = named;   // a later worksheet's own title
                } else if (named != null && worksheetCommune == null) {
                    worksheetCommune = named;
                }
                ++rowsAboveHeader;   // past MAX_ROWS_ABOVE_HEADER the sheet has none: the next sheet is tried
                aboveHeader = new HashMap<>(cells);
                return;
            }
            // a header of two rows ("Thửa đất" over "Số tờ", "Số thửa"; "Diện tích (m²)" over "Tổng", "Đất ở"; "Chủ sử
            // dụng" merged down both): a column whose name here says nothing takes the name above it (its values were
            // read as nothing, the rows reported joined)
            // (a group row: two names or more, none a title's label ending in ':', "Tên xã:" over "STT" is no header)
            if (aboveHeader != null && aboveHeader.values().stream().filter(v -> !v.isBlank()).count() >= 2
                    && aboveHeader.values().stream().noneMatch(v -> v.strip().endsWith(":"))) {
                for (var e : aboveHeader.entrySet()) {
                    if (fields.containsKey(e.getKey()) || e.getValue().isBlank()) {
                        continue;
                    }
                    String here = cells.get(e.getKey());
                    Map<String, String> one = new LinkedHashMap<>();
                    one.put(e.getValue().strip(), e.getValue().strip());
                    for (String field : FIELDS) {
                        if (!fields.containsValue(field) && columns.get(one, field) != null && (here == null || here.isBlank() || columns.get(
                                Map.of(here.strip(), here.strip()), field) == null)) {
                            fields.put(e.getKey(), field);
                            break;
                        }
                    }
                }
            }
            java.util.Set<String> mapped = new java.util.HashSet<>(fields.values());
            mapped.remove(ColumnMapping.SHEET);
            mapped.remove(ColumnMapping.COMMUNE);
            if (headerSheets > 0 && !mapped.containsAll(firstFields)) {
                // a summary ("Tờ | Số thửa | Diện tích": a count per sheet under a parcel column's name) is no register
                skipping = true;
                skippedSheets.add(worksheet);
                return;
            }
            if (headerSheets == 0) {
                firstFields = mapped;
                firstSheetCommune = worksheetCommune;
            } else if (headerSheets == 1 && firstSheetCommune != null) {
                // a second register worksheet: the first one's rows are its commune's
                for (String k : firstSheetKeys) {
                    RegisterRow r = rows.remove(k);
                    if (r != null) {
                        r.values().put(ColumnMapping.COMMUNE, firstSheetCommune);
                        rows.put(firstSheetCommune + "/" + k, r);
                    }
                }
                firstSheetKeys.clear();
            }
            headerSheets++;
            fieldOfColumn = fields;
            parcelColumn = fields.entrySet().stream().filter(e -> e.getValue().equals(ColumnMapping.PARCEL)).map(Map.Entry::getKey)
                    .findFirst().orElse(null);
            return;
        }
        if (cells.values().stream().map(String::strip).filter(v -> !v.isEmpty()).allMatch(v -> COLUMN_NUMBER.matcher(v).matches())) {
            return;   // the row of column numbers under the header, "(1) (2) (3)", as printed registers have it
        }
        List<String> filled = cells.values().stream().filter(v -> !v.isBlank()).toList();
        if (parcelColumn != null && number(cells.get(parcelColumn)) == null && filled.size() == 1) {
            // a section row naming the sheet of the rows under it ("Tờ bản đồ số: 12", "TỜ SỐ 12"): the row's only
            // cell, saying only that ("Tổ 5", an address's hamlet group, is no "Tờ 5")
            for (String v : filled) {
                java.util.regex.Matcher section = SECTION.matcher(Normalizer.normalize(v, Normalizer.Form.NFC).toLowerCase(Locale.ROOT));
                if (section.find()) {
                    sectionSheet = section.group(1).replaceFirst("^0+(?=\\d)", "");
                    lastSheet = null;
                    return;
                }
            }
        }
        Map<String, String> values = new HashMap<>();
        cells.forEach((column, value) -> {
            String field = fieldOfColumn.get(column);
            if (field != null && !value.isBlank()) {
                values.put(field, Normalizer.normalize(value.strip(), Normalizer.Form.NFC));
            }
        });
        if (values.isEmpty()) {
            return;
        }
        String sheetNo = number(values.get(ColumnMapping.SHEET));
        String parcel = number(values.get(ColumnMapping.PARCEL));
        if (sheetNo == null && parcel == null && cells.values().stream().map(v -> TextKeys.folded(v))
                .anyMatch(v -> v.matches("(tong cong|tong|cong)\\s*[:.]?\\s*|tong cong\\b.*"))) {   // not "Công ty ...", "Cộng đồng ..."
            return;   // a total row ("Tổng cộng"), no parcel's (it was a blocking register-missing-key error)
        }
        boolean ownSheet = sheetNo != null;
        String rowCommune = values.get(ColumnMapping.COMMUNE);
        if (rowCommune != null && !rowCommune.equals(lastCommune)) {
            lastSheet = null;   // another commune's rows: the sheet above is not theirs
            lastCommune = rowCommune;
        }
        if (!fieldOfColumn.containsValue(ColumnMapping.SHEET) && sectionSheet == null) {
            // a book without a sheet column and no "Tờ bản đồ số" row above its first parcel: its sheet column has a
            // name not known (it was refused so, pointing at the manifest)
            throw new IOException("Sổ " + workbookName + " không có cột số tờ (hay dòng \"Tờ bản đồ số: N\" trên các thửa của tờ): ghi tên cột trong manifest "
                    + "(\"columns\": {\"sheet\": [...]}) / the register " + workbookName + " has no sheet number column (nor \"Tờ bản đồ số: N\" rows above "
                    + "each sheet's parcels): name its column in the manifest (\"columns\": {\"sheet\": [...]})");
        }
        if (sheetNo == null && parcel != null && values.get(ColumnMapping.SHEET) == null && lastSheet == null && sectionSheet != null) {
            sheetNo = sectionSheet;   // the sheet of the section the row is in
            values.put(ColumnMapping.SHEET, sectionSheet);
        } else if (sheetNo == null && parcel != null && values.get(ColumnMapping.SHEET) == null && lastSheet != null) {
            // the sheet's cell merged down its rows (or left blank, "as above"): the number of the row above, counted
            sheetNo = lastSheet;
            values.put(ColumnMapping.SHEET, lastSheet);
            carried++;
        }
        if (ownSheet) {
            lastSheet = sheetNo;
        }
        if (values.get(ColumnMapping.COMMUNE) == null && headerSheets > 1 && worksheetCommune != null) {
            values.put(ColumnMapping.COMMUNE, worksheetCommune);   // a commune's worksheet of a book of several
        }
        RegisterRow rr = new RegisterRow(rowNum + 1, headerSheets > 1 ? worksheet : null, values);
        if (sheetNo == null || parcel == null) {
            findings.add(new Finding("error", "register-missing-key", values.get(ColumnMapping.COMMUNE), null, null, Double.NaN, Double.NaN,
                    "Dòng " + rr.vi() + " của sổ " + workbookName + " thiếu số tờ hoặc số thửa",
                    "row " + rr.en() + " of the register " + workbookName + " has no sheet or parcel number"));
            return;
        }
        all.add(rr);
        String commune = values.get(ColumnMapping.COMMUNE) == null ? null : communeCode.apply(values.get(ColumnMapping.COMMUNE));
        String key = commune == null ? sheetNo + "/" + parcel : commune + "/" + sheetNo + "/" + parcel;
        if (commune == null && headerSheets == 1 && !rows.containsKey(key)) {
            firstSheetKeys.add(key);
        }
        if (rows.putIfAbsent(key, rr) != null) {
            findings.add(new Finding("error", "register-duplicate", commune, Integer.valueOf(sheetNo), Integer.valueOf(parcel), Double.NaN, Double.NaN,
                    "Sổ " + workbookName + " có hai dòng cho cùng thửa (dòng " + rows.get(key).vi() + " và " + rr.vi() + ")",
                    "the register " + workbookName + " has two rows for one parcel (rows " + rows.get(key).en() + " and " + rr.en() + ")"));
        }
    }

    /** "Xã Tân Bình", "PHƯỜNG 1", "thị trấn Tân Châu" within a title ("Sổ mục kê đất đai xã Tân Bình, thành phố ..."). */
    private static final java.util.regex.Pattern COMMUNE_IN_TITLE = java.util.regex.Pattern.compile(
            "(?iu)(?:^|[\\s:,(])((?:xã|phường|thị trấn)\\s+[^,;:()\\-–—]+)");

    /** The district's commune a title row names ("... xã Tân Bình, huyện ..."), as its code, or null. */
    private String communeNamed(String text) {
        java.util.regex.Matcher m = COMMUNE_IN_TITLE.matcher(Normalizer.normalize(text, Normalizer.Form.NFC));
        while (m.find()) {
            // the name may run on ("xã Tân Bình thành phố Tây Ninh")
            String code = communeRun(m.group(1).strip().split("\\s+"), 0);
            if (code != null) {
                return code;
            }
        }
        return null;
    }

    /** The longest run of words from {@code from} (a kind and at most five words in all) that names a commune: its code, or null. */
    private String communeRun(String[] words, int from) {
        for (int n = Math.min(words.length, from + 6); n > from + 1; n--) {
            String code = communeCode.apply(String.join(" ", java.util.Arrays.copyOfRange(words, from, n)));
            if (code != null && code.matches("[0-9]{5}")) {
                return code;
            }
        }
        return null;
    }

    /**
     * The district's commune a workbook's name gives: "SoMucKe_XaTanBinh.xlsx", "so muc ke - Phuong 1.xls",
     * "SMK_TT_Tan_Chau.xlsx": its words (split at separators and at capitals), a kind ("xa", "phuong", "tt", ...)
     * and the words after it, the longest run that names a commune. Null when none does.
     */
    private String communeInFileName(String fileName) {
        String base = Normalizer.normalize(fileName.replaceFirst("\\.[^.]*$", ""), Normalizer.Form.NFC);
        String[] words = base.replaceAll("(?<=\\p{Ll})(?=\\p{Lu})|(?<=\\p{L})(?=\\p{N})", " ").split("[\\s_.,;()\\-–—]+");
        for (int i = 0; i < words.length; i++) {
            String code = TextKeys.key(words[i]).matches("xa|phuong|thitran|p|tt|x") ? communeRun(words, i) : null;
            if (code != null) {
                return code;
            }
        }
        return null;
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
    public double[] extent() {
        return geometries.extent();
    }

    @Override
    public String[] encodingDoubt() {
        return geometries.encodingDoubt();
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
        ColumnMapping.Lookup lookup = columns.lookup();
        geometries.forEach(f -> {
            String written = lookup.get(f.attributes(), ColumnMapping.COMMUNE);
            String commune = written == null || written.isBlank() ? null : communeCode.apply(Normalizer.normalize(written.strip(), Normalizer.Form.NFC));
            String sheetNo = number(lookup.get(f.attributes(), ColumnMapping.SHEET));
            String parcel = number(lookup.get(f.attributes(), ColumnMapping.PARCEL));
            RegisterRow row = sheetNo == null || parcel == null ? null : rows.get((commune == null ? "" : commune) + "/" + sheetNo + "/" + parcel);
            if (row == null && sheetNo != null && parcel != null) {
                // a row naming no commune: a commune's book, numbered as that commune's sheets are; a feature of
                // another commune has the same numbers and must not take it
                row = rows.get(sheetNo + "/" + parcel);
                if (row != null && commune != null) {
                    if (titleCommune != null) {
                        row = commune.equals(titleCommune) ? row : null;
                    } else if (joinedCommune == null) {
                        joinedCommune = commune;
                    } else if (!joinedCommune.equals(commune)) {
                        if (!ambiguous) {
                            ambiguous = true;
                            findings.add(new Finding("error", "register-commune-unknown", commune, null, null, Double.NaN, Double.NaN,
                                    "Sổ " + workbookName + " không ghi xã nào mà bản đồ có nhiều xã (" + joinedCommune + ", " + commune
                                            + "): thêm cột mã xã vào sổ, hoặc ghi tên xã ở dòng tiêu đề, hoặc giao từng xã riêng",
                                    "the register " + workbookName + " names no commune but the map holds several (" + joinedCommune + ", "
                                            + commune + "): add a commune column to the register, name its commune in its title, or deliver "
                                            + "one commune at a time"));
                        }
                        row = null;
                    }
                }
            }
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
        findings.add(new Finding("info", "register-joined", titleCommune, null, null, Double.NaN, Double.NaN,
                "Sổ " + workbookName + ": " + all.size() + " dòng, " + joined.size() + " dòng ghép được với thửa trên bản đồ"
                        + (titleCommune == null || headerSheets > 1 ? "" : " (sổ của xã " + titleCommune + ", theo dòng tiêu đề hoặc tên tệp)")
                        + (headerSheets > 1 ? " từ " + headerSheets + " trang" : ""),
                "register " + workbookName + ": " + all.size() + " rows, " + joined.size() + " joined to parcels of the map"
                        + (titleCommune == null || headerSheets > 1 ? "" : " (commune " + titleCommune + "'s book, as its title or file name says)")
                        + (headerSheets > 1 ? " from " + headerSheets + " worksheets" : "")));
        for (RegisterRow r : all) {
            if (!joined.contains(r)) {
                String sheetNo = number(r.values().get(ColumnMapping.SHEET));
                String parcel = number(r.values().get(ColumnMapping.PARCEL));
                findings.add(new Finding("warning", "register-no-geometry", r.values().get(ColumnMapping.COMMUNE), Integer.valueOf(sheetNo),
                        Integer.valueOf(parcel), Double.NaN, Double.NaN,
                        "Dòng " + r.vi() + " của sổ " + workbookName + " không có thửa nào trên bản đồ",
                        "row " + r.en() + " of the register " + workbookName + " has no parcel geometry"));
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
