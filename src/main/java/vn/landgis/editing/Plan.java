package vn.landgis.editing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.locationtech.jts.geom.Geometry;

/**
 * What an edit will do, built before any lock is taken: the versions it closes (which the client saw current),
 * and the versions it opens. {@link ParcelEditor#commit} checks it under lock and writes it.
 */
final class Plan {

    /** A version to open. Geometry in the storage CRS; {@code parcelId} null for a new parcel. */
    static final class Opening {
        Long parcelId;
        final String communeCode;
        final int sheetNo;
        ParcelAttributes attributes;
        /** The edit sets the legal area: checked against the geometric area. */
        boolean legalAreaGiven;
        Geometry geom;
        /** The geometry is drawn (or derived) anew: snapped to the neighbours. False for a copy of an old version. */
        boolean drawn;
        /** A neighbour that only gains vertices where the edit's boundaries meet its own. */
        boolean noding;
        final List<Long> parents = new ArrayList<>();
        final String tag;
        /** Set by the store when the version is written. */
        long versionId;
        java.math.BigDecimal geomArea;

        Opening(Long parcelId, String communeCode, int sheetNo, ParcelAttributes attributes, Geometry geom, String tag) {
            this.parcelId = parcelId;
            this.communeCode = communeCode;
            this.sheetNo = sheetNo;
            this.attributes = attributes;
            this.geom = geom;
            this.tag = tag;
        }

        static Opening copyOf(Version v, String tag) {
            Opening o = new Opening(v.parcelId(), v.communeCode(), v.sheetNo(), v.attributes(), v.geom(), tag);
            o.parents.add(v.id());
            return o;
        }
    }

    final String kind;
    final EditMeta meta;
    /** Versions to close, with what the client saw; all must still be current under lock. */
    final Map<Long, Version> close = new LinkedHashMap<>();
    final List<Opening> open = new ArrayList<>();
    /** The new parcels cover exactly the closed ones (split, merge, boundary move). */
    boolean coverParents;
    /** Land shared with a neighbour must stay covered (reshapes). Off for retirements and undo. */
    boolean checkGaps = true;
    /** Extra details for the change row. */
    final Map<String, Object> details = new LinkedHashMap<>();
    /** Versions that may be closed even though the request did not name them (neighbours noded under lock). */
    final Set<Long> noded = new LinkedHashSet<>();

    Plan(String kind, EditMeta meta) {
        this.kind = kind;
        this.meta = meta;
    }
}
