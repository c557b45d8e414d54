package vn.landgis.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What of a delivery's folder counts as the delivery. */
class DeliveryFilesTest {

    @Test
    void theRegisterBesideTheMapCountsInTheChecksumAndOfficesLockFileIsNoRegister(@TempDir Path dir) throws IOException {
        Path map = Files.writeString(dir.resolve("ThuaDat.geojson"), "{}");
        assertThat(ImportService.registerChecksum(dir, map)).isEmpty();   // no register: the checksum of before
        Files.writeString(dir.resolve("SoMucKe.xlsx"), "first");
        String first = ImportService.registerChecksum(dir, map);
        assertThat(first).matches("[+]r[0-9a-f]{16}");
        // the same map with a corrected register is another delivery (it was refused as the one already published)
        Files.writeString(dir.resolve("SoMucKe.xlsx"), "corrected");
        String corrected = ImportService.registerChecksum(dir, map);
        assertThat(corrected).matches("[+]r[0-9a-f]{16}").isNotEqualTo(first);
        // the lock file Excel leaves while the workbook is open is neither a second register nor part of the delivery
        Path lock = Files.writeString(dir.resolve("~$SoMucKe.xlsx"), "owner");
        assertThat(ImportService.archiveJunk(dir, lock)).isTrue();
        assertThat(ImportService.registerChecksum(dir, map)).isEqualTo(corrected);
        // a folder of FAMIS sheets counts every file already
        assertThat(ImportService.registerChecksum(dir, dir)).isEmpty();
    }
}
