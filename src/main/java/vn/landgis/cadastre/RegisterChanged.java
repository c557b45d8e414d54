package vn.landgis.cadastre;

import org.locationtech.jts.geom.Envelope;

/**
 * The register changed (an import was published, later an edit was saved), after commit: what was closed or
 * opened lies within {@code extent}, in the storage CRS {@code srid}. Caches of maps and tiles listen and
 * forget what lies under it.
 *
 * @param changeId the {@code cadastre.change} row
 * @param extent   bounding box of every version the change closed or opened (null: nothing spatial changed)
 * @param srid     the storage SRID of {@code extent}
 */
public record RegisterChanged(long changeId, Envelope extent, int srid) {
}
