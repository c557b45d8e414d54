package vn.landgis.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and unusable registers are refused before anything is joined (no database needed). */
class RegisterSheetJoinTest {

    static Path register(Path dir, String[] header, int rows) throws IOException {
        Path file = dir.resolve("register.xlsx");
        try (Workbook wb = new SXSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
            Sheet s = wb.createSheet();
            Row h = s.createRow(0);
            for (int i = 0; i < header.length; i++) {
                h.createCell(i).setCellValue(header[i]);
            }
            for (int r = 1; r <= rows; r++) {
                Row row = s.createRow(r);
                row.createCell(0).setCellValue(1 + r % 7);
                row.createCell(1).setCellValue(r);
            }
            wb.write(out);
        }
        return file;
    }

    @Test
    void tooManyRowsAreRefusedWhileStreaming(@TempDir Path dir) throws IOException {
        Path file = register(dir, new String[] {"SoTo", "SoThua"}, 5_000);
        assertThatThrownBy(() -> new RegisterSheetJoin(null, file, ColumnMapping.defaults(), 1_000))
                .isInstanceOf(IOException.class).hasMessageContaining("more than 1000 rows");
        // within the limit the same workbook reads
        assertThat(new RegisterSheetJoin(null, file, ColumnMapping.defaults(), 10_000)).isNotNull();
    }

    @Test
    void aRegisterWithoutSheetAndParcelColumnsIsRefused(@TempDir Path dir) throws IOException {
        Path file = register(dir, new String[] {"A", "B"}, 3);
        assertThatThrownBy(() -> new RegisterSheetJoin(null, file, ColumnMapping.defaults()))
                .isInstanceOf(IOException.class).hasMessageContaining("no sheet and parcel number columns");
        Files.writeString(file, "not a workbook");
        assertThatThrownBy(() -> new RegisterSheetJoin(null, file, ColumnMapping.defaults()))
                .isInstanceOf(IOException.class).hasMessageContaining("not a readable Excel workbook");
    }

    /** The map's features, as a reader hands them over: commune, sheet, parcel. */
    static DeliveryReader features(String[]... keys) {
        return new DeliveryReader() {
            @Override
            public int declaredSrid() {
                return 9209;
            }

            @Override
            public long featureCount() {
                return keys.length;
            }

            @Override
            public void forEach(java.util.function.Consumer<SourceFeature> consumer) {
                for (int i = 0; i < keys.length; i++) {
                    consumer.accept(new SourceFeature(i + 1, new java.util.LinkedHashMap<>(java.util.Map.of("MaXa", keys[i][0], "SoTo", keys[i][1],
                            "SoThua", keys[i][2])), java.util.List.of()));
                }
            }

            @Override
            public void close() {
            }
        };
    }

    /** A commune's book (sổ mục kê): a title naming the commune or none, a header, rows of sheet, parcel, land use; no commune column. */
    static Path book(Path dir, String title) throws IOException {
        return book(dir, title, "SoMucKe.xlsx");
    }

    static Path book(Path dir, String title, String name) throws IOException {
        Path file = dir.resolve(name);
        try (org.apache.poi.xssf.usermodel.XSSFWorkbook wb = new org.apache.poi.xssf.usermodel.XSSFWorkbook();
             java.io.OutputStream out = Files.newOutputStream(file)) {
            var s = wb.createSheet("Sheet1");
            int r = 0;
            if (title != null) {
                s.createRow(r++).createCell(0).setCellValue(title);
            }
            Row h = s.createRow(r++);
            h.createCell(0).setCellValue("Số tờ");
            h.createCell(1).setCellValue("Số thửa");
            h.createCell(2).setCellValue("Loại đất");
            for (int p = 1; p <= 2; p++) {
                Row row = s.createRow(r++);
                row.createCell(0).setCellValue(1);
                row.createCell(1).setCellValue(p);
                row.createCell(2).setCellValue("CLN");
            }
            wb.write(out);
        }
        return file;
    }

    static java.util.List<String> joined(RegisterSheetJoin join) throws IOException {
        java.util.List<String> out = new java.util.ArrayList<>();
        join.forEach(f -> out.add(f.attributes().get("MaXa") + "/" + f.attributes().get("SoThua") + ":" + f.attributes().getOrDefault("MucDichSD",
                f.attributes().get("Loại đất"))));
        return out;
    }

    /**
     * A book with no commune column holds one commune's rows: a map of several communes takes them for the commune
     * its title names, and without such a title the join is refused (an error), never spread over every commune.
     */
    @Test
    void aBookWithoutCommuneColumnJoinsOnlyItsOwnCommune(@TempDir Path dir) throws IOException {
        java.util.Map<String, String> names = java.util.Map.of("25474", "Xã Tân Bình", "25480", "Phường Ninh Sơn");
        CommuneText communes = new CommuneText(names);
        String[][] keys = {{"25480", "1", "1"}, {"25474", "1", "1"}, {"25474", "1", "2"}, {"25480", "1", "2"}};
        RegisterSheetJoin titled = new RegisterSheetJoin(features(keys), book(dir, "SỔ MỤC KÊ ĐẤT ĐAI xã Tân Bình, thành phố Tây Ninh"),
                ColumnMapping.defaults(), communes::code);
        assertThat(joined(titled)).containsExactly("25480/1:null", "25474/1:CLN", "25474/2:CLN", "25480/2:null");
        assertThat(titled.findings()).extracting(DeliveryReader.Finding::rule)
                .containsExactlyInAnyOrder("register-no-row", "register-no-row", "register-joined");
        assertThat(titled.findings()).filteredOn(f -> f.rule().equals("register-joined")).singleElement()
                .satisfies(f -> assertThat(f.messageEn()).contains("2 rows, 2 joined").contains("commune 25474's book"));
        RegisterSheetJoin untitled = new RegisterSheetJoin(features(keys), book(dir, null), ColumnMapping.defaults(), communes::code);
        joined(untitled);
        assertThat(untitled.findings()).extracting(DeliveryReader.Finding::rule).contains("register-commune-unknown");
        // no title, but the file's name says whose book it is
        RegisterSheetJoin named = new RegisterSheetJoin(features(keys), book(dir, null, "SoMucKe_XaTanBinh.xlsx"), ColumnMapping.defaults(),
                communes::code);
        assertThat(joined(named)).containsExactly("25480/1:null", "25474/1:CLN", "25474/2:CLN", "25480/2:null");
        assertThat(named.findings()).extracting(DeliveryReader.Finding::rule).doesNotContain("register-commune-unknown");
        // one commune's map: the book is its
        RegisterSheetJoin one = new RegisterSheetJoin(features(keys[1], keys[2]), book(dir, null), ColumnMapping.defaults(), communes::code);
        assertThat(joined(one)).containsExactly("25474/1:CLN", "25474/2:CLN");
        assertThat(one.findings()).extracting(DeliveryReader.Finding::rule).containsExactly("register-joined");
    }

    /**
     * A sổ mục kê as districts print it: a cover sheet first; a header of two rows ("Thửa đất" over "Số tờ" and "Số
     * thửa", "Diện tích (m²)" over "Tổng" and "Đất ở", "Mục đích sử dụng" and "Tên chủ" merged down both); the sheet's
     * cell merged down its rows; a total row under them. Its values joined (they were read as nothing, the rows
     * reported joined; the merged sheet cells and the total were blocking errors; the cover sheet refused the book).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"SoMucKe.xlsx", "SoMucKe.xls"})
    void aPrintedBookWithACoverATwoRowHeaderMergedSheetCellsAndATotalIsJoined(String name, @TempDir Path dir) throws IOException {
        Path file = dir.resolve(name);
        try (Workbook wb = name.endsWith(".xls") ? new org.apache.poi.hssf.usermodel.HSSFWorkbook() : new org.apache.poi.xssf.usermodel.XSSFWorkbook();
             OutputStream out = Files.newOutputStream(file)) {
            wb.createSheet("Bìa").createRow(2).createCell(1).setCellValue("SỔ MỤC KÊ ĐẤT ĐAI - QUYỂN SỐ 01");
            Sheet s = wb.createSheet("SMK");
            s.createRow(0).createCell(0).setCellValue("SỔ MỤC KÊ ĐẤT ĐAI xã Tân Bình, thành phố Tây Ninh");
            Row top = s.createRow(1);
            top.createCell(0).setCellValue("Thửa đất");
            top.createCell(2).setCellValue("Mục đích sử dụng");
            top.createCell(3).setCellValue("Diện tích (m²)");
            top.createCell(5).setCellValue("Tên chủ sử dụng");
            Row sub = s.createRow(2);
            sub.createCell(0).setCellValue("Số tờ");
            sub.createCell(1).setCellValue("Số thửa");
            sub.createCell(3).setCellValue("Tổng");
            sub.createCell(4).setCellValue("Đất ở");
            s.addMergedRegion(new org.apache.poi.ss.util.CellRangeAddress(1, 1, 0, 1));
            s.addMergedRegion(new org.apache.poi.ss.util.CellRangeAddress(1, 2, 2, 2));
            s.addMergedRegion(new org.apache.poi.ss.util.CellRangeAddress(1, 1, 3, 4));
            s.addMergedRegion(new org.apache.poi.ss.util.CellRangeAddress(1, 2, 5, 5));
            String[][] rows = {{"1", "1", "CLN", "100.5", "", "Nguyễn Văn An"}, {"", "2", "ODT", "200", "80", "Trần Thị Bích"},
                    {"", "3", "LUC", "300", "", "Lê Văn Cường"}};
            for (int r = 0; r < rows.length; r++) {
                Row row = s.createRow(3 + r);
                for (int c = 0; c < rows[r].length; c++) {
                    if (!rows[r][c].isEmpty()) {
                        if (c == 2 || c == 5) {
                            row.createCell(c).setCellValue(rows[r][c]);
                        } else {
                            row.createCell(c).setCellValue(Double.parseDouble(rows[r][c]));
                        }
                    }
                }
            }
            s.addMergedRegion(new org.apache.poi.ss.util.CellRangeAddress(3, 5, 0, 0));
            Row total = s.createRow(6);
            total.createCell(0).setCellValue("Tổng cộng");
            total.createCell(3).setCellValue(600.5);
            wb.write(out);
        }
        CommuneText communes = new CommuneText(java.util.Map.of("25474", "Xã Tân Bình"));
        RegisterSheetJoin join = new RegisterSheetJoin(features(new String[] {"25474", "1", "1"}, new String[] {"25474", "1", "2"},
                new String[] {"25474", "1", "3"}), file, ColumnMapping.defaults(), communes::code);
        java.util.Map<String, java.util.List<String>> aliases = ColumnMapping.defaults().aliases();
        java.util.List<String> read = new java.util.ArrayList<>();
        join.forEach(f -> read.add(f.attributes().get("SoThua") + ":" + f.attributes().get(aliases.get(ColumnMapping.LAND_USE).getFirst()) + ":"
                + f.attributes().get(aliases.get(ColumnMapping.LEGAL_AREA).getFirst()) + ":" + f.attributes().get(aliases.get(ColumnMapping.OWNER).getFirst())));
        assertThat(read).containsExactly("1:CLN:100.5:Nguyễn Văn An", "2:ODT:200:Trần Thị Bích", "3:LUC:300:Lê Văn Cường");
        assertThat(join.findings()).extracting(DeliveryReader.Finding::rule).containsExactlyInAnyOrder("register-joined", "register-sheet-carried");
        assertThat(join.findings()).filteredOn(f -> f.rule().equals("register-sheet-carried")).singleElement()
                .satisfies(f -> assertThat(f.messageEn()).startsWith("2 rows of the register"));
    }

    /**
     * Books of several worksheets, as districts keep them in Excel: one worksheet per map sheet named "Tờ 1", "To 2"
     * without a sheet column; one worksheet per commune, named by it or titled with it, the same sheet and parcel
     * numbers in each; a summary worksheet under the same column names is left out, said. Only the first worksheet
     * with a header was read: the others' parcels were reported without a row.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"SoMucKe.xlsx", "SoMucKe.xls"})
    void aBookOfSeveralWorksheetsIsReadWhole(String name, @TempDir Path dir) throws IOException {
        String landUse = ColumnMapping.defaults().aliases().get(ColumnMapping.LAND_USE).getFirst();
        CommuneText communes = new CommuneText(java.util.Map.of("25474", "Xã Tân Bình", "25480", "Phường Ninh Sơn"));
        // one worksheet per map sheet of one commune, after a cover
        Path bySheet = dir.resolve("sheets-" + name);
        write(bySheet, new String[][][] {
                {{"Bìa"}, {"SỔ MỤC KÊ ĐẤT ĐAI xã Tân Bình"}},
                {{"Tờ 1"}, {"Số thửa", "Loại đất", "Diện tích"}, {"1", "CLN", "100.5"}, {"2", "ODT", "80"}},
                {{"To 02"}, {"Số thửa", "Loại đất", "Diện tích"}, {"1", "LUC", "900"}},
                {{"Tổng hợp"}, {"Số tờ", "Số thửa", "Diện tích"}, {"1", "2", "180.5"}, {"2", "1", "900"}}});
        RegisterSheetJoin sheets = new RegisterSheetJoin(features(new String[] {"25474", "1", "1"}, new String[] {"25474", "1", "2"},
                new String[] {"25474", "2", "1"}), bySheet, ColumnMapping.defaults(), communes::code);
        java.util.List<String> read = new java.util.ArrayList<>();
        sheets.forEach(f -> read.add(f.attributes().get("SoTo") + "/" + f.attributes().get("SoThua") + ":" + f.attributes().get(landUse)));
        assertThat(read).containsExactly("1/1:CLN", "1/2:ODT", "2/1:LUC");
        assertThat(sheets.findings()).extracting(DeliveryReader.Finding::rule).containsExactlyInAnyOrder("register-joined", "register-worksheet-skipped");
        assertThat(sheets.findings()).filteredOn(f -> f.rule().equals("register-worksheet-skipped")).singleElement()
                .satisfies(f -> assertThat(f.messageVi()).contains("Tổng hợp"));
        assertThat(sheets.findings()).filteredOn(f -> f.rule().equals("register-joined")).singleElement()
                .satisfies(f -> assertThat(f.messageEn()).contains("3 rows, 3 joined").contains("from 2 worksheets"));
        // one worksheet per commune, the same numbers in each: by the worksheet's name, or by its title row
        Path byCommune = dir.resolve("communes-" + name);
        write(byCommune, new String[][][] {
                {{"Tân Bình"}, {"Số tờ", "Số thửa", "Loại đất"}, {"1", "1", "CLN"}, {"1", "2", "ODT"}},
                {{"Trang 2"}, {"Sổ mục kê phường Ninh Sơn"}, {"Số tờ", "Số thửa", "Loại đất"}, {"1", "1", "LUK"}, {"1", "2", "TMD"}}});
        RegisterSheetJoin both = new RegisterSheetJoin(features(new String[] {"25480", "1", "1"}, new String[] {"25474", "1", "1"},
                new String[] {"25474", "1", "2"}, new String[] {"25480", "1", "2"}), byCommune, ColumnMapping.defaults(), communes::code);
        java.util.List<String> joined = new java.util.ArrayList<>();
        both.forEach(f -> joined.add(f.attributes().get("MaXa") + "/" + f.attributes().get("SoThua") + ":" + f.attributes().get(landUse)));
        assertThat(joined).containsExactly("25480/1:LUK", "25474/1:CLN", "25474/2:ODT", "25480/2:TMD");
        assertThat(both.findings()).extracting(DeliveryReader.Finding::rule).containsExactly("register-joined");
        // two worksheets that say no commune, the same numbers: two rows for one parcel, named by worksheet
        Path unnamed = dir.resolve("unnamed-" + name);
        write(unnamed, new String[][][] {
                {{"A"}, {"Số tờ", "Số thửa", "Loại đất"}, {"1", "1", "CLN"}},
                {{"B"}, {"Số tờ", "Số thửa", "Loại đất"}, {"1", "1", "LUK"}}});
        RegisterSheetJoin twice = new RegisterSheetJoin(features(new String[] {"25474", "1", "1"}), unnamed, ColumnMapping.defaults(), communes::code);
        assertThat(twice.findings()).filteredOn(f -> f.rule().equals("register-duplicate")).singleElement()
                .satisfies(f -> assertThat(f.messageEn()).contains("rows 2 and 2 (worksheet \"B\")"));
    }

    /** A workbook of the worksheets given, each a name and its rows of cells (numbers as numbers). */
    static void write(Path file, String[][][] worksheets) throws IOException {
        try (Workbook wb = file.toString().endsWith(".xls") ? new org.apache.poi.hssf.usermodel.HSSFWorkbook() : new org.apache.poi.xssf.usermodel.XSSFWorkbook();
             OutputStream out = Files.newOutputStream(file)) {
            for (String[][] w : worksheets) {
                Sheet s = wb.createSheet(w[0][0]);
                for (int r = 1; r < w.length; r++) {
                    Row row = s.createRow(r - 1);
                    for (int c = 0; c < w[r].length; c++) {
                        if (w[r][c].matches("[0-9]+(\\.[0-9]+)?")) {
                            row.createCell(c).setCellValue(Double.parseDouble(w[r][c]));
                        } else {
                            row.createCell(c).setCellValue(w[r][c]);
                        }
                    }
                }
            }
            wb.write(out);
        }
    }

    /** The official book without a sheet column: "Tờ bản đồ số: N" rows above each sheet's parcels (it was refused: no sheet column). */
    @Test
    void aBookOfSheetSectionsJoinsEachRowToItsSectionsSheet(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("SoMucKe_XaTanBinh.xlsx");
        try (Workbook wb = new org.apache.poi.xssf.usermodel.XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
            Sheet s = wb.createSheet("SMK");
            int r = 0;
            Row h = s.createRow(r++);
            h.createCell(0).setCellValue("Số thửa");
            h.createCell(1).setCellValue("Mục đích sử dụng");
            h.createCell(2).setCellValue("Địa chỉ");
            // a co-owner's second line holding only "Tổ 5" (an address's group, not "Tờ 5"): no section, a row without its keys
            String[][] rows = {{"Tờ bản đồ số: 1"}, {"1", "CLN", "Tổ 5, ấp 2"}, {"", "", "Tổ 5"}, {"2", "ODT", "Tổ 5, ấp 2"}, {"TỜ BẢN ĐỒ SỐ 02"},
                    {"1", "LUC", "Ấp 3"}};
            for (String[] cells : rows) {
                Row row = s.createRow(r++);
                for (int c = 0; c < cells.length; c++) {
                    row.createCell(c).setCellValue(cells[c]);
                }
            }
            wb.write(out);
        }
        CommuneText communes = new CommuneText(java.util.Map.of("25474", "Xã Tân Bình"));
        RegisterSheetJoin join = new RegisterSheetJoin(features(new String[] {"25474", "1", "1"}, new String[] {"25474", "1", "2"},
                new String[] {"25474", "2", "1"}), file, ColumnMapping.defaults(), communes::code);
        java.util.List<String> read = new java.util.ArrayList<>();
        String landUse = ColumnMapping.defaults().aliases().get(ColumnMapping.LAND_USE).getFirst();
        join.forEach(f -> read.add(f.attributes().get("SoTo") + "/" + f.attributes().get("SoThua") + ":" + f.attributes().get(landUse)));
        assertThat(read).containsExactly("1/1:CLN", "1/2:ODT", "2/1:LUC");
        assertThat(join.findings()).extracting(DeliveryReader.Finding::rule).containsExactlyInAnyOrder("register-joined", "register-missing-key");
    }

    /**
     * A blank sheet cell takes the sheet above only within its commune, and a row of a company's or a community's name
     * without keys is no total: both are rows without their keys, said (the first joined another commune's sheet, the
     * second was dropped silently).
     */
    @Test
    void theSheetAboveIsCarriedOnlyWithinItsCommuneAndOnlyTotalsAreSkipped(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("register.xlsx");
        try (Workbook wb = new org.apache.poi.xssf.usermodel.XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
            Sheet s = wb.createSheet("SMK");
            String[][] rows = {{"Mã xã", "Số tờ", "Số thửa", "Tên chủ sử dụng"}, {"25474", "12", "5", "Nguyễn Văn An"}, {"25474", "", "6", "Trần Văn Bình"},
                    {"25480", "", "1", "Lê Thị Cúc"}, {"", "", "", "Công ty TNHH Minh Phát"}, {"Tổng cộng", "", "", ""}};
            for (int r = 0; r < rows.length; r++) {
                Row row = s.createRow(r);
                for (int c = 0; c < rows[r].length; c++) {
                    if (!rows[r][c].isEmpty()) {
                        row.createCell(c).setCellValue(rows[r][c]);
                    }
                }
            }
            wb.write(out);
        }
        RegisterSheetJoin join = new RegisterSheetJoin(features(new String[] {"25474", "12", "5"}, new String[] {"25474", "12", "6"},
                new String[] {"25480", "12", "1"}), file, ColumnMapping.defaults(), c -> c);
        String owner = ColumnMapping.defaults().aliases().get(ColumnMapping.OWNER).getFirst();
        java.util.List<String> read = new java.util.ArrayList<>();
        join.forEach(f -> read.add(f.attributes().get("MaXa") + "/" + f.attributes().get("SoThua") + ":" + f.attributes().get(owner)));
        assertThat(read).containsExactly("25474/5:Nguyễn Văn An", "25474/6:Trần Văn Bình", "25480/1:null");
        assertThat(join.findings()).extracting(DeliveryReader.Finding::rule)
                .containsExactlyInAnyOrder("register-sheet-carried", "register-missing-key", "register-missing-key", "register-no-row", "register-joined");
    }
}
