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
 * {@code /api/parcels}: look-up by number, point, text and id. Answers GeoJSON. Not proxied (no method security
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
                "Không có thửa " + parcelNo + " tờ " + sheetNo + " xã " + communeCode);
    }

    @GetMapping("/{parcelId:[0-9]+}")
    ResponseEntity<?> byId(@PathVariable long parcelId, @RequestParam(required = false) String asOf,
                                @RequestParam(required = false) String crs, Authentication auth) {
        return found(lookup.byId(parcelId, ParcelLookup.parseAsOf(asOf), outputCrs(crs), audience(auth)), "Không có thửa " + parcelId);
    }

    /** {@code lon}/{@code lat} in WGS 84, or {@code x}/{@code y} in {@code crs}; the answer in {@code outCrs} (WGS 84 by default). */
    @GetMapping("/at")
    ResponseEntity<?> at(@RequestParam(required = false) Double lon, @RequestParam(required = false) Double lat,
                              @RequestParam(required = false) Double x, @RequestParam(required = false) Double y,
                              @RequestParam(required = false) String crs, @RequestParam(required = false) String outCrs,
                              @RequestParam(defaultValue = "5") double tolerance, @RequestParam(required = false) String asOf,
                              Authentication auth) {
        double px;
        double py;
        SupportedCrs input;
        if (lon != null && lat != null && x == null && y == null) {
            px = lon;
            py = lat;
            input = SupportedCrs.WGS84;
        } else if (x != null && y != null && lon == null && lat == null) {
            if (crs == null) {
                throw ApiProblem.badRequest("missing-crs", "x/y cần tham số crs / x and y need crs (e.g. EPSG:9210)");
            }
            px = x;
            py = y;
            input = parseCrs(crs);
        } else {
            throw ApiProblem.badRequest("missing-coordinate", "Cần lon và lat, hoặc x, y và crs / give lon and lat, or x, y and crs");
        }
        return found(lookup.at(px, py, input, tolerance, ParcelLookup.parseAsOf(asOf), outputCrs(outCrs), audience(auth)),
                "Không có thửa đất trong phạm vi " + tolerance + " m / no parcel within " + tolerance + " m");
    }

    @GetMapping("/search")
    ResponseEntity<String> search(@RequestParam String q, @RequestParam(defaultValue = "10") int limit,
                                  @RequestParam(required = false) String crs, Authentication auth) {
        return ResponseEntity.ok().contentType(GEOJSON).body(lookup.search(q, limit, outputCrs(crs), audience(auth)));
    }

    private static ParcelLookup.Audience audience(Authentication auth) {
        return Roles.isOfficer(auth) ? ParcelLookup.Audience.OFFICER : ParcelLookup.Audience.PUBLIC;
    }

    private static SupportedCrs outputCrs(String crs) {
        return crs == null || crs.isBlank() ? SupportedCrs.WGS84 : parseCrs(crs);
    }

    private static SupportedCrs parseCrs(String crs) {
        return SupportedCrs.parse(crs).orElseThrow(() -> ApiProblem.badRequest("unsupported-crs",
                "Hệ tọa độ không được hỗ trợ / unsupported CRS; use one of EPSG:" + SupportedCrs.all().keySet()));
    }

    private static ResponseEntity<?> found(java.util.Optional<byte[]> feature, String notFound) {
        return feature.<ResponseEntity<?>>map(f -> ResponseEntity.ok().contentType(GEOJSON).body(f))
                .orElseGet(() -> ApiProblem.notFound("parcel-not-found", notFound).toResponse());
    }
}
