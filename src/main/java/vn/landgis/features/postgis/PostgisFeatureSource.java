package vn.landgis.features.postgis;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.geom.util.AffineTransformation;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

import vn.landgis.features.Feature;
import vn.landgis.features.FeatureQuery;
import vn.landgis.features.FeatureSource;
import vn.landgis.features.Layer;
import vn.landgis.features.PostgresNames;
import vn.landgis.features.filter.FilterException;
import vn.landgis.features.filter.SortBy;

/**
 * {@link FeatureSource} over PostGIS. Each query is one statement: the bbox is turned into the layer's SRID
 * in SQL (segmentised first, so the curved image of a rectangle in another CRS is still covered) so that the
 * GiST index is used; geometries are transformed and simplified by PostGIS and come back as WKB. Identifiers
 * are catalog names (checked at start-up) quoted by {@link PostgresNames}; every value is a bound parameter.
 * Large results are read with a cursor (fetch size), so memory does not grow with them. Thread-safe.
 */
@Component
class PostgisFeatureSource implements FeatureSource {

    private static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
    /** Results that may be larger than this are read through a cursor in a read-only transaction. */
    private static final int CURSOR_ABOVE = 5000;
    private static final int FETCH_SIZE = 1000;

    private final DataSource dataSource;

    PostgisFeatureSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** SQL text and its parameters, built together so they cannot drift apart. */
    private static final class Sql {
        final StringBuilder text = new StringBuilder(256);
        final List<Object> params = new ArrayList<>();

        Sql add(String s, Object... values) {
            text.append(s);
            params.addAll(List.of(values));
            return this;
        }
    }

    private static List<Layer.Attribute> selected(FeatureQuery q) {
        List<Layer.Attribute> visible = q.layer().attributesFor(q.viewer());
        if (q.properties() == null) {
            return visible;
        }
        List<Layer.Attribute> out = new ArrayList<>();
        for (Layer.Attribute a : visible) {
            if (q.properties().contains(a.name())) {
                out.add(a);
            }
        }
        return out;
    }

    private static void where(FeatureQuery q, Sql sql) {
        Layer layer = q.layer();
        String geom = PostgresNames.quote(layer.definition().geometry());
        String relation = q.asOf() != null && layer.hasHistory() ? layer.definition().historyRelation() : layer.definition().relation();
        sql.add(" FROM " + PostgresNames.relation(relation) + " WHERE true");
        if (q.bbox() != null) {
            Envelope b = q.bbox();
            String box;
            // scalar sub-queries: computed once per statement even in a generic plan (see FilterSql.geometry)
            if (q.bboxSrid() == layer.srid()) {
                box = "(SELECT ST_MakeEnvelope(?, ?, ?, ?, ?))";
                sql.params.addAll(List.of(b.getMinX(), b.getMinY(), b.getMaxX(), b.getMaxY(), q.bboxSrid()));
            } else {
                box = "(SELECT ST_Transform(ST_Segmentize(ST_MakeEnvelope(?, ?, ?, ?, ?), ?), ?))";
                double step = Math.max(b.getWidth(), b.getHeight()) / 16;
                sql.params.addAll(List.of(b.getMinX(), b.getMinY(), b.getMaxX(), b.getMaxY(), q.bboxSrid(),
                        step > 0 ? step : 1.0, layer.srid()));
            }
            if (q.intersectsOnly()) {
                sql.text.append(" AND ST_Intersects(").append(geom).append(", ").append(box).append(')');
            } else {
                sql.text.append(" AND ").append(geom).append(" && ").append(box);
            }
        }
        if (q.asOf() != null && layer.hasHistory()) {
            sql.add(" AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)", q.asOf(), q.asOf());
        }
        if (q.filter() != null) {
            FilterSql.Fragment f = FilterSql.translate(q.filter(), layer, q.viewer());
            sql.text.append(" AND (").append(f.sql()).append(')');
            sql.params.addAll(f.params());
        }
    }

    /** ORDER BY the asked keys (attributes the viewer may see), then the id, so pages never overlap. */
    private static String orderBy(FeatureQuery q) {
        StringBuilder b = new StringBuilder(" ORDER BY ");
        List<Layer.Attribute> visible = q.layer().attributesFor(q.viewer());
        for (SortBy s : q.sortBy()) {
            if (visible.stream().noneMatch(a -> a.name().equals(s.property()))) {
                throw new FilterException("InvalidParameterValue", "SORTBY", "Không sắp xếp được theo / cannot sort by " + s.property());
            }
            b.append(PostgresNames.quote(s.property())).append(s.descending() ? " DESC NULLS LAST, " : " ASC NULLS FIRST, ");
        }
        return b.append(PostgresNames.quote(q.layer().definition().id())).toString();
    }

    @Override
    public long read(FeatureQuery q, Consumer<Feature> sink) {
        Layer layer = q.layer();
        List<Layer.Attribute> attributes = selected(q);
        Sql sql = new Sql();
        String geomExpr = PostgresNames.quote(layer.definition().geometry());
        List<Object> geomParams = new ArrayList<>();
        // a map of a small area: an affine map replaces the per-vertex transformation (see LocalAffine)
        AffineTransformation affine = q.outputSrid() != layer.srid() && q.tolerance() > 0 && q.bbox() != null && q.bboxSrid() == q.outputSrid()
                ? LocalAffine.fit(layer.srid(), q.outputSrid(), q.bbox(), q.tolerance()).orElse(null) : null;
        if (affine != null) {
            // the renderer drops vertices closer than a fraction of a pixel: no simplification in SQL either
        } else if (q.outputSrid() != layer.srid()) {
            geomExpr = "ST_Transform(" + geomExpr + ", ?)";
            geomParams.add(q.outputSrid());
        }
        if (affine == null && q.simplify() > 0) {
            geomExpr = "ST_Simplify(" + geomExpr + ", ?, true)";
            geomParams.add(q.simplify());
        }
        sql.add("SELECT " + PostgresNames.quote(layer.definition().id()) + ", ST_AsBinary(" + geomExpr + ")", geomParams.toArray());
        for (Layer.Attribute a : attributes) {
            sql.text.append(", ").append(PostgresNames.quote(a.name()));
        }
        where(q, sql);
        sql.text.append(orderBy(q));
        if (q.limit() > 0) {
            sql.add(" LIMIT ?", q.limit());
        }
        if (q.offset() > 0) {
            sql.add(" OFFSET ?", q.offset());
        }
        boolean cursor = q.limit() == 0 || q.limit() > CURSOR_ABOVE;
        GeometryFactory factory = new GeometryFactory(new PrecisionModel(), q.outputSrid());
        WKBReader wkb = new WKBReader(factory);
        Connection c = DataSourceUtils.getConnection(dataSource);
        boolean autoCommit = true;
        try {
            autoCommit = c.getAutoCommit();
            if (cursor && autoCommit) {
                c.setAutoCommit(false);
            }
            long n = 0;
            try (PreparedStatement ps = c.prepareStatement(sql.text.toString())) {
                bind(ps, sql.params);
                if (cursor) {
                    ps.setFetchSize(FETCH_SIZE);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Object id = rs.getObject(1);
                        byte[] bytes = rs.getBytes(2);
                        Geometry g = bytes == null ? null : wkb.read(bytes);
                        if (g != null && affine != null) {
                            g.apply(affine);
                            g.setSRID(q.outputSrid());
                        }
                        Map<String, Object> values = new LinkedHashMap<>(attributes.size() * 2);
                        for (int i = 0; i < attributes.size(); i++) {
                            values.put(attributes.get(i).name(), value(rs.getObject(i + 3)));
                        }
                        sink.accept(new Feature(id, g, values));
                        n++;
                    }
                }
            } finally {
                if (cursor && autoCommit) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
            return n;
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("transform:")) {
                // coordinates PROJ cannot map (far outside the CRS's area): the caller's bbox, not our fault
                throw new IllegalArgumentException("toạ độ không chuyển đổi được / coordinates cannot be transformed", e);
            }
            throw new IllegalStateException("reading layer " + layer.name() + ": " + e.getMessage(), e);
        } catch (ParseException e) {
            throw new IllegalStateException("bad WKB from layer " + layer.name(), e);
        } finally {
            DataSourceUtils.releaseConnection(c, dataSource);
        }
    }

    @Override
    public long count(FeatureQuery q) {
        Sql sql = new Sql();
        sql.text.append("SELECT count(*)");
        where(q, sql);
        Connection c = DataSourceUtils.getConnection(dataSource);
        try (PreparedStatement ps = c.prepareStatement(sql.text.toString())) {
            bind(ps, sql.params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting layer " + q.layer().name() + ": " + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(c, dataSource);
        }
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof OffsetDateTime t) {
                ps.setObject(i + 1, t);
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }

    private static Object value(Object o) {
        if (o instanceof Timestamp t) {
            return t.toInstant().atZone(VIETNAM).toOffsetDateTime();
        }
        if (o instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        return o;
    }
}
