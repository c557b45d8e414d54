package vn.landgis.cadastre;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/parcels/{id}/history}: a parcel's lineage, for land officers. */
@RestController
class ParcelHistoryController {

    private final ParcelHistoryService history;

    ParcelHistoryController(ParcelHistoryService history) {
        this.history = history;
    }

    @GetMapping("/api/parcels/{parcelId:[0-9]+}/history")
    @PreAuthorize("hasRole('LAND_OFFICER')")   // HEAD too, not only the GET rule
    ParcelHistory history(@PathVariable long parcelId) {
        return history.history(parcelId);
    }
}
