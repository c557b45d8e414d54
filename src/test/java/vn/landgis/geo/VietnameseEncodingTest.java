package vn.landgis.geo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

class VietnameseEncodingTest {

    /** The 66 toned/shaped vowels and đ, lower case. */
    private static final String LOWER =
            "áàảãạăắằẳẵặâấầẩẫậđéèẻẽẹêếềểễệíìỉĩịóòỏõọôốồổỗộơớờởỡợúùủũụưứừửữựýỳỷỹỵ";

    private static final List<String> SAMPLE = List.of(
            "Nguyễn Văn Hùng", "Trần Thị Bích Ngọc", "Lê Quang Đức", "Phạm Thị Thu Hương",
            "Huỳnh Ngọc Quỳnh", "Võ Thành Trung", "Đặng Thị Mỹ Lệ", "Bùi Xuân Trường",
            "Phường 1", "Xã Hướng Thọ Phú", "Đường Hùng Vương", "Ấp Bình Trị 2",
            "Thị trấn Củ Chi", "Quận Gò Vấp", "Huyện Châu Thành", "Tỉnh Thừa Thiên Huế",
            "Khu phố 3, Phường Tân Định", "Thửa đất số 125, tờ bản đồ số 14",
            "Đất ở tại nông thôn", "Ông Nguyễn Văn Tư và bà Lê Thị Sáu");

    private static String lower() {
        return Normalizer.normalize(LOWER, Normalizer.Form.NFC);
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void repertoireHas134PrecomposedLetters() {
        assertEquals(67, lower().length());
        assertEquals(134, VietnameseEncoding.VIETNAMESE_LETTERS.size());
    }

    @Test
    void vniRoundTripsEveryLowerAndUpperCaseLetter() {
        String all = lower() + lower().toUpperCase(Locale.ROOT);
        for (int i = 0; i < all.length(); i++) {
            String letter = all.substring(i, i + 1);
            byte[] enc = VietnameseEncoding.VNI_WINDOWS.encode(letter);
            assertEquals(letter, VietnameseEncoding.VNI_WINDOWS.decode(enc), "letter " + letter);
        }
        assertEquals(all, VietnameseEncoding.VNI_WINDOWS.decode(VietnameseEncoding.VNI_WINDOWS.encode(all)));
    }

    @Test
    void tcvn3RoundTripsEveryLowerCaseLetterAndTheSevenCapitals() {
        String all = lower() + "ĂÂÊÔƠƯĐ";
        for (int i = 0; i < all.length(); i++) {
            String letter = all.substring(i, i + 1);
            byte[] enc = VietnameseEncoding.TCVN3.encode(letter);
            assertEquals(1, enc.length);
            assertTrue((enc[0] & 0xFF) >= 0xA1, "non-ASCII byte for " + letter);
            assertEquals(letter, VietnameseEncoding.TCVN3.decode(enc), "letter " + letter);
        }
    }

    @Test
    void tcvn3WritesOtherAccentedCapitalsAsTheirLowerCaseByte() {
        assertArrayEquals(bytes(0xD4), VietnameseEncoding.TCVN3.encode("Ễ"));
        assertArrayEquals(VietnameseEncoding.TCVN3.encode("ấp"), VietnameseEncoding.TCVN3.encode("Ấp"));
        assertEquals("nguyễn", VietnameseEncoding.TCVN3.decode(VietnameseEncoding.TCVN3.encode("NGUYỄN"))
                .toLowerCase(Locale.ROOT));
        assertEquals("NGUYễN", VietnameseEncoding.TCVN3.decode(VietnameseEncoding.TCVN3.encode("NGUYỄN")));
    }

    @Test
    void windows1258AndUtf8RoundTripEveryLetter() {
        String all = lower() + lower().toUpperCase(Locale.ROOT);
        for (VietnameseEncoding e : List.of(VietnameseEncoding.WINDOWS_1258, VietnameseEncoding.UTF8)) {
            assertEquals(all, e.decode(e.encode(all)), e.name());
        }
    }

    @Test
    void encodesKnownByteSequences() {
        // TCVN3: N g u y ễ=0xD4 n ; Đ=0xA7 ư=0xAD ờ=0xEA
        assertArrayEquals(bytes(0x4E, 0x67, 0x75, 0x79, 0xD4, 0x6E), VietnameseEncoding.TCVN3.encode("Nguyễn"));
        assertArrayEquals(bytes(0xA7, 0xAD, 0xEA, 0x6E, 0x67), VietnameseEncoding.TCVN3.encode("Đường"));
        assertArrayEquals("Ninh B\u00D7nh".getBytes(StandardCharsets.ISO_8859_1),
                VietnameseEncoding.TCVN3.encode("Ninh Bình"));
        // VNI: "Nguyeãn", "Ñöôøng", "Xin chaøo caùc baïn"
        assertArrayEquals(bytes(0x4E, 0x67, 0x75, 0x79, 0x65, 0xE3, 0x6E), VietnameseEncoding.VNI_WINDOWS.encode("Nguyễn"));
        assertArrayEquals(bytes(0xD1, 0xF6, 0xF4, 0xF8, 0x6E, 0x67), VietnameseEncoding.VNI_WINDOWS.encode("Đường"));
        assertArrayEquals("Xin cha\u00F8o ca\u00F9c ba\u00EFn".getBytes(StandardCharsets.ISO_8859_1),
                VietnameseEncoding.VNI_WINDOWS.encode("Xin chào các bạn"));
        assertArrayEquals("NGUYE\u00C3N".getBytes(StandardCharsets.ISO_8859_1),
                VietnameseEncoding.VNI_WINDOWS.encode("NGUYỄN"));
        // windows-1258: ê (0xEA) + combining tilde (0xDE)
        assertArrayEquals(bytes(0x4E, 0x67, 0x75, 0x79, 0xEA, 0xDE, 0x6E), VietnameseEncoding.WINDOWS_1258.encode("Nguyễn"));
    }

    @Test
    void decodesKnownByteSequences() {
        assertEquals("Nguyễn", VietnameseEncoding.TCVN3.decode(bytes(0x4E, 0x67, 0x75, 0x79, 0xD4, 0x6E)));
        assertEquals("Nguyễn", VietnameseEncoding.VNI_WINDOWS.decode(bytes(0x4E, 0x67, 0x75, 0x79, 0x65, 0xE3, 0x6E)));
        assertEquals("Nguyễn", VietnameseEncoding.WINDOWS_1258.decode(bytes(0x4E, 0x67, 0x75, 0x79, 0xEA, 0xDE, 0x6E)));
        byte[] padded = bytes(0x20, 0x48, 0xEF, 0x6E, 0x67, 0x20); // " Hïng " in TCVN3
        assertEquals("Hùng", VietnameseEncoding.TCVN3.decode(padded, 1, 4));
    }

    @Test
    void decodingAlwaysReturnsNfc() {
        // windows-1258 with combining tone marks, TCVN 5712 combining marks, VNI stray/mixed-case marks
        String[] decoded = {
            VietnameseEncoding.WINDOWS_1258.decode(bytes(0x48, 0x75, 0xCC, 0x6E, 0x67)),
            VietnameseEncoding.TCVN3.decode(bytes(0x48, 0x75, 0xB0, 0x6E, 0x67)),
            VietnameseEncoding.VNI_WINDOWS.decode(bytes(0x48, 0x55, 0xF8, 0x6E, 0x67)),
            VietnameseEncoding.VNI_WINDOWS.decode(bytes(0x48, 0xEC, 0x6E, 0x68)),
            VietnameseEncoding.UTF8.decode("Hu\u0300ng".getBytes(StandardCharsets.UTF_8)),
        };
        assertEquals("Hùng", decoded[0]);
        assertEquals("Hùng", decoded[1]);
        assertEquals("HÙng", decoded[2]);
        assertEquals("Hình", decoded[3]);
        assertEquals("Hùng", decoded[4]);
        for (String s : decoded) {
            assertTrue(Normalizer.isNormalized(s, Normalizer.Form.NFC), s);
        }
    }

    @Test
    void encodingNormalisesInputToNfcFirst() {
        String nfd = Normalizer.normalize("Nguyễn Văn Hùng", Normalizer.Form.NFD);
        for (VietnameseEncoding e : VietnameseEncoding.values()) {
            assertArrayEquals(e.encode("Nguyễn Văn Hùng"), e.encode(nfd), e.name());
        }
    }

    @Test
    void unmappableCharactersThrowOnEncodeAndBecomeReplacementOnDecode() {
        for (VietnameseEncoding e : List.of(VietnameseEncoding.TCVN3, VietnameseEncoding.VNI_WINDOWS,
                VietnameseEncoding.WINDOWS_1258)) {
            assertThrows(IllegalArgumentException.class, () -> e.encode("Lô 漢"), e.name());
        }
        assertThrows(IllegalArgumentException.class, () -> VietnameseEncoding.UTF8.encode("\uD800"));
        assertEquals("\uFFFD", VietnameseEncoding.TCVN3.decode(bytes(0x81)));
        assertEquals("\uFFFD", VietnameseEncoding.UTF8.decode(bytes(0xC3)));
    }

    @Test
    void detectionPicksTheRightEncodingForRealisticSamples() {
        for (VietnameseEncoding e : VietnameseEncoding.values()) {
            byte[] sample = e.encode(String.join(" ", SAMPLE));
            VietnameseEncoding.Detection d = VietnameseEncoding.detect(sample);
            assertEquals(e, d.encoding(), () -> e + " detected as " + d);
            assertFalse(d.asciiOnly());
            assertTrue(d.confidence() > 0.7, () -> e + " low confidence " + d);
            assertEquals(1.0, d.scores().get(e), 1e-9, () -> d.toString());
        }
    }

    @Test
    void detectionWorksFieldByFieldAndOnShortSamples() {
        for (VietnameseEncoding e : VietnameseEncoding.values()) {
            for (String s : SAMPLE) {
                if (s.chars().allMatch(c -> c < 0x80)) {
                    continue;
                }
                VietnameseEncoding.Detection d = VietnameseEncoding.detect(e.encode(s));
                assertEquals(e, d.encoding(), () -> e + " sample '" + s + "' detected as " + d);
            }
        }
    }

    @Test
    void detectionToleratesDbfPaddingAndAllCapsTcvn3() {
        // fixed-width fields padded with spaces, and an all-capitals TCVN3 field (lower-case fallback bytes)
        List<byte[]> fields = new ArrayList<>();
        for (String s : SAMPLE.subList(0, 10)) {
            fields.add(VietnameseEncoding.TCVN3.encode(String.format("%-40s", s)));
        }
        fields.add(VietnameseEncoding.TCVN3.encode("HUỲNH THỊ KIỀU OANH"));
        int total = fields.stream().mapToInt(f -> f.length).sum();
        byte[] sample = new byte[total];
        int pos = 0;
        for (byte[] f : fields) {
            System.arraycopy(f, 0, sample, pos, f.length);
            pos += f.length;
        }
        assertEquals(VietnameseEncoding.TCVN3, VietnameseEncoding.detect(sample).encoding());
    }

    @Test
    void pureAsciiIsReportedAsAsciiAndSafe() {
        VietnameseEncoding.Detection d = VietnameseEncoding.detect(
                "Nguyen Van Hung, Phuong 1, To ban do 14".getBytes(StandardCharsets.US_ASCII));
        assertTrue(d.asciiOnly());
        assertEquals(VietnameseEncoding.UTF8, d.encoding());
        byte[] ascii = "Thua 125".getBytes(StandardCharsets.US_ASCII);
        for (VietnameseEncoding e : VietnameseEncoding.values()) {
            assertEquals("Thua 125", e.decode(ascii));
        }
    }

    @Test
    void syllableCheckAcceptsVietnameseAndRejectsMojibake() {
        for (String w : List.of("Nguyễn", "Hùng", "Phường", "Hướng", "Thọ", "Đường", "Ấp", "Trị", "Quỳnh",
                "Nghĩa", "Giữa", "gì", "Hòa", "Hoà", "Thủy", "Thuỷ", "Khuya", "Người", "Đắk", "Lăk", "Krông",
                "Quyết", "Huỳnh", "Xoài", "NGUYỄN", "NGUYễN")) {
            assertTrue(VietnameseEncoding.isVietnameseSyllable(w), w);
        }
        for (String w : List.of("NguyÔn", "Ph\u00ADêng", "Huøng", "Nguyeãn", "Vaên", "Nguyỏằ", "Haì", "Thoị",
                "Xaị", "Ng\u00F4\u00F4\u00F8i", "Ĥ̀")) {
            assertFalse(VietnameseEncoding.isVietnameseSyllable(w), w);
        }
    }
}
