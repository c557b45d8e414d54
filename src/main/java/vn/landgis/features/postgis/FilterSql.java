package vn.landgis.features.postgis;

import java.util.List;

import vn.landgis.features.Layer;
import vn.landgis.features.Viewer;
import vn.landgis.features.filter.Filter;
import vn.landgis.features.filter.FilterException;

/** Filter Encoding 2.0 trees as SQL over a catalog layer (being written: issue 6). */
final class FilterSql {

    /** A SQL boolean expression and its parameters, in order. */
    record Fragment(String sql, List<Object> params) {
    }

    private FilterSql() {
    }

    static Fragment translate(Filter filter, Layer layer, Viewer viewer) {
        throw new FilterException("OperationProcessingFailed", "FILTER", "filters are not supported yet");
    }
}
