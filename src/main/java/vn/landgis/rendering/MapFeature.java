package vn.landgis.rendering;

import java.util.Map;

import org.locationtech.jts.geom.Geometry;

/**
 * A feature to draw.
 *
 * @param id         the feature's identifier (only carried along, never interpreted)
 * @param geometry   a JTS geometry already in the map CRS (x = east, y = north, map units); {@code null} or empty
 *                   geometries are skipped
 * @param attributes attribute values keyed by attribute name: {@code String}, {@code Number}, {@code Boolean},
 *                   {@code java.time} values or {@code null}; a {@code null} map is taken as empty. The map is not
 *                   copied: do not change it while a render is running.
 */
public record MapFeature(Object id, Geometry geometry, Map<String, Object> attributes) {

    public MapFeature {
        if (attributes == null) {
            attributes = Map.of();
        }
    }
}
