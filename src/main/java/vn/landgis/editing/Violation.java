package vn.landgis.editing;

import org.locationtech.jts.geom.Point;

/**
 * A topology or register rule an edit breaks, where (a point in the storage CRS), and which version it concerns
 * (null when it is the edit's own new geometry).
 *
 * <p>Rules: {@code invalid-geometry}, {@code area-below-minimum}, {@code overlap} (with a neighbour or another new
 * parcel, beyond the sliver tolerance), {@code gap} (land that was shared with a neighbour is left uncovered),
 * {@code children-cover-parent} (the new parcels do not cover exactly the old ones), {@code cut-does-not-divide},
 * {@code merge-not-adjacent}, {@code merge-different-sheet}, {@code land-use-ambiguous}, {@code unknown-land-use},
 * {@code parcel-number-taken}, {@code legal-area-beyond-tolerance}.
 */
public record Violation(String rule, String message, Point location, Long versionId) {
}
