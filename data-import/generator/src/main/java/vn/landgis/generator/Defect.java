package vn.landgis.generator;

import java.util.Arrays;
import java.util.Locale;

/** A kind of defect the generator can inject, as districts' deliveries have them (DOMAIN.md). */
public enum Defect {
    /** A boundary pushed 0.5-3 m into the neighbour. */
    OVERLAP,
    /** A boundary pulled 0.5-3 m back from the neighbour. */
    GAP,
    /** A small bow-tie in one edge: the ring crosses itself. */
    SELF_INTERSECTION,
    /** The exterior ring's last point is not its first. */
    UNCLOSED_RING,
    /** The same ring twice in one feature. */
    DUPLICATE_RING,
    /** The parcel number of another parcel of the same sheet. */
    DUPLICATE_NUMBER,
    /** A land-use code in no list, old or new. */
    UNKNOWN_LAND_USE,
    /** Registered area off by more than the tolerance of the national rule. */
    AREA_MISMATCH,
    /** A whole map sheet drawn with the wrong central meridian (tens of km off). */
    WRONG_MERIDIAN,
    /** A whole map sheet whose coordinates skipped the VN-2000 datum shift (200-300 m off). */
    MISSING_DATUM_SHIFT;

    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public boolean perSheet() {
        return this == WRONG_MERIDIAN || this == MISSING_DATUM_SHIFT;
    }

    public static Defect parse(String key) {
        return Arrays.stream(values()).filter(d -> d.key().equals(key.trim().toLowerCase(Locale.ROOT).replace('_', '-')))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown defect '" + key + "'; known: "
                        + Arrays.stream(values()).map(Defect::key).toList()));
    }
}
