package vn.landgis.cadastre;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The lineage graph of a parcel: versions (nodes) and the splits and merges between them (edges), each with
 * the change that made it. Officers only: change actors are officers' names.
 */
public record ParcelHistory(long parcelId, List<Version> versions, List<Edge> lineage) {

    /** One version; {@code otherLandUses}: its purposes beside the main {@code landUseCode} ("ONT+CLN": CLN). */
    public record Version(long versionId, long parcelId, String communeCode, int sheetNo, int parcelNo, String landUseCode,
                          BigDecimal legalArea, BigDecimal geomArea, String address, OffsetDateTime validFrom,
                          OffsetDateTime validTo, Change openedBy, Change closedBy, java.util.List<String> otherLandUses) {
    }

    public record Change(long id, String kind, OffsetDateTime at, String actor, String reason) {
        static Change of(RegisterChange c) {
            return c == null ? null : new Change(c.id(), c.kind(), c.happenedAt(), c.actor(), c.reason());
        }
    }

    public record Edge(long parentVersion, long childVersion, long changeId) {
    }
}
