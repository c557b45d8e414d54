package vn.landgis.imports;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A delivered commune as district files write it, read as the old commune's code: one of the district's codes as it
 * is; a number the .dbf stored without its leading zeros or with decimals ("4", "4.0") when padded to five digits it
 * is one of the district's codes; or the name of one of the district's communes, written loosely ("Phường 1",
 * "P.1", "Phường 01", "phuong 1", "TT. Tân Phú", "Xã Bình Minh", "Bình Minh", "Phường IV" as "Phường 4"). The
 * name is compared with its kind ("P", "TT", "X") first, then without it where only one of the district's communes
 * answers. Anything else stays as delivered (the checks refuse it as an unknown commune). One per import (not
 * thread-safe: the reading thread's).
 */
final class CommuneText {

    private static final Pattern NUMBER = Pattern.compile("\\d{1,5}(\\.0+)?");
    /** A commune's kind written before its name, long or short: ward, town, commune. */
    private static final Pattern KIND = Pattern.compile("^(phuong|thi tran|thitran|tt|xa|p|x)(?:\\s*\\.\\s*|\\s+|(?=\\d))(?=\\S)");
    private static final Pattern LEADING_ZEROS = Pattern.compile("^0+(?=\\d)");
    private static final Map<String, String> ROMAN = Map.of("i", "1", "ii", "2", "iii", "3", "iv", "4", "v", "5", "vi", "6", "vii", "7",
            "viii", "8", "ix", "9", "x", "10");

    private final Set<String> codes;
    /** Codes by their name with its kind ("p1", "tttanphu", "xbinhminh"). */
    private final Map<String, String> byName;
    /** Codes by their name without its kind ("1", "tanphu"), where only one commune answers. */
    private final Map<String, String> byBareName;
    private final RepeatedValues values = new RepeatedValues(this::readOnce);

    CommuneText(Map<String, String> namesByCode) {
        this.codes = Set.copyOf(namesByCode.keySet());
        this.byName = unique(namesByCode, true);
        this.byBareName = unique(namesByCode, false);
    }

    private static Map<String, String> unique(Map<String, String> namesByCode, boolean withKind) {
        Map<String, String> out = new HashMap<>();
        Set<String> shared = new HashSet<>();
        namesByCode.forEach((code, name) -> {
            String key = key(name, withKind);
            if (out.putIfAbsent(key, code) != null) {
                shared.add(key);
            }
        });
        shared.forEach(out::remove);
        return out;
    }

    static CommuneText forDistrict(JdbcTemplate jdbc, String district) {
        Map<String, String> names = new HashMap<>();
        jdbc.query("SELECT code, name FROM cadastre.admin_unit_legacy WHERE parent_code = ?", rs -> {
            names.put(rs.getString(1), rs.getString(2));
        }, district);
        return new CommuneText(names);
    }

    /** The commune code for {@code delivered} (trimmed text, or null), counted for the notes when it is another. */
    String read(String delivered) {
        return values.read(delivered);
    }

    /** As {@link #read}, not counted. */
    String code(String delivered) {
        return values.peek(delivered);
    }

    /** Whether a value is one of the district's communes once read. */
    boolean known(String code) {
        return codes.contains(code);
    }

    private String readOnce(String delivered) {
        if (codes.contains(delivered) || delivered.length() > 100) {
            return delivered;
        }
        if (NUMBER.matcher(delivered).matches()) {
            String digits = delivered.replaceAll("\\..*$", "");
            String padded = "0".repeat(5 - digits.length()) + digits;
            return codes.contains(padded) ? padded : delivered;
        }
        String code = byName.get(key(delivered, true));
        if (code == null) {
            code = byBareName.get(key(delivered, false));
        }
        if (code == null) {
            code = byBareName.get(plain(delivered));   // "Xa La": a name that begins like a kind
        }
        return code != null ? code : delivered;
    }

    /** The names read as codes: value as delivered → {code, parcels}. */
    Map<String, Object[]> named() {
        return values.changed();
    }

    /**
     * "Phường 1", "P. 1", "Phường 01" → "p1" ({@code withKind}) or "1"; "Thị trấn Tân Phú", "TT Tân Phú" → "tttanphu"
     * or "tanphu"; "Phường IV" → "p4".
     */
    static String key(String name, boolean withKind) {
        String plain = TextKeys.folded(name);
        Matcher kind = KIND.matcher(plain);
        String prefix = "";
        String rest = plain;
        if (kind.find()) {
            String k = kind.group(1);
            prefix = k.startsWith("p") ? "p" : k.startsWith("x") ? "x" : "tt";
            rest = plain.substring(kind.end());
        }
        String roman = ROMAN.get(rest.strip());
        String bare = TextKeys.alnum(roman != null ? roman : rest);
        bare = LEADING_ZEROS.matcher(bare).replaceFirst("");
        return withKind ? prefix + bare : bare;
    }

    /** The name without diacritics, lower case, letters and digits only, its kind kept as words ("xala"). */
    private static String plain(String name) {
        return TextKeys.key(name);
    }
}
