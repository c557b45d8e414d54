package vn.landgis.fieldreports;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.Normalizer;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.json.JsonMapper;

import vn.landgis.geo.ProvinceProperties;
import vn.landgis.geo.SupportedCrs;
import vn.landgis.platform.ApiProblem;

/**
 * Files, finds and moves field reports. A submission is checked whole (category, description, contacts,
 * attributes, photo, place) before anything is written; then one transaction inserts the report with its photo
 * and claims its submission keys (the {@code Idempotency-Key} and a fingerprint of its content) with
 * {@code INSERT ... ON CONFLICT}: when another submission holds a live key, this transaction rolls back and the
 * answer is that submission's report, so concurrent retries make exactly one report. Thread-safe.
 */
@Service
class ReportService {

    /** Internal statuses in workflow order; the public sees open (the first three) or closed. */
    static final List<String> STATUSES = List.of("open", "acknowledged", "in_progress", "closed");
    static final ZoneOffset VIETNAM = ZoneOffset.ofHours(7);
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private static final Pattern DECIMAL_COMMA = Pattern.compile("[+-]?\\d{1,3},\\d+");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]?NaN|[+-]?Infinity");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,190}\\.[^@\\s.]{2,63}");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9 .()-]{6,20}");
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");
    private static final tools.jackson.databind.ObjectMapper JSON = JsonMapper.builder().build();

    /** What POST requests answers. */
    record Receipt(long id, String token, String notice, boolean created) {
    }

    private final JdbcTemplate jdbc;
    /** The look-up of open reports nearby: a generic plan, reused (see {@link vn.landgis.platform.HotPathJdbc}). */
    private final JdbcTemplate hot;
    private final TransactionTemplate tx;
    /** Transactions of a submission: on the hot-path pool, where its statements run. */
    private final TransactionTemplate hotTx;
    private final ServiceCatalog services;
    private final Geolocator geolocator;
    private final FieldReportProperties properties;
    private final ProvinceProperties province;
    private final ApplicationEventPublisher events;
    private final PhotoInspector photos;
    private final RateLimiter limiter;

    ReportService(JdbcTemplate jdbc, vn.landgis.platform.HotPathJdbc hot, TransactionTemplate tx, ServiceCatalog services,
                  Geolocator geolocator, FieldReportProperties properties, ProvinceProperties province, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.hot = hot.jdbc();
        this.hotTx = hot.transactions();
        this.tx = tx;
        this.services = services;
        this.geolocator = geolocator;
        this.properties = properties;
        this.province = province;
        this.events = events;
        this.photos = new PhotoInspector(properties.maxPhotoMegapixels() * 1_000_000L, properties.maxDecodedPhotoMb() * 1024L * 1024L,
                properties.photoDecoders(), properties.photoDecodeWait().toMillis());
        this.limiter = new RateLimiter(properties.rateLimitRequests(), properties.rateLimitWindow().toMillis(), System::currentTimeMillis);
    }

    // ------------------------------------------------------------------ submit

    Receipt submit(Submission s) {
        String client = sha256(s.client() == null ? "" : s.client()).substring(0, 32);
        String idempotencyKey = s.idempotencyKey() == null || s.idempotencyKey().isBlank() ? null : s.idempotencyKey().strip();
        if (idempotencyKey != null && !KEY.matcher(idempotencyKey).matches()) {
            throw Open311Exception.badRequest("Idempotency-Key: 1-200 ký tự ASCII / Idempotency-Key must be 1-200 printable ASCII characters");
        }
        // the slot is taken before the work, in one step, and given back when nothing new was filed
        RateLimiter.Slot slot = limiter.tryAcquire(client);
        if (slot == null) {
            // a retry of a report already filed is answered even to a client over its limit
            if (idempotencyKey != null) {
                Optional<Receipt> known = existing("i:" + sha256(idempotencyKey));
                if (known.isPresent()) {
                    return known.get();
                }
            }
            long wait = limiter.retryAfterSeconds(client);
            throw new Open311Exception(429, "Quá nhiều phản ánh từ một nguồn; thử lại sau " + wait
                    + " giây / too many reports from this client; retry in " + wait + " s", wait);
        }
        Receipt r;
        try {
            r = file(s, client, idempotencyKey);
        } catch (RuntimeException | Error e) {
            limiter.release(slot);
            throw e;
        }
        if (!r.created()) {
            limiter.release(slot);
        }
        return r;
    }

    private Receipt file(Submission s, String client, String idempotencyKey) {
        String code = s.serviceCode() == null ? null : s.serviceCode().strip();
        if (code == null || code.isEmpty()) {
            throw Open311Exception.badRequest("Thiếu service_code / service_code is required");
        }
        ServiceCatalog.Service service = services.find(code).orElseThrow(() -> Open311Exception.badRequest(
                "Không có lĩnh vực '" + Geolocator.shorten(code) + "' / service_code not found; see services.json"));
        // optional by GeoReport v2 (a category and a place, a photo, already say something); the form asks for it
        String written = text(s.description(), "description", 4000);
        String description = written == null ? "" : written;
        String email = text(s.email(), "email", 254);
        if (email != null && !EMAIL.matcher(email).matches()) {
            throw Open311Exception.badRequest("Email không hợp lệ / email is malformed");
        }
        String phone = text(s.phone(), "phone", 30);
        if (phone != null && !PHONE.matcher(phone).matches()) {
            throw Open311Exception.badRequest("Số điện thoại không hợp lệ / phone is malformed");
        }
        String device = text(s.deviceId(), "device_id", 200);
        String first = text(s.firstName(), "first_name", 100);
        String last = text(s.lastName(), "last_name", 100);
        // the Vietnamese order, family name (Họ, last_name) first: "Nguyễn Thị Hoa"
        String name = first == null ? last : last == null ? first : last + " " + first;
        String address = text(s.addressString(), "address_string", 500);
        String mediaUrl = text(s.mediaUrl(), "media_url", 1000);
        if (mediaUrl != null && !mediaUrl.matches("https?://[^\\s<>\"]+")) {
            throw Open311Exception.badRequest("media_url phải là địa chỉ http(s) / media_url must be an http(s) URL");
        }
        Map<String, String> attributes = attributes(service, s.attributes());
        Double accuracy = null;
        if (s.accuracy() != null && !s.accuracy().isBlank()) {
            accuracy = number(s.accuracy(), "accuracy");
            if (!(accuracy >= 0 && accuracy <= 100_000)) {
                throw Open311Exception.badRequest("accuracy (m) phải từ 0 đến 100000 / accuracy must be within 0-100000 m");
            }
        }
        PhotoInspector.Photo photo = null;
        if (s.photo() != null && s.photoSize() > 0) {
            if (s.photoSize() > properties.maxPhotoBytes() || s.photo().length > properties.maxPhotoBytes()) {
                throw new Open311Exception(413, "Ảnh quá lớn: tối đa " + properties.maxPhotoMb() + " MB / media too large: at most "
                        + properties.maxPhotoMb() + " MB");
            }
            photo = photos.inspect(s.photo());
        }
        Geolocator.Place place = locate(s, photo, address);

        // the submission's keys, sorted so that concurrent submissions claim shared keys in one order (no deadlock)
        TreeMap<String, Long> keys = new TreeMap<>();
        if (idempotencyKey != null) {
            keys.put("i:" + sha256(idempotencyKey), properties.idempotencyWindow().toSeconds());
        }
        String who = email != null ? email.toLowerCase(Locale.ROOT) : device != null ? device : "";
        String where = place.source().startsWith("address") ? "a:" + normalise(address)
                : String.format(Locale.ROOT, "%.5f,%.5f", place.lon(), place.lat());
        keys.put("c:" + sha256(service.code() + "\n" + who + "\n" + normalise(description) + "\n" + where),
                properties.duplicateWindow().toSeconds());

        // like FixMyStreet: tell the citizen about open reports of the same kind within 50 m (perhaps the same problem)
        List<Long> nearby = hot.queryForList("""
                SELECT id FROM fieldreports.report WHERE service_code = ? AND status <> 'closed' AND published
                   AND ST_DWithin(geom, ST_SetSRID(ST_MakePoint(?, ?), ?), 50)
                 ORDER BY ST_Distance(geom, ST_SetSRID(ST_MakePoint(?, ?), ?)), id LIMIT 5""", Long.class,
                service.code(), place.x(), place.y(), province.storageSrid(), place.x(), place.y(), province.storageSrid());

        final PhotoInspector.Photo media = photo;
        final String addressText = address != null ? address : place.label();
        final String attributesJson = JSON.writeValueAsString(attributes);
        final Double acc = accuracy;
        String[] held = new String[1];
        // the report and its keys in one statement, on the hot-path pool (one round trip and a COMMIT; no JPA session)
        Receipt created = hotTx.execute(status -> {
            Object[] row = hot.queryForObject("""
                    WITH r AS (
                      INSERT INTO fieldreports.report (service_code, description, address, commune_code, legacy_commune_code,
                          district_code, parcel_id, parcel_sheet_no, parcel_no, zone_id, accuracy_m, reporter_name, reporter_phone,
                          reporter_email, reporter_device, client_hash, location_source, agency, due_at, attributes, media_url, geom)
                      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, """ + ServiceCatalog.ROUTE + """
                              , now() + make_interval(hours => ?), ?::jsonb, ?, ST_SetSRID(ST_MakePoint(?, ?), ?))
                      RETURNING id, token, agency),
                    -- keys are hex digests behind a one-letter prefix: safe inside an array literal
                    k AS (
                      INSERT INTO fieldreports.submission_key (key, report_id, expires_at)
                      SELECT u.key, r.id, now() + make_interval(secs => u.secs) FROM r, unnest(?::text[], ?::integer[]) AS u (key, secs)
                      ON CONFLICT (key) DO UPDATE SET report_id = EXCLUDED.report_id, expires_at = EXCLUDED.expires_at
                      WHERE fieldreports.submission_key.expires_at <= now()
                      RETURNING key)
                    SELECT r.id, r.token::text, r.agency, (SELECT array_agg(key) FROM k)::text[] FROM r""",
                    (rs, i) -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), claimed(rs.getArray(4))},
                    service.code(), description, addressText, place.communeCode(), place.legacyCommuneCode(), place.districtCode(),
                    place.parcelId(), place.sheetNo(), place.parcelNo(), place.zoneId(), acc, name, phone, email, device, client,
                    place.source(), service.code(), place.communeCode(), place.legacyCommuneCode(), place.communeCode(), service.code(),
                    service.code(), service.deadlineHours(), attributesJson, mediaUrl, place.x(), place.y(), province.storageSrid(),
                    "{" + String.join(",", keys.keySet()) + "}",
                    "{" + String.join(",", keys.values().stream().map(String::valueOf).toList()) + "}");
            long id = (Long) row[0];
            @SuppressWarnings("unchecked")
            List<String> claimed = (List<String>) row[3];
            if (claimed.size() < keys.size()) {
                held[0] = keys.keySet().stream().filter(k -> !claimed.contains(k)).findFirst().orElseThrow();
                status.setRollbackOnly();
                return null;
            }
            if (media != null) {
                hot.update("INSERT INTO fieldreports.media (report_id, content_type, bytes, public, original_size) VALUES (?, ?, ?, ?, ?)",
                        id, media.kind().contentType, media.stored(), media.publicCopy(), media.originalSize());
            }
            return new Receipt(id, (String) row[1], notice(place, (String) row[2], service, nearby), true);
        });
        if (created == null) {
            Receipt earlier = existing(held[0]).orElseThrow(() -> new IllegalStateException("submission key " + held[0] + " vanished"));
            if (held[0].startsWith("i:") && !sameSubmission(earlier.id(), service.code(), description, place.x(), place.y())) {
                // an Idempotency-Key names one submission: reused for another, it is the client's mistake, not a retry
                throw new Open311Exception(422, "Idempotency-Key này đã dùng cho một phản ánh khác / this Idempotency-Key was used for "
                        + "another request");
            }
            return earlier;
        }
        events.publishEvent(new ReportSubmitted(created.id(), place.lon(), place.lat()));
        return created;
    }

    private static List<String> claimed(java.sql.Array array) throws java.sql.SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    /**
     * Whether the report {@code id} was filed with this category and description at this place (within 25 m: a
     * retry's GPS fix moves), not another report under the same key.
     */
    private boolean sameSubmission(long id, String serviceCode, String description, double x, double y) {
        return Boolean.TRUE.equals(jdbc.query("""
                SELECT service_code, description, ST_DWithin(geom, ST_SetSRID(ST_MakePoint(?, ?), ST_SRID(geom)), 25)
                  FROM fieldreports.report WHERE id = ?""",
                rs -> rs.next() && rs.getString(1).equals(serviceCode) && normalise(rs.getString(2)).equals(normalise(description)) && rs.getBoolean(3),
                x, y, id));
    }

    /** The report a live submission key names. */
    private Optional<Receipt> existing(String key) {
        return jdbc.query("""
                SELECT r.id, r.token::text FROM fieldreports.submission_key k JOIN fieldreports.report r ON r.id = k.report_id
                WHERE k.key = ? AND k.expires_at > now()""", (rs, i) -> new Receipt(rs.getLong(1), rs.getString(2),
                "Phản ánh này đã được tiếp nhận trước đó / this report was already received", false), key).stream().findFirst();
    }

    private Geolocator.Place locate(Submission s, PhotoInspector.Photo photo, String address) {
        boolean hasLatLon = present(s.lat()) || present(s.lon());
        boolean hasXy = present(s.x()) || present(s.y());
        if (hasLatLon && hasXy) {
            throw Open311Exception.badRequest("Gửi lat/long hoặc x/y, không cả hai / send lat/long or x/y, not both");
        }
        if (hasLatLon) {
            if (!present(s.lat()) || !present(s.lon())) {
                throw Open311Exception.badRequest("Cần cả lat và long / lat and long go together");
            }
            return geolocator.atLonLat(number(s.lon(), "long"), number(s.lat(), "lat"), "point");
        }
        if (hasXy) {
            if (!present(s.x()) || !present(s.y())) {
                throw Open311Exception.badRequest("Cần cả x và y / x and y go together");
            }
            SupportedCrs crs = present(s.crs()) ? SupportedCrs.parse(s.crs()).orElseThrow(() -> Open311Exception.badRequest(
                    "Hệ tọa độ không hỗ trợ / unsupported crs; use e.g. EPSG:" + province.storageSrid()))
                    : SupportedCrs.bySrid(province.storageSrid()).orElseThrow();
            return geolocator.atXy(number(s.x(), "x"), number(s.y(), "y"), crs);
        }
        if (photo != null && photo.exifLonLat() != null) {
            return geolocator.atLonLat(photo.exifLonLat()[0], photo.exifLonLat()[1], "exif");
        }
        if (address != null) {
            return geolocator.atAddress(address);
        }
        throw Open311Exception.badRequest("Cần vị trí: lat/long, x/y (VN-2000), address_string hoặc ảnh có GPS / "
                + "a location is required: lat/long, x/y (VN-2000), address_string or a photo with GPS");
    }

    private static String notice(Geolocator.Place place, String agency, ServiceCatalog.Service service, List<Long> nearby) {
        String where = place.label() == null ? "" : "vị trí: " + place.label() + "; ";
        String near = nearby.isEmpty() ? "" : " Gần đó (50 m) đã có phản ánh cùng loại đang xử lý / open reports of this kind within 50 m: "
                + String.join(", ", nearby.stream().map(String::valueOf).toList()) + ".";
        return "Đã tiếp nhận phản ánh; " + where + "đơn vị xử lý: " + agency + "; hạn xử lý " + service.deadlineHours()
                + " giờ / received; handled by " + agency + " within " + service.deadlineHours() + " h." + near;
    }

    private Map<String, String> attributes(ServiceCatalog.Service service, Map<String, String> given) {
        Map<String, String> out = new TreeMap<>();
        Map<String, ServiceCatalog.Attribute> known = new LinkedHashMap<>();
        service.attributes().forEach(a -> known.put(a.code(), a));
        for (Map.Entry<String, String> e : given.entrySet()) {
            ServiceCatalog.Attribute a = known.get(e.getKey());
            if (a == null) {
                throw Open311Exception.badRequest("Thuộc tính không có trong lĩnh vực / unknown attribute[" + Geolocator.shorten(e.getKey())
                        + "] for service " + service.code());
            }
            String v = text(e.getValue(), "attribute[" + a.code() + "]", 500);
            if (v == null) {
                continue;
            }
            switch (a.datatype()) {
                case "number" -> {
                    double d = number(v, "attribute[" + a.code() + "]");
                    if (!Double.isFinite(d)) {
                        throw Open311Exception.badRequest("attribute[" + a.code() + "] phải là số / must be a number");
                    }
                }
                case "datetime" -> parseDate(v, "attribute[" + a.code() + "]");
                case "singlevaluelist" -> {
                    if (a.values().stream().noneMatch(x -> x.get("key").equals(v))) {
                        throw Open311Exception.badRequest("attribute[" + a.code() + "]: giá trị không hợp lệ / not one of the listed keys");
                    }
                }
                default -> { }
            }
            out.put(a.code(), v);
        }
        for (ServiceCatalog.Attribute a : service.attributes()) {
            if (a.required() && !out.containsKey(a.code())) {
                throw Open311Exception.badRequest("Thiếu attribute[" + a.code() + "] / attribute[" + a.code() + "] is required");
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ read

    /** The Open311 filters of GET requests, checked; null fields are absent. */
    record Query(String ids, String serviceCodes, OffsetDateTime start, OffsetDateTime end, String statuses, double[] bbox,
                 String commune) {
    }

    Query query(String ids, String serviceCodes, String start, String end, String status, String bbox, String commune) {
        if (present(ids) && !ids.matches("\\s*[0-9]{1,18}\\s*(,\\s*[0-9]{1,18}\\s*){0,199}")) {
            throw Open311Exception.badRequest("service_request_id: danh sách số cách nhau bởi dấu phẩy / a comma-separated list of ids");
        }
        if (present(serviceCodes) && !serviceCodes.matches("[a-z0-9_]{1,41}(,[a-z0-9_]{1,41}){0,49}")) {
            throw Open311Exception.badRequest("service_code không hợp lệ / service_code is malformed");
        }
        List<String> statuses = new ArrayList<>();
        if (present(status)) {
            for (String st : status.split(",")) {
                switch (st.strip().toLowerCase(Locale.ROOT)) {
                    case "open" -> statuses.addAll(STATUSES.subList(0, 3));
                    case "closed" -> statuses.add("closed");
                    case "acknowledged", "in_progress" -> statuses.add(st.strip().toLowerCase(Locale.ROOT));
                    default -> throw Open311Exception.badRequest("status: open hoặc closed / status must be open or closed");
                }
            }
        }
        double[] box = null;
        if (present(bbox)) {
            String[] p = bbox.split(",");
            if (p.length != 4) {
                throw Open311Exception.badRequest("bbox = minLong,minLat,maxLong,maxLat (WGS 84)");
            }
            box = new double[4];
            for (int i = 0; i < 4; i++) {
                box[i] = number(p[i].strip(), "bbox");
            }
            if (!(Double.isFinite(box[0]) && Double.isFinite(box[1]) && Double.isFinite(box[2]) && Double.isFinite(box[3]))
                    || box[0] >= box[2] || box[1] >= box[3] || Math.abs(box[0]) > 180 || Math.abs(box[2]) > 180
                    || Math.abs(box[1]) > 90 || Math.abs(box[3]) > 90) {
                throw Open311Exception.badRequest("bbox = minLong,minLat,maxLong,maxLat (WGS 84), min < max");
            }
        }
        if (present(commune) && !commune.strip().matches("[0-9]{2,6}")) {
            throw Open311Exception.badRequest("commune: mã đơn vị hành chính (số) / commune must be an administrative unit code");
        }
        OffsetDateTime from = present(start) ? parseDate(start, "start_date") : null;
        OffsetDateTime to = present(end) ? parseDate(end, "end_date") : null;
        if (from != null && to != null && from.isAfter(to)) {
            throw Open311Exception.badRequest("start_date sau end_date / start_date is after end_date");
        }
        return new Query(present(ids) ? ids.replaceAll("\\s", "") : null, present(serviceCodes) ? serviceCodes : null, from, to,
                statuses.isEmpty() ? null : String.join(",", statuses), box, present(commune) ? commune.strip() : null);
    }

    private static final String SELECT = """
            SELECT r.id, r.status, r.status_notes, r.public_status_notes, s.name_vi, r.service_code, r.description, r.public_description,
                   r.agency, r.reported_at, r.updated_at, r.due_at, r.address, r.public_address, ST_Y(w.g) AS lat, ST_X(w.g) AS lon, r.media_url, m.content_type, r.commune_code, c.name AS commune_name,
                   r.legacy_commune_code, l.name AS legacy_commune_name, r.district_code, r.parcel_id, r.parcel_sheet_no, r.parcel_no,
                   z.zone_code, r.accuracy_m, r.location_source, r.closed_at, r.attributes::text AS attributes
              FROM fieldreports.report r
              JOIN fieldreports.service s ON s.code = r.service_code
              CROSS JOIN LATERAL (SELECT ST_Transform(r.geom, 4326) AS g) w
              LEFT JOIN fieldreports.media m ON m.report_id = r.id AND m.public
              LEFT JOIN cadastre.admin_unit c ON c.code = r.commune_code
              LEFT JOIN cadastre.admin_unit_legacy l ON l.code = r.legacy_commune_code
              LEFT JOIN planning.zone z ON z.id = r.zone_id
            """;

    /**
     * Published reports matching the query, newest first, at most 1000; without ids or dates, the last 90 days
     * (the spec's defaults). Public columns only: the reporter is never selected here.
     */
    List<Map<String, Object>> find(Query q, String mediaBase, boolean extensions) {
        return find(q, mediaBase, extensions, false);
    }

    /** The officers' work list: the same query over every report, hidden ones too, with the reporter. */
    List<Map<String, Object>> findForOfficer(Query q, String mediaBase) {
        return find(q, mediaBase, true, true);
    }

    private List<Map<String, Object>> find(Query q, String mediaBase, boolean extensions, boolean officer) {
        StringBuilder sql = new StringBuilder(officer ? SELECT.replace(" FROM fieldreports.report r", REPORTER + " FROM fieldreports.report r")
                : SELECT).append(officer ? " WHERE true" : " WHERE r.published");
        List<Object> args = new ArrayList<>();
        if (q.ids() != null) {
            sql.append(" AND r.id = ANY (string_to_array(?, ',')::bigint[])");
            args.add(q.ids());
        } else {
            if (q.serviceCodes() != null) {
                sql.append(" AND r.service_code = ANY (string_to_array(?, ','))");
                args.add(q.serviceCodes());
            }
            if (q.statuses() != null) {
                sql.append(" AND r.status = ANY (string_to_array(?, ','))");
                args.add(q.statuses());
            }
            if (q.start() == null && q.end() == null) {
                sql.append(" AND r.reported_at >= now() - interval '90 days'");
            }
            if (q.start() != null) {
                sql.append(" AND r.reported_at >= ?");
                args.add(q.start());
            }
            if (q.end() != null) {
                sql.append(" AND r.reported_at <= ?");
                args.add(q.end());
            }
            if (q.bbox() != null) {
                sql.append(" AND r.geom && ST_Transform(ST_MakeEnvelope(?, ?, ?, ?, 4326), ").append(province.storageSrid()).append(")")
                        .append(" AND ST_Intersects(w.g, ST_MakeEnvelope(?, ?, ?, ?, 4326))");
                for (int i = 0; i < 2; i++) {
                    for (double d : q.bbox()) {
                        args.add(d);
                    }
                }
            }
            if (q.commune() != null) {
                sql.append(" AND (r.commune_code = ? OR r.legacy_commune_code = ? OR r.district_code = ?)");
                args.add(q.commune());
                args.add(q.commune());
                args.add(q.commune());
            }
        }
        sql.append(" ORDER BY r.reported_at DESC, r.id DESC LIMIT 1000");
        return jdbc.query(sql.toString(), (rs, i) -> {
            Map<String, Object> m = open311(rs, mediaBase, extensions, officer);
            if (officer) {
                for (String c : new String[] {"reporter_name", "reporter_phone", "reporter_email", "reporter_device", "published"}) {
                    m.put(c, rs.getObject(c));
                }
            }
            return m;
        }, args.toArray());
    }

    /** The reporter's columns, personal data: officers' queries only. */
    private static final String REPORTER = ", r.reporter_name, r.reporter_phone, r.reporter_email, r.reporter_device, r.published";

    /** One published report by id, as Open311 shows it. */
    Optional<Map<String, Object>> find(long id, String mediaBase, boolean extensions) {
        return jdbc.query(SELECT + " WHERE r.published AND r.id = ?", (rs, i) -> open311(rs, mediaBase, extensions, false), id).stream().findFirst();
    }

    /** The report a token was issued for. */
    Optional<Long> byToken(String token) {
        if (!token.matches("[0-9a-fA-F-]{36}")) {
            return Optional.empty();
        }
        return jdbc.queryForList("SELECT id FROM fieldreports.report WHERE token = ?::uuid AND published", Long.class, token).stream().findFirst();
    }

    /**
     * The GeoReport v2 fields in the spec's order; with {@code extensions}, the placement as extended_attributes. The
     * free texts (description, status notes, address) as written for officers ({@code asWritten}), else their public
     * twins: contacts typed into them hidden (V20, {@code fieldreports.public_text}).
     */
    private Map<String, Object> open311(ResultSet rs, String mediaBase, boolean extensions, boolean asWritten) throws SQLException {
        String written = asWritten ? "" : "public_";
        Map<String, Object> m = new LinkedHashMap<>();
        long id = rs.getLong("id");
        String status = rs.getString("status");
        m.put("service_request_id", String.valueOf(id));
        m.put("status", "closed".equals(status) ? "closed" : "open");
        m.put("status_notes", rs.getString(written + "status_notes"));
        m.put("service_name", rs.getString("name_vi"));
        m.put("service_code", rs.getString("service_code"));
        m.put("description", rs.getString(written + "description"));
        m.put("agency_responsible", rs.getString("agency"));
        m.put("service_notice", null);
        m.put("requested_datetime", iso(rs.getObject("reported_at", OffsetDateTime.class)));
        m.put("updated_datetime", iso(rs.getObject("updated_at", OffsetDateTime.class)));
        m.put("expected_datetime", iso(rs.getObject("due_at", OffsetDateTime.class)));
        m.put("address", rs.getString(written + "address"));
        m.put("address_id", null);
        m.put("zipcode", null);
        m.put("lat", round(rs.getDouble("lat")));
        m.put("long", round(rs.getDouble("lon")));
        String contentType = rs.getString("content_type");
        m.put("media_url", contentType != null ? mediaBase + id + (contentType.equals("image/png") ? ".png" : ".jpg") : rs.getString("media_url"));
        if (extensions) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("internal_status", status);
            x.put("commune_code", rs.getString("commune_code"));
            x.put("commune_name", rs.getString("commune_name"));
            x.put("legacy_commune_code", rs.getString("legacy_commune_code"));
            x.put("legacy_commune_name", rs.getString("legacy_commune_name"));
            x.put("district_code", rs.getString("district_code"));
            x.put("parcel_id", rs.getObject("parcel_id"));
            x.put("parcel_sheet_no", rs.getObject("parcel_sheet_no"));
            x.put("parcel_no", rs.getObject("parcel_no"));
            x.put("planning_zone", rs.getString("zone_code"));
            x.put("accuracy_m", rs.getObject("accuracy_m"));
            x.put("location_source", rs.getString("location_source"));
            x.put("closed_datetime", iso(rs.getObject("closed_at", OffsetDateTime.class)));
            m.put("extended_attributes", x);
        }
        return m;
    }

    /** The officer's view: everything, the reporter and the status history included. */
    Optional<Map<String, Object>> officerView(long id, String mediaBase) {
        Optional<Map<String, Object>> base = jdbc.query(SELECT + " WHERE r.id = ?", (rs, i) -> open311(rs, mediaBase, true, true), id)
                .stream().findFirst();
        base.ifPresent(m -> {
            m.putAll(jdbc.queryForMap("""
                    SELECT r.reporter_name, r.reporter_phone, r.reporter_email, r.reporter_device, r.published, r.attributes::text AS attributes,
                           r.token::text AS token, (SELECT content_type FROM fieldreports.media WHERE report_id = r.id) AS media_type
                    FROM fieldreports.report r WHERE r.id = ?""", id));
            m.put("history", jdbc.queryForList("""
                    SELECT from_status, to_status, notes, actor, changed_at FROM fieldreports.status_change
                    WHERE report_id = ? ORDER BY changed_at, id""", id));
        });
        return base;
    }

    /** A photo: the public copy (EXIF stripped) for anyone, else nothing; the stored one for officers. */
    Optional<Map<String, Object>> media(long id, boolean officer) {
        return jdbc.queryForList("SELECT m.content_type, m.bytes FROM fieldreports.media m JOIN fieldreports.report r ON r.id = m.report_id "
                + "WHERE m.report_id = ?" + (officer ? "" : " AND m.public AND r.published"), id).stream().findFirst();
    }

    // ------------------------------------------------------------------ workflow

    /**
     * Moves a report forward in open → acknowledged → in_progress → closed (steps may be skipped; closing needs
     * notes, which the public sees), with an audit row. Refused (409) when the move goes backwards or the report is
     * already there.
     */
    Map<String, Object> changeStatus(long id, String to, String notes, String actor) {
        String target = to == null ? "" : to.strip().toLowerCase(Locale.ROOT);
        if (!STATUSES.contains(target)) {
            throw ApiProblem.badRequest("invalid-status", "Trạng thái phải là một trong " + STATUSES + " / status must be one of " + STATUSES);
        }
        String text = notes == null || notes.isBlank() ? null : Normalizer.normalize(notes.strip(), Normalizer.Form.NFC);
        if (text != null && text.length() > 4000) {
            throw ApiProblem.badRequest("invalid-notes", "Ghi chú tối đa 4000 ký tự / notes: at most 4000 characters");
        }
        if (target.equals("closed") && text == null) {
            throw ApiProblem.badRequest("notes-required", "Cần ghi chú kết quả xử lý khi đóng / closing needs notes on the outcome");
        }
        double[] lonLat = tx.execute(status -> {
            List<String> current = jdbc.queryForList("SELECT status FROM fieldreports.report WHERE id = ? FOR UPDATE", String.class, id);
            if (current.isEmpty()) {
                throw ApiProblem.notFound("report-not-found", "Không có phản ánh " + id + " / no report " + id);
            }
            String from = current.getFirst();
            if (STATUSES.indexOf(target) <= STATUSES.indexOf(from)) {
                throw new ApiProblem(HttpStatus.CONFLICT, "invalid-transition", "Không thể chuyển từ " + from + " sang " + target
                        + " / cannot move from " + from + " to " + target + " (open → acknowledged → in_progress → closed)");
            }
            jdbc.update("""
                    UPDATE fieldreports.report SET status = ?, status_notes = coalesce(?, status_notes), updated_at = now(),
                           closed_at = CASE WHEN ? = 'closed' THEN now() ELSE closed_at END WHERE id = ?""", target, text, target, id);
            jdbc.update("INSERT INTO fieldreports.status_change (report_id, from_status, to_status, notes, actor) VALUES (?, ?, ?, ?, ?)",
                    id, from, target, text, actor);
            jdbc.update("INSERT INTO audit.event (actor, action, target, details) VALUES (?, 'field-report-status', ?, "
                    + "jsonb_build_object('from', ?::text, 'to', ?::text))", actor, "fieldreports.report/" + id, from, target);
            return lonLat(id);
        });
        events.publishEvent(new ReportStatusChanged(id, target, lonLat[0], lonLat[1]));
        return Map.of("id", id, "status", target);
    }

    /** Hides a report (spam, abuse, withdrawn) from every public answer and the map, or shows it again; audited. */
    void publish(long id, boolean published, String actor) {
        Map<String, Object> was = tx.execute(status -> {
            List<Map<String, Object>> current = jdbc.queryForList("SELECT published, status FROM fieldreports.report WHERE id = ? FOR UPDATE", id);
            if (current.isEmpty()) {
                throw ApiProblem.notFound("report-not-found", "Không có phản ánh " + id + " / no report " + id);
            }
            jdbc.update("UPDATE fieldreports.report SET published = ?, updated_at = now() WHERE id = ?", published, id);
            jdbc.update("INSERT INTO audit.event (actor, action, target, details) VALUES (?, 'field-report-published', ?, "
                    + "jsonb_build_object('published', ?::boolean))", actor, "fieldreports.report/" + id, published);
            return current.getFirst();
        });
        if (!Boolean.valueOf(published).equals(was.get("published"))) {
            double[] lonLat = lonLat(id);
            events.publishEvent(new ReportStatusChanged(id, (String) was.get("status"), lonLat[0], lonLat[1]));
        }
    }

    private double[] lonLat(long id) {
        return jdbc.queryForObject("SELECT ARRAY[ST_X(g), ST_Y(g)] FROM (SELECT ST_Transform(geom, 4326) g FROM fieldreports.report WHERE id = ?) s",
                (rs, i) -> {
                    Double[] a = (Double[]) rs.getArray(1).getArray();
                    return new double[] {a[0], a[1]};
                }, id);
    }

    // ------------------------------------------------------------------ statistics

    /**
     * Counts of published reports filed in [from, to): total, by commune (post-2025), category and status; handled =
     * closed; on time = closed by the category's deadline; rates are handled / total and on time / handled.
     */
    Map<String, Object> statistics(OffsetDateTime from, OffsetDateTime to) {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT grouping(r.commune_code) AS g_commune, grouping(r.service_code) AS g_service, grouping(r.status) AS g_status,
                       r.commune_code, r.service_code, r.status, count(*) AS total,
                       count(*) FILTER (WHERE r.status = 'closed') AS handled,
                       count(*) FILTER (WHERE r.status = 'closed' AND r.closed_at <= r.due_at) AS on_time,
                       count(*) FILTER (WHERE r.status <> 'closed' AND r.due_at < now()) AS overdue
                  FROM fieldreports.report r
                 WHERE r.published AND r.reported_at >= ? AND r.reported_at < ?
                 GROUP BY GROUPING SETS ((), (r.commune_code), (r.service_code), (r.status))""", from, to);
        Map<String, String> serviceNames = new LinkedHashMap<>();
        services.all().forEach(s -> serviceNames.put(s.code(), s.nameVi()));
        Map<String, String> communeNames = new LinkedHashMap<>();
        jdbc.query("SELECT code, name FROM cadastre.admin_unit WHERE level = 'commune'", rs -> {
            communeNames.put(rs.getString(1), rs.getString(2));
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", iso(from));
        out.put("to", iso(to));
        out.putAll(counts(null));
        List<Map<String, Object>> byCommune = new ArrayList<>();
        List<Map<String, Object>> byCategory = new ArrayList<>();
        List<Map<String, Object>> byStatus = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            boolean commune = ((Number) r.get("g_commune")).intValue() == 0;
            boolean service = ((Number) r.get("g_service")).intValue() == 0;
            boolean status = ((Number) r.get("g_status")).intValue() == 0;
            if (commune) {
                String code = (String) r.get("commune_code");
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("code", code);
                c.put("name", code == null ? null : communeNames.get(code));
                c.putAll(counts(r));
                byCommune.add(c);
            } else if (service) {
                String code = (String) r.get("service_code");
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("code", code);
                c.put("name", serviceNames.get(code));
                c.putAll(counts(r));
                byCategory.add(c);
            } else if (status) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("status", r.get("status"));
                c.put("total", ((Number) r.get("total")).longValue());
                byStatus.add(c);
            } else {
                out.putAll(counts(r));
            }
        }
        java.util.Comparator<Map<String, Object>> byTotal = java.util.Comparator.comparing(m -> -((Number) m.get("total")).longValue());
        byCommune.sort(byTotal);
        byCategory.sort(byTotal);
        byStatus.sort(java.util.Comparator.comparing(m -> STATUSES.indexOf((String) m.get("status"))));
        out.put("byStatus", byStatus);
        out.put("byCategory", byCategory);
        out.put("byCommune", byCommune);
        return out;
    }

    private static Map<String, Object> counts(Map<String, Object> row) {
        long total = row == null ? 0 : ((Number) row.get("total")).longValue();
        long handled = row == null ? 0 : ((Number) row.get("handled")).longValue();
        long onTime = row == null ? 0 : ((Number) row.get("on_time")).longValue();
        long overdue = row == null ? 0 : ((Number) row.get("overdue")).longValue();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total", total);
        m.put("handled", handled);
        m.put("onTime", onTime);
        m.put("overdue", overdue);
        m.put("handledRate", total == 0 ? null : Math.round(10000.0 * handled / total) / 10000.0);
        m.put("onTimeRate", handled == 0 ? null : Math.round(10000.0 * onTime / handled) / 10000.0);
        return m;
    }

    // ------------------------------------------------------------------ helpers

    static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    /** NFC, stripped, null when blank; too long or with control characters (other than line breaks, tabs): refused. */
    static String text(String value, String field, int max) {
        if (value == null) {
            return null;
        }
        String t = Normalizer.normalize(value.strip(), Normalizer.Form.NFC);
        if (t.isEmpty()) {
            return null;
        }
        if (t.length() > max) {
            throw Open311Exception.badRequest(field + ": tối đa " + max + " ký tự / at most " + max + " characters");
        }
        if (t.chars().anyMatch(c -> (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f)) {
            throw Open311Exception.badRequest(field + ": chứa ký tự điều khiển / contains control characters");
        }
        return t;
    }

    static double number(String s, String field) {
        String t = s.strip();
        if (DECIMAL_COMMA.matcher(t).matches()) {
            // a phone's keyboard in Vietnamese writes "10,5399": a coordinate has no thousands, the comma is the decimal one
            t = t.replace(',', '.');
        }
        if (!NUMBER.matcher(t).matches()) {
            throw Open311Exception.badRequest(field + " phải là số / " + field + " must be a number");
        }
        return Double.parseDouble(t);
    }

    static OffsetDateTime parseDate(String s, String field) {
        String t = s.strip();
        try {
            if (t.length() == 10) {
                return java.time.LocalDate.parse(t).atStartOfDay().atOffset(VIETNAM);
            }
            return OffsetDateTime.parse(t);
        } catch (java.time.format.DateTimeParseException e) {
            throw Open311Exception.badRequest(field + ": ngày (2026-01-31, từ 0 giờ giờ Việt Nam) hoặc ngày giờ ISO 8601 có múi giờ / must be a "
                    + "date (2026-01-31, from midnight Vietnam time) or an ISO 8601 date-time with offset, e.g. 2026-01-31T08:15:30+07:00");
        }
    }

    static String iso(OffsetDateTime t) {
        return t == null ? null : ISO.format(t.withOffsetSameInstant(VIETNAM).truncatedTo(ChronoUnit.SECONDS));
    }

    private static double round(double d) {
        return Math.round(d * 1e6) / 1e6;
    }

    private static String normalise(String s) {
        return s == null ? "" : Normalizer.normalize(s, Normalizer.Form.NFC).toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
