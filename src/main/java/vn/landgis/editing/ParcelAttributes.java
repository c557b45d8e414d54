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
 * @param otherLandUses the parcel's other purposes beside the main one ("ONT+CLN": CLN), current codes (null: kept;
 *                    when only the main code changes, the others stay, less the new main one; empty: none)
 */
public record ParcelAttributes(Integer parcelNo, String landUseCode, BigDecimal legalArea, String address, String areaReason,
                               java.util.List<String> otherLandUses) {

    public static final ParcelAttributes KEEP = new ParcelAttributes(null, null, null, null, null, null);

    /** Attributes that keep the other purposes (or, for a new parcel, give none). */
    public ParcelAttributes(Integer parcelNo, String landUseCode, BigDecimal legalArea, String address, String areaReason) {
        this(parcelNo, landUseCode, legalArea, address, areaReason, null);
    }

    public ParcelAttributes {
        if (otherLandUses != null) {
            if (otherLandUses.size() > 8) {
                throw EditRejected.invalid("too-many-land-uses", "Quá 8 mục đích phụ / at most 8 other land uses");
            }
            otherLandUses = otherLandUses.stream().map(c -> EditMeta.text(c, 10)).filter(java.util.Objects::nonNull)
                    .map(c -> c.toUpperCase(java.util.Locale.ROOT)).distinct().toList();
        }
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

    /**
     * These attributes over {@code base}: each given value replaces the base's; other purposes not given stay the
     * base's, less a new main code among them.
     */
    ParcelAttributes over(ParcelAttributes base) {
        String code = landUseCode != null ? landUseCode : base.landUseCode;
        java.util.List<String> others = otherLandUses != null ? otherLandUses
                : base.otherLandUses == null ? null : base.otherLandUses.stream().filter(c -> !c.equals(code)).toList();
        return new ParcelAttributes(parcelNo != null ? parcelNo : base.parcelNo, code,
                legalArea != null ? legalArea : base.legalArea, address != null ? address : base.address,
                areaReason != null ? areaReason : base.areaReason, others);
    }

    /** Every purpose as maps and certificates write them: "ONT+CLN". */
    String landUses() {
        return landUseCode == null ? null : vn.landgis.cadastre.LandUses.label(landUseCode, otherLandUses);
    }
}
