package vn.landgis.editing;

import java.math.BigDecimal;
import java.util.List;

import org.locationtech.jts.geom.Envelope;

/**
 * A committed edit: the change, the versions it closed, and the ones it opened (the edit's own parcels first, in
 * the order of the request, then neighbours that only gained a vertex where a new boundary meets theirs).
 *
 * @param extent bounding box of everything closed or opened, storage CRS
 */
public record EditResult(long changeId, String kind, String dossier, List<Long> closed, List<Opened> opened, Envelope extent, int srid) {

    /**
     * One new version. {@code tag} is the request's name for it (a WFS-T Insert handle, "child-1"...), or null;
     * {@code otherLandUses}: its purposes beside the main {@code landUseCode} ("ONT+CLN": CLN).
     */
    public record Opened(long versionId, long parcelId, String communeCode, int sheetNo, int parcelNo, String landUseCode,
                         BigDecimal legalArea, BigDecimal geomArea, String address, List<Long> parents, String tag, List<String> otherLandUses) {
    }
}
