package vn.landgis.features;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.locationtech.jts.geom.Envelope;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import vn.landgis.features.CatalogProperties.AttributeDefinition;
import vn.landgis.features.CatalogProperties.LayerDefinition;

/**
 * The published layers, checked against the database at start-up: every relation, geometry, id and attribute
 * column named in configuration must exist, or the service does not start. Layer extents are computed on
 * first use and refreshed when {@link #forgetExtents()} is called after data changes. Thread-safe.
 */
@Component
public class LayerCatalog {

    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final Pattern RELATION = Pattern.compile("([a-z][a-z0-9_]{0,62})\\.([a-z][a-z0-9_]{0,62})");

    private final JdbcTemplate jdbc;
    private final Map<String, Layer> layers;
    private final Map<String, Optional<Envelope[]>> extents = new ConcurrentHashMap<>();
    private final Map<String, Optional<Envelope>> projected = new ConcurrentHashMap<>();

    LayerCatalog(CatalogProperties properties, JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        Map<String, Layer> m = new LinkedHashMap<>();
        for (LayerDefinition d : properties.layers()) {
            Layer layer = resolve(d);
            if (m.put(d.name(), layer) != null) {
                throw new IllegalStateException("landgis.catalog: layer " + d.name() + " is declared twice");
            }
        }
        this.layers = Collections.unmodifiableMap(m);
    }

    private Layer resolve(LayerDefinition d) {
        if (d.name() == null || !NAME.matcher(d.name()).matches()) {
            throw new IllegalStateException("landgis.catalog: bad layer name " + d.name());
        }
        Map<String, String> columns = columns(d.name(), d.relation());
        if (d.historyRelation() != null) {
            Map<String, String> history = columns(d.name(), d.historyRelation());
            for (String c : List.of("valid_from", "valid_to")) {
                if (!history.containsKey(c)) {
                    throw new IllegalStateException("landgis.catalog: " + d.historyRelation() + " has no column " + c);
                }
            }
            for (String c : columns.keySet()) {
                if (!history.containsKey(c)) {
                    throw new IllegalStateException("landgis.catalog: " + d.historyRelation() + " lacks column " + c + " of " + d.relation());
                }
            }
        }
        for (String c : List.of(d.geometry(), d.id())) {
            if (!columns.containsKey(c)) {
                throw new IllegalStateException("landgis.catalog: " + d.relation() + " has no column " + c);
            }
        }
        if (!columns.get(d.geometry()).startsWith("geometry")) {
            throw new IllegalStateException("landgis.catalog: " + d.relation() + "." + d.geometry() + " is not a geometry");
        }
        List<Layer.Attribute> attributes = new ArrayList<>();
        for (AttributeDefinition a : d.attributes()) {
            String type = columns.get(a.name());
            if (type == null || a.name().equals(d.geometry())) {
                throw new IllegalStateException("landgis.catalog: " + d.relation() + " has no attribute column " + a.name());
            }
            attributes.add(new Layer.Attribute(a.name(), a.title() == null ? a.name() : a.title(), type, a.roles()));
        }
        // typmod of a view column is not kept through joins: ask the base table through the view's first row's
        // SRID when the declared type lacks it
        String declared = columns.get(d.geometry());
        java.util.regex.Matcher m = Pattern.compile("geometry\\((\\w+),(\\d+)\\)").matcher(declared);
        String type;
        int srid;
        if (m.matches()) {
            type = m.group(1).toUpperCase(java.util.Locale.ROOT);
            srid = Integer.parseInt(m.group(2));
        } else {
            throw new IllegalStateException("landgis.catalog: " + d.relation() + "." + d.geometry()
                    + " must carry a type and SRID (geometry(Type, SRID)); it is " + declared);
        }
        return new Layer(d, srid, type, columns.get(d.id()), List.copyOf(attributes));
    }

    /** Column name -> type of a relation, from PostgreSQL's catalog; the relation name must be schema.name. */
    private Map<String, String> columns(String layer, String relation) {
        if (relation == null || !RELATION.matcher(relation).matches()) {
            throw new IllegalStateException("landgis.catalog: layer " + layer + " needs relation: schema.name, got " + relation);
        }
        String[] parts = relation.split("\\.");
        Map<String, String> columns = new LinkedHashMap<>();
        jdbc.query("""
                SELECT a.attname, format_type(a.atttypid, a.atttypmod)
                  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""",
                rs -> {
                    columns.put(rs.getString(1), rs.getString(2));
                }, parts[0], parts[1]);
        if (columns.isEmpty()) {
            throw new IllegalStateException("landgis.catalog: relation " + relation + " of layer " + layer + " does not exist");
        }
        return columns;
    }

    public Optional<Layer> layer(String name) {
        return Optional.ofNullable(name == null ? null : layers.get(name));
    }

    /** The layer if it exists and this viewer may see it. */
    public Optional<Layer> layer(String name, Viewer viewer) {
        return layer(name).filter(l -> viewer.mayAccess(l.definition().roles()));
    }

    public List<Layer> layers() {
        return List.copyOf(layers.values());
    }

    public List<Layer> layersFor(Viewer viewer) {
        return layers.values().stream().filter(l -> viewer.mayAccess(l.definition().roles())).toList();
    }

    /**
     * The layer's extent: {@code [0]} in its storage SRID, {@code [1]} in WGS 84 (x = lon); empty when the
     * layer holds no feature.
     */
    public Optional<Envelope[]> extent(Layer layer) {
        return extents.computeIfAbsent(layer.name(), n -> {
            String sql = "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e), ST_XMin(w), ST_YMin(w), ST_XMax(w), ST_YMax(w) FROM ("
                    + "SELECT e, ST_Transform(ST_SetSRID(e::geometry, " + layer.srid() + "), 4326)::box2d w FROM ("
                    + "SELECT ST_Extent(" + PostgresNames.quote(layer.definition().geometry()) + ") e FROM "
                    + PostgresNames.relation(layer.definition().relation()) + ") x) y WHERE e IS NOT NULL";
            List<Envelope[]> r = jdbc.query(sql, (rs, i) -> new Envelope[] {
                new Envelope(rs.getDouble(1), rs.getDouble(3), rs.getDouble(2), rs.getDouble(4)),
                new Envelope(rs.getDouble(5), rs.getDouble(7), rs.getDouble(6), rs.getDouble(8))});
            return r.stream().findFirst();
        });
    }

    /** The layer's extent in another CRS (x = east), computed by PostGIS from its storage extent; cached. */
    public Optional<Envelope> extent(Layer layer, int srid) {
        return projected.computeIfAbsent(layer.name() + "@" + srid, k -> extent(layer).flatMap(e -> {
            Envelope s = e[0];
            if (srid == layer.srid()) {
                return Optional.of(s);
            }
            List<Envelope> r = jdbc.query("""
                    SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM (
                      SELECT ST_Transform(ST_Segmentize(ST_MakeEnvelope(?, ?, ?, ?, ?), ?), ?)::box2d b) x""",
                    (rs, i) -> new Envelope(rs.getDouble(1), rs.getDouble(3), rs.getDouble(2), rs.getDouble(4)),
                    s.getMinX(), s.getMinY(), s.getMaxX(), s.getMaxY(), layer.srid(),
                    Math.max(1.0, Math.max(s.getWidth(), s.getHeight()) / 32), srid);
            return r.stream().findFirst();
        }));
    }

    /**
     * A number that grows with every change to the register (the newest change id): the WMS/WFS
     * {@code updateSequence}.
     */
    public long updateSequence() {
        Long n = jdbc.queryForObject("SELECT coalesce(max(id), 0) FROM cadastre.change", Long.class);
        return n == null ? 0 : n;
    }

    /** Forget the cached extents (after an import or an edit). */
    public void forgetExtents() {
        extents.clear();
        projected.clear();
    }
}
