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
    private final Map<String, String> statements = new ConcurrentHashMap<>();

    MvtSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The statement for a layer and the attributes the viewer may see; parameters z, x, y, z, x, y [, asOf, asOf]. */
    String sql(Layer layer, List<Layer.Attribute> attributes, boolean history) {
        String key = layer.name() + "|" + history + "|" + String.join(",", attributes.stream().map(Layer.Attribute::name).toList());
        return statements.computeIfAbsent(key, k -> {
            String geom = PostgresNames.quote(layer.definition().geometry());
            String id = PostgresNames.quote(layer.definition().id());
            boolean integerId = List.of("integer", "bigint", "smallint").contains(layer.idType());
            StringBuilder cols = new StringBuilder();
            for (Layer.Attribute a : attributes) {
                cols.append(", ").append(PostgresNames.quote(a.name()));
                if (a.dbType().startsWith("numeric")) {
                    cols.append("::float8");
                } else if (a.dbType().startsWith("timestamp") || a.dbType().equals("date")) {
                    cols.append("::text");
                }
            }
            String relation = PostgresNames.relation(history ? layer.definition().historyRelation() : layer.definition().relation());
            String envelope = layer.srid() == 3857 ? "ST_TileEnvelope(?, ?, ?, margin => " + (double) BUFFER / EXTENT + ")"
                    : "ST_Transform(ST_TileEnvelope(?, ?, ?, margin => " + (double) BUFFER / EXTENT + "), " + layer.srid() + ")";
            String transformed = layer.srid() == 3857 ? geom : "ST_Transform(" + geom + ", 3857)";
            return "SELECT ST_AsMVT(t.*, " + quoteLiteral(layer.name()) + ", " + EXTENT + ", 'mvt_geom'"
                    + (integerId ? ", 'mvt_id'" : "") + ") FROM ("
                    + "SELECT " + id + (integerId ? " AS mvt_id" : "") + cols
                    + ", ST_AsMVTGeom(" + transformed + ", ST_TileEnvelope(?, ?, ?), " + EXTENT + ", " + BUFFER + ", true) AS mvt_geom"
                    + " FROM " + relation + " WHERE " + geom + " && " + envelope
                    + (history ? " AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)" : "")
                    + ") t WHERE t.mvt_geom IS NOT NULL";
        });
    }

    /** A layer name is [a-z0-9_] (checked by the catalog); quoted as a literal all the same. */
    private static String quoteLiteral(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    byte[] tile(Layer layer, List<Layer.Attribute> attributes, int z, long x, long y, OffsetDateTime asOf) {
        boolean history = asOf != null && layer.hasHistory();
        String sql = sql(layer, attributes, history);
        Connection c = DataSourceUtils.getConnection(dataSource);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            // ST_TileEnvelope takes integers; a valid tile index (z <= 22) fits one
            ps.setInt(1, z);
            ps.setInt(2, (int) x);
            ps.setInt(3, (int) y);
            ps.setInt(4, z);
            ps.setInt(5, (int) x);
            ps.setInt(6, (int) y);
            if (history) {
                ps.setObject(7, asOf);
                ps.setObject(8, asOf);
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
