package vn.landgis.cadastre;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import vn.landgis.geo.ProvinceProperties;
import vn.landgis.geo.SupportedCrs;
import vn.landgis.platform.ApiProblem;

/**
 * Finds parcels: by number, at a point, by text, as of a date; answers GeoJSON Features built by PostGIS.
 *
 * <p>What a caller may see is decided here, in the SQL: the parties and rights of a parcel (personal data)
 * are only ever selected for {@link Audience#OFFICER}; the public queries do not touch those tables, and
 * owner-name search does not run for anyone else. Each look-up is one statement in auto-commit: no
 * transaction round trips on the hot path. Thread-safe.
 */
@Service
public class ParcelLookup {

    /** Who is asking: decides which columns and tables the queries read. */
    public enum Audience { PUBLIC, OFFICER }

    static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
    static final double MAX_TOLERANCE_M = 100;
    private static final LocalTime LAST_MICROSECOND = LocalTime.of(23, 59, 59, 999_999_000);

    private final JdbcTemplate jdbc;
    /** The look-ups by number, id and point: generic plans, reused (see {@link vn.landgis.platform.HotPathJdbc}). */
    private final JdbcTemplate hot;
    private final ProvinceProperties province;

    /** The look-ups' SQL texts by {@link #shape}: built once, not per request. */
    private final String[] byNumberSql = new String[4];
    private final String[] byIdSql = new String[4];
    private final String[] atSql = new String[4];

    ParcelLookup(JdbcTemplate jdbc, vn.landgis.platform.HotPathJdbc hot, ProvinceProperties province) {
        this.jdbc = jdbc;
        this.hot = hot.jdbc();
        this.province = province;
        for (Audience audience : Audience.values()) {
            for (OffsetDateTime asOf : java.util.Arrays.asList(null, OffsetDateTime.MIN)) {
                int shape = shape(audience, asOf);
                byNumberSql[shape] = "SELECT " + feature(audience, "") + " FROM cadastre.parcel p" + JOINS
                        + " WHERE p.commune_code = ? AND p.sheet_no = ? AND p.parcel_no = ? AND " + when(asOf)
                        + " ORDER BY p.valid_from DESC LIMIT 1";
                byIdSql[shape] = "SELECT " + feature(audience, "") + " FROM cadastre.parcel p" + JOINS + " WHERE p.parcel_id = ?"
                        + (asOf == null ? "" : " AND " + when(asOf)) + " ORDER BY p.valid_to DESC NULLS FIRST, p.id DESC LIMIT 1";
                atSql[shape] = pointSql(province.storageSrid(), audience, asOf);
            }
        }
    }

    private static int shape(Audience audience, OffsetDateTime asOf) {
        return audience.ordinal() * 2 + (asOf == null ? 0 : 1);
    }

    /**
     * The one feature a query answers, as the UTF-8 bytes PostgreSQL sent: the JSON is built in the database and
     * passed through, neither decoded into a String nor encoded again.
     */
    private Optional<byte[]> one(String sql, List<Object> args) {
        return hot.query(sql, rs -> rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty(), args.toArray());
    }

    // ------------------------------------------------------------------ the SQL, built once per shape

    /**
     * One parcel as a GeoJSON feature, its geometry without a CRS member: {@link #named} gives the answer's top-level
     * object the CRS when it is not WGS 84 (ST_AsGeoJSON put it inside the geometry, where GDAL does not look, and
     * named it "LANDGIS:9210", the authority the VN-2000 systems have in spatial_ref_sys so that PostGIS transforms
     * with the pinned parameters: GDAL and QGIS read the metres as WGS 84).
     */
    private static String feature(Audience audience, String distance) {
        String rights = audience == Audience.OFFICER ? """
                , 'rights', (SELECT coalesce(json_agg(json_build_object(
                        'rightType', r.right_type, 'share', r.share, 'certificateNo', r.certificate_no,
                        'certificateDate', r.certificate_date, 'termUntil', r.term_until, 'declaredInBatch', r.declared_in_batch,
                        'party', json_build_object('id', pa.id, 'kind', pa.kind, 'fullName', pa.full_name,
                            'idNumber', pa.id_number, 'address', pa.address, 'birthYear', pa.birth_year)) ORDER BY r.id), '[]'::json)
                    FROM cadastre.land_right r JOIN cadastre.party pa ON pa.id = r.party_id WHERE r.parcel_version = p.id)""" : "";
        return """
                json_build_object('type', 'Feature', 'id', p.parcel_id,
                    'geometry', ST_AsGeoJSON(ST_Transform(p.geom, ?), ?, 0)::json,
                    'properties', json_build_object(
                        'parcelId', p.parcel_id, 'versionId', p.id,
                        'communeCode', p.commune_code, 'communeName', c.name, 'districtCode', c.parent_code,
                        'districtName', d.name, 'newCommuneCode', p.new_commune_code, 'newCommuneName', n.name,
                        'sheetNo', p.sheet_no, 'parcelNo', p.parcel_no,
                        'landUseCode', p.land_use_code, 'landUseName', t.name_vi, 'landUseNameEn', t.name_en,
                        'landUses', array_to_string(p.land_use_code || p.land_use_other, '+'),
                        'otherLandUses', (SELECT coalesce(json_agg(json_build_object('code', o.code, 'name', ot.name_vi, 'nameEn', ot.name_en)
                                                                   ORDER BY o.i), '[]'::json)
                                            FROM unnest(p.land_use_other) WITH ORDINALITY o (code, i)
                                            LEFT JOIN cadastre.land_use_type ot ON ot.code = o.code),
                        'legalArea', p.legal_area, 'geomArea', p.geom_area, 'address', p.address,
                        'validFrom', p.valid_from, 'validTo', p.valid_to%s%s))::text""".formatted(distance, rights);
    }

    private static final String JOINS = " " + """
             JOIN cadastre.admin_unit_legacy c ON c.code = p.commune_code
             LEFT JOIN cadastre.admin_unit_legacy d ON d.code = c.parent_code
             LEFT JOIN cadastre.admin_unit n ON n.code = p.new_commune_code
             JOIN cadastre.land_use_type t ON t.code = p.land_use_code
            """;

    private static String when(OffsetDateTime asOf) {
        return asOf == null ? "p.valid_to IS NULL" : "p.valid_from <= ? AND (p.valid_to IS NULL OR p.valid_to > ?)";
    }

    // ------------------------------------------------------------------ lookups

    /** The parcel (old commune code, sheet, number), current or as of a time. */
    public Optional<byte[]> byNumber(String communeCode, int sheetNo, int parcelNo, OffsetDateTime asOf, SupportedCrs crs, Audience audience) {
        if (!communeCode.matches("[0-9]{5}") || sheetNo <= 0 || parcelNo <= 0) {
            throw ApiProblem.badRequest("invalid-parcel-key",
                    "Mã xã (5 chữ số), số tờ, số thửa không hợp lệ / commune code (5 digits), sheet and parcel numbers must be positive");
        }
        List<Object> args = new ArrayList<>(List.of(crs.srid(), crs.precision(), communeCode, sheetNo, parcelNo));
        addAsOf(args, asOf);
        return one(byNumberSql[shape(audience, asOf)], args).map(json -> named(json, crs));
    }

    /** The parcel by its surrogate id: its current version, or the one valid at {@code asOf}, or its last one. */
    public Optional<byte[]> byId(long parcelId, OffsetDateTime asOf, SupportedCrs crs, Audience audience) {
        List<Object> args = new ArrayList<>(List.of(crs.srid(), crs.precision(), parcelId));
        addAsOf(args, asOf);
        return one(byIdSql[shape(audience, asOf)], args).map(json -> named(json, crs));
    }

    /**
     * The parcel at a point: the one that contains it, else the nearest within {@code toleranceM} metres
     * (a GPS fix on a boundary, in a road gap, at the district's edge), with the distance in metres.
     * Coordinates are in {@code inputCrs} (lon/lat order for geographic systems).
     */
    public Optional<byte[]> at(double x, double y, SupportedCrs inputCrs, double toleranceM, OffsetDateTime asOf,
                               SupportedCrs crs, Audience audience) {
        checkInProvince(x, y, inputCrs);
        if (!(toleranceM >= 0 && toleranceM <= MAX_TOLERANCE_M)) {
            throw ApiProblem.badRequest("invalid-tolerance", "Dung sai phải từ 0 đến 100 m / tolerance must be within 0-100 m");
        }
        // in the order of the ? in the text: the point, the feature's CRS, the time, the tolerance
        List<Object> args = new ArrayList<>(List.of(x, y, inputCrs.srid(), crs.srid(), crs.precision()));
        addAsOf(args, asOf);
        args.add(toleranceM);
        Optional<byte[]> found = one(atSql(audience, asOf), args).map(json -> named(json, crs));
        if (found.isEmpty() && outsideOutline(x, y, inputCrs)) {
            // in the province's extent but outside its outline, when one is loaded (the miss path only: the hit path
            // stays one statement)
            double[] lonLat = inputCrs.toWgs84(x, y);
            throw new ApiProblem(org.springframework.http.HttpStatus.UNPROCESSABLE_CONTENT, "outside-province",
                    "Điểm nằm ngoài tỉnh " + province.name() + " / the point is outside the province ("
                            + String.format(java.util.Locale.ROOT, "%.5f, %.5f", lonLat[0], lonLat[1]) + ")");
        }
        return found;
    }

    /** Whether the province's outline is loaded (boundaries --province) and the point lies over 200 m outside it. */
    public boolean outsideOutline(double x, double y, SupportedCrs inputCrs) {
        return outlineLoaded() && Boolean.TRUE.equals(jdbc.queryForObject("""
                WITH pt AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), ?), ?) AS g)
                SELECT NOT EXISTS (SELECT 1 FROM cadastre.admin_unit u, pt WHERE u.level = 'province' AND ST_DWithin(u.geom, pt.g, 200))""",
                Boolean.class, x, y, inputCrs.srid(), province.storageSrid()));
    }

    // whether an outline is loaded, asked again a minute later or when boundaries change (a look-up's miss does not
    // pay a round trip for it while there is none, as in the demo)
    private volatile boolean outlineKnown;
    private volatile boolean outline;
    private volatile long outlineAskedAt;
    /** Boundary changes seen: an answer asked before one is not kept as known. */
    private final java.util.concurrent.atomic.AtomicLong boundaryChanges = new java.util.concurrent.atomic.AtomicLong();

    private boolean outlineLoaded() {
        long now = System.nanoTime();
        if (!outlineKnown || now - outlineAskedAt > 60_000_000_000L) {
            long seen = boundaryChanges.get();
            boolean answer = Boolean.TRUE.equals(jdbc.queryForObject(
                    "SELECT EXISTS (SELECT 1 FROM cadastre.admin_unit WHERE level = 'province' AND geom IS NOT NULL)", Boolean.class));
            outline = answer;
            outlineAskedAt = now;
            outlineKnown = boundaryChanges.get() == seen;   // a load meanwhile: ask again next time
            return answer;
        }
        return outline;
    }

    @org.springframework.context.event.EventListener
    void boundariesChanged(AdminBoundariesChanged changed) {
        boundaryChanges.incrementAndGet();
        outlineKnown = false;
    }

    /** The point look-up's SQL; bench/lookup-pgbench.sql runs the very same text (ParcelLookupSqlTest checks it). */
    String atSql(Audience audience, OffsetDateTime asOf) {
        return atSql[shape(audience, asOf)];
    }

    /** The point look-up's SQL text for a storage system, an audience and a time (null: now). */
    static String pointSql(int storageSrid, Audience audience, OffsetDateTime asOf) {
        return "WITH pt AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), ?), " + storageSrid + ") AS g) "
                + "SELECT " + feature(audience, ", 'distance', round(p.dist::numeric, 2)")
                + " FROM (SELECT q.*, ST_Distance(q.geom, pt.g) AS dist FROM cadastre.parcel q, pt"
                + " WHERE " + when(asOf).replace("p.", "q.") + " AND ST_DWithin(q.geom, pt.g, ?)"
                + " ORDER BY ST_Distance(q.geom, pt.g), q.id LIMIT 1) p" + JOINS;
    }

    private void checkInProvince(double x, double y, SupportedCrs inputCrs) {
        switch (province.classify(x, y, inputCrs)) {
            case INSIDE -> { }
            case NOT_FINITE -> throw ApiProblem.badRequest("invalid-coordinate", "Tọa độ không hợp lệ / coordinates must be finite numbers");
            case OUT_OF_RANGE -> throw ApiProblem.badRequest("invalid-coordinate",
                    "Kinh độ trong [-180, 180], vĩ độ trong [-90, 90] / lon must be within -180..180 and lat within -90..90");
            case SWAPPED -> throw ApiProblem.badRequest("swapped-coordinates",
                    "Kinh độ và vĩ độ bị đảo? / lon and lat look swapped: lon is east (≈106), lat is north (≈11)");
            case OUTSIDE -> {
                double[] lonLat = inputCrs.toWgs84(x, y);
                throw new ApiProblem(org.springframework.http.HttpStatus.UNPROCESSABLE_CONTENT, "outside-province",
                        "Điểm nằm ngoài tỉnh " + province.name() + " / the point is outside the province ("
                                + String.format(java.util.Locale.ROOT, "%.5f, %.5f", lonLat[0], lonLat[1]) + ")");
            }
        }
    }

    // ------------------------------------------------------------------ text search

    /** "thửa 123 tờ 45 xã X", "tờ 12 thửa 345 Phường 1", in any order, with or without diacritics. */
    /** Words that say what kind of place follows (street, hamlet, commune, ward, ...), as cadastre.search_text writes them. */
    private static final Pattern PLACE_WORDS = Pattern.compile("\\b(?:duong|ap|thon|xom|khu pho|xa|phuong|thi tran|huyen|tinh|thanh pho|tp)\\b");

    /**
     * The address query without the words that say what kind of place follows (đường, ấp, xã, phường, ...), which
     * nearly every address holds and a trigram index cannot narrow: on 1 M parcels "duong" alone matched every one
     * of 383 132 address strings (5 s), "duong truong dinh" took 1.2 s against 0.4 s for "truong dinh", with the
     * same strings found. The search finds its candidates by this and ranks them by the whole query. Kept whole when
     * what would remain holds no word of three letters or more ("ap 3" names a hamlet); null when the query is nothing
     * but such words (every address would match it as well as any other).
     */
    static String addressQuery(String q) {
        String rest = PLACE_WORDS.matcher(q).replaceAll(" ").replaceAll("[,;.]", " ").strip().replaceAll("\\s+", " ");
        if (rest.isEmpty()) {
            return null;
        }
        boolean named = java.util.Arrays.stream(rest.split(" ")).anyMatch(w -> w.length() >= 3 && !w.chars().allMatch(Character::isDigit));
        return named ? rest : q;
    }

    private static final Pattern COMMUNE_KIND = Pattern.compile("\\b(?:xa|phuong|thi tran|dac khu)\\b");

    /** "P.5", "P5", "x. An Vĩnh Ngãi", "tt. Tầm Vu" written out: "phuong 5", "xa ...", "thi tran ...". */
    static String communeAbbreviations(String q) {
        return wardNumbers(q.replaceAll("\\bp\\.?\\s*(\\d{1,2})\\b", "phuong $1").replaceAll("\\bx\\.\\s*", "xa ").replaceAll("\\btt\\.?\\s+", "thi tran "));
    }

    /**
     * What the commune the words name (the best of the register's old communes at 0.6 or more, the ward of that
     * number) holds instead of the parcel asked for: its sheets, or the parcel numbers of the sheet; null when the
     * words name no commune that has parcels.
     */
    private String missingParcel(String nameExpression, String words, Integer ward, int sheetNo, int parcelNo) {
        return jdbc.query("""
                WITH u AS (SELECT u.code, u.name, word_similarity(""" + nameExpression + """
                , ?) AS score
                             FROM cadastre.admin_unit_legacy u WHERE u.level = 'commune'
                              AND (?::int IS NULL OR substring(cadastre.search_text(u.name) from '^phuong ([0-9]+)$')::int = ?))
                SELECT u.name, d.name AS district,
                       (SELECT min(sheet_no) FROM cadastre.parcel x WHERE x.commune_code = u.code AND x.valid_to IS NULL) AS first_sheet,
                       (SELECT max(sheet_no) FROM cadastre.parcel x WHERE x.commune_code = u.code AND x.valid_to IS NULL) AS last_sheet,
                       (SELECT min(parcel_no) FROM cadastre.parcel x WHERE x.commune_code = u.code AND x.sheet_no = ? AND x.valid_to IS NULL) AS first_parcel,
                       (SELECT max(parcel_no) FROM cadastre.parcel x WHERE x.commune_code = u.code AND x.sheet_no = ? AND x.valid_to IS NULL) AS last_parcel
                  FROM u LEFT JOIN cadastre.admin_unit_legacy c ON c.code = u.code LEFT JOIN cadastre.admin_unit_legacy d ON d.code = c.parent_code
                 WHERE u.score >= 0.6 AND EXISTS (SELECT 1 FROM cadastre.parcel x WHERE x.commune_code = u.code AND x.valid_to IS NULL)
                 ORDER BY u.score DESC, u.code LIMIT 1""", rs -> {
            if (!rs.next()) {
                return null;
            }
            String where = rs.getString("name") + (rs.getString("district") == null ? "" : " (" + rs.getString("district") + ")");
            if (rs.getObject("first_parcel") == null) {
                String sheets = rs.getInt("first_sheet") == rs.getInt("last_sheet") ? String.valueOf(rs.getInt("first_sheet"))
                        : rs.getInt("first_sheet") + "–" + rs.getInt("last_sheet");
                return where + " không có tờ bản đồ số " + sheetNo + " (có các tờ " + sheets + ") / " + where + " has no map sheet " + sheetNo
                        + " (its sheets are " + sheets + ")";
            }
            String parcels = rs.getInt("first_parcel") + "–" + rs.getInt("last_parcel");
            return "Tờ " + sheetNo + " của " + where + " không có thửa " + parcelNo + " đang hiệu lực (có các thửa " + parcels + ") / sheet " + sheetNo
                    + " of " + where + " has no current parcel " + parcelNo + " (its parcels are numbered " + parcels + ")";
        }, words, ward, ward, sheetNo, sheetNo);
    }

    private static final tools.jackson.databind.ObjectMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    /** A JSON string literal of {@code s}. */
    private static String jsonString(String s) {
        return JSON.writeValueAsString(s);
    }

    /** The number of the ward a query names ("phuong 1"), or null. */
    private static Integer wardOf(String q) {
        Matcher m = WARD.matcher(q);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    /** A numbered ward in a query already through {@link #communeAbbreviations}: "phuong 1". */
    private static final Pattern WARD = Pattern.compile("\\bphuong (\\d{1,2})\\b");
    private static final Pattern WARD_NUMBER = Pattern.compile("\\bphuong\\s+(0\\d|[ivx]{1,5})\\b");
    private static final java.util.Map<String, Integer> ROMAN = java.util.Map.ofEntries(java.util.Map.entry("i", 1), java.util.Map.entry("ii", 2),
            java.util.Map.entry("iii", 3), java.util.Map.entry("iv", 4), java.util.Map.entry("v", 5), java.util.Map.entry("vi", 6),
            java.util.Map.entry("vii", 7), java.util.Map.entry("viii", 8), java.util.Map.entry("ix", 9), java.util.Map.entry("x", 10),
            java.util.Map.entry("xi", 11), java.util.Map.entry("xii", 12), java.util.Map.entry("xiii", 13), java.util.Map.entry("xiv", 14),
            java.util.Map.entry("xv", 15));

    /**
     * A ward's number as certificates and old papers write it, as the register names the ward: "phường 01" and
     * "phường I", "phường IV" are Phường 1 and Phường 4 (the imports read them so; the search ranked Phường 1 level with
     * every other ward).
     */
    static String wardNumbers(String q) {
        Matcher m = WARD_NUMBER.matcher(q);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String n = m.group(1);
            Integer value = n.chars().allMatch(Character::isDigit) ? Integer.valueOf(n) : ROMAN.get(n);
            m.appendReplacement(out, value == null ? m.group() : "phuong " + value);
        }
        m.appendTail(out);
        return out.toString();
    }

    private static final Pattern PARCEL_NO = Pattern.compile("\\b(?:so\\s+)?thua(?:\\s+dat)?(?:\\s+so)?\\s*[:#]?\\s*(\\d{1,6})\\b");
    private static final Pattern SHEET_NO = Pattern.compile("\\b(?:so\\s+)?to(?:\\s+ban\\s+do)?(?:\\s+so)?\\s*[:#]?\\s*(\\d{1,5})\\b");

    /**
     * Search results, best first: parcels by number ("thửa 123 tờ 45 xã X"), by address, communes by name,
     * and, for officers only, parcels by the name of a party. Diacritics-insensitive and typo-tolerant.
     */
    public String search(String query, int limit, SupportedCrs crs, Audience audience) {
        if (query == null || query.isBlank() || query.length() > 200) {
            throw ApiProblem.badRequest("invalid-query", "Nội dung tìm kiếm từ 1 đến 200 ký tự / q must have 1-200 characters");
        }
        if (query.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiProblem.badRequest("invalid-query", "Nội dung tìm kiếm chứa ký tự điều khiển / q contains control characters");
        }
        if (limit < 1 || limit > 100) {
            throw ApiProblem.badRequest("invalid-limit", "limit trong khoảng 1-100 / limit must be within 1-100");
        }
        String q = jdbc.queryForObject("SELECT cadastre.search_text(?)", String.class, query.strip());
        List<String> features = new ArrayList<>();
        String missing = null;
        Matcher parcel = PARCEL_NO.matcher(q);
        Matcher sheet = SHEET_NO.matcher(q);
        boolean hasParcel = parcel.find();
        boolean hasSheet = hasParcel && sheet.find();
        // a parcel number with a commune but no sheet ("thửa 448 phường 6"): that number on every sheet of the commune
        boolean numberInCommune = hasParcel && !hasSheet && COMMUNE_KIND.matcher(communeAbbreviations(q)).find();
        if (hasParcel && (hasSheet || numberInCommune)) {
            // what is left names the commune, old or 2025, perhaps with its district or city ("phường 5, TP Tân An",
            // "P.5", "xã An Vĩnh Ngãi"): communes ranked by how much of their name the words hold, best first (it
            // listed every commune whose name was like the words, by code: "phường Khánh Hậu" opened Tân Khánh's parcel)
            // a numbered hamlet or quarter ("khu phố 3", "ấp 2") is no commune: left out, or "phường 3" would match it
            String rest = communeAbbreviations(q.replace(parcel.group(), " ").replace(hasSheet ? sheet.group() : parcel.group(), " ").replaceAll("[,;]", " "))
                    .replaceAll("\\b(?:khu pho|kp|ap|to dan pho|to|thon|xom|khom)\\.?\\s*\\d+\\b", " ")
                    .strip().replaceAll("\\s+", " ");
            List<Object> args = new ArrayList<>(List.of(crs.srid(), crs.precision()));
            boolean kind = COMMUNE_KIND.matcher(rest).find();
            String words = kind ? rest : PLACE_WORDS.matcher(rest).replaceAll(" ").strip().replaceAll("\\s+", " ");
            String sql;
            if (words.isEmpty()) {   // nothing that names a commune ("thửa 3 tờ 1", "... TP"): every commune's
                sql = "SELECT " + feature(audience, ", 'match', 'number', 'score', 1.0") + " FROM cadastre.parcel p" + JOINS
                        + " WHERE p.valid_to IS NULL AND p.sheet_no = coalesce(?::int, p.sheet_no) AND p.parcel_no = ? ORDER BY p.commune_code, p.sheet_no LIMIT ?";
            } else {
                // with a kind word the whole name is compared ("phường 5" is not "phường Tân An"), without one the name
                // without its kind ("khánh hậu")
                // without a kind word, a name that is a number alone ("Phường 3" -> "3") is not compared: it would match any "3"
                String name = kind ? "cadastre.search_text(u.name)"
                        : "nullif(regexp_replace(cadastre.search_text(u.name), '^(phuong|xa|thi tran|dac khu) ([0-9]+$)?', ''), '')";
                // the communes the words name, scored once; then each era's parcels through its own index (the
                // register's key for the old communes, the current new-commune index for the 2025 ones)
                // a numbered ward is that ward: "phường 1" is not "phường 7" however alike the words ("thửa 12 tờ 5
                // phường 1" answered six other wards' parcels at 0.78)
                sql = "WITH u AS MATERIALIZED (SELECT u.code, u.era, word_similarity(" + name + ", ?) AS score FROM ("
                        + "SELECT code, name, 'legacy' AS era FROM cadastre.admin_unit_legacy WHERE level = 'commune' "
                        + "UNION ALL SELECT code, name, '2025' FROM cadastre.admin_unit WHERE level = 'commune') u"
                        + " WHERE ?::int IS NULL OR substring(cadastre.search_text(u.name) from '^phuong ([0-9]+)$')::int = ?) "
                        + "SELECT " + feature(audience, ", 'match', 'number', 'score', round(p.score::numeric, 3)")
                        // a map sheet and its parcel numbers belong to an old commune: where an old and a 2025
                        // commune bear the name alike (Phường Khánh Hậu, which took in Tân Khánh), the old one's first
                        + " FROM (SELECT DISTINCT ON (p.id) p.* FROM ("
                        + "SELECT p.*, u.score, true AS numbered_there FROM u JOIN cadastre.parcel p ON p.commune_code = u.code"
                        + " WHERE u.era = 'legacy' AND u.score >= 0.6 AND p.valid_to IS NULL AND p.sheet_no = coalesce(?::int, p.sheet_no) AND p.parcel_no = ?"
                        + " UNION ALL SELECT p.*, u.score, false FROM u JOIN cadastre.parcel p ON p.new_commune_code = u.code"
                        + " WHERE u.era = '2025' AND u.score >= 0.6 AND p.valid_to IS NULL AND p.sheet_no = coalesce(?::int, p.sheet_no) AND p.parcel_no = ?"
                        + ") p ORDER BY p.id, p.score DESC, p.numbered_there DESC) p" + JOINS
                        + " ORDER BY p.score DESC, p.numbered_there DESC, p.commune_code, p.sheet_no LIMIT ?";
                // the words and the ward's number come first here: the CTE's parameters precede the feature's
                Matcher wardNo = WARD.matcher(rest);
                Integer ward = wardNo.find() ? Integer.valueOf(wardNo.group(1)) : null;
                args.addAll(0, java.util.Arrays.asList(words, ward, ward));
                args.add(hasSheet ? Integer.valueOf(sheet.group(1)) : null);
                args.add(Integer.parseInt(parcel.group(1)));
            }
            args.add(hasSheet ? Integer.valueOf(sheet.group(1)) : null);
            args.add(Integer.parseInt(parcel.group(1)));
            args.add(limit);
            features.addAll(jdbc.queryForList(sql, String.class, args.toArray()));
            if (features.isEmpty() && hasSheet && !words.isEmpty()) {
                // the words name a commune of the register that has no such parcel: say what it has (another
                // commune's parcels of that number, found by their addresses, answered that it had them)
                missing = missingParcel(kind ? "cadastre.search_text(u.name)"
                                : "nullif(regexp_replace(cadastre.search_text(u.name), '^(phuong|xa|thi tran|dac khu) ([0-9]+$)?', ''), '')",
                        words, wardOf(rest), Integer.parseInt(sheet.group(1)), Integer.parseInt(parcel.group(1)));
            }
            if (features.isEmpty() && hasSheet && !words.isEmpty() && missing == null) {
                // the words name no commune: a street or hamlet ("thửa 10 tờ 2 đường Đỗ Trình Thoại"); the parcels of
                // that sheet and number ranked by how much of their address the words hold (it found nothing)
                features.addAll(jdbc.queryForList("SELECT " + feature(audience, ", 'match', 'number', 'score', round(p.score::numeric, 3)")
                        + " FROM (SELECT p.*, word_similarity(?, cadastre.search_text(coalesce(p.address, ''))) AS score FROM cadastre.parcel p"
                        + " WHERE p.valid_to IS NULL AND p.sheet_no = ? AND p.parcel_no = ?) p" + JOINS
                        + " ORDER BY p.score DESC, p.commune_code LIMIT ?", String.class, crs.srid(), crs.precision(), words,
                        Integer.valueOf(sheet.group(1)), Integer.parseInt(parcel.group(1)), limit));
            }
        }
        // a parcel number and nothing else ("thửa 12"): no commune or address is meant ("thua" found "Kênh Thủ Thừa")
        boolean numberAlone = hasParcel && !hasSheet && q.replace(parcel.group(), " ").isBlank();
        if (features.size() < limit && !numberAlone) {
            // the province's communes and districts, old and 2025 (the reference list holds the pilot provinces'
            // neighbours too: "Phường 1" answered Mỹ Tho's, now Đồng Tháp's, level with Tân An's and Tây Ninh's); each
            // named with what it lies in, those with a map first (a commune without boundaries or parcels leads nowhere)
            String unit = communeAbbreviations(q);
            features.addAll(jdbc.queryForList("""
                    SELECT json_build_object('type', 'Feature', 'id', 'commune-' || a.code,
                        'geometry', NULL,
                        'bbox', CASE WHEN a.geom IS NULL THEN NULL ELSE json_build_array(
                            round(ST_XMin(e)::numeric, ?), round(ST_YMin(e)::numeric, ?), round(ST_XMax(e)::numeric, ?), round(ST_YMax(e)::numeric, ?)) END,
                        'properties', json_build_object('match', 'commune', 'communeCode', a.code, 'name', a.name, 'kind', a.kind,
                            'level', a.level, 'within', a.within, 'era', a.era, 'mapped', a.mapped, 'score', round(a.score::numeric, 3)))::text
                    FROM (SELECT u.*, ST_Transform(ST_Envelope(u.geom), ?) AS e FROM (
                          SELECT u.code, u.name, u.kind, u.level, u.era, u.geom, u.within,
                                 word_similarity(?, cadastre.search_text(u.name)) AS score,
                                 u.geom IS NOT NULL OR EXISTS (SELECT 1 FROM cadastre.parcel x WHERE x.commune_code = u.code AND x.valid_to IS NULL)
                                   OR EXISTS (SELECT 1 FROM cadastre.parcel x JOIN cadastre.admin_unit_legacy c ON c.code = x.commune_code
                                              WHERE c.parent_code = u.code AND x.valid_to IS NULL) AS mapped
                          FROM (SELECT c.code, c.name, c.kind, c.level, 'legacy' AS era, c.geom,
                                       concat_ws(', ', d.name, pr.name) AS within
                                  FROM cadastre.admin_unit_legacy c
                                  LEFT JOIN cadastre.admin_unit_legacy d ON d.code = c.parent_code
                                  LEFT JOIN cadastre.admin_unit_legacy pr ON pr.code = d.parent_code
                                 WHERE c.level IN ('commune', 'district')
                                   AND (EXISTS (SELECT 1 FROM cadastre.commune_succession s JOIN cadastre.admin_unit n ON n.code = s.new_code
                                                JOIN cadastre.admin_unit_legacy l ON l.code = s.legacy_code
                                                WHERE (l.code = c.code OR l.parent_code = c.code) AND n.parent_code = ?)
                                        OR EXISTS (SELECT 1 FROM cadastre.parcel x WHERE x.commune_code = c.code))
                                UNION ALL
                                SELECT c.code, c.name, c.kind, c.level, '2025', c.geom, pr.name
                                  FROM cadastre.admin_unit c LEFT JOIN cadastre.admin_unit pr ON pr.code = c.parent_code
                                 WHERE c.level = 'commune' AND c.parent_code = ?) u
                          WHERE ? <% cadastre.search_text(u.name)
                            AND (?::int IS NULL OR u.level <> 'commune' OR substring(cadastre.search_text(u.name) from '^phuong ([0-9]+)$')::int = ?)
                          ORDER BY score DESC, mapped DESC, u.name LIMIT ?) u) a
                    ORDER BY a.score DESC, a.mapped DESC, a.name""", String.class, crs.precision(), crs.precision(), crs.precision(), crs.precision(),
                    crs.srid(), unit, province.code(), province.code(), unit, wardOf(unit), wardOf(unit), Math.min(5, limit - features.size())));
        }
        String address = numberAlone ? null : addressQuery(q);
        if (address != null && features.size() < limit) {
            features.addAll(jdbc.queryForList("SELECT " + feature(audience, ", 'match', 'address', 'score', round(p.score::numeric, 3)")
                    // the trigram index is over the distinct address strings (V18); the current parcels that carry
                    // a matching string are joined by their address
                    + " FROM (SELECT q.*, m.score FROM (SELECT DISTINCT ON (a.address) a.address, word_similarity(?, a.key) AS score"
                    + " FROM cadastre.address_text a WHERE ? <% a.key) m JOIN cadastre.parcel q ON q.address = m.address AND q.valid_to IS NULL"
                    + " ORDER BY m.score DESC, q.commune_code, q.sheet_no, q.parcel_no LIMIT ?) p" + JOINS + " ORDER BY p.score DESC, p.id",
                    // found by the query without its place-kind words, ranked by the whole query (a ward's number
                    // or a house number still tells two addresses of the same street apart)
                    String.class, crs.srid(), crs.precision(), q, address, limit - features.size()));
        }
        if (audience == Audience.OFFICER && features.size() < limit && !numberAlone) {
            features.addAll(jdbc.queryForList("SELECT " + feature(audience, ", 'match', 'party', 'score', round(p.score::numeric, 3)")
                    + " FROM (SELECT DISTINCT ON (q.id) q.*, similarity(?, cadastre.search_text(pa.full_name)) AS score"
                    + " FROM cadastre.party pa JOIN cadastre.land_right r ON r.party_id = pa.id"
                    + " JOIN cadastre.parcel q ON q.id = r.parcel_version AND q.valid_to IS NULL"
                    + " WHERE ? <% cadastre.search_text(pa.full_name) ORDER BY q.id, score DESC) p" + JOINS
                    + " ORDER BY p.score DESC, p.id LIMIT ?",
                    String.class, crs.srid(), crs.precision(), q, q, limit - features.size()));
        }
        // a parcel number alone ("thửa 272"): numbers are counted per map sheet of a commune, so it names hundreds of
        // parcels of the province, none of which is answered; what to add is (it answered nothing, without a word)
        String hint = features.isEmpty() && missing != null ? ",\"hint\":" + jsonString(missing)
                : features.isEmpty() && hasParcel && !hasSheet && !numberInCommune
                ? ",\"hint\":\"Số thửa được đánh theo từng tờ bản đồ của xã: thêm số tờ và tên xã, phường (ví dụ: thửa " + parcel.group(1)
                        + " tờ 12 phường 1) / parcel numbers run per map sheet of a commune: add the sheet number and the commune (e.g. thửa "
                        + parcel.group(1) + " tờ 12 phường 1)\"" : "";
        return "{\"type\":\"FeatureCollection\"," + crsMember(crs) + "\"features\":[" + String.join(",", features) + "]" + hint + "}";
    }

    /** The GeoJSON (2008) top-level {@code crs} member for a CRS other than WGS 84, with its comma; else nothing. */
    static String crsMember(SupportedCrs crs) {
        return crs.srid() == 4326 ? "" : "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:" + crs.srid() + "\"}},";
    }

    /** A feature's JSON with the top-level {@code crs} member when not in WGS 84 (GDAL and QGIS read it there). */
    static byte[] named(byte[] json, SupportedCrs crs) {
        if (crs.srid() == 4326 || json.length == 0 || json[0] != '{') {
            return json;
        }
        byte[] member = crsMember(crs).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[json.length + member.length];
        out[0] = '{';
        System.arraycopy(member, 0, out, 1, member.length);
        System.arraycopy(json, 1, out, 1 + member.length, json.length - 1);
        return out;
    }

    // ------------------------------------------------------------------ arguments

    private static void addAsOf(List<Object> args, OffsetDateTime asOf) {
        if (asOf != null) {
            args.add(asOf);
            args.add(asOf);
        }
    }

    /**
     * Parses {@code asOf}: a date (the register as it stood at the end of that day, Vietnam time) or an
     * ISO-8601 date-time with offset. Null stays null (now).
     */
    public static OffsetDateTime parseAsOf(String asOf) {
        if (asOf == null || asOf.isBlank()) {
            return null;
        }
        try {
            if (asOf.length() == 10) {
                // the last microsecond of the day: PostgreSQL keeps microseconds and would round LocalTime.MAX up to
                // the next midnight, where the next day's changes begin
                return LocalDate.parse(asOf).atTime(LAST_MICROSECOND).atZone(VIETNAM).toOffsetDateTime();
            }
            String t = asOf.strip();
            // a date-time without an offset ("2024-07-01T10:00:00", as forms and spreadsheets write it) is Vietnam's time
            if (!t.matches(".*(Z|z|[+-]\\d{2}(:?\\d{2})?)$")) {
                return java.time.LocalDateTime.parse(t).atZone(VIETNAM).toOffsetDateTime();
            }
            return OffsetDateTime.parse(t);
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest("invalid-as-of", "asOf phải là YYYY-MM-DD hoặc ngày giờ ISO-8601 / asOf must be YYYY-MM-DD or an ISO-8601 date-time");
        }
    }
}
