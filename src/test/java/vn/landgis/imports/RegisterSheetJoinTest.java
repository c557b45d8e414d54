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
}
