package vn.landgis.editing;

import java.math.BigDecimal;

/**
 * Attributes an edit sets on a new version; null keeps (or, for a new parcel, derives) the value.
 *
 * @param parcelNo    the parcel number (null: kept, or the sheet's next free number for a new parcel)
 * @param landUseCode a current code of Circular 08/2024 (null: kept)
 * @param legalArea   the registered area on the certificate, m² (null: kept; a new parcel has none until registered)
 * @param address     the address (null: kept)
 * @param areaReason  why the legal area departs from the geometric one beyond the tolerance of Circular 25/2014
 */
public record ParcelAttributes(Integer parcelNo, String landUseCode, BigDecimal legalArea, String address, String areaReason) {

    public static final ParcelAttributes KEEP = new ParcelAttributes(null, null, null, null, null);

    public ParcelAttributes {
        landUseCode = EditMeta.text(landUseCode, 10);
        address = EditMeta.text(address, 500);
        areaReason = EditMeta.text(areaReason, 1000);
        if (parcelNo != null && parcelNo <= 0) {
            throw EditRejected.invalid("invalid-parcel-no", "Số thửa phải dương / parcel number must be positive");
        }
        if (legalArea != null && (legalArea.signum() <= 0 || legalArea.compareTo(new BigDecimal("1e12")) >= 0)) {
            throw EditRejected.invalid("invalid-legal-area", "Diện tích pháp lý phải dương / legal area must be positive");
        }
    }

    /** These attributes over {@code base}: each given value replaces the base's. */
    ParcelAttributes over(ParcelAttributes base) {
        return new ParcelAttributes(parcelNo != null ? parcelNo : base.parcelNo, landUseCode != null ? landUseCode : base.landUseCode,
                legalArea != null ? legalArea : base.legalArea, address != null ? address : base.address,
                areaReason != null ? areaReason : base.areaReason);
    }
}
