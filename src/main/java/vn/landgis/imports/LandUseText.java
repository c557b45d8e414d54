package vn.landgis.imports;

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
 * that code. Not guessed, and left as delivered for the checks to refuse as before: a code followed by other codes
 * ("ONT CLN", "ONT-CLN", "ONT (CLN)"), a code followed by text without a dash, colon or parenthesis ("Can ho"),
 * a code followed by the name of another code, a code in no list, and a value the manifest's {@code landUseMap}
 * names (the district's own word comes first). One per import (not thread-safe: the reading thread's).
 */
final class LandUseText {

    private static final Pattern CODES = Pattern.compile("(?i)[a-z]{2,4}(\\s*[+,;/]\\s*[a-z]{2,4})*");
    /** Codes separated any way, spaces and dashes too: what the text after a code must not be. */
    private static final Pattern LOOSE_CODES = Pattern.compile("(?i)\\(?\\s*[a-z]{2,4}([\\s+,;/-]+[a-z]{2,4})*\\s*\\)?");
    private static final Pattern CODES_THEN_NAME = Pattern.compile("(?i)([a-z]{2,4}(?:\\s*[+,;/]\\s*[a-z]{2,4})*)\\s*[-–—:(]\\s*(\\p{L}.*)");

    /** Current codes by their simplified Vietnamese name. */
    private final Map<String, String> byName;
    private final Set<String> manifestKeys;
    /** Every code of the list (current and legacy): those a value may begin with. */
    private final Set<String> codes;
    private final RepeatedValues values = new RepeatedValues(this::readOnce);

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

    /** The value as the checks take it: {@code delivered} itself unless it is one of the forms above. */
    String read(String delivered) {
        return values.read(delivered);
    }

    /** The values read as codes: value as delivered → {code, parcels}. */
    Map<String, Object[]> named() {
        return values.changed();
    }

    private String readOnce(String delivered) {
        String value = delivered.strip();
        if (value.length() > 200 || CODES.matcher(value).matches() || manifestKeys.contains(Manifest.landUseKey(delivered))) {
            return delivered;
        }
        Matcher m = CODES_THEN_NAME.matcher(value);
        if (m.matches()) {
            String code = m.group(1).toUpperCase(Locale.ROOT);
            String rest = m.group(2).replaceAll("\\)\\s*$", "");
            String restNamed = byName.get(simplify(rest));
            boolean allKnown = FeatureChecks.landUseParts(code).stream().allMatch(codes::contains);
            boolean restIsCodes = LOOSE_CODES.matcher(rest.strip()).matches();
            boolean restNamesAnother = restNamed != null && !restNamed.equals(code);
            return allKnown && !restIsCodes && !restNamesAnother ? code : delivered;
        }
        String byItsName = byName.get(simplify(value));
        return byItsName != null ? byItsName : delivered;
    }

    /** Lower case, without diacritics (đ as d), letters and digits only: "Đất trồng cây lâu năm" is "dattrongcaylaunam". */
    static String simplify(String text) {
        return TextKeys.key(text);
    }
}
