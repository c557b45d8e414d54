package vn.landgis.cadastre;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import vn.landgis.geo.SupportedCrs;
import vn.landgis.platform.ApiProblem;
import vn.landgis.platform.Roles;

/**
 * {@code /api/parcels}: look-up by number, text and id (by point: {@link ParcelPointServlet}). Answers GeoJSON. Not proxied (no method security
 * here; the officers' history is {@link ParcelHistoryController}), and "no parcel" is answered, not thrown: a point
 * look-up misses often and each exception through a reflective call costs a stack trace.
 */
@RestController
@RequestMapping("/api/parcels")
class ParcelController {

    static final MediaType GEOJSON = MediaType.parseMediaType("application/geo+json");

    private final ParcelLookup lookup;

    ParcelController(ParcelLookup lookup) {
        this.lookup = lookup;
    }

    @GetMapping("/{communeCode}/{sheetNo}/{parcelNo}")
    ResponseEntity<?> byNumber(@PathVariable String communeCode, @PathVariable int sheetNo, @PathVariable int parcelNo,
                                    @RequestParam(required = false) String asOf, @RequestParam(required = false) String crs,
                                    Authentication auth) {
        return found(lookup.byNumber(communeCode, sheetNo, parcelNo, ParcelLookup.parseAsOf(asOf), outputCrs(crs), audience(auth)),
                "Không có thửa " + parcelNo + " tờ " + sheetNo + " xã " + communeCode
                        + " / no parcel " + parcelNo + " on sheet " + sheetNo + " of commune " + communeCode);
    }

    @GetMapping("/{parcelId:[0-9]+}")
    ResponseEntity<?> byId(@PathVariable long parcelId, @RequestParam(required = false) String asOf,
                                @RequestParam(required = false) String crs, Authentication auth) {
        return found(lookup.byId(parcelId, ParcelLookup.parseAsOf(asOf), outputCrs(crs), audience(auth)), "Không có thửa " + parcelId + " / no parcel " + parcelId);
    }

    @GetMapping("/search")
    ResponseEntity<String> search(@RequestParam String q, @RequestParam(defaultValue = "10") int limit,
                                  @RequestParam(required = false) String crs, Authentication auth) {
        return ResponseEntity.ok().contentType(GEOJSON).body(lookup.search(q, limit, outputCrs(crs), audience(auth)));
    }

    static ParcelLookup.Audience audience(Authentication auth) {
        return Roles.isOfficer(auth) ? ParcelLookup.Audience.OFFICER : ParcelLookup.Audience.PUBLIC;
    }

    static SupportedCrs outputCrs(String crs) {
        return crs == null || crs.isBlank() ? SupportedCrs.WGS84 : parseCrs(crs);
    }

    static SupportedCrs parseCrs(String crs) {
        return SupportedCrs.parse(crs).orElseThrow(() -> ApiProblem.badRequest("unsupported-crs",
                "Hệ tọa độ không được hỗ trợ / unsupported CRS; use one of EPSG:" + SupportedCrs.all().keySet()));
    }

    private static ResponseEntity<?> found(java.util.Optional<byte[]> feature, String notFound) {
        return feature.<ResponseEntity<?>>map(f -> ResponseEntity.ok().contentType(GEOJSON).body(f))
                .orElseGet(() -> ApiProblem.notFound("parcel-not-found", notFound).toResponse());
    }
}
