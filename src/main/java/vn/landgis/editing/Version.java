package vn.landgis.editing;

import java.math.BigDecimal;

import org.locationtech.jts.geom.Geometry;

/** A parcel version as read for an edit; {@code current} when it is not closed. Geometry in the storage CRS. */
record Version(long id, long parcelId, String communeCode, int sheetNo, int parcelNo, String landUseCode, BigDecimal legalArea,
               BigDecimal geomArea, String address, Geometry geom, boolean current, java.util.List<String> landUseOther) {

    /** A version of one purpose. */
    Version(long id, long parcelId, String communeCode, int sheetNo, int parcelNo, String landUseCode, BigDecimal legalArea,
            BigDecimal geomArea, String address, Geometry geom, boolean current) {
        this(id, parcelId, communeCode, sheetNo, parcelNo, landUseCode, legalArea, geomArea, address, geom, current, java.util.List.of());
    }

    ParcelAttributes attributes() {
        return new ParcelAttributes(parcelNo, landUseCode, legalArea, address, null, landUseOther);
    }
}
