package vn.landgis.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives as districts' computers make them, and as hostile ones are made. */
class SafeUnzipTest {

    static byte[] zip(Charset names, List<String> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out, names)) {
            for (String e : entries) {
                z.putNextEntry(new ZipEntry(e));
                z.write(e.getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** Names as Windows writes them on a Vietnamese system: windows-1258 bytes (tone marks combining), no UTF-8 flag. */
    static byte[] zip1258(List<String> entries) throws IOException {
        return zip(StandardCharsets.ISO_8859_1, entries.stream()
                .map(e -> new String(vn.landgis.geo.VietnameseEncoding.WINDOWS_1258.encode(e), StandardCharsets.ISO_8859_1)).toList());
    }

    static List<String> files(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(f -> root.relativize(f).toString()).sorted().toList();
        }
    }

    @Test
    void namesInVietnameseWindowsCodePageAreReadAsWritten(@TempDir Path dir) throws IOException {
        // Windows' own "compressed folder" on a Vietnamese system: names in windows-1258, no UTF-8 flag (the whole
        // upload failed: java.util.zip read them as UTF-8 and threw)
        byte[] archive = zip1258(List.of("Xã Tân Bình/Tờ 3.dgn", "Xã Tân Bình/Tờ 12.dgn", "Phường 1/Tờ 5.dgn"));
        Path root = SafeUnzip.unzip(() -> new ByteArrayInputStream(archive), Files.createDirectories(dir.resolve("u")), 1 << 20);
        assertThat(files(root)).containsExactly("Phường 1/Tờ 5.dgn", "Xã Tân Bình/Tờ 12.dgn", "Xã Tân Bình/Tờ 3.dgn");
        assertThat(files(root)).allMatch(f -> Normalizer.isNormalized(f, Normalizer.Form.NFC));
        assertThat(Files.size(root.resolve("Xã Tân Bình/Tờ 3.dgn"))).isPositive();
    }

    @Test
    void utf8NamesAndDecomposedOnesComeOutInNfc(@TempDir Path dir) throws IOException {
        String decomposed = Normalizer.normalize("Xã Tân Bình/Tờ 3.dgn", Normalizer.Form.NFD);   // as macOS writes them
        byte[] archive = zip(StandardCharsets.UTF_8, List.of(decomposed, "ThửaĐất.gpkg", "a\\b.shp"));
        Path root = SafeUnzip.unzip(() -> new ByteArrayInputStream(archive), Files.createDirectories(dir.resolve("u")), 1 << 20);
        assertThat(files(root)).containsExactly("ThửaĐất.gpkg", "Xã Tân Bình/Tờ 3.dgn", "a/b.shp");
    }

    @Test
    void hostileArchivesAreRefusedWhateverTheirNamesEncoding(@TempDir Path dir) throws IOException {
        for (boolean windows : List.of(false, true)) {
            List<String> names = List.of("Tờ 1.dgn", "../../Tờ 2.dgn");
            byte[] slip = windows ? zip1258(names) : zip(StandardCharsets.UTF_8, names);
            Path into = Files.createDirectories(dir.resolve("slip-" + windows));
            assertThatThrownBy(() -> SafeUnzip.unzip(() -> new ByteArrayInputStream(slip), into, 1 << 20)).hasMessageContaining("zip slip");
        }
        byte[] big = zip1258(List.of("Xã/" + "x".repeat(10) + ".dgn"));
        assertThatThrownBy(() -> SafeUnzip.unzip(() -> new ByteArrayInputStream(big), Files.createDirectories(dir.resolve("big")), 10))
                .hasMessageContaining("zip bomb");
        assertThatThrownBy(() -> SafeUnzip.unzip(() -> new ByteArrayInputStream("not a zip".getBytes(StandardCharsets.UTF_8)),
                Files.createDirectories(dir.resolve("none")), 1 << 20)).hasMessageContaining("not a zip");
    }
}
