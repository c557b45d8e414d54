package vn.landgis.planning;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.io.WKBWriter;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

import vn.landgis.geo.GeoJsonGeometry;
import vn.landgis.geo.ProvinceProperties;
import vn.landgis.geo.SupportedCrs;
import vn.landgis.platform.ApiProblem;

/**
 * Planners keep the plans: publish a draft (in force), supersede, correct the decision cited, edit a zone's
 * planned use, indicators or shape, remove a draft. Each change is one transaction with an audit event holding
 * the row before and after; the map tiles under it are then evicted ({@link PlansChanged}).
 */
@RestController
class PlanEditor {

    private static final Set<String> STATUSES = Set.of("in_force", "superseded", "draft");
    /** A plan's life: a draft comes into force, a plan in force is superseded; nothing goes back. */
    private static final Set<String> TRANSITIONS = Set.of("draft>in_force", "in_force>superseded");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final ProvinceProperties province;

    PlanEditor(JdbcTemplate jdbc, TransactionTemplate tx, ApplicationEventPublisher events, ProvinceProperties province) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.events = events;
        this.province = province;
    }

    /** {@code {"status": "in_force", "name": ..., "decision": {"number", "date", "body"}}}: only the members given change. */
    @PatchMapping(path = "/api/planning/plans/{id:[0-9]+}", produces = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasAnyRole('PLANNER', 'LAND_OFFICER')")
    Map<String, Object> patchPlan(@PathVariable long id, @RequestBody JsonNode body, Authentication auth) {
        String current = jdbc.query("SELECT status FROM planning.plan WHERE id = ?", rs -> rs.next() ? rs.getString(1) : null, id);
        if (current == null) {
            throw ApiProblem.notFound("unknown-plan", "Không có quy hoạch " + id + " / no plan " + id);
        }
        List<String> sets = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (body.has("status")) {
            String s = body.get("status").asString("");
            if (!STATUSES.contains(s)) {
                throw ApiProblem.badRequest("invalid-status", "status: in_force, superseded hoặc draft / status must be in_force, superseded or draft");
            }
            if (!s.equals(current) && !TRANSITIONS.contains(current + ">" + s)) {
                throw new ApiProblem(HttpStatus.CONFLICT, "invalid-transition", "Không thể chuyển quy hoạch từ " + current + " sang " + s
                        + " (chỉ: dự thảo → có hiệu lực → hết hiệu lực) / a plan goes draft → in_force → superseded only, not "
                        + current + " → " + s);
            }
            sets.add("status = ?");
            args.add(s);
            if (s.equals("superseded") && current.equals("in_force")) {
                sets.add("superseded_at = now()");   // planning answers as of an earlier date still take it (V23)
            }
        }
        if (body.has("name")) {
            String n = body.get("name").asString("").strip();
            if (n.isEmpty() || n.length() > 500) {
                throw ApiProblem.badRequest("invalid-name", "Tên quy hoạch 1-500 ký tự / a plan name of 1-500 characters");
            }
            sets.add("name = ?");
            args.add(java.text.Normalizer.normalize(n, java.text.Normalizer.Form.NFC));
        }
        JsonNode d = body.path("decision");
        if (d.has("number")) {
            sets.add("decision_no = ?");
            args.add(d.get("number").asString());
        }
        if (d.has("date")) {
            try {
                args.add(d.get("date").isNull() ? null : LocalDate.parse(d.get("date").asString()));
            } catch (DateTimeParseException e) {
                throw ApiProblem.badRequest("invalid-date", "Ngày quyết định YYYY-MM-DD / decision.date must be YYYY-MM-DD");
            }
            sets.add("decision_date = ?");
        }
        if (d.has("body")) {
            sets.add("decision_body = ?");
            args.add(d.get("body").asString());
        }
        if (sets.isEmpty()) {
            throw ApiProblem.badRequest("nothing-to-change", "Không có gì để sửa / nothing to change");
        }
        args.add(id);
        args.add(current);
        return change("planning.plan", id, id, auth, "plan-edit", () -> {
            if (jdbc.update("UPDATE planning.plan SET " + String.join(", ", sets) + " WHERE id = ? AND status = ?", args.toArray()) == 0) {
                throw new ApiProblem(HttpStatus.CONFLICT, "concurrent-change", "Quy hoạch vừa được người khác đổi trạng thái / the plan's status changed meanwhile");
            }
        });
    }

    /**
     * {@code {"zoneCode", "landUseCode", "buildingDensity", "maxFloors", "heightLimitM", "floorAreaRatio", "setbackM",
     * "note", "geometry"}} (geometry: GeoJSON Polygon/MultiPolygon in {@code crs}, WGS 84 by default).
     */
    @PatchMapping(path = "/api/planning/zones/{id:[0-9]+}", produces = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasAnyRole('PLANNER', 'LAND_OFFICER')")
    Map<String, Object> patchZone(@PathVariable long id, @RequestBody JsonNode body, @RequestParam(required = false) String crs,
                                  Authentication auth) {
        Long planId = jdbc.query("SELECT plan_id FROM planning.zone WHERE id = ?", rs -> rs.next() ? rs.getLong(1) : null, id);
        if (planId == null) {
            throw ApiProblem.notFound("unknown-zone", "Không có khu " + id + " / no zone " + id);
        }
        List<String> sets = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (body.has("zoneCode")) {
            String c = body.get("zoneCode").asString("").strip();
            if (c.isEmpty() || c.length() > 50) {
                throw ApiProblem.badRequest("invalid-zone-code", "Ký hiệu khu 1-50 ký tự / a zone code of 1-50 characters");
            }
            sets.add("zone_code = ?");
            args.add(c);
        }
        if (body.has("landUseCode")) {
            String c = body.get("landUseCode").asString("").strip().toUpperCase(java.util.Locale.ROOT);
            Integer known = jdbc.queryForObject("SELECT count(*) FROM cadastre.land_use_type WHERE code = ? AND current", Integer.class, c);
            if (known == null || known == 0) {
                throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "unknown-land-use",
                        "Mã loại đất không có trong danh mục 2024: " + c + " / not a land-use code of the 2024 list: " + c);
            }
            sets.add("land_use_code = ?");
            args.add(c);
        }
        number(body, "buildingDensity", "building_density", 0, 100, sets, args);
        number(body, "maxFloors", "max_floors", 0, 200, sets, args);
        number(body, "heightLimitM", "height_limit_m", 0, 1000, sets, args);
        number(body, "floorAreaRatio", "floor_area_ratio", 0, 100, sets, args);
        number(body, "setbackM", "setback_m", 0, 500, sets, args);
        if (body.has("note")) {
            sets.add("note = ?");
            args.add(body.get("note").isNull() ? null : body.get("note").asString());
        }
        if (body.has("geometry")) {
            SupportedCrs input = crs == null ? SupportedCrs.WGS84 : SupportedCrs.parse(crs)
                    .orElseThrow(() -> ApiProblem.badRequest("unsupported-crs", "Hệ tọa độ không được hỗ trợ / unsupported CRS"));
            Geometry g;
            try {
                g = GeoJsonGeometry.readPolygonal(body.get("geometry"), new GeometryFactory(new PrecisionModel(), input.srid()), 100_000).geometry();
            } catch (GeoJsonGeometry.Invalid e) {
                throw ApiProblem.badRequest(e.code(), e.getMessage());
            }
            var error = new IsValidOp(g).getValidationError();
            if (error != null) {
                throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-geometry", "Hình không hợp lệ: " + error.getMessage()
                        + " tại " + error.getCoordinate() + " / invalid geometry: " + error.getMessage() + " at " + error.getCoordinate());
            }
            for (var c : g.getCoordinates()) {
                double[] ll = input.geographic() ? new double[] {c.x, c.y} : input.toWgs84(c.x, c.y);
                if (!province.contains(ll[0], ll[1])) {
                    throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "outside-province", "Hình nằm ngoài tỉnh / the geometry is outside the province");
                }
            }
            sets.add("geom = ST_Multi(ST_Transform(ST_GeomFromWKB(?, ?), ?))");
            args.add(new WKBWriter(2).write(g));
            args.add(input.srid());
            args.add(province.storageSrid());
        }
        if (sets.isEmpty()) {
            throw ApiProblem.badRequest("nothing-to-change", "Không có gì để sửa / nothing to change");
        }
        args.add(id);
        return change("planning.zone", id, planId, auth, "zone-edit",
                () -> jdbc.update("UPDATE planning.zone SET " + String.join(", ", sets) + " WHERE id = ?", args.toArray()));
    }

    /** Only a draft may be removed; a plan once in force stays in the record as superseded. */
    @DeleteMapping(path = "/api/planning/plans/{id:[0-9]+}")
    @PreAuthorize("hasAnyRole('PLANNER', 'LAND_OFFICER')")
    org.springframework.http.ResponseEntity<Void> deleteDraft(@PathVariable long id, Authentication auth) {
        String status = jdbc.query("SELECT status FROM planning.plan WHERE id = ?", rs -> rs.next() ? rs.getString(1) : null, id);
        if (status == null) {
            throw ApiProblem.notFound("unknown-plan", "Không có quy hoạch " + id + " / no plan " + id);
        }
        if (!status.equals("draft")) {
            throw new ApiProblem(HttpStatus.CONFLICT, "not-a-draft", "Chỉ xóa được bản dự thảo; hãy chuyển sang 'superseded' / only a draft can be "
                    + "deleted; set a plan in force to superseded instead");
        }
        change("planning.plan", id, id, auth, "plan-delete", () -> jdbc.update("DELETE FROM planning.plan WHERE id = ? AND status = 'draft'", id));
        return org.springframework.http.ResponseEntity.noContent().build();
    }

    private static void number(JsonNode body, String field, String column, double min, double max, List<String> sets, List<Object> args) {
        if (!body.has(field)) {
            return;
        }
        JsonNode v = body.get(field);
        if (v.isNull()) {
            sets.add(column + " = NULL");
            return;
        }
        if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max || !Double.isFinite(v.asDouble())) {
            throw ApiProblem.badRequest("invalid-" + field, field + " phải là số trong [" + min + ", " + max + "] / " + field
                    + " must be a number within [" + min + ", " + max + "]");
        }
        sets.add(column + " = ?");
        args.add(column.equals("max_floors") ? (Object) v.asInt() : new BigDecimal(v.asString()));
    }

    /** Runs an update with the row before and after in the audit, then evicts the tiles under the plan. */
    private Map<String, Object> change(String table, long id, long planId, Authentication auth, String action, Runnable update) {
        String row = "SELECT ((to_jsonb(t) - 'geom') || jsonb_build_object('bbox', Box2D(t.geom)::text))::text FROM " + table + " t WHERE id = ?";
        String extentSql = "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom)::geometry AS e FROM planning.zone WHERE plan_id = ?) x";
        Envelope[] extent = new Envelope[2];
        String[] after = new String[1];
        tx.executeWithoutResult(s -> {
            String before = table.equals("planning.plan")
                    ? jdbc.queryForObject("SELECT to_jsonb(t)::text FROM planning.plan t WHERE id = ? FOR UPDATE", String.class, id)
                    : jdbc.queryForObject(row + " FOR UPDATE", String.class, id);
            extent[0] = jdbc.query(extentSql, PlanEditor::envelope, planId);
            update.run();
            after[0] = table.equals("planning.plan")
                    ? jdbc.query("SELECT to_jsonb(t)::text FROM planning.plan t WHERE id = ?", rs -> rs.next() ? rs.getString(1) : null, id)
                    : jdbc.queryForObject(row, String.class, id);
            extent[1] = jdbc.query(extentSql, PlanEditor::envelope, planId);
            jdbc.update("INSERT INTO audit.event (actor, action, target, details) VALUES (?, ?, ?, jsonb_build_object('before', ?::jsonb, 'after', ?::jsonb))",
                    auth.getName(), action, table + ":" + id, before, after[0]);
        });
        Envelope e = extent[0] == null ? extent[1] : new Envelope(extent[0]);
        if (e != null && extent[1] != null) {
            e.expandToInclude(extent[1]);
        }
        events.publishEvent(new PlansChanged(planId, e, province.storageSrid()));
        return after[0] == null ? Map.of("id", id, "deleted", true) : Map.of("id", id, "row", new tools.jackson.databind.ObjectMapper().readTree(after[0]));
    }

    private static Envelope envelope(java.sql.ResultSet rs) throws java.sql.SQLException {
        return rs.next() && rs.getObject(1) != null ? new Envelope(rs.getDouble(1), rs.getDouble(3), rs.getDouble(2), rs.getDouble(4)) : null;
    }
}
