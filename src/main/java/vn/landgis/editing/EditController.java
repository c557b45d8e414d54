package vn.landgis.editing;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.locationtech.jts.geom.Geometry;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

import vn.landgis.geo.SupportedCrs;
import vn.landgis.platform.ApiProblem;
import vn.landgis.platform.Roles;

/**
 * {@code /api/edits}: the officers' parcel transactions as JSON over HTTP, for the web editor. Land officers only
 * (anonymous 401, other roles 403, as problem details). Every request names the dossier; geometries are GeoJSON in
 * {@code crs} (default EPSG:4326, lon/lat; or the storage CRS, e.g. EPSG:9210). Answers 201 with the change and the
 * versions it closed and opened; 409 with the current state when an edited version was closed meanwhile; 422
 * with every broken rule and its location (GeoJSON point in WGS 84, and x/y in the storage CRS).
 */
@RestController
@RequestMapping("/api/edits")
class EditController {

    private final ParcelEditor editor;

    EditController(ParcelEditor editor) {
        this.editor = editor;
    }

    record Child(Integer parcelNo, String landUseCode, BigDecimal legalArea, String address, String areaReason, List<String> otherLandUses) {
        ParcelAttributes attributes() {
            return new ParcelAttributes(parcelNo, landUseCode, legalArea, address, areaReason, otherLandUses);
        }
    }

    record SplitRequest(String dossier, String decision, String note, String crs, Long versionId, JsonNode line, JsonNode polygon,
                        List<Child> children) {
    }

    record MergeRequest(String dossier, String decision, String note, List<Long> versionIds, Integer parcelNo, String landUseCode,
                        BigDecimal legalArea, String address, String areaReason, List<String> otherLandUses) {
    }

    record BoundaryParcel(Long versionId, JsonNode geometry) {
    }

    record BoundaryRequest(String dossier, String decision, String note, String crs, List<BoundaryParcel> parcels) {
    }

    record AttributesRequest(String dossier, String decision, String note, Long versionId, Integer parcelNo, String landUseCode,
                             BigDecimal legalArea, String address, String areaReason, List<String> otherLandUses) {
    }

    record UndoRequest(String dossier, String decision, String note) {
    }

    @PostMapping("/split")
    ResponseEntity<Map<String, Object>> split(@RequestBody SplitRequest r, Authentication auth) {
        EditMeta meta = meta(auth, r.dossier(), r.decision(), r.note());
        if ((r.line() == null) == (r.polygon() == null)) {
            throw EditRejected.invalid("missing-cut", "Cần line hoặc polygon (GeoJSON) / give either line or polygon (GeoJSON)");
        }
        Geometry cut = editor.fromGeoJson((r.line() != null ? r.line() : r.polygon()).toString(), crs(r.crs()));
        List<ParcelAttributes> children = r.children() == null ? List.of() : r.children().stream().map(Child::attributes).toList();
        return created(editor.split(meta, required(r.versionId(), "versionId"), cut, children));
    }

    @PostMapping("/merge")
    ResponseEntity<Map<String, Object>> merge(@RequestBody MergeRequest r, Authentication auth) {
        EditMeta meta = meta(auth, r.dossier(), r.decision(), r.note());
        return created(editor.merge(meta, r.versionIds() == null ? List.of() : r.versionIds(),
                new ParcelAttributes(r.parcelNo(), r.landUseCode(), r.legalArea(), r.address(), r.areaReason(), r.otherLandUses())));
    }

    @PostMapping("/boundary")
    ResponseEntity<Map<String, Object>> boundary(@RequestBody BoundaryRequest r, Authentication auth) {
        EditMeta meta = meta(auth, r.dossier(), r.decision(), r.note());
        SupportedCrs crs = crs(r.crs());
        Map<Long, Geometry> geometries = new LinkedHashMap<>();
        for (BoundaryParcel p : r.parcels() == null ? List.<BoundaryParcel>of() : r.parcels()) {
            if (p == null || p.geometry() == null) {
                throw EditRejected.invalid("missing-geometry", "Mỗi thửa cần versionId và geometry / every parcel needs versionId and geometry");
            }
            if (geometries.put(required(p.versionId(), "versionId"), editor.fromGeoJson(p.geometry().toString(), crs)) != null) {
                throw EditRejected.invalid("duplicate-version", "Phiên bản lặp lại / version " + p.versionId() + " given twice");
            }
        }
        return created(editor.moveBoundary(meta, geometries));
    }

    @PostMapping("/attributes")
    ResponseEntity<Map<String, Object>> attributes(@RequestBody AttributesRequest r, Authentication auth) {
        EditMeta meta = meta(auth, r.dossier(), r.decision(), r.note());
        return created(editor.editAttributes(meta, required(r.versionId(), "versionId"),
                new ParcelAttributes(r.parcelNo(), r.landUseCode(), r.legalArea(), r.address(), r.areaReason(), r.otherLandUses())));
    }

    @PostMapping("/undo")
    ResponseEntity<Map<String, Object>> undo(@RequestBody UndoRequest r, Authentication auth) {
        return created(editor.undo(meta(auth, r.dossier(), r.decision(), r.note())));
    }

    // ------------------------------------------------------------------ helpers

    private static EditMeta meta(Authentication auth, String dossier, String decision, String note) {
        if (auth == null || auth instanceof AnonymousAuthenticationToken || !auth.isAuthenticated()) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "unauthenticated", "Cần đăng nhập / sign in as a land officer");
        }
        if (!Roles.isOfficer(auth)) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", "Chỉ cán bộ địa chính được sửa / only land officers edit the register");
        }
        return new EditMeta(auth.getName(), dossier, decision, note);
    }

    private static long required(Long id, String name) {
        if (id == null) {
            throw EditRejected.invalid("missing-" + name, "Thiếu " + name + " / " + name + " is required");
        }
        return id;
    }

    private static SupportedCrs crs(String crs) {
        if (crs == null || crs.isBlank()) {
            return SupportedCrs.WGS84;
        }
        return SupportedCrs.parse(crs).orElseThrow(() -> EditRejected.invalid("unsupported-crs",
                "Hệ tọa độ không được hỗ trợ / unsupported CRS; use one of EPSG:" + SupportedCrs.all().keySet()));
    }

    private ResponseEntity<Map<String, Object>> created(EditResult r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("changeId", r.changeId());
        body.put("kind", r.kind());
        body.put("dossier", r.dossier());
        body.put("closed", r.closed());
        body.put("opened", r.opened());
        body.put("extent", r.extent().isNull() ? null : List.of(r.extent().getMinX(), r.extent().getMinY(), r.extent().getMaxX(), r.extent().getMaxY()));
        body.put("srid", r.srid());
        // Location: the history of the first new parcel (an edit that only closes versions has none)
        return r.opened().isEmpty() ? ResponseEntity.status(HttpStatus.CREATED).body(body)
                : ResponseEntity.created(URI.create("/api/parcels/" + r.opened().getFirst().parcelId() + "/history")).body(body);
    }

    @ExceptionHandler(EditRejected.class)
    ResponseEntity<ProblemDetail> rejected(EditRejected e) {
        HttpStatus status = HttpStatus.valueOf(e.reason().status());
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        p.setType(URI.create("urn:landgis:problem:" + e.code()));
        p.setTitle(status.getReasonPhrase());
        p.setProperty("code", e.code());
        if (!e.violations().isEmpty()) {
            SupportedCrs storage = SupportedCrs.bySrid(editor.storageSrid()).orElseThrow();
            List<Map<String, Object>> list = new ArrayList<>();
            for (Violation v : e.violations()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("rule", v.rule());
                m.put("message", v.message());
                m.put("versionId", v.versionId());
                if (v.location() != null) {
                    double[] ll = storage.toWgs84(v.location().getX(), v.location().getY());
                    m.put("location", Map.of("type", "Point", "coordinates", List.of(round(ll[0], 8), round(ll[1], 8))));
                    m.put("storageXY", List.of(round(v.location().getX(), 3), round(v.location().getY(), 3)));
                }
                list.add(m);
            }
            p.setProperty("violations", list);
        }
        if (!e.current().isEmpty()) {
            p.setProperty("current", e.current());
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        return rejected(EditRejected.invalid("unreadable-request", "Yêu cầu JSON không đọc được / the JSON request cannot be read"));
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
