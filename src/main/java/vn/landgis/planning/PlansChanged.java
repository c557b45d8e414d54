package vn.landgis.planning;

import org.locationtech.jts.geom.Envelope;

/**
 * Plans changed (a plan was imported, published, superseded or a zone edited), after commit: what changed lies
 * within {@code extent}, in the storage CRS {@code srid}. Map and tile caches forget what lies under it.
 *
 * @param planId the plan
 * @param extent bounding box of the zones and lines that changed (null: nothing spatial changed)
 * @param srid   the storage SRID of {@code extent}
 */
public record PlansChanged(long planId, Envelope extent, int srid) {
}
