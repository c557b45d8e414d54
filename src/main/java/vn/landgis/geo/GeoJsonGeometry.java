package vn.landgis.geo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;

import tools.jackson.databind.JsonNode;

/**
 * Reads a polygonal GeoJSON geometry (RFC 7946 {@code Polygon}/{@code MultiPolygon}, bare or as a
 * {@code Feature}'s geometry) into JTS, refusing anything a caller should not be able to send: other types,
 * non-numeric or infinite coordinates, rings of fewer than four positions, and more vertices than a limit
 * (counted while reading, so a huge geometry is refused before it is built). An unclosed ring is closed and
 * said so in {@link Result#notes()}.
 */
public final class GeoJsonGeometry {

    /** The geometry read and what was changed on the way. */
    public record Result(Geometry geometry, int vertices, List<String> notes) {
    }

    /** Why a geometry was refused; the message is for people, Vietnamese first. */
    public static final class Invalid extends RuntimeException {
        private final String code;

        Invalid(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final GeometryFactory factory;
    private final int maxVertices;
    private int vertices;
    private final List<String> notes = new ArrayList<>();

    private GeoJsonGeometry(GeometryFactory factory, int maxVertices) {
        this.factory = factory;
        this.maxVertices = maxVertices;
    }

    /** Reads a Polygon or MultiPolygon (or a Feature holding one). */
    public static Result readPolygonal(JsonNode node, GeometryFactory factory, int maxVertices) {
        GeoJsonGeometry r = new GeoJsonGeometry(factory, maxVertices);
        if (node == null || !node.isObject()) {
            throw new Invalid("not-geojson", "Cần một đối tượng GeoJSON / a GeoJSON object is required");
        }
        JsonNode g = node;
        if ("Feature".equals(text(node, "type"))) {
            g = node.get("geometry");
            if (g == null || !g.isObject()) {
                throw new Invalid("no-geometry", "Feature không có hình / the Feature has no geometry");
            }
        }
        String type = text(g, "type");
        JsonNode coordinates = g.get("coordinates");
        if (coordinates == null || !coordinates.isArray()) {
            throw new Invalid("no-coordinates", "Thiếu coordinates / the geometry has no coordinates array");
        }
        Geometry geometry = switch (type) {
            case "Polygon" -> r.polygon(coordinates);
            case "MultiPolygon" -> {
                if (coordinates.isEmpty()) {
                    throw new Invalid("empty-geometry", "Hình rỗng / the geometry is empty");
                }
                Polygon[] polygons = new Polygon[coordinates.size()];
                for (int i = 0; i < polygons.length; i++) {
                    polygons[i] = r.polygon(coordinates.get(i));
                }
                yield factory.createMultiPolygon(polygons);
            }
            default -> throw new Invalid("not-polygon", "Cần Polygon hoặc MultiPolygon, không phải " + type
                    + " / a Polygon or MultiPolygon is required, not " + type);
        };
        return new Result(geometry, r.vertices, List.copyOf(r.notes));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isString() ? v.asString() : String.valueOf(v);
    }

    private Polygon polygon(JsonNode rings) {
        if (!rings.isArray() || rings.isEmpty()) {
            throw new Invalid("empty-geometry", "Đa giác rỗng / a polygon has no rings");
        }
        LinearRing shell = ring(rings.get(0));
        LinearRing[] holes = new LinearRing[rings.size() - 1];
        for (int i = 1; i < rings.size(); i++) {
            holes[i - 1] = ring(rings.get(i));
        }
        return factory.createPolygon(shell, holes);
    }

    private LinearRing ring(JsonNode positions) {
        if (!positions.isArray()) {
            throw new Invalid("bad-ring", "Vòng không phải mảng vị trí / a ring must be an array of positions");
        }
        int n = positions.size();
        if (vertices + n > maxVertices) {
            throw new Invalid("too-many-vertices", String.format(Locale.ROOT,
                    "Hình có hơn %d đỉnh / the geometry has more than %d vertices", maxVertices, maxVertices));
        }
        vertices += n;
        List<Coordinate> cs = new ArrayList<>(n + 1);
        for (JsonNode p : positions) {
            if (!p.isArray() || p.size() < 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
                throw new Invalid("bad-position", "Vị trí phải là [x, y] bằng số / a position must be [x, y] numbers");
            }
            double x = p.get(0).asDouble();
            double y = p.get(1).asDouble();
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                throw new Invalid("bad-position", "Tọa độ không hữu hạn / coordinates must be finite");
            }
            cs.add(new Coordinate(x, y));
        }
        if (cs.size() >= 3 && !cs.getFirst().equals2D(cs.getLast())) {
            cs.add(new Coordinate(cs.getFirst()));
            notes.add("Vòng chưa khép đã được khép lại / an unclosed ring was closed");
        }
        if (cs.size() < 4) {
            throw new Invalid("bad-ring", "Vòng cần ít nhất 4 vị trí / a ring needs at least four positions");
        }
        return factory.createLinearRing(cs.toArray(Coordinate[]::new));
    }
}
