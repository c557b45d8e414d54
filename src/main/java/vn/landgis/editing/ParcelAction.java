package vn.landgis.editing;

import org.locationtech.jts.geom.Geometry;

/**
 * One action of a multi-action edit (a WFS-T Transaction). Geometries carry their SRID (any
 * {@link vn.landgis.geo.SupportedCrs}; 0 means the storage CRS) and are polygons or multipolygons.
 */
public sealed interface ParcelAction {

    /** A parcel drawn anew: it must not overlap any current parcel. */
    record Create(String tag, String communeCode, int sheetNo, ParcelAttributes attributes, Geometry geometry) implements ParcelAction {
    }

    /** New attributes and/or a new geometry (null: kept) for a current version: a new version of the same parcel. */
    record Change(long versionId, ParcelAttributes attributes, Geometry geometry) implements ParcelAction {
    }

    /** The version is closed and nothing replaces it: the parcel leaves the current register. */
    record Retire(long versionId) implements ParcelAction {
    }
}
