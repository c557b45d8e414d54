package vn.landgis.tiles;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

import vn.landgis.features.Layer;
import vn.landgis.features.PostgresNames;

/**
 * Mapbox vector tiles made by PostGIS: one {@code ST_AsMVT} statement per layer and attribute set, built once
 * (Martin's way): z/x/y are bound, the tile envelope is transformed into the layer's SRID so the GiST index
 * is used, geometries are clipped with a 64-unit buffer and quantised to the 4096 grid by
 * {@code ST_AsMVTGeom} (which is the per-zoom simplification). Thread-safe.
 */
@Component
class MvtSource {

    static final int EXTENT = 4096;
    static final int BUFFER = 64;

    private final DataSource dataSource;
    private final Map<String, Statement> statements = new ConcurrentHashMap<>();

    MvtSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A statement and how many times it takes the tile's z, x, y (before the as-of date, when it takes one). */
    record Statement(String sql, int tileParameters) {
    }

    /**
     * The statement for a layer and the attributes the viewer may see; parameters (z, x, y) × {@code tileParameters}
     * [, asOf, asOf]. A polygon layer's features also carry {@value #LABEL_HERE}: true in the one tile that holds the
     * feature's point on surface (in EPSG:3857, where the tiles partition the plane), false in the others, so that a
     * client labels a polygon once, not once per tile it crosses. A feature whole inside the tile needs no point.
     */
    Statement sql(Layer layer, List<Layer.Attribute> attributes, boolean history) {
        String key = layer.name() + "|" + history + "|" + String.join(",", attributes.stream().map(Layer.Attribute::name).toList());
        return statements.computeIfAbsent(key, k -> {
            String geom = PostgresNames.quote(layer.definition().geometry());
            String id = PostgresNames.quote(layer.definition().id());
            boolean integerId = List.of("integer", "bigint", "smallint").contains(layer.idType());
            boolean polygons = layer.geometryType() != null && layer.geometryType().toUpperCase(java.util.Locale.ROOT).contains("POLYGON");
            StringBuilder cols = new StringBuilder();
            StringBuilder outer = new StringBuilder();
            for (Layer.Attribute a : attributes) {
                String name = PostgresNames.quote(a.name());
                if (a.dbType().startsWith("numeric")) {
                    cols.append(", ").append(name).append("::float8 AS ").append(name);
                } else if (a.dbType().startsWith("timestamp") || a.dbType().equals("date")) {
                    // ISO 8601 as WFS's GeoJSON writes it ("2026-12-07T17:00:00+00:00"): PostgreSQL's text form puts a space
                    // before the time, which browsers' Date (Safari's) does not read
                    cols.append(", to_json(").append(name).append(") #>> '{}' AS ").append(name);
                } else {
                    cols.append(", ").append(name);
                }
                outer.append(", ").append(name);
            }
            String relation = PostgresNames.relation(history ? layer.definition().historyRelation() : layer.definition().relation());
            String envelope = layer.srid() == 3857 ? "ST_TileEnvelope(?, ?, ?, margin => " + (double) BUFFER / EXTENT + ")"
                    : "ST_Transform(ST_TileEnvelope(?, ?, ?, margin => " + (double) BUFFER / EXTENT + "), " + layer.srid() + ")";
            String transformed = layer.srid() == 3857 ? geom : "ST_Transform(" + geom + ", 3857)";
            String label = polygons
                    ? ", (s.mvt_src_geom @ ST_TileEnvelope(?, ?, ?) OR ST_Intersects(ST_PointOnSurface(s.mvt_src_geom), ST_TileEnvelope(?, ?, ?))) AS " + LABEL_HERE
                    : "";
            String sql = "SELECT ST_AsMVT(t.*, " + quoteLiteral(layer.name()) + ", " + EXTENT + ", 'mvt_geom'"
                    + (integerId ? ", 'mvt_id'" : "") + ") FROM ("
                    + "SELECT s.mvt_src_id AS " + (integerId ? "mvt_id" : id) + outer
                    + ", ST_AsMVTGeom(s.mvt_src_geom, ST_TileEnvelope(?, ?, ?), " + EXTENT + ", " + BUFFER + ", true) AS mvt_geom" + label
                    + " FROM (SELECT " + id + " AS mvt_src_id" + cols + ", " + transformed + " AS mvt_src_geom"
                    + " FROM " + relation + " WHERE " + geom + " && " + envelope
                    + (history ? " AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)" : "")
                    + ") s) t WHERE t.mvt_geom IS NOT NULL";
            return new Statement(sql, polygons ? 4 : 2);
        });
    }

    /** The attribute that says whether a polygon is labelled in this tile (see {@link #sql}). */
    static final String LABEL_HERE = "label_here";

    /** A layer name is [a-z0-9_] (checked by the catalog); quoted as a literal all the same. */
    private static String quoteLiteral(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    byte[] tile(Layer layer, List<Layer.Attribute> attributes, int z, long x, long y, OffsetDateTime asOf) {
        boolean history = asOf != null && layer.hasHistory();
        Statement statement = sql(layer, attributes, history);
        Connection c = DataSourceUtils.getConnection(dataSource);
        try (PreparedStatement ps = c.prepareStatement(statement.sql())) {
            // ST_TileEnvelope takes integers; a valid tile index (z <= 22) fits one
            int n = 0;
            for (int i = 0; i < statement.tileParameters(); i++) {
                ps.setInt(++n, z);
                ps.setInt(++n, (int) x);
                ps.setInt(++n, (int) y);
            }
            if (history) {
                ps.setObject(++n, asOf);
                ps.setObject(++n, asOf);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                byte[] b = rs.getBytes(1);
                return b == null ? new byte[0] : b;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("vector tile " + layer.name() + " " + z + "/" + x + "/" + y + ": " + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(c, dataSource);
        }
    }
}
