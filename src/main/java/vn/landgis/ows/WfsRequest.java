package vn.landgis.ows;

import java.util.List;

import org.locationtech.jts.geom.Envelope;

import vn.landgis.features.Layer;
import vn.landgis.features.filter.Filter;
import vn.landgis.features.filter.SortBy;

/**
 * A checked WFS 2.0 GetFeature / GetPropertyValue request, from KVP or XML: one or more queries and the
 * presentation parameters they share.
 *
 * @param queries       the queries, in order
 * @param count         at most this many features in all (0: all)
 * @param startIndex    skip this many
 * @param hits          resultType=hits
 * @param json          GeoJSON instead of GML 3.2
 * @param byIdStoredQuery the request is the GetFeatureById stored query: answer the bare feature, 404 if absent
 * @param valueReference for GetPropertyValue: the property asked
 */
record WfsRequest(List<Query> queries, int count, long startIndex, boolean hits, boolean json, boolean byIdStoredQuery,
                  String valueReference) {

    /**
     * One query.
     *
     * @param layer      the feature type
     * @param crs        output CRS
     * @param bbox       BBOX parameter (x = east) in {@code bboxCrs}, or null
     * @param bboxSrid   its CRS
     * @param filter     a filter, or null
     * @param properties the properties asked (null: all visible)
     * @param sortBy     sort keys
     * @param asOf       the register as of this instant (vendor parameter {@code asOf}, as in WMS); null: current
     */
    record Query(Layer layer, MapCrs crs, Envelope bbox, int bboxSrid, Filter filter, List<String> properties, List<SortBy> sortBy,
                 java.time.OffsetDateTime asOf) {

        Query(Layer layer, MapCrs crs, Envelope bbox, int bboxSrid, Filter filter, List<String> properties, List<SortBy> sortBy) {
            this(layer, crs, bbox, bboxSrid, filter, properties, sortBy, null);
        }
    }
}
