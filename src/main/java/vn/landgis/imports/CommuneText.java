package vn.landgis.imports;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A delivered commune as district files write it, read as the old commune's code: a code as it is (a number the
 * .dbf stored without its leading zeros or with decimals, "4" or "25456.0", padded back to five digits), or the
 * name of one of the district's communes ("Phường 1", "P.1", "phuong 1", "Xã Bình Minh", "Bình Minh", "Phường IV" as
 * "Phường 4"). A name two of the district's communes share once simplified, and anything else, stays as delivered
 * (the checks refuse it as an unknown commune). One per import (not thread-safe: the reading thread's).
 */
final class CommuneText {

    private static final Pattern NUMBER = Pattern.compile("\\d{1,5}(\\.0+)?");
    private static final Pattern MARKS = Pattern.compile("\\p{M}");
    private static final Pattern PREFIX = Pattern.compile("^(phuong|xa|thi tran|thitran|tt|p|x)(\\s*\\.\\s*|\\s+|(?=\\d))(?=\\S)");
    private static final Pattern NOT_ALNUM = Pattern.compile("[^a-z0-9]");
    private static final Map<String, String> ROMAN = Map.of("i", "1", "ii", "2", "iii", "3", "iv", "4", "v", "5", "vi", "6", "vii", "7",
            "viii", "8", "ix", "9", "x", "10");

    private final Map<String, String> byName;
    private final Map<String, String> seen = new HashMap<>();
    /** Names read as codes: the value as delivered, its code and how many parcels carried it. */
    private final Map<String, Object[]> named = new LinkedHashMap<>();

    CommuneText(Map<String, String> namesByCode) {
        Map<String, String> byName = new HashMap<>();
        Set<String> shared = new HashSet<>();
        namesByCode.forEach((code, name) -> {
            String key = key(name);
            if (byName.putIfAbsent(key, code) != null) {
                shared.add(key);
            }
        });
        shared.forEach(byName::remove);
        this.byName = byName;
    }

    static CommuneText forDistrict(JdbcTemplate jdbc, String district) {
        Map<String, String> names = new HashMap<>();
        jdbc.query("SELECT code, name FROM cadastre.admin_unit_legacy WHERE parent_code = ?", rs -> {
            names.put(rs.getString(1), rs.getString(2));
        }, district);
        return new CommuneText(names);
    }

    /** The commune code for {@code delivered} (trimmed text, or null). */
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
        if (!known.equals(delivered) && !NUMBER.matcher(delivered).matches()) {
            Object[] n = named.computeIfAbsent(delivered, d -> new Object[] {null, 0});
            n[0] = known;
            n[1] = (Integer) n[1] + 1;
        }
        return known;
    }

    private String readOnce(String delivered) {
        if (NUMBER.matcher(delivered).matches()) {
            String digits = delivered.replaceAll("\\..*$", "");
            return "0".repeat(5 - digits.length()) + digits;
        }
        if (delivered.length() > 100) {
            return delivered;
        }
        String code = byName.get(key(delivered));
        return code != null ? code : delivered;
    }

    /** The names read as codes: value as delivered → {code, parcels}. */
    Map<String, Object[]> named() {
        return named;
    }

    /** "Phường 1", "P. 1", "phuong 1" → "1"; "Xã Bình Minh", "Bình Minh" → "binhminh"; "Phường IV" → "4". */
    static String key(String name) {
        String nfd = Normalizer.normalize(name.replace('đ', 'd').replace('Đ', 'D'), Normalizer.Form.NFD);
        String plain = MARKS.matcher(nfd).replaceAll("").toLowerCase(Locale.ROOT).strip().replaceAll("\\s+", " ");
        String bare = PREFIX.matcher(plain).replaceFirst("");
        String roman = ROMAN.get(bare);
        return NOT_ALNUM.matcher(roman != null ? roman : bare).replaceAll("");
    }
}
