package vn.landgis.cadastre;

import org.locationtech.jts.geom.Envelope;

/**
 * Administrative boundaries were loaded or replaced (after commit): maps and tiles of the boundary layers under
 * {@code extent} (storage CRS {@code srid}) are stale.
 */
public record AdminBoundariesChanged(Envelope extent, int srid) {
}
