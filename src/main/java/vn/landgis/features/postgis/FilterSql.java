package vn.landgis.features.postgis;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.io.WKBWriter;

import vn.landgis.features.Layer;
import vn.landgis.features.PostgresNames;
import vn.landgis.features.Viewer;
import vn.landgis.features.filter.Filter;
import vn.landgis.features.filter.FilterException;
import vn.landgis.geo.SupportedCrs;

/**
 * Filter Encoding 2.0 trees as a SQL boolean expression over a catalog layer. The SQL text holds only quoted
 * catalog names (the geometry and id columns, attributes the viewer may see), type names from a fixed list and
 * checked against {@link #TYPE}, the layer's SRID (an int) and fixed operators; every value (literal, pattern,
 * geometry, distance, id) is a bound parameter.
 * <ul>
 * <li>Property names: the geometry column or {@link Filter#BOUNDED_BY} (the geometry), or an attribute of
 * {@code layer.attributesFor(viewer)}. Anything else, including an attribute hidden from this viewer, is
 * {@code InvalidParameterValue "unknown property X"}, the same words either way.</li>
 * <li>Literals are read in Java by the column type (integers, numerics, floats, booleans, dates, timestamps,
 * uuids) and refused with {@code InvalidParameterValue} when they do not fit, then bound as text and cast in SQL:
 * {@code col op CAST(? AS type)}. Typmods are dropped from the cast ({@code numeric(14,1)} compares with
 * {@code numeric}, so 10.25 is not rounded to 10.3); a non-integral number against an integer column compares as
 * numeric. A timestamp without offset is Vietnam time. Columns of other types compare as text.
 * {@code matchCase=false} on text compares {@code lower()} of both sides.</li>
 * <li>Null semantics are two-valued: a comparison with a missing value is false, and {@code Not} is
 * {@code (x) IS NOT TRUE}, so {@code Not(address = 'x')} keeps the parcels without an address.</li>
 * <li>Like: the FES pattern becomes a LIKE pattern with escape character backslash ({@code %}, {@code _} and
 * backslash in the pattern are literal); ILIKE when {@code matchCase=false}; non-text columns as text.</li>
 * <li>ResourceId: ids {@code <layer>.<id>}; an id of another layer (or without the layer prefix) is
 * {@code InvalidParameterValue} with locator {@code RESOURCEID}; an id that is not a valid value of the id column's
 * type matches nothing.</li>
 * <li>Spatial: the geometry is bound as EWKB and transformed into the layer SRID in SQL (SRID 0: already in it).
 * BBOX uses the envelope of the geometry (segmentised before a transformation, as the query bbox is).
 * DWithin/Beyond take metres ({@link Filter.Distance#metres()}); over a projected storage CRS the distance is
 * measured on the grid (TM-3 scale 0.9999: 1 cm per 100 m), over a geographic one on the spheroid.</li>
 * </ul>
 */
final class FilterSql {

    /** Type names that may be inlined in a CAST (no quotes, no dots, no brackets). */
    static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9 _]*(\\([0-9]+(,[0-9]+)?\\))?");
    private static final Pattern TYPMOD = Pattern.compile("\\([0-9]+(,[0-9]+)?\\)");
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]{1,40}");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?");
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
    /** PostgreSQL's wire protocol allows 65535 parameters; stay well below. */
    private static final int MAX_PARAMS = 30_000;
    private static final int MAX_IDS = 10_000;
    private static final int MAX_DEPTH = 100;

    /** A SQL boolean expression and its parameters, in order. */
    record Fragment(String sql, List<Object> params) {
    }

    private FilterSql() {
    }

    /**
     * The filter as SQL over {@code layer} (its relation's columns, unqualified) for {@code viewer}.
     *
     * @throws FilterException InvalidParameterValue for unknown or hidden properties, literals that do not fit the
     *                         column, resource ids of another layer, unsupported CRSs or units, empty And/Or
     */
    static Fragment translate(Filter filter, Layer layer, Viewer viewer) {
        Objects.requireNonNull(filter, "filter");
        Translator t = new Translator(layer, viewer);
        t.emit(filter, 0);
        if (t.params.size() > MAX_PARAMS) {
            throw invalid("filter too large (" + t.params.size() + " values)");
        }
        return new Fragment(t.sql.toString(), List.copyOf(t.params));
    }

    /** How a column's values are read from literal text. */
    private enum Kind { INTEGER, DECIMAL, FLOAT, TEXT, BOOLEAN, DATE, TIMESTAMPTZ, TIMESTAMP, UUID, OTHER }

    /** A column type: its kind and the type name a literal is cast to (null for OTHER: compared as text). */
    private record Type(Kind kind, String cast) {

        static Type of(String dbType) {
            String base = dbType == null ? "" : TYPMOD.matcher(dbType).replaceAll("").trim();
            if (!TYPE.matcher(base).matches()) {
                return new Type(Kind.OTHER, "text");
            }
            return switch (base) {
                case "smallint", "integer", "bigint" -> new Type(Kind.INTEGER, base);
                case "numeric" -> new Type(Kind.DECIMAL, "numeric");
                case "real", "double precision" -> new Type(Kind.FLOAT, base);
                case "text", "character varying", "character", "name" -> new Type(Kind.TEXT, "text");
                case "boolean" -> new Type(Kind.BOOLEAN, "boolean");
                case "date" -> new Type(Kind.DATE, "date");
                case "timestamp with time zone" -> new Type(Kind.TIMESTAMPTZ, base);
                case "timestamp without time zone" -> new Type(Kind.TIMESTAMP, base);
                case "uuid" -> new Type(Kind.UUID, "uuid");
                default -> new Type(Kind.OTHER, "text");
            };
        }

        boolean textual() {
            return kind == Kind.TEXT || kind == Kind.OTHER;
        }
    }

    /** A column: its SQL (quoted name, or cast to text for OTHER types) and its attribute (null: the geometry). */
    private record Column(String sql, Layer.Attribute attribute, Type type) {
        boolean geometry() {
            return attribute == null;
        }
    }

    /** A literal ready to bind: {@code CAST(? AS cast)} with {@code value}. */
    private record Bound(String cast, String value) {
    }

    private static final class Translator {
        final Layer layer;
        final List<Layer.Attribute> visible;
        final StringBuilder sql = new StringBuilder(128);
        final List<Object> params = new ArrayList<>();

        Translator(Layer layer, Viewer viewer) {
            this.layer = layer;
            this.visible = layer.attributesFor(viewer);
        }

        void emit(Filter f, int depth) {
            if (f == null) {
                throw invalid("empty filter operand");
            }
            if (depth > MAX_DEPTH) {
                throw invalid("filter nested deeper than " + MAX_DEPTH + " levels");
            }
            switch (f) {
                case Filter.And a -> logic(a.operands(), "AND", depth);
                case Filter.Or o -> logic(o.operands(), "OR", depth);
                case Filter.Not n -> {
                    // two-valued logic: a comparison with NULL is false, so its negation is true
                    sql.append("((");
                    emit(n.operand(), depth + 1);
                    sql.append(") IS NOT TRUE)");
                }
                // gml:name, gml:description, gml:identifier: our features have none, so they are nil and compare false
                case Filter.Comparison c when Filter.isGmlDescriptive(c.property()) -> sql.append("FALSE");
                case Filter.Like l when Filter.isGmlDescriptive(l.property()) -> sql.append("FALSE");
                case Filter.Between b when Filter.isGmlDescriptive(b.property()) -> sql.append("FALSE");
                case Filter.IsNull n when Filter.isGmlDescriptive(n.property()) -> sql.append("TRUE");
                case Filter.IsNil n when Filter.isGmlDescriptive(n.property()) -> sql.append("TRUE");
                case Filter.Comparison c -> comparison(c);
                case Filter.Like l -> like(l);
                case Filter.IsNull n -> sql.append(column(n.property(), true).sql()).append(" IS NULL");
                case Filter.IsNil n -> sql.append(column(n.property(), true).sql()).append(" IS NULL");
                case Filter.Between b -> between(b);
                case Filter.Spatial s -> spatial(s);
                case Filter.Distance d -> distance(d);
                case Filter.ResourceId r -> resourceId(r);
            }
        }

        private void logic(List<Filter> operands, String op, int depth) {
            if (operands.isEmpty()) {
                throw invalid("empty fes:" + (op.equals("AND") ? "And" : "Or"));
            }
            sql.append('(');
            for (int i = 0; i < operands.size(); i++) {
                if (i > 0) {
                    sql.append(' ').append(op).append(' ');
                }
                sql.append('(');
                emit(operands.get(i), depth + 1);
                sql.append(')');
            }
            sql.append(')');
        }

        /** The column a property names; hidden and unknown attributes are the same error. */
        private Column column(String property, boolean geometryAllowed) {
            String geometry = layer.definition().geometry();
            if (property == null || property.equals(Filter.BOUNDED_BY) || property.equals(geometry)) {
                if (!geometryAllowed) {
                    throw invalid(property == null ? "a property is needed" : "the geometry cannot be compared: use a spatial operator");
                }
                return new Column(PostgresNames.quote(geometry), null, null);
            }
            for (Layer.Attribute a : visible) {
                if (a.name().equals(property)) {
                    Type type = Type.of(a.dbType());
                    String quoted = PostgresNames.quote(a.name());
                    return new Column(type.kind() == Kind.OTHER ? "CAST(" + quoted + " AS text)" : quoted, a, type);
                }
            }
            throw invalid("unknown property " + shorten(property));
        }

        private Column attribute(String property) {
            return column(property, false);
        }

        private void comparison(Filter.Comparison c) {
            Column col = attribute(c.property());
            String op = switch (c.op()) {
                case EQ -> " = ";
                case NE -> " <> ";
                case LT -> " < ";
                case GT -> " > ";
                case LE -> " <= ";
                case GE -> " >= ";
            };
            Bound v = bound(col, c.literal());
            if (!c.matchCase() && col.type().textual()) {
                sql.append("lower(").append(col.sql()).append(')').append(op).append("lower(CAST(? AS text))");
            } else {
                sql.append(col.sql()).append(op).append("CAST(? AS ").append(v.cast()).append(')');
            }
            params.add(v.value());
        }

        private void between(Filter.Between b) {
            Column col = attribute(b.property());
            Bound lo = bound(col, b.lower());
            Bound hi = bound(col, b.upper());
            sql.append(col.sql()).append(" BETWEEN CAST(? AS ").append(lo.cast()).append(") AND CAST(? AS ").append(hi.cast()).append(')');
            params.add(lo.value());
            params.add(hi.value());
        }

        private void like(Filter.Like l) {
            Column col = attribute(l.property());
            String expr = col.type().kind() == Kind.TEXT || col.type().kind() == Kind.OTHER ? col.sql() : "CAST(" + col.sql() + " AS text)";
            sql.append(expr).append(l.matchCase() ? " LIKE " : " ILIKE ").append("? ESCAPE E'\\\\'");
            params.add(likePattern(l));
        }

        private void spatial(Filter.Spatial s) {
            Column col = column(s.property(), true);
            requireGeometry(col, s.property());
            String geom = col.sql();
            if (s.op() == Filter.SpatialOp.BBOX) {
                String box = envelope(s.geometry());
                sql.append('(').append(geom).append(" && ").append(box);
                String again = envelope(s.geometry());
                sql.append(" AND ST_Intersects(").append(geom).append(", ").append(again).append("))");
                return;
            }
            String fn = switch (s.op()) {
                case INTERSECTS -> "ST_Intersects";
                case DISJOINT -> "ST_Disjoint";
                case WITHIN -> "ST_Within";
                case CONTAINS -> "ST_Contains";
                case OVERLAPS -> "ST_Overlaps";
                case TOUCHES -> "ST_Touches";
                case CROSSES -> "ST_Crosses";
                case EQUALS -> "ST_Equals";
                case BBOX -> throw new AssertionError();
            };
            String g = geometry(s.geometry());
            sql.append(fn).append('(').append(geom).append(", ").append(g).append(')');
        }

        private void distance(Filter.Distance d) {
            Column col = column(d.property(), true);
            requireGeometry(col, d.property());
            double metres = d.metres();
            String g = geometry(d.geometry());
            boolean geographic = SupportedCrs.bySrid(layer.srid()).map(SupportedCrs::geographic).orElse(false);
            sql.append(d.beyond() ? "NOT ST_DWithin(" : "ST_DWithin(");
            if (geographic) {
                sql.append("CAST(").append(col.sql()).append(" AS geography), CAST(").append(g).append(" AS geography), ?)");
            } else {
                sql.append(col.sql()).append(", ").append(g).append(", ?)");
            }
            params.add(metres);
        }

        private void requireGeometry(Column col, String property) {
            if (!col.geometry()) {
                throw invalid("property " + shorten(property) + " is not a geometry");
            }
        }

        /**
         * Binds the geometry as EWKB; SQL that yields it in the layer SRID. A scalar sub-query, so PostgreSQL
         * computes it once per statement: in a generic plan (prepared statements after five runs) an expression with
         * parameters in a row filter would be parsed and transformed again for every row (35 ms a query, measured).
         */
        private String geometry(Geometry g) {
            int srid = srid(g);
            params.add(ewkb(g, srid));
            return srid == layer.srid() ? "(SELECT ST_GeomFromEWKB(?))" : "(SELECT ST_Transform(ST_GeomFromEWKB(?), " + layer.srid() + "))";
        }

        /** The envelope of the geometry, segmentised before a transformation so its curved image is covered. */
        private String envelope(Geometry g) {
            int srid = srid(g);
            Envelope e = g.getEnvelopeInternal();
            if (e.isNull()) {
                throw invalid("empty geometry in fes:BBOX");
            }
            Geometry box = new GeometryFactory(new PrecisionModel(), srid).toGeometry(e);
            params.add(ewkb(box, srid));
            if (srid == layer.srid()) {
                return "(SELECT ST_GeomFromEWKB(?))";
            }
            double step = Math.max(e.getWidth(), e.getHeight()) / 16;
            if (step <= 0) {
                return "(SELECT ST_Transform(ST_GeomFromEWKB(?), " + layer.srid() + "))";
            }
            params.add(step);
            return "(SELECT ST_Transform(ST_Segmentize(ST_GeomFromEWKB(?), ?), " + layer.srid() + "))";
        }

        private int srid(Geometry g) {
            if (g == null) {
                throw invalid("a spatial operator needs a geometry");
            }
            int srid = g.getSRID() == 0 ? layer.srid() : g.getSRID();
            if (srid != layer.srid() && SupportedCrs.bySrid(srid).isEmpty()) {
                throw new FilterException("InvalidParameterValue", "srsName", "unsupported CRS EPSG:" + srid);
            }
            return srid;
        }

        private static final java.util.regex.Pattern OTHER_TYPE = java.util.regex.Pattern.compile("[a-z][a-z0-9_]{0,62}");

        private void resourceId(Filter.ResourceId r) {
            if (r.ids().isEmpty()) {
                throw new FilterException("InvalidParameterValue", "RESOURCEID", "no resource id");
            }
            if (r.ids().size() > MAX_IDS) {
                throw new FilterException("InvalidParameterValue", "RESOURCEID", "more than " + MAX_IDS + " resource ids");
            }
            Type type = Type.of(layer.idType());
            String prefix = layer.name() + ".";
            List<String> values = new ArrayList<>();
            for (String id : r.ids()) {
                if (id == null) {
                    continue;
                }
                if (!id.startsWith(prefix)) {
                    // the id of another feature type is an error (ISO 19142 7.9.2.4.1); an id of no shape of ours is just absent
                    int dot = id.lastIndexOf('.');
                    if (dot > 0 && OTHER_TYPE.matcher(id.substring(0, dot)).matches()) {
                        throw new FilterException("InvalidParameterValue", "RESOURCEID", "resource id " + shorten(id)
                                + " is not of feature type " + layer.name() + " (ids look like " + prefix + "123)");
                    }
                    continue;
                }
                String v = id.substring(prefix.length());
                Bound b = type.kind() == Kind.OTHER ? new Bound("text", v) : read(type, v);
                if (b != null && b.cast().equals(type.cast()) && !values.contains(b.value())) {
                    values.add(b.value()); // an id that is no value of the id type (parcels.abc) matches nothing
                }
            }
            if (values.isEmpty()) {
                sql.append("false");
                return;
            }
            String id = PostgresNames.quote(layer.definition().id());
            sql.append(type.kind() == Kind.OTHER ? "CAST(" + id + " AS text)" : id).append(" IN (");
            for (int i = 0; i < values.size(); i++) {
                sql.append(i > 0 ? ", " : "").append("CAST(? AS ").append(type.cast()).append(')');
                params.add(values.get(i));
            }
            sql.append(')');
        }

        /** The literal for a comparison with this column, or InvalidParameterValue. */
        private Bound bound(Column col, String literal) {
            if (literal == null) {
                throw invalid("a literal is needed for " + shorten(col.attribute().name()));
            }
            Bound b = read(col.type(), literal);
            if (b == null) {
                throw invalid("'" + shorten(literal) + "' is not a valid " + col.type().kind().name().toLowerCase(Locale.ROOT)
                        + " value for " + shorten(col.attribute().name()));
            }
            return b;
        }
    }

    /** Reads literal text as a value of the type: what to cast it to and the text to bind, or null if it does not fit. */
    private static Bound read(Type type, String literal) {
        String t = literal.trim();
        try {
            return switch (type.kind()) {
                case TEXT, OTHER -> new Bound("text", literal);
                case INTEGER -> {
                    if (INTEGER.matcher(t).matches()) {
                        BigInteger v = new BigInteger(t);
                        int bits = switch (type.cast()) {
                            case "smallint" -> 15;
                            case "integer" -> 31;
                            default -> 63;
                        };
                        if (v.bitLength() <= bits) {
                            yield new Bound(type.cast(), v.toString());
                        }
                    }
                    // 12.5 or 1e12 against an integer column: compare as numeric, exactly
                    yield decimal(t);
                }
                case DECIMAL -> decimal(t);
                case FLOAT -> DECIMAL.matcher(t).matches() && Double.isFinite(Double.parseDouble(t)) ? new Bound(type.cast(), t) : null;
                case BOOLEAN -> switch (t.toLowerCase(Locale.ROOT)) {
                    case "true", "1" -> new Bound("boolean", "true");
                    case "false", "0" -> new Bound("boolean", "false");
                    default -> null;
                };
                case DATE -> new Bound("date", date(t).toString());
                case TIMESTAMPTZ -> new Bound(type.cast(), instant(t).toString());
                case TIMESTAMP -> new Bound(type.cast(), local(t).toString());
                case UUID -> UUID_TEXT.matcher(t).matches() ? new Bound("uuid", t.toLowerCase(Locale.ROOT)) : null;
            };
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private static Bound decimal(String t) {
        if (!DECIMAL.matcher(t).matches()) {
            return null;
        }
        new BigDecimal(t); // checks
        return new Bound("numeric", t);
    }

    private static LocalDate date(String t) {
        LocalDate d = LocalDate.parse(t);
        checkYear(d.getYear());
        return d;
    }

    /** An instant: ISO-8601 with offset, or a local date-time or date in Vietnam time. */
    private static OffsetDateTime instant(String t) {
        String s = t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11) : t;
        OffsetDateTime odt;
        if (s.length() <= 10) {
            odt = LocalDate.parse(s).atStartOfDay(VIETNAM).toOffsetDateTime();
        } else {
            try {
                odt = OffsetDateTime.parse(s);
            } catch (DateTimeParseException e) {
                odt = LocalDateTime.parse(s).atZone(VIETNAM).toOffsetDateTime();
            }
        }
        checkYear(odt.getYear());
        return odt;
    }

    /** A local date-time: ISO-8601 local, a date (midnight), or with an offset converted to Vietnam time. */
    private static LocalDateTime local(String t) {
        String s = t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11) : t;
        LocalDateTime l;
        if (s.length() <= 10) {
            l = LocalDate.parse(s).atStartOfDay();
        } else {
            try {
                l = LocalDateTime.parse(s);
            } catch (DateTimeParseException e) {
                l = OffsetDateTime.parse(s).atZoneSameInstant(VIETNAM).toLocalDateTime();
            }
        }
        checkYear(l.getYear());
        return l;
    }

    private static void checkYear(int year) {
        if (year < 1 || year > 9999) {
            throw new ArithmeticException("year out of range");
        }
    }

    /**
     * The FES pattern as a LIKE pattern with escape character backslash: wildCard is %, singleChar is _, the
     * escape character makes the next character literal, and %, _ and backslash of the pattern are literal.
     */
    static String likePattern(Filter.Like l) {
        String p = l.pattern() == null ? "" : l.pattern();
        StringBuilder b = new StringBuilder(p.length() + 8);
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == l.escapeChar()) {
                if (i + 1 == p.length()) {
                    throw invalid("PropertyIsLike pattern ends with its escape character");
                }
                literal(b, p.charAt(++i));
            } else if (c == l.wildCard()) {
                b.append('%');
            } else if (c == l.singleChar()) {
                b.append('_');
            } else {
                literal(b, c);
            }
        }
        return b.toString();
    }

    private static void literal(StringBuilder b, char c) {
        if (c == '%' || c == '_' || c == '\\') {
            b.append('\\');
        }
        b.append(c);
    }

    private static byte[] ewkb(Geometry g, int srid) {
        Geometry c = g.copy();
        c.setSRID(srid);
        return new WKBWriter(2, true).write(c);
    }

    private static String shorten(String s) {
        if (s == null) {
            return "null";
        }
        String t = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        StringBuilder b = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }

    private static FilterException invalid(String message) {
        return new FilterException("InvalidParameterValue", "FILTER", message);
    }
}
