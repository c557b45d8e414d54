package vn.landgis.features;

import java.util.Map;

import org.locationtech.jts.geom.Geometry;

/**
 * One feature as read: its id, its geometry in the CRS the query asked for (x = east, y = north whatever the
 * protocol's axis order), and the attributes the caller may see, in catalog order.
 */
public record Feature(Object id, Geometry geometry, Map<String, Object> attributes) {
}
