package vn.landgis.geo;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Exact, table-driven codecs for the text encodings found in Vietnamese district cadastral
 * {@code .dbf} files, plus a heuristic {@linkplain #detect(byte[]) detector}.
 *
 * <h2>Encodings</h2>
 * <ul>
 *   <li>{@link #UTF8} and {@link #WINDOWS_1258} delegate to the JDK charsets.</li>
 *   <li>{@link #TCVN3} is TCVN 5712:1993 "VN3" as produced by the ABC keyboard driver for the
 *       {@code .VnTime} font family — single byte, ASCII, the 67 precomposed lower-case letters (66
 *       toned/shaped vowels plus đ) and the seven capitals Ă Â Ê Ô Ơ Ư Đ at 0xA1–0xA7 — completed
 *       with the other 60 capitals at the positions of the full "VN1" table of the same standard
 *       (exactly as GNU libiconv's {@code TCVN-5712} and glibc's {@code TCVN5712-1}): 12 in the C0
 *       range (0x01 0x02 0x04–0x06 0x11–0x17), 32 at 0x80–0x9F and 16 at otherwise unused positions
 *       of 0xAF–0xFF. Every one of the 134 Vietnamese letters therefore has its own byte.</li>
 *   <li>{@link #VNI_WINDOWS} is the VNI encoding of the {@code VNI-Times} font family: an ASCII base
 *       letter followed by at most one diacritic byte (e.g. "Nguy&#x65;&#xE3;n" for "Nguyễn"), with
 *       ơ ư đ, the toned i's and ỵ as single bytes; upper- and lower-case are both available.</li>
 * </ul>
 *
 * <h2>Sources of the tables</h2>
 * TCVN3: the lower-case letters and the seven VN3 capitals come from the {@code SingleByteTables}
 * "TCVN3" table of UniKey's VnConv library ({@code fcitx/fcitx5-unikey unikey/data.cpp}),
 * cross-checked byte for byte against GNU libiconv's {@code lib/tcvn.h} (TCVN-5712, the full "VN1"
 * variant) — all agree. The other 60 capitals are taken from libiconv's {@code tcvn_2uni_1} /
 * {@code tcvn_2uni_2} tables; glibc's {@code TCVN5712-1} charmap assigns every one of the 256 bytes
 * identically. VNI: the {@code DoubleByteTables} "VNI-WIN" table of the same VnConv file, cross-checked
 * against {@code lamdao/xvnkb vni.h} — identical.
 *
 * <h2>Decoding ({@link #decode(byte[], int, int)})</h2>
 * Never throws for bad data; the result is always Unicode NFC. Unmappable input:
 * <ul>
 *   <li>UTF-8: malformed sequences become U+FFFD (JDK replacement behaviour).</li>
 *   <li>windows-1258: the five undefined bytes become U+FFFD; combining tone marks (0xCC, 0xD2, 0xDE,
 *       0xEC, 0xF2) are composed with the preceding letter by the NFC step.</li>
 *   <li>TCVN3: every byte has a meaning, so nothing becomes U+FFFD; the table is libiconv's. The VN1
 *       capitals are decoded as capitals: 0x01, 0x02, 0x04–0x06, 0x11–0x17 (not as ASCII controls),
 *       0x80–0x9F (not as windows-1252 symbols — so curly quotes, "…" or "€" written by a .VnTime
 *       font user come out as capitals such as Ị, Ò, Ặ, À) and 0xAF, 0xBA, 0xBF, 0xC0–0xC5, 0xCD,
 *       0xD9–0xDB, 0xE0, 0xF0, 0xFF. All other bytes below 0x80 (including NUL, TAB, LF, CR) are
 *       ASCII; 0xA0 is NBSP; the combining tone marks at 0xB0–0xB4 are composed with the preceding
 *       letter by the NFC step (libiconv composes them too). Legacy VN3 text that wrote capitals as
 *       lower-case bytes (shown in capitals by the {@code .VnTimeH} font) is decoded as the lower-case
 *       letters — the bytes do not say otherwise.</li>
 *   <li>VNI: a diacritic byte after a letter it does not normally combine with (or with the other
 *       letter case, e.g. "A&#xF9;") is decoded as the corresponding combining mark(s) applied to the
 *       preceding character — which is what the VNI font would display; NFC then composes it where
 *       Unicode allows. Bytes with no VNI meaning are decoded as windows-1252 (undefined positions
 *       as U+FFFD).</li>
 * </ul>
 *
 * <h2>Encoding ({@link #encode(String)})</h2>
 * The input is normalised to NFC first. A character that the encoding cannot represent makes the
 * method throw {@link IllegalArgumentException} (naming the code point and its index) — nothing is
 * silently replaced. <b>TCVN3 capitals</b>: every capital with a diacritic (e.g. Á, Ấ, Ễ, Ừ, Ú) is
 * written as its own VN1 byte (libiconv), so all 134 precomposed letters (đ/Đ included) round-trip
 * exactly, in either case; VN3's Ă Â Ê Ô Ơ Ư Đ keep 0xA1–0xA7. The price, as in libiconv: the C0
 * controls U+0001, U+0002, U+0004–U+0006, U+0011–U+0017 and the windows-1252 symbols of 0x80–0x9F
 * (“ ” ‘ ’ … – — € etc.) cannot be encoded and throw; NUL, TAB, LF, CR and the other controls are
 * still written as ASCII. (Unlike libiconv, TCVN3 combining tone marks are never written: NFC text
 * does not need them for Vietnamese letters, and a stray combining mark throws.) windows-1258 uses
 * the precomposed character when the code page has it and otherwise base letter (with ^, ˘ or horn
 * precomposed) + combining tone mark, as Windows does.
 *
 * <h2>Thread safety</h2>
 * All tables are built once in static initialisers and never mutated; every method is stateless, so
 * all methods are safe to call concurrently from any thread.
 */
public enum VietnameseEncoding {
    /** UTF-8 (JDK charset). */
    UTF8,
    /** TCVN 5712:1993 VN3 ("ABC", fonts .VnTime), with the capitals of VN1 (as GNU libiconv). */
    TCVN3,
    /** VNI-Windows (fonts VNI-Times), base letter + diacritic byte. */
    VNI_WINDOWS,
    /** Microsoft code page 1258 (JDK charset), base letter + combining tone mark. */
    WINDOWS_1258;

    // ------------------------------------------------------------------------------------------
    // Tables
    // ------------------------------------------------------------------------------------------

    /**
     * TCVN3 (VN3) lower-case letters and their bytes, grouped by vowel in the order base/shape,
     * acute, grave, hook above, tilde, dot below (plain a e i o u y are ASCII and omitted).
     * Source: UniKey VnConv "TCVN3" table; identical to libiconv tcvn.h.
     */
    private static final Object[][] TCVN3_TABLE = {
        {"áàảãạ", new int[] {0xB8, 0xB5, 0xB6, 0xB7, 0xB9}},
        {"ăắằẳẵặ", new int[] {0xA8, 0xBE, 0xBB, 0xBC, 0xBD, 0xC6}},
        {"âấầẩẫậ", new int[] {0xA9, 0xCA, 0xC7, 0xC8, 0xC9, 0xCB}},
        {"đ", new int[] {0xAE}},
        {"éèẻẽẹ", new int[] {0xD0, 0xCC, 0xCE, 0xCF, 0xD1}},
        {"êếềểễệ", new int[] {0xAA, 0xD5, 0xD2, 0xD3, 0xD4, 0xD6}},
        {"íìỉĩị", new int[] {0xDD, 0xD7, 0xD8, 0xDC, 0xDE}},
        {"óòỏõọ", new int[] {0xE3, 0xDF, 0xE1, 0xE2, 0xE4}},
        {"ôốồổỗộ", new int[] {0xAB, 0xE8, 0xE5, 0xE6, 0xE7, 0xE9}},
        {"ơớờởỡợ", new int[] {0xAC, 0xED, 0xEA, 0xEB, 0xEC, 0xEE}},
        {"úùủũụ", new int[] {0xF3, 0xEF, 0xF1, 0xF2, 0xF4}},
        {"ưứừửữự", new int[] {0xAD, 0xF8, 0xF5, 0xF6, 0xF7, 0xF9}},
        {"ýỳỷỹỵ", new int[] {0xFD, 0xFA, 0xFB, 0xFC, 0xFE}},
        // the seven capitals of VN3
        {"ĂÂÊÔƠƯĐ", new int[] {0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7}},
    };

    /**
     * TCVN 5712 VN1 capitals at positions 0xA0–0xFF that VN3 leaves unused (plus NBSP and the five
     * combining tone marks). Source: GNU libiconv {@code lib/tcvn.h}. The letters are decoded and
     * encoded; NBSP too; the combining marks are only decoded (leniently).
     */
    private static final Object[][] TCVN3_VN1_EXTRA = {
        {"\u00A0", new int[] {0xA0}},
        {"ẰẲẴẮẦẨẪẤỀ", new int[] {0xAF, 0xBA, 0xBF, 0xC0, 0xC1, 0xC2, 0xC3, 0xC4, 0xC5}},
        {"ỂỄẾỒỔỖỐ", new int[] {0xCD, 0xD9, 0xDA, 0xDB, 0xE0, 0xF0, 0xFF}},
        {"\u0300\u0309\u0303\u0301\u0323", new int[] {0xB0, 0xB1, 0xB2, 0xB3, 0xB4}},
    };

    /**
     * The remaining 44 TCVN 5712 VN1 capitals, in the C0 control range (12, replacing controls
     * 0x01 0x02 0x04–0x06 0x11–0x17) and at 0x80–0x9F (32). Source: GNU libiconv {@code lib/tcvn.h}
     * ({@code tcvn_2uni_1}, {@code tcvn_2uni_2}); identical to glibc's TCVN5712-1 charmap.
     * Together with the seven VN3 capitals and the 16 letters of {@link #TCVN3_VN1_EXTRA} these are
     * all 67 capitals.
     */
    private static final Object[][] TCVN3_VN1_CAPITALS = {
        {"\u00DA\u1EE4\u1EEA\u1EEC\u1EEE", new int[] {0x01, 0x02, 0x04, 0x05, 0x06}}, // Ú Ụ Ừ Ử Ữ
        {"\u1EE8\u1EF0\u1EF2\u1EF6\u1EF8\u00DD\u1EF4",                             // Ứ Ự Ỳ Ỷ Ỹ Ý Ỵ
            new int[] {0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17}},
        {"\u00C0\u1EA2\u00C3\u00C1\u1EA0\u1EB6\u1EAC\u00C8",                       // À Ả Ã Á Ạ Ặ Ậ È
            new int[] {0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87}},
        {"\u1EBA\u1EBC\u00C9\u1EB8\u1EC6\u00CC\u1EC8\u0128",                       // Ẻ Ẽ É Ẹ Ệ Ì Ỉ Ĩ
            new int[] {0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F}},
        {"\u00CD\u1ECA\u00D2\u1ECE\u00D5\u00D3\u1ECC\u1ED8",                       // Í Ị Ò Ỏ Õ Ó Ọ Ộ
            new int[] {0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97}},
        {"\u1EDC\u1EDE\u1EE0\u1EDA\u1EE2\u00D9\u1EE6\u0168",                       // Ờ Ở Ỡ Ớ Ợ Ù Ủ Ũ
            new int[] {0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F}},
    };

    /**
     * VNI-Windows: lower-case letter, its bytes, the bytes of its capital (hex).
     * Source: UniKey VnConv "VNI-WIN" table; identical to xvnkb vni.h.
     */
    private static final String[][] VNI_TABLE = {
        {"á", "61F9", "41D9"}, {"à", "61F8", "41D8"}, {"ả", "61FB", "41DB"},
        {"ã", "61F5", "41D5"}, {"ạ", "61EF", "41CF"},
        {"ă", "61EA", "41CA"}, {"ắ", "61E9", "41C9"}, {"ằ", "61E8", "41C8"},
        {"ẳ", "61FA", "41DA"}, {"ẵ", "61FC", "41DC"}, {"ặ", "61EB", "41CB"},
        {"â", "61E2", "41C2"}, {"ấ", "61E1", "41C1"}, {"ầ", "61E0", "41C0"},
        {"ẩ", "61E5", "41C5"}, {"ẫ", "61E3", "41C3"}, {"ậ", "61E4", "41C4"},
        {"đ", "F1", "D1"},
        {"é", "65F9", "45D9"}, {"è", "65F8", "45D8"}, {"ẻ", "65FB", "45DB"},
        {"ẽ", "65F5", "45D5"}, {"ẹ", "65EF", "45CF"},
        {"ê", "65E2", "45C2"}, {"ế", "65E1", "45C1"}, {"ề", "65E0", "45C0"},
        {"ể", "65E5", "45C5"}, {"ễ", "65E3", "45C3"}, {"ệ", "65E4", "45C4"},
        {"í", "ED", "CD"}, {"ì", "EC", "CC"}, {"ỉ", "E6", "C6"}, {"ĩ", "F3", "D3"}, {"ị", "F2", "D2"},
        {"ó", "6FF9", "4FD9"}, {"ò", "6FF8", "4FD8"}, {"ỏ", "6FFB", "4FDB"},
        {"õ", "6FF5", "4FD5"}, {"ọ", "6FEF", "4FCF"},
        {"ô", "6FE2", "4FC2"}, {"ố", "6FE1", "4FC1"}, {"ồ", "6FE0", "4FC0"},
        {"ổ", "6FE5", "4FC5"}, {"ỗ", "6FE3", "4FC3"}, {"ộ", "6FE4", "4FC4"},
        {"ơ", "F4", "D4"}, {"ớ", "F4F9", "D4D9"}, {"ờ", "F4F8", "D4D8"},
        {"ở", "F4FB", "D4DB"}, {"ỡ", "F4F5", "D4D5"}, {"ợ", "F4EF", "D4CF"},
        {"ú", "75F9", "55D9"}, {"ù", "75F8", "55D8"}, {"ủ", "75FB", "55DB"},
        {"ũ", "75F5", "55D5"}, {"ụ", "75EF", "55CF"},
        {"ư", "F6", "D6"}, {"ứ", "F6F9", "D6D9"}, {"ừ", "F6F8", "D6D8"},
        {"ử", "F6FB", "D6DB"}, {"ữ", "F6F5", "D6D5"}, {"ự", "F6EF", "D6CF"},
        {"ý", "79F9", "59D9"}, {"ỳ", "79F8", "59D8"}, {"ỷ", "79FB", "59DB"},
        {"ỹ", "79F5", "59D5"}, {"ỵ", "EE", "CE"},
    };

    private static final Charset CP1252 = Charset.forName("windows-1252");
    private static final Charset CP1258 = Charset.forName("windows-1258");
    private static final char REPLACEMENT = '\uFFFD';
    private static final String TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323";

    /** All 134 precomposed Vietnamese letters (66 vowels × 2 cases + đ Đ), lower then upper. */
    static final Set<String> VIETNAMESE_LETTERS;

    /** TCVN3: byte → char for decoding (lenient and strict), char → byte for encoding. */
    private static final char[] TCVN3_DECODE = new char[256];
    private static final char[] TCVN3_DECODE_STRICT = new char[256];
    private static final Map<Character, Byte> TCVN3_ENCODE;

    /** VNI: single byte letters, two-byte (base << 8 | mark) letters, diacritic bytes. */
    private static final char[] VNI_SINGLE = new char[256];
    private static final Map<Integer, Character> VNI_PAIR;
    private static final String[] VNI_MARK = new String[256];
    private static final char[] CP1252_DECODE = new char[256];
    private static final Map<Character, byte[]> VNI_ENCODE;

    /** windows-1258 char → byte (identity for ASCII, from the JDK decoder). */
    private static final Map<Character, Byte> CP1258_ENCODE;

    static {
        String all = new String(allBytes(), CP1252);
        for (int b = 0; b < 256; b++) {
            CP1252_DECODE[b] = all.charAt(b);
        }

        // ---- TCVN3 (VN3 letters + all VN1 capitals, as GNU libiconv tcvn.h)
        Map<Character, Byte> tcvnEnc = new HashMap<>();
        for (int b = 0; b < 256; b++) {
            char c = b < 0x80 ? (char) b : REPLACEMENT;
            TCVN3_DECODE[b] = c;
            TCVN3_DECODE_STRICT[b] = c;
        }
        Set<String> letters = new java.util.LinkedHashSet<>();
        Set<Character> capitals = new java.util.HashSet<>();
        for (Object[][] table : new Object[][][] {TCVN3_TABLE, TCVN3_VN1_CAPITALS, TCVN3_VN1_EXTRA}) {
            for (Object[] row : table) {
                String chars = (String) row[0];
                int[] bytes = (int[]) row[1];
                check(chars.length() == bytes.length, "TCVN3 row length");
                for (int i = 0; i < bytes.length; i++) {
                    char c = chars.charAt(i);
                    int b = bytes[i];
                    check(b < 0x80 ? TCVN3_DECODE[b] == b : TCVN3_DECODE[b] == REPLACEMENT, "TCVN3 duplicate byte");
                    TCVN3_DECODE[b] = c;
                    if (Character.getType(c) == Character.NON_SPACING_MARK) {
                        // combining tone marks: lenient decoding only (strict keeps U+FFFD)
                        TCVN3_DECODE_STRICT[b] = REPLACEMENT;
                        continue;
                    }
                    TCVN3_DECODE_STRICT[b] = c;
                    check(tcvnEnc.put(c, (byte) b) == null, "TCVN3 duplicate character");
                    if (Character.isLowerCase(c)) {
                        letters.add(String.valueOf(c));
                    } else if (Character.isUpperCase(c)) {
                        capitals.add(c);
                    }
                }
            }
        }
        // ASCII, except the 12 C0 positions that VN1 gives to capitals: those controls cannot be
        // encoded (libiconv tcvn_wctomb rejects them too); NUL, TAB, LF, CR etc. stay ASCII.
        for (int b = 0; b < 0x80; b++) {
            if (TCVN3_DECODE[b] == b) {
                check(tcvnEnc.put((char) b, (byte) b) == null, "TCVN3 ASCII clash");
            }
        }
        check(letters.size() == 67, "TCVN3 must have 67 lower-case letters");
        for (String lower : letters) {
            check(capitals.contains(lower.toUpperCase(Locale.ROOT).charAt(0)), "TCVN3 capital missing");
        }
        check(capitals.size() == 67, "TCVN3 must have 67 capitals");
        TCVN3_ENCODE = Map.copyOf(tcvnEnc);

        // ---- VNI
        Map<Integer, Character> pairs = new HashMap<>();
        Map<Character, byte[]> vniEnc = new HashMap<>();
        Set<String> vniLetters = new java.util.LinkedHashSet<>();
        for (int b = 0; b < 0x80; b++) {
            vniEnc.put((char) b, new byte[] {(byte) b});
        }
        for (String[] row : VNI_TABLE) {
            String lower = row[0];
            String upper = lower.toUpperCase(Locale.ROOT);
            vniLetters.add(lower);
            for (int k = 0; k < 2; k++) {
                char c = (k == 0 ? lower : upper).charAt(0);
                byte[] bytes = hex(row[1 + k]);
                vniEnc.put(c, bytes);
                if (bytes.length == 1) {
                    int b = bytes[0] & 0xFF;
                    check(VNI_SINGLE[b] == 0, "VNI duplicate single byte");
                    VNI_SINGLE[b] = c;
                } else {
                    int base = bytes[0] & 0xFF;
                    int mark = bytes[1] & 0xFF;
                    check(pairs.put(base << 8 | mark, c) == null, "VNI duplicate pair");
                    // the diacritic byte means: NFD(letter) minus NFD(base letter)
                    char baseChar = base < 0x80 ? (char) base : VNI_SINGLE[base];
                    String nfd = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD);
                    String baseNfd = Normalizer.normalize(String.valueOf(baseChar), Normalizer.Form.NFD);
                    check(nfd.startsWith(baseNfd), "VNI base mismatch");
                    String marks = nfd.substring(baseNfd.length());
                    check(VNI_MARK[mark] == null || VNI_MARK[mark].equals(marks), "VNI mark mismatch");
                    VNI_MARK[mark] = marks;
                }
            }
        }
        check(vniLetters.equals(letters), "VNI and TCVN3 letter repertoires differ");
        for (int b = 0x80; b < 256; b++) {
            if (VNI_SINGLE[b] == 0 && VNI_MARK[b] == null) {
                char c = CP1252_DECODE[b];
                if (c != REPLACEMENT) {
                    vniEnc.putIfAbsent(c, new byte[] {(byte) b});
                }
            }
        }
        VNI_PAIR = Map.copyOf(pairs);
        VNI_ENCODE = Map.copyOf(vniEnc);

        Set<String> allLetters = new java.util.LinkedHashSet<>(letters);
        for (String l : letters) {
            allLetters.add(l.toUpperCase(Locale.ROOT));
        }
        check(allLetters.size() == 134, "134 letters");
        VIETNAMESE_LETTERS = Collections.unmodifiableSet(allLetters);

        // ---- windows-1258
        String cp1258 = new String(allBytes(), CP1258);
        Map<Character, Byte> enc1258 = new HashMap<>();
        for (int b = 0; b < 256; b++) {
            char c = cp1258.charAt(b);
            if (c != REPLACEMENT) {
                enc1258.putIfAbsent(c, (byte) b);
            }
        }
        CP1258_ENCODE = Map.copyOf(enc1258);
    }

    // ------------------------------------------------------------------------------------------
    // Public codec API
    // ------------------------------------------------------------------------------------------

    /**
     * Decodes {@code bytes} entirely. Equivalent to {@code decode(bytes, 0, bytes.length)}.
     *
     * @param bytes the encoded text
     * @return the text in Unicode NFC
     * @throws NullPointerException if {@code bytes} is null
     */
    public String decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /**
     * Decodes {@code len} bytes starting at {@code off} and returns the text in Unicode NFC.
     * Never fails on bad data: see the class documentation for how unmappable bytes are handled.
     * Trailing padding (e.g. dBASE spaces) is not stripped.
     *
     * @param bytes buffer holding the encoded text
     * @param off index of the first byte to decode
     * @param len number of bytes to decode
     * @return the text in Unicode NFC
     * @throws NullPointerException if {@code bytes} is null
     * @throws IndexOutOfBoundsException if {@code off}/{@code len} are outside {@code bytes}
     */
    public String decode(byte[] bytes, int off, int len) {
        return decode(bytes, off, len, false);
    }

    /**
     * Encodes {@code text} (normalised to NFC first) in this encoding.
     *
     * @param text the text; any Unicode normalisation form
     * @return a new array with the encoded bytes
     * @throws NullPointerException if {@code text} is null
     * @throws IllegalArgumentException if the text contains a character this encoding cannot
     *     represent (for TCVN3 this includes the C0 controls U+0001, U+0002, U+0004–U+0006 and
     *     U+0011–U+0017, whose bytes are capitals, and the windows-1252 symbols of 0x80–0x9F)
     */
    public byte[] encode(String text) {
        String s = Normalizer.normalize(Objects.requireNonNull(text, "text"), Normalizer.Form.NFC);
        return switch (this) {
            case UTF8 -> encodeUtf8(s);
            case TCVN3 -> encodeTcvn3(s);
            case VNI_WINDOWS -> encodeVni(s);
            case WINDOWS_1258 -> encode1258(s);
        };
    }

    // ------------------------------------------------------------------------------------------
    // Decoding
    // ------------------------------------------------------------------------------------------

    /** {@code strict}: used by detection, turns everything that is not plausible output into U+FFFD. */
    private String decode(byte[] bytes, int off, int len, boolean strict) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.checkFromIndexSize(off, len, bytes.length);
        String raw = switch (this) {
            case UTF8 -> new String(bytes, off, len, StandardCharsets.UTF_8);
            case WINDOWS_1258 -> new String(bytes, off, len, CP1258);
            case TCVN3 -> decodeTcvn3(bytes, off, len, strict);
            case VNI_WINDOWS -> decodeVni(bytes, off, len, strict);
        };
        return Normalizer.normalize(raw, Normalizer.Form.NFC);
    }

    private static String decodeTcvn3(byte[] bytes, int off, int len, boolean strict) {
        char[] table = strict ? TCVN3_DECODE_STRICT : TCVN3_DECODE;
        char[] out = new char[len];
        for (int i = 0; i < len; i++) {
            out[i] = table[bytes[off + i] & 0xFF];
        }
        return new String(out);
    }

    private static String decodeVni(byte[] bytes, int off, int len, boolean strict) {
        StringBuilder sb = new StringBuilder(len);
        int end = off + len;
        for (int i = off; i < end; i++) {
            int b = bytes[i] & 0xFF;
            if (i + 1 < end) {
                int next = bytes[i + 1] & 0xFF;
                Character pair = VNI_PAIR.get(b << 8 | next);
                if (pair != null) {
                    sb.append(pair.charValue());
                    i++;
                    continue;
                }
            }
            if (b < 0x80) {
                sb.append((char) b);
            } else if (VNI_SINGLE[b] != 0) {
                sb.append(VNI_SINGLE[b]);
            } else if (VNI_MARK[b] != null) {
                // diacritic byte without a table partner: apply it to whatever precedes it
                if (strict && !composesToLetter(sb, VNI_MARK[b])) {
                    sb.append(REPLACEMENT);
                } else {
                    sb.append(VNI_MARK[b]);
                }
            } else {
                char c = CP1252_DECODE[b];
                sb.append(strict && Character.isLetter(c) ? REPLACEMENT : c);
            }
        }
        return sb.toString();
    }

    /** Whether appending {@code marks} to the last char of {@code sb} yields a Vietnamese letter. */
    private static boolean composesToLetter(StringBuilder sb, String marks) {
        if (sb.isEmpty()) {
            return false;
        }
        String composed = Normalizer.normalize(sb.charAt(sb.length() - 1) + marks, Normalizer.Form.NFC);
        return VIETNAMESE_LETTERS.contains(composed);
    }

    // ------------------------------------------------------------------------------------------
    // Encoding
    // ------------------------------------------------------------------------------------------

    private static byte[] encodeUtf8(String s) {
        try {
            ByteBuffer bb = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[bb.remaining()];
            bb.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("text contains an unpaired surrogate", e);
        }
    }

    private static byte[] encodeTcvn3(String s) {
        byte[] out = new byte[s.length()];
        for (int i = 0; i < s.length(); i++) {
            Byte b = TCVN3_ENCODE.get(s.charAt(i));
            if (b == null) {
                throw unmappable(TCVN3, s, i);
            }
            out[i] = b;
        }
        return out;
    }

    private static byte[] encodeVni(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            byte[] b = VNI_ENCODE.get(s.charAt(i));
            if (b == null) {
                throw unmappable(VNI_WINDOWS, s, i);
            }
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    private static byte[] encode1258(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            Byte direct = CP1258_ENCODE.get(c);
            if (direct != null) {
                out.write(direct);
                continue;
            }
            // base letter (keeping ^ ˘ horn) + combining tone mark, e.g. ấ → â + U+0301
            String nfd = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD);
            StringBuilder base = new StringBuilder();
            StringBuilder tones = new StringBuilder();
            for (int k = 0; k < nfd.length(); k++) {
                char d = nfd.charAt(k);
                (TONE_MARKS.indexOf(d) >= 0 ? tones : base).append(d);
            }
            String composedBase = Normalizer.normalize(base, Normalizer.Form.NFC);
            Byte baseByte = composedBase.length() == 1 ? CP1258_ENCODE.get(composedBase.charAt(0)) : null;
            if (baseByte == null || tones.length() != 1) {
                throw unmappable(WINDOWS_1258, s, i);
            }
            out.write(baseByte);
            out.write(CP1258_ENCODE.get(tones.charAt(0)));
        }
        return out.toByteArray();
    }

    private static IllegalArgumentException unmappable(VietnameseEncoding enc, String s, int index) {
        return new IllegalArgumentException(String.format(
                "%s cannot represent U+%04X at index %d of the (NFC) text", enc, (int) s.charAt(index), index));
    }

    // ------------------------------------------------------------------------------------------
    // Detection
    // ------------------------------------------------------------------------------------------

    /**
     * Result of {@link #detect(byte[])}.
     *
     * @param encoding the best guess; for an ASCII-only sample this is {@link #UTF8}, but any of the
     *     four decodes such a sample identically
     * @param confidence 0..1: the margin of the best score over the runner-up, scaled down when fewer
     *     than 5 discriminating words were seen; 1 for ASCII-only samples
     *     (decoding is safe), 0 when nothing could be decided
     * @param scores per encoding, the share (0..1) of its decoded non-ASCII words that are well-formed
     *     Vietnamese syllables (unmodifiable, contains all four encodings)
     * @param asciiOnly the sample has no byte ≥ 0x80 and none of the C0 bytes that TCVN3 uses for
     *     capitals (0x01, 0x02, 0x04–0x06, 0x11–0x17): the encoding is undecidable but irrelevant
     * @param words number of discriminating (non-ASCII) words in the best guess's decoding
     */
    public record Detection(VietnameseEncoding encoding, double confidence,
                            Map<VietnameseEncoding, Double> scores, boolean asciiOnly, int words) {
        public Detection {
            Objects.requireNonNull(encoding, "encoding");
            scores = Collections.unmodifiableMap(new EnumMap<>(scores));
        }
    }

    private static final int FULL_EVIDENCE_WORDS = 5;

    /**
     * Guesses which of the four encodings {@code sample} is in. The sample is typically all text
     * fields of a {@code .dbf} concatenated (separate fields with a space or any ASCII punctuation).
     *
     * <p>Method: the sample is decoded with each candidate (strictly: bytes that cannot occur in
     * well-formed text of that encoding become U+FFFD) and split into words at whitespace and ASCII
     * non-letters; each word containing a non-ASCII character is checked against the shape of a
     * Vietnamese syllable (onset consonant cluster, vowel nucleus, allowed coda, at most one tone mark
     * on the right vowel, stop codas only with sắc/nặng, no capital-with-diacritic after a lower-case
     * letter). The score is the share of such words that pass. Mojibake (e.g. TCVN3 "Ph­êng" read as
     * VNI) practically never passes. Ties are broken in declaration order (UTF-8 first).
     *
     * @param sample raw bytes of the text to classify
     * @return the best guess with its confidence and the per-encoding scores
     * @throws NullPointerException if {@code sample} is null
     */
    public static Detection detect(byte[] sample) {
        Objects.requireNonNull(sample, "sample");
        boolean ascii = true;
        for (byte b : sample) {
            // a TCVN3 capital in the C0 range (e.g. "Út" = 0x01 0x74) makes the sample non-ASCII too
            if (b < 0 || TCVN3_DECODE[b] != b) {
                ascii = false;
                break;
            }
        }
        EnumMap<VietnameseEncoding, Double> scores = new EnumMap<>(VietnameseEncoding.class);
        if (ascii) {
            for (VietnameseEncoding e : values()) {
                scores.put(e, 1.0);
            }
            return new Detection(UTF8, 1.0, scores, true, 0);
        }
        EnumMap<VietnameseEncoding, Integer> counts = new EnumMap<>(VietnameseEncoding.class);
        for (VietnameseEncoding e : values()) {
            int[] vc = scoreWords(e.decode(sample, 0, sample.length, true));
            scores.put(e, vc[1] == 0 ? 0.0 : (double) vc[0] / vc[1]);
            counts.put(e, vc[1]);
        }
        VietnameseEncoding best = UTF8;
        for (VietnameseEncoding e : values()) {
            if (scores.get(e) > scores.get(best)) {
                best = e;
            }
        }
        double second = 0;
        for (VietnameseEncoding e : values()) {
            if (e != best) {
                second = Math.max(second, scores.get(e));
            }
        }
        int n = counts.get(best);
        double confidence = (scores.get(best) - second) * Math.min(1.0, (double) n / FULL_EVIDENCE_WORDS);
        return new Detection(best, Math.max(0.0, Math.min(1.0, confidence)), scores, false, n);
    }

    /** Returns {valid, total} over the words of {@code text} that contain a non-ASCII character. */
    private static int[] scoreWords(String text) {
        int valid = 0;
        int total = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && isSeparator(text.charAt(i))) {
                i++;
            }
            int start = i;
            boolean nonAscii = false;
            boolean anyLetterOrBad = false;
            while (i < n && !isSeparator(text.charAt(i))) {
                char c = text.charAt(i);
                if (c >= 0x80) {
                    nonAscii = true;
                }
                if (Character.isLetter(c) || c == REPLACEMENT || Character.getType(c) == Character.NON_SPACING_MARK) {
                    anyLetterOrBad = true;
                }
                i++;
            }
            if (i > start && nonAscii && anyLetterOrBad) {
                total++;
                if (isVietnameseSyllable(text.substring(start, i))) {
                    valid++;
                }
            }
        }
        return new int[] {valid, total};
    }

    private static boolean isSeparator(char c) {
        if (c < 0x80) {
            return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z');
        }
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    // ------------------------------------------------------------------------------------------
    // Syllable shape check
    // ------------------------------------------------------------------------------------------

    private static final String[] ONSETS = {
        "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "kr",
        "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", ""};
    private static final String VOWELS = "aăâeêioôơuưy";
    private static final Set<String> NUCLEI = Set.of(
            "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
            "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "oo",
            "ôi", "ơi", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ưu", "ươ", "yê",
            "iêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yêu");
    /** Nuclei ending in a glide: no coda allowed. */
    private static final Set<String> OPEN_ONLY = Set.of(
            "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua", "ui",
            "ưa", "ưi", "ưu", "iêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "uya", "uyu", "ươi", "ươu",
            "yêu");
    /** Diphthongs that need a coda (otherwise they are spelled ia/ya/ua/ưa). */
    private static final Set<String> CLOSED_ONLY = Set.of("iê", "yê", "uô", "ươ", "uyê");
    private static final Set<String> CODAS = Set.of("", "c", "ch", "m", "n", "ng", "nh", "p", "t", "k");
    private static final Set<String> STOP_CODAS = Set.of("c", "ch", "p", "t");
    private static final Set<String> TONE_ON_EITHER = Set.of("oa", "oe", "uy");
    private static final String SHAPED = "ăâêôơư";

    /**
     * Whether {@code word} (letters only, any case, NFC) has the shape of a Vietnamese syllable.
     * Deliberately permissive (accepts "k" codas and "kr" onsets of Central Highlands place names,
     * old and new tone placement in oa/oe/uy) but rejects typical mojibake.
     */
    static boolean isVietnameseSyllable(String word) {
        if (word.isEmpty()) {
            return false;
        }
        for (int i = 1; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c >= 0x80 && Character.isUpperCase(c) && Character.isLowerCase(word.charAt(i - 1))) {
                return false;
            }
        }
        String lower = word.toLowerCase(Locale.ROOT);
        StringBuilder bare = new StringBuilder(lower.length());
        char tone = 0;
        int tonePos = -1;
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (c >= 'a' && c <= 'z' || c == 'đ') {
                bare.append(c);
                continue;
            }
            if (!VIETNAMESE_LETTERS.contains(String.valueOf(c))) {
                return false;
            }
            String nfd = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD);
            StringBuilder shape = new StringBuilder();
            for (int k = 0; k < nfd.length(); k++) {
                char d = nfd.charAt(k);
                if (TONE_MARKS.indexOf(d) >= 0) {
                    if (tone != 0) {
                        return false; // two tone marks
                    }
                    tone = d;
                    tonePos = bare.length();
                } else {
                    shape.append(d);
                }
            }
            bare.append(Normalizer.normalize(shape, Normalizer.Form.NFC));
        }
        String s = bare.toString();
        for (String onset : ONSETS) {
            if (!s.startsWith(onset)) {
                continue;
            }
            String o = onset;
            if (o.equals("gi") && (s.length() == 2 || VOWELS.indexOf(s.charAt(2)) < 0)) {
                o = "g"; // gì, gìn: the i is the vowel
            }
            int nucStart = o.length();
            int nucEnd = nucStart;
            while (nucEnd < s.length() && VOWELS.indexOf(s.charAt(nucEnd)) >= 0) {
                nucEnd++;
            }
            String nucleus = s.substring(nucStart, nucEnd);
            String coda = s.substring(nucEnd);
            if (!NUCLEI.contains(nucleus) || !CODAS.contains(coda)) {
                return false;
            }
            if (!coda.isEmpty() && OPEN_ONLY.contains(nucleus) || coda.isEmpty() && CLOSED_ONLY.contains(nucleus)) {
                return false;
            }
            if (nucleus.equals("y") && !coda.isEmpty() && !o.equals("qu")) {
                return false; // only quy+nh/t/ch (Quỳnh); elsewhere the vowel is spelled i
            }
            if (STOP_CODAS.contains(coda) && tone != '\u0301' && tone != '\u0323') {
                return false;
            }
            return tone == 0 || toneWellPlaced(nucleus, coda, tonePos - nucStart);
        }
        return false;
    }

    private static boolean toneWellPlaced(String nucleus, String coda, int pos) {
        if (pos < 0 || pos >= nucleus.length()) {
            return false;
        }
        int shaped = -1;
        for (int i = 0; i < nucleus.length(); i++) {
            if (SHAPED.indexOf(nucleus.charAt(i)) >= 0) {
                shaped = i;
            }
        }
        int last = nucleus.length() - 1;
        if (shaped >= 0) {
            return pos == shaped;
        }
        if (!coda.isEmpty() || nucleus.length() == 1) {
            return pos == last;
        }
        return pos == last - 1 || pos == last && TONE_ON_EITHER.contains(nucleus);
    }

    // ------------------------------------------------------------------------------------------

    private static byte[] allBytes() {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private static byte[] hex(String h) {
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new ExceptionInInitializerError("VietnameseEncoding table error: " + what);
        }
    }
}
