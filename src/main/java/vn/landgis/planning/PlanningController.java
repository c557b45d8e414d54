package vn.landgis.planning;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import vn.landgis.cadastre.ParcelLookup;
import vn.landgis.geo.SupportedCrs;
import vn.landgis.platform.ApiProblem;
import vn.landgis.platform.Roles;

/**
 * The planning overlay of a parcel or a drawn area, the plans in force, and the planning-information sheet.
 * Public: plans are public documents; nothing here touches parties or rights.
 */
@RestController
class PlanningController {

    static final MediaType XLSX = MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    private final PlanningOverlay overlay;
    private final PlanningSheets sheets;
    private final PlanningProperties properties;
    private final ObjectMapper json;

    PlanningController(PlanningOverlay overlay, PlanningSheets sheets, PlanningProperties properties, ObjectMapper json) {
        this.overlay = overlay;
        this.sheets = sheets;
        this.properties = properties;
        this.json = json;
    }

    @GetMapping(path = "/api/parcels/{parcelId:[0-9]+}/planning", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> parcel(@PathVariable long parcelId, @RequestParam(required = false) String asOf,
                               @RequestParam(required = false) Long draft, Authentication auth) {
        PlanningOverlay.Overlay o = overlay.forParcel(parcelId, ParcelLookup.parseAsOf(asOf), draftPlan(draft, auth))
                .orElseThrow(() -> unknown(parcelId));
        return PlanningJson.answer(o, Map.of(
                "sheetPdf", "/api/parcels/" + parcelId + "/planning-sheet.pdf" + (asOf == null ? "" : "?asOf=" + asOf),
                "sheetXlsx", "/api/parcels/" + parcelId + "/planning-sheet.xlsx" + (asOf == null ? "" : "?asOf=" + asOf)));
    }

    /**
     * A drawn area: a GeoJSON Polygon, MultiPolygon or Feature of one, in WGS 84 (lon, lat) unless {@code crs}
     * (or the body's legacy {@code crs} member) names another supported system such as VN-2000 TM-3.
     */
    @PostMapping(path = "/api/planning/overlay", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> drawn(HttpServletRequest request, @RequestParam(required = false) String crs,
                              @RequestParam(required = false) Long draft, Authentication auth) throws IOException {
        Long draftPlan = draftPlan(draft, auth);
        JsonNode body = readBody(request);
        String crsText = crs;
        if (crsText == null && body.at("/crs/properties/name").isString()) {
            crsText = body.at("/crs/properties/name").asString();
        }
        SupportedCrs inputCrs = crsText == null ? SupportedCrs.WGS84 : SupportedCrs.parse(crsText)
                .orElseThrow(() -> ApiProblem.badRequest("unsupported-crs", "Hệ tọa độ không được hỗ trợ / unsupported CRS"));
        return PlanningJson.answer(overlay.forDrawnArea(body, inputCrs, draftPlan), Map.of());
    }

    @GetMapping(path = "/api/planning/plans", produces = MediaType.APPLICATION_JSON_VALUE)
    List<Map<String, Object>> plans(Authentication auth) {
        return sheets.plans(isPlanner(auth));
    }

    @GetMapping("/api/parcels/{parcelId:[0-9]+}/planning-sheet.pdf")
    ResponseEntity<byte[]> pdf(@PathVariable long parcelId, @RequestParam(required = false) String asOf, HttpServletRequest request) {
        PlanningOverlay.Overlay o = overlay.forParcel(parcelId, ParcelLookup.parseAsOf(asOf)).orElseThrow(() -> unknown(parcelId));
        byte[] pdf = sheets.pdf(o, baseUrl(request));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF)
                .header("Content-Disposition", "inline; filename=\"thong-tin-quy-hoach-" + parcelId + ".pdf\"").body(pdf);
    }

    @GetMapping("/api/parcels/{parcelId:[0-9]+}/planning-sheet.xlsx")
    ResponseEntity<byte[]> xlsx(@PathVariable long parcelId, @RequestParam(required = false) String asOf, HttpServletRequest request) {
        PlanningOverlay.Overlay o = overlay.forParcel(parcelId, ParcelLookup.parseAsOf(asOf)).orElseThrow(() -> unknown(parcelId));
        byte[] xlsx = sheets.xlsx(o, baseUrl(request));
        return ResponseEntity.ok().contentType(XLSX)
                .header("Content-Disposition", "attachment; filename=\"thong-tin-quy-hoach-" + parcelId + ".xlsx\"").body(xlsx);
    }

    /** What an issued sheet printed, and whether landgis still says the same today. */
    @GetMapping(path = "/api/planning/sheets/{code:[A-Za-z0-9]{1,40}}", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> verify(@PathVariable String code) {
        return sheets.verify(code).orElseThrow(() -> ApiProblem.notFound("unknown-sheet",
                "Không có phiếu với mã " + code + " / no sheet was issued under code " + code));
    }

    /**
     * {@code draft=ID}: a draft plan to overlay beside the plans in force, for planners and land officers only (a
     * draft is not public until it is approved); it must exist and still be a draft.
     */
    private Long draftPlan(Long draft, Authentication auth) {
        if (draft == null) {
            return null;
        }
        if (!isPlanner(auth)) {
            throw new ApiProblem(auth == null || !auth.isAuthenticated() || auth instanceof org.springframework.security.authentication.AnonymousAuthenticationToken
                    ? HttpStatus.UNAUTHORIZED : HttpStatus.FORBIDDEN, "draft-not-allowed",
                    "Chỉ cán bộ quy hoạch, địa chính xem được quy hoạch dự thảo / draft plans are for planners and land officers only");
        }
        if (!sheets.isDraft(draft)) {
            throw ApiProblem.notFound("unknown-draft", "Không có quy hoạch dự thảo " + draft + " / no draft plan " + draft);
        }
        return draft;
    }

    private static boolean isPlanner(Authentication auth) {
        return auth != null && auth.getAuthorities().stream().map(Object::toString)
                .anyMatch(a -> a.equals("ROLE_" + Roles.PLANNER) || a.equals("ROLE_" + Roles.LAND_OFFICER));
    }

    private static ApiProblem unknown(long parcelId) {
        return ApiProblem.notFound("unknown-parcel", "Không có thửa " + parcelId + " / no parcel " + parcelId);
    }

    private JsonNode readBody(HttpServletRequest request) throws IOException {
        int max = properties.maxBodyBytes();
        if (request.getContentLengthLong() > max) {
            throw tooLarge(max);
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes(max + 1);
        }
        if (bytes.length > max) {
            throw tooLarge(max);
        }
        if (bytes.length == 0) {
            throw ApiProblem.badRequest("empty-body", "Cần một hình GeoJSON trong thân yêu cầu / a GeoJSON geometry is required in the body");
        }
        try {
            return json.readTree(bytes);
        } catch (JacksonException e) {
            throw ApiProblem.badRequest("invalid-json", "Thân yêu cầu không phải JSON hợp lệ / the body is not valid JSON");
        }
    }

    private static ApiProblem tooLarge(int max) {
        return new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", String.format(java.util.Locale.ROOT,
                "Yêu cầu lớn hơn %d MB / the request body exceeds %d MB", max >> 20, max >> 20));
    }

    private String baseUrl(HttpServletRequest request) {
        if (!properties.publicUrl().isEmpty()) {
            return properties.publicUrl().replaceAll("/+$", "");
        }
        return org.springframework.web.servlet.support.ServletUriComponentsBuilder.fromContextPath(request).build().toUriString();
    }

    /** The JSON shape of an overlay (the contract the web map and the sheets read). */
    static final class PlanningJson {
        private PlanningJson() {
        }

        static Map<String, Object> answer(PlanningOverlay.Overlay o, Map<String, String> links) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (o.parcel() != null) {
                PlanningOverlay.ParcelInfo p = o.parcel();
                Map<String, Object> parcel = new LinkedHashMap<>();
                parcel.put("id", p.id());
                parcel.put("versionId", p.versionId());
                parcel.put("communeCode", p.communeCode());
                parcel.put("communeName", p.communeName());
                parcel.put("sheetNo", p.sheetNo());
                parcel.put("parcelNo", p.parcelNo());
                parcel.put("landUseCode", p.landUseCode());
                parcel.put("landUseName", p.landUseName());
                parcel.put("landUses", p.landUses());
                parcel.put("legalArea", p.legalArea());
                parcel.put("address", p.address());
                parcel.put("validFrom", p.validFrom());
                parcel.put("validTo", p.validTo());
                m.put("parcel", parcel);
            }
            m.put("area", PlanningOverlay.round(o.area(), 4));
            m.put("areaCrs", "VN-2000 / TM-3");
            List<String> notes = new java.util.ArrayList<>(o.notes());
            if (o.plans().isEmpty()) {
                // as the planning sheet says it: an empty list alone reads as "nothing found" or "not checked"
                notes.add(o.asOf() == null
                        ? "Không có quy hoạch nào đang có hiệu lực trong cơ sở dữ liệu phủ lên " + (o.parcel() == null ? "vùng này" : "thửa đất này")
                                + " / no plan in force in the database covers this " + (o.parcel() == null ? "area" : "parcel")
                        : "Không có quy hoạch nào có hiệu lực vào ngày đó phủ lên " + (o.parcel() == null ? "vùng này" : "thửa đất này")
                                + " / no plan in force on that date covers this " + (o.parcel() == null ? "area" : "parcel"));
            }
            m.put("notes", notes);
            m.put("plans", o.plans());
            if (!links.isEmpty()) {
                m.put("links", links);
            }
            return m;
        }
    }
}
