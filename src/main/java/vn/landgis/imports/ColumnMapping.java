package vn.landgis.imports;

import java.util.List;
import java.util.Map;

/**
 * Which delivered column holds which of our fields. Districts' tools name them differently (DOMAIN.md); the
 * defaults cover the names seen in FAMIS, TMV.Map and gCadas exports, compared without case, accents or
 * separators.
 */
record ColumnMapping(Map<String, List<String>> aliases) {

    static final String COMMUNE = "commune";
    static final String SHEET = "sheet";
    static final String PARCEL = "parcel";
    static final String LAND_USE = "landUse";
    static final String LEGAL_AREA = "legalArea";
    static final String ADDRESS = "address";
    static final String OWNER = "owner";

    static ColumnMapping defaults() {
        return new ColumnMapping(Map.of(
                COMMUNE, List.of("MaXa", "Ma_Xa", "MaDVHC", "MaXaPhuong", "MaDonViHanhChinh", "MaDVHCXa", "MaXaCu",
                        "TenXa", "Ten_Xa", "XaPhuong", "TenDVHC"),
                SHEET, List.of("SoTo", "SHBanDo", "SoHieuToBanDo", "ToBanDo", "So_To", "SoHieuTo", "SHTo", "SoToBanDo", "SHToBanDo"),
                PARCEL, List.of("SoThua", "SHThua", "SoThuTuThua", "So_Thua", "SoHieuThua", "STTThua", "SoThuaDat"),
                LAND_USE, List.of("MucDichSD", "KyHieuMDSD", "LoaiDat", "MDSD", "MucDich", "MucDichSuDung", "KyHieuLoaiDat", "KHLoaiDat",
                        "MaLoaiDat", "MaMucDich", "MaMDSD"),
                LEGAL_AREA, List.of("DienTich", "DienTichPhapLy", "DienTichPL", "DT_PL", "DTPhapLy", "DienTichGCN", "DTGCN"),
                ADDRESS, List.of("DiaChi", "Dia_Chi", "DiaChiThua", "DiaChiThuaDat"),
                OWNER, List.of("TenChu", "ChuSuDung", "Ten_Chu", "ChuSD", "TenChuSuDung", "ChuSuDungDat", "TenChuSD", "HoTenChu",
                        "TenNguoiSuDung", "NguoiSuDung", "TenNguoiSuDungQuanLyDat", "NguoiSuDungQuanLyDat", "TenNguoiSuDungDat")));
    }

    /** The value of our field in a feature's attributes, or null: the first alias any column answers to, then the first such column. */
    String get(Map<String, String> attributes, String field) {
        String column = column(attributes, field);
        return column == null ? null : attributes.get(column);
    }

    /**
     * A reading's look-up of our fields: the features of a file carry the same columns, so which column answers to
     * which field is worked out once per set of column names (in order) instead of once per feature and field (the
     * reading thread's hot spot). Not thread-safe: one per reading.
     */
    Lookup lookup() {
        return new Lookup();
    }

    final class Lookup {

        /** Remembers "no column holds this field" (a String no file can hand over: compared by identity). */
        @SuppressWarnings("StringOperationCanBeSimplified")
        private static final String NONE = new String("(none)");

        private String[] keys = new String[0];
        /** Field → the column holding it, or null when none does, for the column names in {@link #keys}. */
        private final Map<String, String> columns = new java.util.HashMap<>();

        private Lookup() {
        }

        /** The feature whose column names were compared last: its other fields need no comparison. */
        private Map<String, String> last;

        /** As {@link ColumnMapping#get}. */
        String get(Map<String, String> attributes, String field) {
            if (attributes != last) {
                if (!sameKeys(attributes)) {
                    keys = attributes.keySet().toArray(String[]::new);
                    columns.clear();
                }
                last = attributes;
            }
            String column = columns.get(field);
            if (column == null) {
                column = column(attributes, field);
                columns.put(field, column == null ? NONE : column);
            }
            return column == null || column == NONE ? null : attributes.get(column);   // NOPMD: the sentinel, by identity
        }

        private boolean sameKeys(Map<String, String> attributes) {
            if (attributes.size() != keys.length) {
                return false;
            }
            int i = 0;
            for (String key : attributes.keySet()) {
                String known = keys[i++];
                if (key != known && !key.equals(known)) {   // NOPMD: the same String instance is the usual case
                    return false;
                }
            }
            return true;
        }
    }

    /** The column of {@code attributes} that {@link #get} takes {@code field} from, or null. */
    String columnOf(Map<String, String> attributes, String field) {
        return column(attributes, field);
    }

    /** As {@link #columnOf}. */
    private String column(Map<String, String> attributes, String field) {
        List<String> names = aliases.getOrDefault(field, List.of());
        for (String alias : names) {
            String key = simplify(alias);
            for (String name : attributes.keySet()) {
                if (simplify(name).equals(key)) {
                    return name;
                }
            }
        }
        // then without a unit or note in parentheses ("Diện tích (m²)"), where exactly one column answers: of
        // "Số thửa (cũ)" and "Số thửa (mới)" neither is taken for a guess (the manifest names it)
        for (String alias : names) {
            String key = simplify(alias);
            String found = null;
            int matches = 0;
            for (String name : attributes.keySet()) {
                if (simplify(withoutParentheses(name)).equals(key)) {
                    found = name;
                    matches++;
                }
            }
            if (matches == 1) {
                return found;
            }
        }
        // last, a Shapefile's names cut to the .dbf's 10 characters: "MucDichSuD" is MucDichSuDung, "SoHieuToBa" is
        // SoHieuToBanDo (again only where exactly one column answers)
        for (String alias : names) {
            String key = simplify(alias);
            String found = null;
            int matches = 0;
            for (String name : attributes.keySet()) {
                String cut = simplify(name);
                if (cutByDbf(name) && cut.length() >= 6 && key.length() > cut.length() && key.startsWith(cut)) {
                    found = name;
                    matches++;
                } else if (RENAMED_CUT.matcher(name).matches()) {
                    // "MucDichS_1": a second long name cut alike and numbered by the writer; which is which is not known
                    String stem = simplify(name.substring(0, name.lastIndexOf('_')));
                    if (stem.length() >= 6 && key.startsWith(stem)) {
                        matches++;
                    }
                }
            }
            if (matches == 1) {
                return found;
            }
        }
        return null;
    }

    /** A .dbf field name's most bytes: longer names are cut by the tools that write Shapefiles. */
    static final int DBF_NAME_LENGTH = 10;
    private static final java.util.regex.Pattern RENAMED_CUT = java.util.regex.Pattern.compile(".{1,9}_\\d{1,2}");

    /** A name as long as a .dbf allows: ten bytes, or nine when a letter of two bytes did not fit (GDAL cuts bytes). */
    private static boolean cutByDbf(String name) {
        int bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        return bytes == DBF_NAME_LENGTH || bytes == DBF_NAME_LENGTH - 1 && bytes != name.length();
    }

    /** A unit or a note in parentheses: "Diện tích (m²)" is "Diện tích"; a name that is all parentheses stays. */
    private static String withoutParentheses(String name) {
        if (name.indexOf('(') < 0) {
            return name;
        }
        String bare = PARENTHESES.matcher(name).replaceAll("");
        return bare.isBlank() ? name : bare;
    }

    /** Sets our field in a feature's attributes: every column that holds it goes, its first name takes the value. */
    void put(Map<String, String> attributes, String field, String value) {
        List<String> names = aliases.getOrDefault(field, List.of());
        if (names.isEmpty()) {
            return;
        }
        List<String> keys = names.stream().map(ColumnMapping::simplify).toList();
        attributes.keySet().removeIf(k -> keys.contains(simplify(k)));
        attributes.put(names.getFirst(), value);
    }

    /** Column names are few and repeat on every feature: simplified once each (the regexes were a per-feature hot spot). */
    private static final java.util.concurrent.ConcurrentHashMap<String, String> SIMPLIFIED = new java.util.concurrent.ConcurrentHashMap<>();

    private static String simplify(String name) {
        if (SIMPLIFIED.size() > 10_000) {
            SIMPLIFIED.clear();   // bounded: a hostile file with ever new column names cannot grow it without end
        }
        return SIMPLIFIED.computeIfAbsent(name, ColumnMapping::simplifyOnce);
    }

    private static final java.util.regex.Pattern PARENTHESES = java.util.regex.Pattern.compile("\\([^()]*\\)");

    private static String simplifyOnce(String name) {
        return TextKeys.key(name);
    }
}
