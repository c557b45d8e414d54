package vn.landgis.generator;

/**
 * One parcel as a district would deliver it. {@code rings} are the polygon parts, each an exterior ring as
 * interleaved x,y in the output CRS, counter-clockwise and closed (first point repeated) unless a defect
 * says otherwise. {@code landUse} is a string because defects put codes in it that are not in any list.
 */
public final class GeneratedParcel {
    String communeCode;
    int sheetNo;
    int parcelNo;
    String landUse;
    double legalArea;
    double geomArea;
    String address;
    String owner;
    double[][] rings;
    /** Where the parcel sits, for numbering and sheet assignment: a point inside it. */
    double labelX;
    double labelY;
    /** Index (in points) of the end of the ring's first side; the defects that move an edge move that side. */
    int southEdgeEnd;
    /** True for roads, canals and rivers; false for lots. */
    boolean linear;
    /** The ring before a geometry defect changed it (null when none did). */
    double[] cleanRing;
    /** The defect injected into this parcel, and the one its whole sheet got, if any. */
    Defect defect;
    Defect sheetDefect;
    /** Scale denominator of the parcel's map sheet. */
    int scale;

    public String communeCode() { return communeCode; }
    public int sheetNo() { return sheetNo; }
    public int parcelNo() { return parcelNo; }
    public String landUse() { return landUse; }
    public double legalArea() { return legalArea; }
    public double geomArea() { return geomArea; }
    public String address() { return address; }
    public String owner() { return owner; }
    public double[][] rings() { return rings; }
    public double labelX() { return labelX; }
    public double labelY() { return labelY; }
    /** The first ring before a defect moved it (its whole sheet's, or its own), or null when none did. */
    public double[] cleanRing() { return cleanRing; }

    /** The geometry as little-endian WKB MultiPolygon, as written (defects included). */
    public byte[] wkb() {
        return Wkb.multiPolygon(rings);
    }
}
