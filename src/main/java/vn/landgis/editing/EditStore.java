package vn.landgis.editing;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import org.locationtech.jts.io.WKBWriter;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import tools.jackson.databind.ObjectMapper;

import vn.landgis.geo.ProvinceProperties;

/**
 * The SQL of editing: reads and locks versions, transforms geometries, numbers parcels, writes changes, versions,
 * lineage, rights and audit. Bound parameters only; geometries travel as WKB. Runs inside the caller's
 * transaction where one is open. Thread-safe.
 */
@Component
class EditStore {

    private static final String COLUMNS = "p.id, p.parcel_id, p.commune_code, p.sheet_no, p.parcel_no, p.land_use_code, p.legal_area, "
            + "p.geom_area, p.address, ST_AsBinary(p.geom), p.valid_to IS NULL, p.land_use_other";

    static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;
    private final int storage;
    private final GeometryFactory factory;

    EditStore(JdbcTemplate jdbc, ProvinceProperties province) {
        this.jdbc = jdbc;
        this.storage = province.storageSrid();
        this.factory = new GeometryFactory(new PrecisionModel(), storage);
    }

    int storageSrid() {
        return storage;
    }

    GeometryFactory factory() {
        return factory;
    }

    // ------------------------------------------------------------------ geometries

    private Geometry wkb(byte[] bytes) throws SQLException {
        try {
            Geometry g = new WKBReader(factory).read(bytes);
            g.setSRID(storage);
            return g;
        } catch (ParseException e) {
            throw new SQLException("unreadable WKB", e);
        }
    }

    private static byte[] wkb(Geometry g) {
        return new WKBWriter(2).write(g);
    }

    /** A geometry in any supported CRS (SRID 0: already in the storage CRS) in the storage CRS. */
    Geometry toStorage(Geometry g) {
        if (g.getSRID() == 0 || g.getSRID() == storage) {
            Geometry copy = factory.createGeometry(g);
            copy.setSRID(storage);
            return copy;
        }
        return transform(g, g.getSRID(), storage);
    }

    Geometry transform(Geometry g, int from, int to) {
        if (from == to) {
            return g;
        }
        try {
            return jdbc.queryForObject("SELECT ST_AsBinary(ST_Transform(ST_GeomFromWKB(?, ?), ?))", (rs, i) -> {
                try {
                    Geometry out = new WKBReader(new GeometryFactory(new PrecisionModel(), to)).read(rs.getBytes(1));
                    out.setSRID(to);
                    return out;
                } catch (ParseException e) {
                    throw new SQLException("unreadable WKB", e);
                }
            }, wkb(g), from, to);
        } catch (DataAccessException e) {
            throw EditRejected.invalid("invalid-geometry", "Không chuyển được hệ tọa độ / the geometry cannot be transformed: "
                    + shorten(e.getMostSpecificCause().getMessage()));
        }
    }

    /** A GeoJSON geometry in {@code srid} (lon/lat for 4326), in the storage CRS. */
    Geometry fromGeoJson(String json, int srid) {
        try {
            return jdbc.queryForObject("SELECT ST_AsBinary(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(?), ?), ?))",
                    (rs, i) -> wkb(rs.getBytes(1)), json, srid, storage);
        } catch (DataAccessException e) {
            throw EditRejected.invalid("invalid-geometry", "GeoJSON không đọc được / unreadable GeoJSON geometry: "
                    + shorten(e.getMostSpecificCause().getMessage()));
        }
    }

    /** A storage-CRS geometry as GeoJSON in {@code srid}. */
    String toGeoJson(Geometry g, int srid, int decimals) {
        return jdbc.queryForObject("SELECT replace(ST_AsGeoJSON(ST_Transform(ST_GeomFromWKB(?, ?), ?), ?), '\"LANDGIS:', '\"EPSG:')", String.class, wkb(g), storage, srid, decimals);
    }

    static String shorten(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    // ------------------------------------------------------------------ reading and locking

    private Version version(ResultSet rs) throws SQLException {
        return new Version(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getString(6),
                rs.getBigDecimal(7), rs.getBigDecimal(8), rs.getString(9), wkb(rs.getBytes(10)), rs.getBoolean(11),
                rs.getArray(12) == null ? List.of() : List.of((String[]) rs.getArray(12).getArray()));
    }

    Optional<Version> version(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM cadastre.parcel p WHERE p.id = ?", (rs, i) -> version(rs), id).stream().findFirst();
    }

    /** Side of the grid cells of the area locks, in storage-CRS metres. */
    static final double CELL_M = 250;
    /** An edit whose area spans more cells than this takes the whole register instead (one lock, no cell list). */
    static final int MAX_CELLS = 256;
    // advisory lock keys: hashtext(..) keys (the sheet locks) are 32-bit and never reach these namespaces
    private static final long CELL_KEYS = 0x4C47_0000_0000_0000L;
    private static final long REGISTER_KEY = 0x4C48_0000_0000_0000L;

    /**
     * Serialises the edits of one area until the transaction ends: transaction-scoped advisory locks on the fixed
     * {@link #CELL_M} grid cells under {@code near} expanded by {@code distance} and under every current parcel within
     * {@code distance} of it (a neighbour may be noded, so the edit may change all of it), taken in key order so two
     * edits never wait on each other crosswise. Every edit of a parcel locks the cells under its old and new shapes,
     * so once these are held no uncommitted edit can touch the neighbourhood and the next statement (READ COMMITTED)
     * sees every version committed before. A row lock alone (SELECT .. FOR UPDATE) does not: a version closed while
     * waiting drops out of the result and its successor, committed after the statement began, is not in it; and an
     * edit in an empty place has no row to lock.
     *
     * @return the area the locks cover (everything when the edit took the whole register)
     */
    Envelope lockArea(Geometry near, double distance) {
        byte[] g = wkb(near);
        Envelope area = new Envelope(near.getEnvelopeInternal());
        area.expandBy(distance);
        jdbc.query("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(p.geom) e FROM cadastre.parcel p"
                        + " WHERE p.valid_to IS NULL AND p.geom && ST_Expand(ST_GeomFromWKB(?, ?), ?) AND ST_DWithin(p.geom, ST_GeomFromWKB(?, ?), ?)) x"
                        + " WHERE e IS NOT NULL",
                rs -> {
                    area.expandToInclude(new Envelope(rs.getDouble(1), rs.getDouble(3), rs.getDouble(2), rs.getDouble(4)));
                }, g, storage, distance, g, storage, distance);
        long x0 = (long) Math.floor(area.getMinX() / CELL_M);
        long x1 = (long) Math.floor(area.getMaxX() / CELL_M);
        long y0 = (long) Math.floor(area.getMinY() / CELL_M);
        long y1 = (long) Math.floor(area.getMaxY() / CELL_M);
        if ((x1 - x0 + 1) * (y1 - y0 + 1) > MAX_CELLS) {
            jdbc.queryForObject("SELECT pg_advisory_xact_lock(?)::text", String.class, REGISTER_KEY);
            return new Envelope(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        }
        jdbc.queryForObject("SELECT pg_advisory_xact_lock_shared(?)::text", String.class, REGISTER_KEY);
        List<Long> keys = new ArrayList<>();
        for (long x = x0; x <= x1; x++) {
            for (long y = y0; y <= y1; y++) {
                keys.add(CELL_KEYS | (x & 0xFF_FFFFL) << 24 | y & 0xFF_FFFFL);
            }
        }
        Collections.sort(keys);
        // unnest reads the sorted array in order, one lock after the other
        jdbc.queryForObject("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(?) WITH ORDINALITY AS t(k, n)", Long.class, longs(keys));
        return new Envelope(x0 * CELL_M, (x1 + 1) * CELL_M, y0 * CELL_M, (y1 + 1) * CELL_M);
    }

    /**
     * Locks, in id order, the current versions among {@code ids} and every current parcel within {@code distance} of
     * {@code near}, and returns them as they are now (a version closed meanwhile is not among them).
     */
    List<Version> lockNear(Collection<Long> ids, Geometry near, double distance) {
        byte[] g = wkb(near);
        return jdbc.query("SELECT " + COLUMNS + " FROM cadastre.parcel p WHERE p.valid_to IS NULL AND (p.id = ANY(?)"
                        + " OR (p.geom && ST_Expand(ST_GeomFromWKB(?, ?), ?) AND ST_DWithin(p.geom, ST_GeomFromWKB(?, ?), ?)))"
                        + " ORDER BY p.id FOR UPDATE",
                (rs, i) -> version(rs), longs(ids), g, storage, distance, g, storage, distance);
    }

    private Array longs(Collection<Long> ids) {
        return jdbc.execute((ConnectionCallback<Array>) c -> c.createArrayOf("bigint", ids.toArray()));
    }

    // ------------------------------------------------------------------ register facts

    /** The source CRS and scale of a map sheet, if the register knows the sheet. */
    Optional<int[]> sheet(String commune, int sheetNo) {
        return jdbc.query("SELECT source_srid, scale FROM cadastre.map_sheet WHERE commune_code = ? AND sheet_no = ?",
                (rs, i) -> new int[] {rs.getInt(1), rs.getInt(2)}, commune, sheetNo).stream().findFirst();
    }

    /** Area in m² measured in {@code srid} (the sheet's source CRS), as imports compute {@code geom_area}. */
    BigDecimal area(Geometry g, int srid) {
        return jdbc.queryForObject("SELECT round(ST_Area(ST_Transform(ST_GeomFromWKB(?, ?), ?))::numeric, 2)", BigDecimal.class,
                wkb(g), storage, srid);
    }

    boolean landUseCurrent(String code) {
        return jdbc.queryForObject("SELECT count(*) FROM cadastre.land_use_type WHERE code = ? AND current", Integer.class, code) > 0;
    }

    boolean communeExists(String code) {
        return jdbc.queryForObject("SELECT count(*) FROM cadastre.admin_unit_legacy WHERE code = ? AND level = 'commune'", Integer.class, code) > 0;
    }

    /** Serialises numbering per sheet until the transaction ends. */
    void lockSheet(String commune, int sheetNo) {
        jdbc.queryForObject("SELECT pg_advisory_xact_lock(hashtext(?))::text", String.class, "landgis.sheet:" + commune + ":" + sheetNo);
    }

    /** The next number never used on the sheet (numbers of retired parcels are not given again). */
    int nextParcelNo(String commune, int sheetNo) {
        return jdbc.queryForObject("SELECT coalesce(max(parcel_no), 0) + 1 FROM cadastre.parcel WHERE commune_code = ? AND sheet_no = ?",
                Integer.class, commune, sheetNo);
    }

    boolean numberTaken(String commune, int sheetNo, int parcelNo, Collection<Long> closing) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL AND commune_code = ? AND sheet_no = ? AND parcel_no = ?
                   AND NOT (id = ANY(?))""", Integer.class, commune, sheetNo, parcelNo, longs(closing)) > 0;
    }

    // ------------------------------------------------------------------ writing

    /** The instant of the edit, read after the locks are held: later than anything it closes was opened. */
    OffsetDateTime now() {
        return jdbc.queryForObject("SELECT clock_timestamp()", OffsetDateTime.class);
    }

    /**
     * The row triggers record this actor for every row the transaction writes; a lock held longer than 10 s by
     * another edit ends this one (a conflict) rather than queueing requests without bound.
     */
    void actor(String actor) {
        jdbc.queryForObject("SELECT set_config('landgis.actor', ?, true)", String.class, actor);
        jdbc.queryForObject("SELECT set_config('lock_timeout', '10s', true)", String.class);
    }

    long insertChange(String kind, String actor, String reason, OffsetDateTime at, Map<String, Object> details) {
        return jdbc.queryForObject("INSERT INTO cadastre.change (kind, happened_at, actor, reason, details) VALUES (?, ?, ?, ?, ?::jsonb) RETURNING id",
                Long.class, kind, at, actor, reason, JSON.writeValueAsString(details));
    }

    int close(Collection<Long> ids, long change, OffsetDateTime at) {
        return jdbc.update("UPDATE cadastre.parcel SET valid_to = ?, closed_by = ? WHERE id = ANY(?) AND valid_to IS NULL", at, change, longs(ids));
    }

    /** Writes the version; sets its id, parcel id and geometric area (measured in the sheet's source CRS). */
    void open(Plan.Opening o, long change, OffsetDateTime at) {
        ParcelAttributes a = o.attributes;
        long[] ids = jdbc.queryForObject("""
                INSERT INTO cadastre.parcel (parcel_id, commune_code, new_commune_code, sheet_no, parcel_no, land_use_code, legal_area,
                                             geom_area, address, geom, valid_from, opened_by, land_use_other)
                VALUES (coalesce(?, nextval('cadastre.parcel_id_seq')), ?,
                        (SELECT min(c.new_code) FROM cadastre.commune_succession c WHERE c.legacy_code = ?), ?, ?, ?, ?, ?, ?,
                        ST_Multi(ST_GeomFromWKB(?, ?)), ?, ?, ?::text[])
                RETURNING id, parcel_id""", (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)},
                o.parcelId, o.communeCode, o.communeCode, o.sheetNo, a.parcelNo(), a.landUseCode(), a.legalArea(), o.geomArea,
                a.address(), wkb(o.geom), storage, at, change,
                a.otherLandUses() == null || a.otherLandUses().isEmpty() ? null : a.otherLandUses().toArray(new String[0]));
        o.versionId = ids[0];
        o.parcelId = ids[1];
    }

    void lineage(long parent, long child, long change) {
        jdbc.update("INSERT INTO cadastre.parcel_lineage (parent_version, child_version, change_id) VALUES (?, ?, ?)", parent, child, change);
    }

    /** The rights held on the parents continue on the child until a new registration says otherwise. */
    void copyRights(List<Long> parents, long child) {
        jdbc.update("""
                INSERT INTO cadastre.land_right (parcel_version, party_id, right_type, share, certificate_no, certificate_date, term_until,
                                                 declared_in_batch)
                SELECT DISTINCT ON (party_id, right_type) ?, party_id, right_type, share, certificate_no, certificate_date, term_until,
                       declared_in_batch
                  FROM cadastre.land_right WHERE parcel_version = ANY(?) ORDER BY party_id, right_type, id""", child, longs(parents));
    }

    void audit(String actor, String action, String target, Map<String, Object> details, Object before, Object after) {
        jdbc.update("INSERT INTO audit.event (actor, action, target, details, before, after) VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb)",
                actor, action, target, JSON.writeValueAsString(details), before == null ? null : JSON.writeValueAsString(before),
                after == null ? null : JSON.writeValueAsString(after));
    }

    // ------------------------------------------------------------------ conflicts and undo

    /**
     * For versions the client thought current: who closed each and when, and the current versions that descend
     * from it (same parcel, or through lineage).
     */
    List<Map<String, Object>> currentState(Collection<Long> stale) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (long id : stale) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("versionId", id);
            List<Map<String, Object>> closedBy = jdbc.query("""
                    SELECT c.id, c.kind, c.actor, c.happened_at, c.reason FROM cadastre.parcel p JOIN cadastre.change c ON c.id = p.closed_by
                     WHERE p.id = ?""", (rs, i) -> {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("changeId", rs.getLong(1));
                c.put("kind", rs.getString(2));
                c.put("actor", rs.getString(3));
                c.put("happenedAt", rs.getObject(4, OffsetDateTime.class).toString());
                c.put("reason", rs.getString(5));
                return c;
            }, id);
            m.put("closedBy", closedBy.isEmpty() ? null : closedBy.getFirst());
            m.put("current", jdbc.query("""
                    WITH RECURSIVE down(id) AS (
                        SELECT id FROM cadastre.parcel WHERE id = ?
                        UNION
                        SELECT l.child_version FROM cadastre.parcel_lineage l JOIN down ON l.parent_version = down.id
                    )
                    SELECT p.id, p.parcel_id, p.commune_code, p.sheet_no, p.parcel_no, p.land_use_code, p.legal_area, p.geom_area, p.address,
                           p.land_use_other
                      FROM cadastre.parcel p
                     WHERE p.valid_to IS NULL AND (p.id IN (SELECT id FROM down) OR p.parcel_id = (SELECT parcel_id FROM cadastre.parcel WHERE id = ?))
                     ORDER BY p.id""", (rs, i) -> {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("versionId", rs.getLong(1));
                v.put("parcelId", rs.getLong(2));
                v.put("communeCode", rs.getString(3));
                v.put("sheetNo", rs.getInt(4));
                v.put("parcelNo", rs.getInt(5));
                v.put("landUseCode", rs.getString(6));
                v.put("legalArea", rs.getBigDecimal(7));
                v.put("geomArea", rs.getBigDecimal(8));
                v.put("address", rs.getString(9));
                v.put("otherLandUses", rs.getArray(10) == null ? List.of() : List.of((String[]) rs.getArray(10).getArray()));
                return v;
            }, id, id));
            out.add(m);
        }
        return out;
    }

    /**
     * The current version of the same parcel that {@code version} leads to through changes all made by {@code actor}
     * (attribute edits, reshapes), if there is exactly one.
     */
    Optional<Long> ownSuccessor(long version, String actor) {
        List<Long> ids = jdbc.queryForList("""
                WITH RECURSIVE chain(id) AS (
                    SELECT ?::bigint
                    UNION
                    SELECT l.child_version FROM chain
                      JOIN cadastre.parcel p ON p.id = chain.id
                      JOIN cadastre.change c ON c.id = p.closed_by AND c.actor = ?
                      JOIN cadastre.parcel_lineage l ON l.parent_version = p.id AND l.change_id = c.id
                      JOIN cadastre.parcel q ON q.id = l.child_version AND q.parcel_id = p.parcel_id
                )
                SELECT p.id FROM chain JOIN cadastre.parcel p ON p.id = chain.id WHERE p.valid_to IS NULL""", Long.class, version, actor);
        return ids.size() == 1 ? Optional.of(ids.getFirst()) : Optional.empty();
    }

    /** The last change of the dossier that is not an undo and has not been undone. */
    Optional<Long> lastChangeOfDossier(String dossier) {
        return jdbc.query("""
                SELECT c.id FROM cadastre.change c
                 WHERE c.details ->> 'dossier' = ? AND c.kind <> 'undo'
                   AND NOT EXISTS (SELECT 1 FROM cadastre.change u WHERE u.details ->> 'dossier' = ?
                                      AND u.kind = 'undo' AND u.details ->> 'undoes' = c.id::text)
                 ORDER BY c.id DESC LIMIT 1""", (rs, i) -> rs.getLong(1), dossier, dossier).stream().findFirst();
    }

    List<Long> versionsOpenedBy(long change) {
        return jdbc.queryForList("SELECT id FROM cadastre.parcel WHERE opened_by = ? ORDER BY id", Long.class, change);
    }

    List<Long> versionsClosedBy(long change) {
        return jdbc.queryForList("SELECT id FROM cadastre.parcel WHERE closed_by = ? ORDER BY id", Long.class, change);
    }

    /** Lineage edges a change wrote: parent version, child version. */
    List<long[]> lineageOf(long change) {
        return jdbc.query("SELECT parent_version, child_version FROM cadastre.parcel_lineage WHERE change_id = ? ORDER BY 1, 2",
                (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)}, change);
    }
}
