package vn.landgis.ows;

/** XML namespaces of landgis's own feature types. */
public final class Namespaces {
    public static final String LANDGIS = "https://landgis.vn/ns/landgis";

    private Namespaces() {
    }
}
