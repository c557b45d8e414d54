package vn.landgis.features;

import java.time.OffsetDateTime;
import java.util.List;

import org.locationtech.jts.geom.Envelope;

import vn.landgis.features.filter.Filter;
import vn.landgis.features.filter.SortBy;

/**
 * What to read from one layer.
 *
 * @param layer          the catalog layer
 * @param viewer         who asks: attributes the viewer may not see are never selected
 * @param bbox           area of interest (x = east, y = north) in {@code bboxSrid}; null: everywhere
 * @param bboxSrid       EPSG code of the bbox
 * @param outputSrid     EPSG code the geometries come back in
 * @param properties     attribute names wanted; null: every attribute the viewer may see
 * @param asOf           the register as of this instant (layers with a history relation); null: current
 * @param simplify       geometry simplification tolerance in output units (0: none), for maps at small scales
 * @param tolerance      positional error allowed in output units (0: exact), for maps a fraction of a pixel
 * @param intersectsOnly true: exact {@code ST_Intersects} with the bbox, false: bounding-box overlap is enough (rendering)
 * @param limit          at most this many features (0: no limit)
 * @param offset         skip this many
 * @param filter         a filter besides the bbox, or null
 * @param sortBy         order (empty: by id, so paging is stable)
 */
public record FeatureQuery(Layer layer, Viewer viewer, Envelope bbox, int bboxSrid, int outputSrid, List<String> properties,
                           OffsetDateTime asOf, double simplify, double tolerance, boolean intersectsOnly, int limit, long offset,
                           Filter filter, List<SortBy> sortBy) {

    public FeatureQuery {
        sortBy = sortBy == null ? List.of() : List.copyOf(sortBy);
    }

    /** The same query without filter and sort. */
    public FeatureQuery(Layer layer, Viewer viewer, Envelope bbox, int bboxSrid, int outputSrid, List<String> properties,
                        OffsetDateTime asOf, double simplify, double tolerance, boolean intersectsOnly, int limit, long offset) {
        this(layer, viewer, bbox, bboxSrid, outputSrid, properties, asOf, simplify, tolerance, intersectsOnly, limit, offset, null, List.of());
    }

    /**
     * A query for map drawing: bbox overlap, the given properties, no paging, geometries simplified by
     * {@code simplify} and placed within {@code tolerance} (both in map units).
     */
    public static FeatureQuery forMap(Layer layer, Viewer viewer, Envelope bbox, int srid, List<String> properties,
                                      OffsetDateTime asOf, double simplify, double tolerance) {
        return new FeatureQuery(layer, viewer, bbox, srid, srid, properties, asOf, simplify, tolerance, false, 0, 0);
    }
}
