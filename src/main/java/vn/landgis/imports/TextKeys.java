package vn.landgis.imports;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Vietnamese text as district files' names and values are compared: without diacritics (đ as d), in lower case, and
 * for {@link #key} letters and digits only. One folding for column names, land-use names and commune names.
 */
final class TextKeys {

    private static final Pattern MARKS = Pattern.compile("\\p{M}");
    private static final Pattern NOT_ALNUM = Pattern.compile("[^a-z0-9]");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private TextKeys() {
    }

    /** "  Phường  Hiệp Ninh " → "phuong hiep ninh": no diacritics, lower case, one space between words. */
    static String folded(String text) {
        String nfd = Normalizer.normalize(text.replace('đ', 'd').replace('Đ', 'D'), Normalizer.Form.NFD);
        return SPACES.matcher(MARKS.matcher(nfd).replaceAll("").toLowerCase(Locale.ROOT).strip()).replaceAll(" ");
    }

    /** "Đất trồng cây lâu năm" → "dattrongcaylaunam", "Số_Tờ" → "soto": folded, letters and digits only. */
    static String key(String text) {
        return NOT_ALNUM.matcher(folded(text)).replaceAll("");
    }

    /** Letters and digits only of a text already {@link #folded}. */
    static String alnum(String folded) {
        return NOT_ALNUM.matcher(folded).replaceAll("");
    }
}
