package vn.landgis.imports;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A delivered land-use value as people write it in sổ mục kê sheets and attribute tables, read as the code(s) the
 * checks know: "ONT - Đất ở tại nông thôn", "ONT (Đất ở tại nông thôn)" and "LUC: đất lúa" are their codes; a
 * current code's name alone ("Đất trồng cây lâu năm", with or without diacritics, "hàng năm" or "hằng năm") is
 * that code. A code, several codes ("ONT+CLN") and anything else stay as delivered (an unknown value is then
 * refused by the checks as before), and so does a value the manifest's {@code landUseMap} names: the district's
 * own word comes first. One per import (not thread-safe: the reading thread's).
 */
final class LandUseText {

    private static final Pattern CODES = Pattern.compile("(?i)[a-z]{2,4}(\\s*[+,;/]\\s*[a-z]{2,4})*");
    private static final Pattern CODES_THEN_NAME = Pattern.compile("(?i)([a-z]{2,4}(?:\\s*[+,;/]\\s*[a-z]{2,4})*)\\s*(?:[-–—:(]|\\s)\\s*\\p{L}.*");
    private static final Pattern MARKS = Pattern.compile("\\p{M}");
    private static final Pattern NOT_ALNUM = Pattern.compile("[^a-z0-9]");

    /** Current codes by their simplified Vietnamese name. */
    private final Map<String, String> byName;
    private final Set<String> manifestKeys;
    private final Set<String> codes;

    LandUseText(Map<String, String> byName, Set<String> codes, Set<String> manifestKeys) {
        this.byName = byName;
        this.codes = codes;
        this.manifestKeys = manifestKeys;
    }

    static LandUseText forImport(JdbcTemplate jdbc, Set<String> manifestKeys) {
        Map<String, String> names = new HashMap<>();
        java.util.Set<String> codes = new java.util.HashSet<>();
        jdbc.query("SELECT code, name_vi, current FROM cadastre.land_use_type", rs -> {
            codes.add(rs.getString(1));
            if (rs.getBoolean(3)) {
                names.putIfAbsent(simplify(rs.getString(2)), rs.getString(1));
            }
        });
        return new LandUseText(names, codes, manifestKeys);
    }

    /** A district's values are few and repeat on every parcel: each read once (bounded, for hostile files). */
    private final Map<String, String> seen = new HashMap<>();

    /** The value as the checks take it: {@code delivered} itself unless it is one of the forms above. */
    String read(String delivered) {
        if (delivered == null) {
            return null;
        }
        String known = seen.get(delivered);
        if (known == null) {
            known = readOnce(delivered);
            if (seen.size() < 10_000) {
                seen.put(delivered, known);
            }
        }
        return known;
    }

    private String readOnce(String delivered) {
        if (delivered.length() > 200 || CODES.matcher(delivered.strip()).matches()
                || manifestKeys.contains(Manifest.landUseKey(delivered))) {
            return delivered;
        }
        String value = delivered.strip();
        Matcher m = CODES_THEN_NAME.matcher(value);
        if (m.matches() && FeatureChecks.landUseParts(m.group(1)).stream().allMatch(codes::contains)) {
            return m.group(1).toUpperCase(Locale.ROOT);
        }
        String byItsName = byName.get(simplify(value));
        return byItsName != null ? byItsName : delivered;
    }

    /** Lower case, without diacritics (đ as d), letters and digits only: "Đất trồng cây lâu năm" is "dattrongcaylaunam". */
    static String simplify(String text) {
        String nfd = Normalizer.normalize(text.replace('đ', 'd').replace('Đ', 'D'), Normalizer.Form.NFD);
        return NOT_ALNUM.matcher(MARKS.matcher(nfd).replaceAll("").toLowerCase(Locale.ROOT)).replaceAll("");
    }
}
