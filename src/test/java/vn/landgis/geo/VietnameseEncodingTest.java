package vn.landgis.geo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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

    /**
     * The .dbf reader leaves a field's padding out before decoding: that is only the same as decoding it whole when a
     * space and a NUL are those characters alone in every encoding, next to anything.
     */
    @Test
    void paddingDecodesToItselfInEveryEncodingWhateverItStandsBeside() {
        for (VietnameseEncoding e : VietnameseEncoding.values()) {
            assertEquals(" ", e.decode(new byte[] {' '}), e.name());
            assertEquals("\0", e.decode(new byte[] {0}), e.name());
            for (int b = 1; b < 256; b++) {
                for (byte pad : new byte[] {' ', 0}) {
                    String alone = e.decode(new byte[] {(byte) b});
                    String padChar = pad == ' ' ? " " : "\0";
                    assertEquals(alone + padChar, e.decode(new byte[] {(byte) b, pad}), e.name() + " " + b + " then padding");
                    assertEquals(padChar + alone, e.decode(new byte[] {pad, (byte) b}), e.name() + " padding then " + b);
                }
            }
        }
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
    void tcvn3RoundTripsEveryLowerAndUpperCaseLetter() {
        String all = lower() + lower().toUpperCase(Locale.ROOT);
        assertEquals(134, all.length());
        assertTrue(all.contains("đ") && all.contains("Đ"));
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < all.length(); i++) {
            String letter = all.substring(i, i + 1);
            byte[] enc = VietnameseEncoding.TCVN3.encode(letter);
            assertEquals(1, enc.length, letter);
            int b = enc[0] & 0xFF;
            assertFalse(b >= 0x20 && b < 0x80 || b == 0x00 || b == 0x09 || b == 0x0A || b == 0x0D,
                    "letter " + letter + " must not use an ASCII/text-control byte: " + b);
            assertTrue(used.add(b), "byte used twice: " + letter);
            assertEquals(letter, VietnameseEncoding.TCVN3.decode(enc), "letter " + letter);
        }
        assertEquals(all, VietnameseEncoding.TCVN3.decode(VietnameseEncoding.TCVN3.encode(all)));
        for (String name : List.of("Ánh", "Út", "Ấp Bình Trị", "Ông", "NGUYỄN", "ĐƯỜNG HÙNG VƯƠNG",
                "Huỳnh Thị Ánh", "Ủy ban nhân dân", "Ích Thạnh", "Ỷ Lan", "Ý Yên", "Ứng Hòa", "Ở\tẤp\r\nỞ")) {
            assertEquals(name, VietnameseEncoding.TCVN3.decode(VietnameseEncoding.TCVN3.encode(name)), name);
        }
    }

    @Test
    void tcvn3WritesCapitalsAtTheirTcvn5712Vn1Bytes() {
        // literal bytes from GNU libiconv lib/tcvn.h (tcvn_page00 / tcvn_page1e): Á=0x83, Ấ=0xC4
        assertArrayEquals(bytes(0x83), VietnameseEncoding.TCVN3.encode("Á"));
        assertArrayEquals(bytes(0xC4), VietnameseEncoding.TCVN3.encode("Ấ"));
        assertArrayEquals(bytes(0x83, 0x6E, 0x68), VietnameseEncoding.TCVN3.encode("Ánh"));
        assertArrayEquals(bytes(0x01, 0x74), VietnameseEncoding.TCVN3.encode("Út"));
        assertArrayEquals(bytes(0xC4, 0x70), VietnameseEncoding.TCVN3.encode("Ấp"));
        assertArrayEquals(bytes(0x4E, 0x47, 0x55, 0x59, 0xD9, 0x4E), VietnameseEncoding.TCVN3.encode("NGUYỄN"));
        // the lower-case letters keep their bytes
        assertArrayEquals(bytes(0xB8), VietnameseEncoding.TCVN3.encode("á"));
        assertArrayEquals(bytes(0xD4), VietnameseEncoding.TCVN3.encode("ễ"));
    }

    /** GNU libiconv lib/tcvn.h tcvn_2uni_1 (0x00-0x17) and tcvn_2uni_2 (0x80-0xFF); 0x18-0x7F is ASCII. */
    private static final int[] LIBICONV_TCVN_2UNI_1 = {
        0x0000, 0x00da, 0x1ee4, 0x0003, 0x1eea, 0x1eec, 0x1eee, 0x0007,
        0x0008, 0x0009, 0x000a, 0x000b, 0x000c, 0x000d, 0x000e, 0x000f,
        0x0010, 0x1ee8, 0x1ef0, 0x1ef2, 0x1ef6, 0x1ef8, 0x00dd, 0x1ef4,
    };
    private static final int[] LIBICONV_TCVN_2UNI_2 = {
        0x00c0, 0x1ea2, 0x00c3, 0x00c1, 0x1ea0, 0x1eb6, 0x1eac, 0x00c8,
        0x1eba, 0x1ebc, 0x00c9, 0x1eb8, 0x1ec6, 0x00cc, 0x1ec8, 0x0128,
        0x00cd, 0x1eca, 0x00d2, 0x1ece, 0x00d5, 0x00d3, 0x1ecc, 0x1ed8,
        0x1edc, 0x1ede, 0x1ee0, 0x1eda, 0x1ee2, 0x00d9, 0x1ee6, 0x0168,
        0x00a0, 0x0102, 0x00c2, 0x00ca, 0x00d4, 0x01a0, 0x01af, 0x0110,
        0x0103, 0x00e2, 0x00ea, 0x00f4, 0x01a1, 0x01b0, 0x0111, 0x1eb0,
        0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00e0, 0x1ea3, 0x00e3,
        0x00e1, 0x1ea1, 0x1eb2, 0x1eb1, 0x1eb3, 0x1eb5, 0x1eaf, 0x1eb4,
        0x1eae, 0x1ea6, 0x1ea8, 0x1eaa, 0x1ea4, 0x1ec0, 0x1eb7, 0x1ea7,
        0x1ea9, 0x1eab, 0x1ea5, 0x1ead, 0x00e8, 0x1ec2, 0x1ebb, 0x1ebd,
        0x00e9, 0x1eb9, 0x1ec1, 0x1ec3, 0x1ec5, 0x1ebf, 0x1ec7, 0x00ec,
        0x1ec9, 0x1ec4, 0x1ebe, 0x1ed2, 0x0129, 0x00ed, 0x1ecb, 0x00f2,
        0x1ed4, 0x1ecf, 0x00f5, 0x00f3, 0x1ecd, 0x1ed3, 0x1ed5, 0x1ed7,
        0x1ed1, 0x1ed9, 0x1edd, 0x1edf, 0x1ee1, 0x1edb, 0x1ee3, 0x00f9,
        0x1ed6, 0x1ee7, 0x0169, 0x00fa, 0x1ee5, 0x1eeb, 0x1eed, 0x1eef,
        0x1ee9, 0x1ef1, 0x1ef3, 0x1ef7, 0x1ef9, 0x00fd, 0x1ef5, 0x1ed0,
    };

    @Test
    void tcvn3DecodesEveryByteAsLibiconvAndEncodesBackTheLetters() {
        int capitals = 0;
        for (int b = 0; b < 256; b++) {
            int expected = b < 0x18 ? LIBICONV_TCVN_2UNI_1[b] : b < 0x80 ? b : LIBICONV_TCVN_2UNI_2[b - 0x80];
            String decoded = VietnameseEncoding.TCVN3.decode(bytes(b));
            assertEquals(String.valueOf((char) expected), decoded, "byte " + Integer.toHexString(b));
            if (Character.getType(expected) != Character.NON_SPACING_MARK) { // 0xB0-0xB4 are decode-only
                assertArrayEquals(bytes(b), VietnameseEncoding.TCVN3.encode(decoded),
                        "re-encoding byte " + Integer.toHexString(b));
            }
            if (Character.isUpperCase(expected)) {
                capitals++;
            }
        }
        assertEquals(67 + 26, capitals); // 67 Vietnamese capitals + A-Z
    }

    @Test
    void tcvn3KeepsTextControlsAsAsciiAndRejectsControlsWhoseBytesAreCapitals() {
        assertArrayEquals(bytes(0x00, 0x41, 0x09, 0x42, 0x0D, 0x0A, 0x03, 0x18),
                VietnameseEncoding.TCVN3.encode("\u0000A\tB\r\n\u0003\u0018"));
        assertEquals("\u0000A\tB\r\n", VietnameseEncoding.TCVN3.decode(bytes(0x00, 0x41, 0x09, 0x42, 0x0D, 0x0A)));
        for (char c : "\u0001\u0002\u0004\u0005\u0006\u0011\u0012\u0013\u0014\u0015\u0016\u0017".toCharArray()) {
            assertThrows(IllegalArgumentException.class, () -> VietnameseEncoding.TCVN3.encode("x" + c),
                    () -> "U+" + Integer.toHexString(c));
        }
        // windows-1252 symbols at 0x80-0x9F are gone (their bytes are capitals), as in libiconv
        for (String sym : List.of("\u201C", "\u201D", "\u2018", "\u2019", "\u2026", "\u2013", "\u20AC")) {
            assertThrows(IllegalArgumentException.class, () -> VietnameseEncoding.TCVN3.encode(sym), sym);
        }
        assertEquals("Ú", VietnameseEncoding.TCVN3.decode(bytes(0x01)));
        assertEquals("Ả", VietnameseEncoding.TCVN3.decode(bytes(0x81)));
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
        assertEquals("\uFFFD", VietnameseEncoding.VNI_WINDOWS.decode(bytes(0x81)));
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
        // fixed-width fields padded with spaces, an all-capitals TCVN3 field with VN1 capital bytes, and
        // a legacy VN3 all-capitals field (capitals written as lower-case bytes, shown by .VnTimeH)
        List<byte[]> fields = new ArrayList<>();
        for (String s : SAMPLE.subList(0, 10)) {
            fields.add(VietnameseEncoding.TCVN3.encode(String.format("%-40s", s)));
        }
        fields.add(VietnameseEncoding.TCVN3.encode("HUỲNH THỊ KIỀU OANH"));
        fields.add(VietnameseEncoding.TCVN3.encode("HUỳNH THị KIềU OANH"));
        int total = fields.stream().mapToInt(f -> f.length).sum();
        byte[] sample = new byte[total];
        int pos = 0;
        for (byte[] f : fields) {
            System.arraycopy(f, 0, sample, pos, f.length);
            pos += f.length;
        }
        assertEquals(VietnameseEncoding.TCVN3, VietnameseEncoding.detect(sample).encoding());
    }

    /** Names with capitals that VN3 lacks: in TCVN3 they use the VN1 capital bytes. */
    private static final List<String> CAPITALS_SAMPLE = List.of(
            "Ấp Bình Trị 2", "Huỳnh Thị Ánh", "Út", "ĐƯỜNG HÙNG VƯƠNG", "Ông Nguyễn Văn Út",
            "Ủy ban nhân dân xã Ứng Hòa", "Ích Thạnh", "Ý Yên", "ẤP ĐÔNG", "Ánh Tuyết");

    @Test
    void detectionRecognisesTcvn3WithVn1Capitals() {
        byte[] sample = VietnameseEncoding.TCVN3.encode(String.join(" ", CAPITALS_SAMPLE));
        VietnameseEncoding.Detection d = VietnameseEncoding.detect(sample);
        assertEquals(VietnameseEncoding.TCVN3, d.encoding(), d::toString);
        assertEquals(1.0, d.scores().get(VietnameseEncoding.TCVN3), 1e-9, d::toString);
        assertTrue(d.confidence() > 0.7, d::toString);
        for (String s : CAPITALS_SAMPLE) {
            VietnameseEncoding.Detection f = VietnameseEncoding.detect(VietnameseEncoding.TCVN3.encode(s));
            assertEquals(VietnameseEncoding.TCVN3, f.encoding(), () -> "'" + s + "' detected as " + f);
        }
        // "Út" is 0x01 0x74: only bytes < 0x80, but not an ASCII-only sample
        VietnameseEncoding.Detection ut = VietnameseEncoding.detect(VietnameseEncoding.TCVN3.encode("Út"));
        assertFalse(ut.asciiOnly(), ut::toString);
        assertTrue(VietnameseEncoding.detect("Lo\t12\r\n".getBytes(StandardCharsets.US_ASCII)).asciiOnly());
        // and the same names in the other encodings are not mistaken for TCVN3
        for (VietnameseEncoding e : VietnameseEncoding.values()) {
            VietnameseEncoding.Detection o = VietnameseEncoding.detect(e.encode(String.join(" ", CAPITALS_SAMPLE)));
            assertEquals(e, o.encoding(), () -> e + " detected as " + o);
        }
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
