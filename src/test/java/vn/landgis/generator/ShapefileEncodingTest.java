package vn.landgis.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import vn.landgis.geo.VietnameseEncoding;

/** District .dbf files in TCVN3 or VNI-Windows decode to the same NFC text as the UTF-8 one. */
class ShapefileEncodingTest {

    @Test
    void legacyEncodedDbfRoundTripsVietnameseNamesToNfc(@TempDir Path dir) throws Exception {
        SyntheticDistrict d = CadastreGeneratorTest.generate(5, 1500, Map.of());
        List<List<String>> utf8 = null;
        for (VietnameseEncoding encoding : List.of(VietnameseEncoding.UTF8, VietnameseEncoding.TCVN3, VietnameseEncoding.VNI_WINDOWS)) {
            Path out = dir.resolve(encoding.name());
            GeneratorCommand.write(d, out, Set.of("shp"), encoding, Cpg.TRUTH);
            List<List<String>> rows = readText(out.resolve("parcels.dbf"), encoding);
            assertThat(rows).hasSize(d.parcels().size());
            if (utf8 == null) {
                utf8 = rows;
                // the UTF-8 file holds exactly the generated names
                for (int i = 0; i < rows.size(); i++) {
                    assertThat(rows.get(i).get(2)).isEqualTo(d.parcels().get(i).owner());
                }
            } else {
                assertThat(rows).as(encoding.name()).isEqualTo(utf8);
            }
            rows.forEach(r -> r.forEach(s -> assertThat(Normalizer.isNormalized(s, Normalizer.Form.NFC)).isTrue()));
            assertThat(Files.exists(out.resolve("parcels.cpg"))).isEqualTo(encoding == VietnameseEncoding.UTF8);
        }
        assertThat(utf8.stream().map(r -> r.get(2))).anyMatch(s -> s.matches(".*[ĐđƯưƠơ].*"));
    }

    /** MaXa's neighbours: the text fields DiaChi and TenChu, and MucDichSD, of every record, decoded. */
    static List<List<String>> readText(Path dbf, VietnameseEncoding encoding) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dbf)).order(ByteOrder.LITTLE_ENDIAN);
        int records = b.getInt(4);
        int headerLength = b.getShort(8);
        int recordLength = b.getShort(10);
        List<String> names = new ArrayList<>();
        List<int[]> fields = new ArrayList<>();   // offset, length
        int offset = 1;
        for (int pos = 32; b.get(pos) != 0x0D; pos += 32) {
            byte[] name = new byte[11];
            b.get(pos, name);
            names.add(new String(name, java.nio.charset.StandardCharsets.US_ASCII).trim().replace("\0", ""));
            int length = b.get(pos + 16) & 0xff;
            fields.add(new int[] {offset, length});
            offset += length;
        }
        int[] wanted = {names.indexOf("MucDichSD"), names.indexOf("DiaChi"), names.indexOf("TenChu")};
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < records; r++) {
            int base = headerLength + r * recordLength;
            List<String> row = new ArrayList<>();
            for (int f : wanted) {
                byte[] raw = new byte[fields.get(f)[1]];
                b.get(base + fields.get(f)[0], raw);
                row.add(encoding.decode(raw).strip());
            }
            rows.add(row);
        }
        return rows;
    }
}
