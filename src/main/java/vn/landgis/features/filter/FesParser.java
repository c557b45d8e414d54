package vn.landgis.features.filter;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import vn.landgis.features.filter.Filter.ComparisonOp;
import vn.landgis.features.filter.Filter.SpatialOp;
import vn.landgis.geo.SupportedCrs;

/**
 * Reads an OGC Filter Encoding 2.0 {@code fes:Filter} (namespace {@value #FES}) with GML 3.2 geometries
 * (namespace {@value #GML}) into a {@link Filter} tree. Stateless and thread-safe: every method is static and
 * each call parses on its own.
 *
 * <h2>Input</h2>
 * <ul>
 * <li>{@link #parse(Element)} / {@link #parse(Element, int)}: the {@code fes:Filter} element of a WFS 2.0 XML
 * request (GetFeature, GetPropertyValue) that the caller has already parsed. The caller's parser must itself be
 * hardened against DOCTYPEs and external entities: this class only reads the DOM it is given.</li>
 * <li>{@link #parse(String)} / {@link #parse(String, int)}: the KVP {@code FILTER} parameter, a complete XML
 * document whose root is {@code fes:Filter}. It is parsed with a hardened parser: namespace aware, any DOCTYPE
 * refused (so no internal or external entity, no external DTD, no "billion laughs"), external entities and
 * XInclude off, secure processing on, entity references not expanded, no URL ever resolved. Such documents are
 * refused with {@code OperationParsingFailed} before anything is read.</li>
 * </ul>
 * Elements must be in the FES 2.0 and GML 3.2 namespaces (FES 1.1 {@code ogc:} filters are refused).
 *
 * <h2>Operators</h2>
 * Comparisons (PropertyIsEqualTo, ...NotEqualTo, ...LessThan, ...GreaterThan, ...LessThanOrEqualTo,
 * ...GreaterThanOrEqualTo) with {@code matchCase} (default true) and a {@code fes:ValueReference} and a
 * {@code fes:Literal} in either order (literal first: the operator is flipped, {@code 5 < x} is {@code x > 5});
 * PropertyIsLike ({@code wildCard}, {@code singleChar}, {@code escapeChar}, one character each and required,
 * {@code matchCase}); PropertyIsNull; PropertyIsNil; PropertyIsBetween; And, Or (one operand or more), Not;
 * ResourceId ({@code rid}; several at the top of the filter are one set); BBOX (ValueReference optional, an
 * envelope or any geometry, whose envelope is used); Intersects, Disjoint, Within, Contains, Overlaps, Touches,
 * Crosses, Equals; DWithin and Beyond with {@code fes:Distance uom="..."} (see {@link Filter.Distance#metres()}).
 * Refused with {@code InvalidParameterValue}: temporal operators (not advertised), {@code fes:Function},
 * comparing two properties or two literals, ResourceId versions or dates. Anything else unknown is
 * {@code OperationParsingFailed}. Both name the element at fault.
 *
 * <h2>Property names</h2>
 * A {@code fes:ValueReference} may be {@code parcel_no}, {@code prefix:parcel_no}, or
 * {@code parcels/parcel_no} (a leading feature-type step, which is not checked here: the caller knows the
 * type). {@code gml:boundedBy} becomes {@link Filter#BOUNDED_BY}. Other XPath ({@code @gml:id}, predicates,
 * deeper paths, other {@code gml:} properties) is refused with {@code InvalidParameterValue}. The name returned is
 * the local attribute name; whether the layer has it (and whether the viewer may see it) is decided when the
 * filter is applied.
 *
 * <h2>Geometries and axis order</h2>
 * GML 3.2 Point, LineString, Polygon (with holes), Envelope (as a rectangle), MultiPoint, MultiCurve,
 * MultiLineString, MultiSurface, MultiPolygon, MultiGeometry, Curve of LineStringSegments and Surface of
 * PolygonPatches; coordinates in {@code gml:pos}/{@code gml:posList} (2D, or 3D with the height dropped). The CRS
 * is the {@code srsName} of the geometry or of its nearest GML ancestor (members may repeat it but not change it);
 * without one the caller's default applies. The result is JTS with x = east (longitude, easting), y = north, and
 * the SRID set:
 * <ul>
 * <li>EPSG geographic CRSs (4326, 4756) named {@code EPSG:n}, {@code urn:ogc:def:crs:EPSG::n},
 * {@code urn:x-ogc:def:crs:EPSG:n} or {@code http://www.opengis.net/def/crs/EPSG/0/n} are read latitude first, as
 * EPSG defines them (WFS 2.0);</li>
 * <li>{@code CRS:84}, {@code urn:ogc:def:crs:OGC:1.3:CRS84}, {@code http://www.opengis.net/def/crs/OGC/1.3/CRS84}
 * and the legacy {@code http://www.opengis.net/gml/srs/epsg.xml#n} are read longitude first;</li>
 * <li>projected CRSs (VN-2000 TM-3 and UTM, Web Mercator ...) are read easting first;</li>
 * <li>no srsName anywhere: the caller's {@code defaultSrid} (EPSG code, EPSG axis order); with the overloads that
 * take none the geometry is read x first and gets SRID 0, which means "the layer's storage CRS" to the SQL
 * translation (WFS: the feature type's default CRS).</li>
 * </ul>
 * CRSs outside {@link SupportedCrs} are refused ({@code InvalidParameterValue}, locator {@code srsName}).
 * Coordinates must be plain decimal numbers (no NaN or infinity), their count a multiple of the dimension,
 * latitudes within ±90 and longitudes within ±180; rings closed with 4 positions or more; at most
 * {@value #MAX_POSITIONS} positions in a filter, {@value #MAX_PREDICATES} predicates, {@value #MAX_DEPTH} levels of
 * nesting. Violations are {@code InvalidParameterValue}.
 */
public final class FesParser {

    public static final String FES = "http://www.opengis.net/fes/2.0";
    public static final String GML = "http://www.opengis.net/gml/3.2";
    /** Positions (coordinate tuples) in one filter, all geometries together. */
    public static final int MAX_POSITIONS = 100_000;
    /** Predicates (leaves and logical operators) in one filter: keeps the SQL within PostgreSQL's parameter limit. */
    public static final int MAX_PREDICATES = 5_000;
    /** Nesting of logical operators. */
    public static final int MAX_DEPTH = 50;
    /** Characters of a KVP FILTER. */
    public static final int MAX_LENGTH = 10_000_000;

    private static final Pattern NCNAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?");
    private static final Pattern LEGACY_GML = Pattern.compile("HTTP://WWW\\.OPENGIS\\.NET/GML/SRS/EPSG\\.XML#([0-9]{4,6})");
    private static final Pattern X_OGC = Pattern.compile("URN:X-OGC:DEF:CRS:EPSG:(?:[0-9.]*:)?([0-9]{4,6})");
    private static final Set<String> CRS84 = Set.of("CRS:84", "URN:OGC:DEF:CRS:OGC:1.3:CRS84", "URN:OGC:DEF:CRS:OGC::CRS84",
            "HTTP://WWW.OPENGIS.NET/DEF/CRS/OGC/1.3/CRS84", "HTTPS://WWW.OPENGIS.NET/DEF/CRS/OGC/1.3/CRS84");
    private static final Set<String> DESCRIPTIVE = Set.of("metaDataProperty", "description", "descriptionReference",
            "identifier", "name");
    private static final Set<String> TEMPORAL = Set.of("After", "Before", "Begins", "BegunBy", "TContains", "During",
            "EndedBy", "Ends", "TEquals", "Meets", "MetBy", "TOverlaps", "OverlappedBy", "AnyInteracts");

    private FesParser() {
    }

    /** A {@code fes:Filter} element; geometries without srsName get SRID 0 (the layer's storage CRS). */
    public static Filter parse(Element filter) {
        return parse(filter, 0);
    }

    /**
     * A {@code fes:Filter} element; geometries without srsName (on themselves or a GML ancestor) are in
     * {@code defaultSrid} (an EPSG code of {@link SupportedCrs}, in EPSG axis order), or 0: the layer's storage CRS.
     *
     * @throws FilterException when the filter cannot be read (see the class comment)
     */
    public static Filter parse(Element filter, int defaultSrid) {
        if (filter == null) {
            throw parsing("no fes:Filter");
        }
        Context ctx = new Context(defaultSrs(defaultSrid));
        if (!isFes(filter, "Filter")) {
            throw parsing("expected fes:Filter in namespace " + FES + ", found " + name(filter));
        }
        List<Element> children = children(filter);
        if (children.isEmpty()) {
            throw parsing("empty fes:Filter");
        }
        if (children.stream().allMatch(c -> isFes(c, "ResourceId"))) {
            List<String> ids = new ArrayList<>();
            for (Element c : children) {
                ids.add(resourceId(c));
            }
            return new Filter.ResourceId(ids);
        }
        if (children.size() != 1) {
            throw parsing("fes:Filter holds one predicate (combine several with fes:And or fes:Or), found " + children.size());
        }
        return predicate(children.getFirst(), ctx, 1);
    }

    /**
     * One GML 3.2 geometry element (a WFS-T Insert's or Update's geometry), read as the geometries of a filter
     * are (see the class comment): srsName of the element or its GML ancestors, else {@code defaultSrid} (0: the
     * layer's storage CRS), x = east, the same limits.
     *
     * @throws FilterException when the geometry cannot be read
     */
    public static Geometry geometry(Element gml, int defaultSrid) {
        if (gml == null) {
            throw parsing("no GML geometry");
        }
        Context ctx = new Context(defaultSrs(defaultSrid));
        Srs srs = srs(gml, ctx);
        return geometry(gml, srs, factory(srs), ctx);
    }

    /** The KVP {@code FILTER} text; geometries without srsName get SRID 0 (the layer's storage CRS). */
    public static Filter parse(String xml) {
        return parse(xml, 0);
    }

    /**
     * The KVP {@code FILTER} text (a document whose root is {@code fes:Filter}), parsed securely: a DOCTYPE, and so
     * any entity, is refused with {@code OperationParsingFailed} (locator FILTER) without resolving anything.
     *
     * @param defaultSrid CRS of geometries without srsName (EPSG code, EPSG axis order), or 0: the layer's storage CRS
     * @throws FilterException when the filter cannot be read
     */
    public static Filter parse(String xml, int defaultSrid) {
        if (xml == null || xml.isBlank()) {
            throw parsing("empty FILTER");
        }
        if (xml.length() > MAX_LENGTH) {
            throw parsing("FILTER longer than " + MAX_LENGTH + " characters");
        }
        Document doc;
        try {
            DocumentBuilder builder = secureFactory().newDocumentBuilder();
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are not allowed");
            });
            builder.setErrorHandler(THROWING);
            doc = builder.parse(new InputSource(new StringReader(xml)));
        } catch (SAXParseException e) {
            throw parsing("FILTER is not acceptable XML (line " + e.getLineNumber() + ", column " + e.getColumnNumber() + "): "
                    + DistanceUnits.shorten(e.getMessage()));
        } catch (SAXException e) {
            throw parsing("FILTER is not acceptable XML: " + DistanceUnits.shorten(e.getMessage()));
        } catch (IOException e) {
            throw parsing("FILTER could not be read");
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser lacks a security feature", e);
        }
        return parse(doc.getDocumentElement(), defaultSrid);
    }

    private static final ErrorHandler THROWING = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    /** A new factory per call: factories are not guaranteed thread-safe. */
    private static DocumentBuilderFactory secureFactory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
        f.setNamespaceAware(true);
        f.setValidating(false);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f;
    }

    // ---------------------------------------------------------------- predicates

    /** Per-call counters and defaults. */
    private static final class Context {
        final Srs defaultSrs;
        int positions;
        int predicates;

        Context(Srs defaultSrs) {
            this.defaultSrs = defaultSrs;
        }
    }

    private static Filter predicate(Element e, Context ctx, int depth) {
        if (depth > MAX_DEPTH) {
            throw invalid("filter nested deeper than " + MAX_DEPTH + " levels");
        }
        if (++ctx.predicates > MAX_PREDICATES) {
            throw invalid("filter has more than " + MAX_PREDICATES + " predicates");
        }
        if (!FES.equals(e.getNamespaceURI())) {
            throw parsing("unknown filter element " + name(e) + " (expected a Filter Encoding 2.0 operator in " + FES + ")");
        }
        String op = e.getLocalName();
        return switch (op) {
            case "PropertyIsEqualTo" -> comparison(e, ComparisonOp.EQ);
            case "PropertyIsNotEqualTo" -> comparison(e, ComparisonOp.NE);
            case "PropertyIsLessThan" -> comparison(e, ComparisonOp.LT);
            case "PropertyIsGreaterThan" -> comparison(e, ComparisonOp.GT);
            case "PropertyIsLessThanOrEqualTo" -> comparison(e, ComparisonOp.LE);
            case "PropertyIsGreaterThanOrEqualTo" -> comparison(e, ComparisonOp.GE);
            case "PropertyIsLike" -> like(e);
            case "PropertyIsNull" -> new Filter.IsNull(singleProperty(e));
            case "PropertyIsNil" -> new Filter.IsNil(singleProperty(e));
            case "PropertyIsBetween" -> between(e);
            case "And", "Or" -> {
                List<Filter> operands = new ArrayList<>();
                for (Element c : children(e)) {
                    operands.add(predicate(c, ctx, depth + 1));
                }
                if (operands.isEmpty()) {
                    throw parsing("empty fes:" + op);
                }
                yield op.equals("And") ? new Filter.And(operands) : new Filter.Or(operands);
            }
            case "Not" -> {
                List<Element> c = children(e);
                if (c.size() != 1) {
                    throw parsing("fes:Not takes exactly one operand, found " + c.size());
                }
                yield new Filter.Not(predicate(c.getFirst(), ctx, depth + 1));
            }
            case "ResourceId" -> new Filter.ResourceId(List.of(resourceId(e)));
            case "BBOX" -> spatial(e, SpatialOp.BBOX, ctx);
            case "Intersects" -> spatial(e, SpatialOp.INTERSECTS, ctx);
            case "Disjoint" -> spatial(e, SpatialOp.DISJOINT, ctx);
            case "Within" -> spatial(e, SpatialOp.WITHIN, ctx);
            case "Contains" -> spatial(e, SpatialOp.CONTAINS, ctx);
            case "Overlaps" -> spatial(e, SpatialOp.OVERLAPS, ctx);
            case "Touches" -> spatial(e, SpatialOp.TOUCHES, ctx);
            case "Crosses" -> spatial(e, SpatialOp.CROSSES, ctx);
            case "Equals" -> spatial(e, SpatialOp.EQUALS, ctx);
            case "DWithin" -> distance(e, false, ctx);
            case "Beyond" -> distance(e, true, ctx);
            case "Function" -> throw invalid("functions are not supported (fes:Function " + DistanceUnits.shorten(e.getAttribute("name")) + ")");
            default -> {
                if (TEMPORAL.contains(op)) {
                    throw invalid("temporal operator fes:" + op + " is not supported (compare a date attribute with PropertyIsBetween or PropertyIsLessThan...)");
                }
                throw parsing("unknown filter operator fes:" + DistanceUnits.shorten(op));
            }
        };
    }

    /** A ValueReference or a Literal operand. */
    private record Operand(String property, String literal) {
    }

    private static Operand operand(Element e, Element context) {
        if (isFes(e, "ValueReference")) {
            return new Operand(property(e), null);
        }
        if (isFes(e, "Literal")) {
            if (!children(e).isEmpty()) {
                // a well-formed filter that cannot be evaluated: OperationProcessingFailed (ISO 19142 Table D.2, as CITE expects)
                throw new FilterException("OperationProcessingFailed", "FILTER",
                        "a literal with element content (such as a geometry) cannot be compared in " + name(context));
            }
            return new Operand(null, e.getTextContent());
        }
        if (isFes(e, "Function")) {
            throw invalid("functions are not supported (fes:Function " + DistanceUnits.shorten(e.getAttribute("name")) + ")");
        }
        throw parsing("unexpected " + name(e) + " in " + name(context) + " (expected fes:ValueReference or fes:Literal)");
    }

    private static Filter comparison(Element e, ComparisonOp op) {
        List<Element> c = children(e);
        if (c.size() != 2) {
            throw parsing(name(e) + " takes two operands, found " + c.size());
        }
        Operand a = operand(c.get(0), e);
        Operand b = operand(c.get(1), e);
        boolean matchCase = bool(e, "matchCase", true);
        if (a.property() != null && b.literal() != null) {
            return new Filter.Comparison(op, a.property(), b.literal(), matchCase);
        }
        if (a.literal() != null && b.property() != null) {
            return new Filter.Comparison(flip(op), b.property(), a.literal(), matchCase);
        }
        throw invalid(name(e) + " must compare one fes:ValueReference with one fes:Literal");
    }

    /** {@code literal op property} as {@code property op' literal}. */
    private static ComparisonOp flip(ComparisonOp op) {
        return switch (op) {
            case EQ, NE -> op;
            case LT -> ComparisonOp.GT;
            case GT -> ComparisonOp.LT;
            case LE -> ComparisonOp.GE;
            case GE -> ComparisonOp.LE;
        };
    }

    private static Filter like(Element e) {
        List<Element> c = children(e);
        if (c.size() != 2) {
            throw parsing("fes:PropertyIsLike takes two operands, found " + c.size());
        }
        Operand a = operand(c.get(0), e);
        Operand b = operand(c.get(1), e);
        String property = a.property() != null ? a.property() : b.property();
        String pattern = a.literal() != null ? a.literal() : b.literal();
        if (property == null || pattern == null) {
            throw invalid("fes:PropertyIsLike needs one fes:ValueReference and one fes:Literal");
        }
        char wild = oneChar(e, "wildCard");
        char single = oneChar(e, "singleChar");
        char escape = oneChar(e, "escapeChar");
        if (wild == single || wild == escape || single == escape) {
            throw invalid("fes:PropertyIsLike: wildCard, singleChar and escapeChar must differ");
        }
        return new Filter.Like(property, pattern, wild, single, escape, bool(e, "matchCase", true));
    }

    private static char oneChar(Element e, String attribute) {
        if (!e.hasAttribute(attribute)) {
            throw parsing("fes:PropertyIsLike needs the attribute " + attribute);
        }
        String v = e.getAttribute(attribute);
        if (v.length() != 1) {
            throw invalid("fes:PropertyIsLike/@" + attribute + " must be one character");
        }
        return v.charAt(0);
    }

    private static String singleProperty(Element e) {
        List<Element> c = children(e);
        if (c.size() != 1 || !isFes(c.getFirst(), "ValueReference")) {
            throw parsing(name(e) + " takes one fes:ValueReference");
        }
        return property(c.getFirst());
    }

    private static Filter between(Element e) {
        List<Element> c = children(e);
        if (c.size() != 3 || !isFes(c.get(1), "LowerBoundary") || !isFes(c.get(2), "UpperBoundary")) {
            throw parsing("fes:PropertyIsBetween takes an expression, fes:LowerBoundary and fes:UpperBoundary");
        }
        Operand subject = operand(c.get(0), e);
        if (subject.property() == null) {
            throw invalid("fes:PropertyIsBetween must test a fes:ValueReference");
        }
        return new Filter.Between(subject.property(), boundary(c.get(1)), boundary(c.get(2)));
    }

    private static String boundary(Element b) {
        List<Element> c = children(b);
        if (c.size() != 1) {
            throw parsing(name(b) + " takes one fes:Literal");
        }
        Operand o = operand(c.getFirst(), b);
        if (o.literal() == null) {
            throw invalid(name(b) + " must be a fes:Literal");
        }
        return o.literal();
    }

    private static String resourceId(Element e) {
        for (String a : List.of("version", "startDate", "endDate")) {
            if (e.hasAttribute(a)) {
                throw invalid("fes:ResourceId/@" + a + " is not supported (ask for the current features, or use asOf)");
            }
        }
        if (!e.hasAttribute("rid") || e.getAttribute("rid").isBlank()) {
            throw parsing("fes:ResourceId needs a rid");
        }
        return e.getAttribute("rid").trim();
    }

    private static Filter spatial(Element e, SpatialOp op, Context ctx) {
        String property = null;
        Geometry geometry = null;
        for (Element c : children(e)) {
            if (isFes(c, "ValueReference") && property == null && geometry == null) {
                property = property(c);
            } else if (geometry == null && isGeometryOperand(c)) {
                geometry = geometryOperand(c, ctx);
            } else {
                throw parsing("unexpected " + name(c) + " in " + name(e)
                        + " (expected fes:ValueReference and a GML 3.2 geometry)");
            }
        }
        if (geometry == null) {
            throw parsing(name(e) + " needs a GML 3.2 geometry");
        }
        return new Filter.Spatial(op, property, geometry);
    }

    private static Filter distance(Element e, boolean beyond, Context ctx) {
        String property = null;
        Geometry geometry = null;
        Element distance = null;
        for (Element c : children(e)) {
            if (isFes(c, "ValueReference") && property == null && geometry == null) {
                property = property(c);
            } else if (geometry == null && isGeometryOperand(c)) {
                geometry = geometryOperand(c, ctx);
            } else if (isFes(c, "Distance") && distance == null && geometry != null) {
                distance = c;
            } else {
                throw parsing("unexpected " + name(c) + " in " + name(e)
                        + " (expected fes:ValueReference, a GML 3.2 geometry and fes:Distance)");
            }
        }
        if (geometry == null || distance == null) {
            throw parsing(name(e) + " needs a GML 3.2 geometry and a fes:Distance");
        }
        String text = distance.getTextContent().trim();
        if (!NUMBER.matcher(text).matches()) {
            throw invalid("fes:Distance must be a number, got " + DistanceUnits.shorten(text));
        }
        String uom = distance.hasAttribute("uom") ? distance.getAttribute("uom") : null;
        Filter.Distance d = new Filter.Distance(beyond, property, geometry, Double.parseDouble(text), uom);
        d.metres(); // refuses unknown units, angles and negative distances now rather than in SQL
        return d;
    }

    /** A GML element, or a fes:Literal holding one. */
    private static boolean isGeometryOperand(Element c) {
        if (GML.equals(c.getNamespaceURI())) {
            return true;
        }
        if (isFes(c, "Literal")) {
            List<Element> inner = children(c);
            return inner.size() == 1 && GML.equals(inner.getFirst().getNamespaceURI());
        }
        return false;
    }

    private static Geometry geometryOperand(Element c, Context ctx) {
        Element g = isFes(c, "Literal") ? children(c).getFirst() : c;
        Srs srs = srs(g, ctx);
        return geometry(g, srs, factory(srs), ctx);
    }

    // ---------------------------------------------------------------- property names

    private static String property(Element valueReference) {
        String t = valueReference.getTextContent().trim();
        if (t.isEmpty()) {
            throw invalid("empty fes:ValueReference");
        }
        if (t.length() > 200) {
            throw invalid("unknown property " + DistanceUnits.shorten(t));
        }
        String[] steps = t.split("/", -1);
        if (steps.length > 2) {
            throw invalid("unknown property " + DistanceUnits.shorten(t) + " (only attribute or featuretype/attribute paths)");
        }
        for (String s : steps) {
            if (!qname(s)) {
                throw invalid("unknown property " + DistanceUnits.shorten(t));
            }
        }
        String last = steps[steps.length - 1];
        int colon = last.indexOf(':');
        if (colon < 0) {
            return last;
        }
        String prefix = last.substring(0, colon);
        String local = last.substring(colon + 1);
        String ns = valueReference.lookupNamespaceURI(prefix);
        if (GML.equals(ns) || (ns == null && prefix.equals("gml")) || "http://www.opengis.net/gml".equals(ns)) {
            if (local.equals("boundedBy")) {
                return Filter.BOUNDED_BY;
            }
            if (DESCRIPTIVE.contains(local) && !local.equals("metaDataProperty") && !local.equals("descriptionReference")) {
                return "gml:" + local;
            }
            throw invalid("unknown property " + DistanceUnits.shorten(t));
        }
        return local;
    }

    private static boolean qname(String s) {
        int colon = s.indexOf(':');
        if (colon < 0) {
            return NCNAME.matcher(s).matches();
        }
        return NCNAME.matcher(s.substring(0, colon)).matches() && NCNAME.matcher(s.substring(colon + 1)).matches();
    }

    // ---------------------------------------------------------------- CRS

    /** A CRS as read from a srsName: EPSG code (0: the layer's storage CRS) and whether positions are latitude first. */
    private record Srs(int srid, boolean latFirst, boolean geographic, String name) {
    }

    private static Srs defaultSrs(int defaultSrid) {
        if (defaultSrid == 0) {
            return new Srs(0, false, false, "the layer's CRS");
        }
        SupportedCrs crs = SupportedCrs.bySrid(defaultSrid)
                .orElseThrow(() -> new IllegalArgumentException("default SRID " + defaultSrid + " is not a supported CRS"));
        return new Srs(crs.srid(), crs.geographic(), crs.geographic(), "EPSG:" + crs.srid());
    }

    /** The CRS of a GML element: its srsName or its nearest GML ancestor's, else the default. */
    private static Srs srs(Element e, Context ctx) {
        for (Node n = e; n instanceof Element el && GML.equals(el.getNamespaceURI()); n = n.getParentNode()) {
            if (el.hasAttribute("srsName") && !el.getAttribute("srsName").isBlank()) {
                return srsName(el.getAttribute("srsName"));
            }
        }
        return ctx.defaultSrs;
    }

    private static Srs srsName(String name) {
        String t = name.trim().toUpperCase(Locale.ROOT);
        if (CRS84.contains(t)) {
            return new Srs(4326, false, true, name);
        }
        Matcher legacy = LEGACY_GML.matcher(t);
        if (legacy.matches()) {
            // GML 2 / WFS 1.0 convention: x/y as stored, longitude first
            SupportedCrs crs = supported(Integer.parseInt(legacy.group(1)), name);
            return new Srs(crs.srid(), false, crs.geographic(), name);
        }
        Matcher xogc = X_OGC.matcher(t);
        Optional<SupportedCrs> crs = xogc.matches() ? SupportedCrs.bySrid(Integer.parseInt(xogc.group(1))) : SupportedCrs.parse(name);
        if (crs.isEmpty()) {
            throw unsupportedCrs(name);
        }
        return new Srs(crs.get().srid(), crs.get().geographic(), crs.get().geographic(), name);
    }

    private static SupportedCrs supported(int srid, String name) {
        return SupportedCrs.bySrid(srid).orElseThrow(() -> unsupportedCrs(name));
    }

    private static FilterException unsupportedCrs(String name) {
        return new FilterException("InvalidParameterValue", "srsName", "unsupported srsName " + DistanceUnits.shorten(name)
                + " (supported: EPSG:" + String.join(", EPSG:", SupportedCrs.all().keySet().stream().map(String::valueOf).toList())
                + ", CRS:84)");
    }

    private static GeometryFactory factory(Srs srs) {
        return new GeometryFactory(new PrecisionModel(), srs.srid());
    }

    // ---------------------------------------------------------------- GML geometries

    private static Geometry geometry(Element g, Srs srs, GeometryFactory f, Context ctx) {
        if (!GML.equals(g.getNamespaceURI())) {
            throw parsing("expected a GML 3.2 geometry, found " + name(g));
        }
        Srs own = srs(g, ctx);
        if (own.srid() != srs.srid() || own.latFirst() != srs.latFirst()) {
            throw invalid("parts of one geometry in different CRSs (" + DistanceUnits.shorten(own.name()) + ", "
                    + DistanceUnits.shorten(srs.name()) + ")");
        }
        try {
            return switch (g.getLocalName()) {
                case "Point" -> f.createPoint(singlePosition(gmlChild(g, "pos"), srs, ctx));
                case "LineString" -> lineString(g, srs, f, ctx);
                case "LinearRing" -> f.createPolygon(ring(g, srs, f, ctx));
                case "Polygon" -> polygon(g, srs, f, ctx);
                case "Envelope" -> f.toGeometry(envelope(g, srs, ctx));
                case "Curve" -> curve(g, srs, f, ctx);
                case "Surface" -> surface(g, srs, f, ctx);
                case "MultiPoint" -> f.createMultiPoint(members(g, srs, f, ctx, Set.of("pointMember", "pointMembers"), Point.class)
                        .toArray(Point[]::new));
                case "MultiCurve", "MultiLineString" -> f.createMultiLineString(
                        members(g, srs, f, ctx, Set.of("curveMember", "curveMembers", "lineStringMember"), LineString.class)
                                .toArray(LineString[]::new));
                case "MultiSurface", "MultiPolygon" -> {
                    List<Polygon> polygons = new ArrayList<>();
                    for (Geometry m : members(g, srs, f, ctx, Set.of("surfaceMember", "surfaceMembers", "polygonMember"), Geometry.class)) {
                        addPolygons(m, polygons, g);
                    }
                    yield f.createMultiPolygon(polygons.toArray(Polygon[]::new));
                }
                case "MultiGeometry" -> f.createGeometryCollection(
                        members(g, srs, f, ctx, Set.of("geometryMember", "geometryMembers"), Geometry.class).toArray(Geometry[]::new));
                default -> throw invalid("unsupported geometry " + name(g));
            };
        } catch (IllegalArgumentException e) {
            throw invalid("invalid " + name(g) + ": " + DistanceUnits.shorten(e.getMessage()));
        }
    }

    private static void addPolygons(Geometry m, List<Polygon> out, Element context) {
        if (m instanceof Polygon p) {
            out.add(p);
        } else if (m instanceof org.locationtech.jts.geom.MultiPolygon mp) {
            for (int i = 0; i < mp.getNumGeometries(); i++) {
                out.add((Polygon) mp.getGeometryN(i));
            }
        } else {
            throw invalid(name(context) + " members must be surfaces");
        }
    }

    /** The geometries inside the member properties (one per xxxMember, any number per xxxMembers). */
    private static <T extends Geometry> List<T> members(Element g, Srs srs, GeometryFactory f, Context ctx, Set<String> properties, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Element p : geometryChildren(g)) {
            if (!GML.equals(p.getNamespaceURI()) || !properties.contains(p.getLocalName())) {
                throw parsing("unexpected " + name(p) + " in " + name(g));
            }
            List<Element> inner = children(p);
            if (!p.getLocalName().endsWith("Members") && inner.size() != 1) {
                throw parsing(name(p) + " holds one geometry");
            }
            for (Element m : inner) {
                Geometry geom = geometry(m, srs, f, ctx);
                if (!type.isInstance(geom)) {
                    throw invalid(name(m) + " is not allowed in " + name(g));
                }
                out.add(type.cast(geom));
            }
        }
        return out;
    }

    private static LineString lineString(Element g, Srs srs, GeometryFactory f, Context ctx) {
        Coordinate[] c = positions(g, srs, ctx);
        if (c.length < 2) {
            throw invalid("a gml:LineString needs 2 positions or more");
        }
        return f.createLineString(c);
    }

    private static LineString curve(Element g, Srs srs, GeometryFactory f, Context ctx) {
        Element segments = gmlChild(g, "segments");
        List<Coordinate> all = new ArrayList<>();
        for (Element s : children(segments)) {
            if (!GML.equals(s.getNamespaceURI()) || !s.getLocalName().equals("LineStringSegment")) {
                throw invalid("unsupported curve segment " + name(s) + " (only gml:LineStringSegment)");
            }
            Coordinate[] c = positions(s, srs, ctx);
            if (c.length < 2) {
                throw invalid("a gml:LineStringSegment needs 2 positions or more");
            }
            for (int i = 0; i < c.length; i++) {
                if (i == 0 && !all.isEmpty()) {
                    if (!all.getLast().equals2D(c[0])) {
                        throw invalid("the segments of a gml:Curve must join end to start");
                    }
                    continue;
                }
                all.add(c[i]);
            }
        }
        if (all.size() < 2) {
            throw invalid("empty gml:Curve");
        }
        return f.createLineString(all.toArray(Coordinate[]::new));
    }

    private static Geometry surface(Element g, Srs srs, GeometryFactory f, Context ctx) {
        Element patches = gmlChild(g, "patches");
        List<Polygon> polygons = new ArrayList<>();
        for (Element p : children(patches)) {
            if (!GML.equals(p.getNamespaceURI()) || !p.getLocalName().equals("PolygonPatch")) {
                throw invalid("unsupported surface patch " + name(p) + " (only gml:PolygonPatch)");
            }
            polygons.add(polygon(p, srs, f, ctx));
        }
        if (polygons.isEmpty()) {
            throw invalid("empty gml:Surface");
        }
        return polygons.size() == 1 ? polygons.getFirst() : f.createMultiPolygon(polygons.toArray(Polygon[]::new));
    }

    private static Polygon polygon(Element g, Srs srs, GeometryFactory f, Context ctx) {
        LinearRing shell = null;
        List<LinearRing> holes = new ArrayList<>();
        for (Element c : geometryChildren(g)) {
            boolean gml = GML.equals(c.getNamespaceURI());
            if (gml && c.getLocalName().equals("exterior") && shell == null) {
                shell = ring(ringOf(c), srs, f, ctx);
            } else if (gml && c.getLocalName().equals("interior") && shell != null) {
                holes.add(ring(ringOf(c), srs, f, ctx));
            } else {
                throw parsing("unexpected " + name(c) + " in " + name(g) + " (expected gml:exterior, then gml:interior)");
            }
        }
        if (shell == null) {
            throw parsing(name(g) + " needs a gml:exterior");
        }
        return f.createPolygon(shell, holes.toArray(LinearRing[]::new));
    }

    private static Element ringOf(Element boundary) {
        List<Element> c = geometryChildren(boundary);
        if (c.size() != 1 || !GML.equals(c.getFirst().getNamespaceURI()) || !c.getFirst().getLocalName().equals("LinearRing")) {
            throw invalid(name(boundary) + " must hold one gml:LinearRing");
        }
        return c.getFirst();
    }

    private static LinearRing ring(Element ring, Srs srs, GeometryFactory f, Context ctx) {
        Coordinate[] c = positions(ring, srs, ctx);
        if (c.length < 4) {
            throw invalid("a gml:LinearRing needs 4 positions or more, found " + c.length);
        }
        if (!c[0].equals2D(c[c.length - 1])) {
            throw invalid("a gml:LinearRing must end where it starts");
        }
        return f.createLinearRing(c);
    }

    private static Envelope envelope(Element g, Srs srs, Context ctx) {
        Coordinate lower = singlePosition(gmlChild(g, "lowerCorner", "upperCorner"), srs, ctx);
        Coordinate upper = singlePosition(gmlChild(g, "upperCorner", "lowerCorner"), srs, ctx);
        if (lower.x > upper.x || lower.y > upper.y) {
            throw invalid("gml:Envelope lowerCorner is above or right of upperCorner (check the axis order of "
                    + DistanceUnits.shorten(srs.name()) + ")");
        }
        return new Envelope(lower.x, upper.x, lower.y, upper.y);
    }

    /** The positions of a geometry: a gml:posList, or gml:pos elements. */
    private static Coordinate[] positions(Element g, Srs srs, Context ctx) {
        List<Element> c = geometryChildren(g);
        if (c.size() == 1 && isGml(c.getFirst(), "posList")) {
            return coordinates(c.getFirst(), srs, ctx, -1);
        }
        List<Coordinate> out = new ArrayList<>();
        for (Element p : c) {
            if (isGml(p, "pos")) {
                out.add(singlePosition(p, srs, ctx));
            } else if (isGml(p, "coordinates")) {
                throw invalid("gml:coordinates is GML 2: use gml:pos or gml:posList");
            } else {
                throw parsing("unexpected " + name(p) + " in " + name(g) + " (expected gml:posList or gml:pos)");
            }
        }
        return out.toArray(Coordinate[]::new);
    }

    private static Coordinate singlePosition(Element pos, Srs srs, Context ctx) {
        return coordinates(pos, srs, ctx, 1)[0];
    }

    /** Reads a gml:pos (expected = 1) or gml:posList (expected = -1) in the given CRS, x = east. */
    private static Coordinate[] coordinates(Element pos, Srs srs, Context ctx, int expected) {
        int dim = dimension(pos);
        String[] tokens = pos.getTextContent().trim().split("\\s+");
        if (tokens.length == 1 && tokens[0].isEmpty()) {
            tokens = new String[0];
        }
        if (tokens.length % dim != 0) {
            throw invalid(name(pos) + " holds " + tokens.length + " numbers, not a multiple of its dimension " + dim);
        }
        int n = tokens.length / dim;
        if (expected > 0 && n != expected) {
            throw invalid(name(pos) + " must hold one position of " + dim + " numbers");
        }
        ctx.positions += n;
        if (ctx.positions > MAX_POSITIONS) {
            throw invalid("filter geometries hold more than " + MAX_POSITIONS + " positions");
        }
        Coordinate[] out = new Coordinate[n];
        for (int i = 0; i < n; i++) {
            double a = number(tokens[i * dim], pos);
            double b = number(tokens[i * dim + 1], pos);
            double x = srs.latFirst() ? b : a;
            double y = srs.latFirst() ? a : b;
            if (srs.geographic() && (Math.abs(y) > 90 || Math.abs(x) > 180)) {
                throw invalid("latitude " + y + " / longitude " + x + " out of range in " + DistanceUnits.shorten(srs.name())
                        + (srs.latFirst() ? " (read latitude first, as EPSG defines it; use CRS:84 for longitude first)" : ""));
            }
            out[i] = new Coordinate(x, y);
        }
        return out;
    }

    /** srsDimension of a pos/posList or its nearest GML ancestor: 2 (default) or 3 (the third is dropped). */
    private static int dimension(Element pos) {
        for (Node n = pos; n instanceof Element el && GML.equals(el.getNamespaceURI()); n = n.getParentNode()) {
            if (el.hasAttribute("srsDimension")) {
                String d = el.getAttribute("srsDimension").trim();
                if (d.equals("2")) {
                    return 2;
                }
                if (d.equals("3")) {
                    return 3;
                }
                throw invalid("srsDimension must be 2 or 3, got " + DistanceUnits.shorten(d));
            }
        }
        return 2;
    }

    private static double number(String s, Element context) {
        if (!NUMBER.matcher(s).matches()) {
            throw invalid("not a number in " + name(context) + ": " + DistanceUnits.shorten(s));
        }
        double d = Double.parseDouble(s);
        if (!Double.isFinite(d)) {
            throw invalid("coordinate out of range in " + name(context) + ": " + DistanceUnits.shorten(s));
        }
        return d;
    }

    // ---------------------------------------------------------------- DOM helpers

    /** The one child gml:{local} of a geometry; other children must be among {@code siblings}. */
    private static Element gmlChild(Element g, String local, String... siblings) {
        Element found = null;
        for (Element e : geometryChildren(g)) {
            if (isGml(e, local)) {
                if (found != null) {
                    throw parsing(name(g) + " holds gml:" + local + " twice");
                }
                found = e;
            } else if (isGml(e, "coordinates")) {
                throw invalid("gml:coordinates is GML 2: use gml:pos or gml:posList");
            } else if (!GML.equals(e.getNamespaceURI()) || !List.of(siblings).contains(e.getLocalName())) {
                throw parsing("unexpected " + name(e) + " in " + name(g));
            }
        }
        if (found == null) {
            throw parsing(name(g) + " needs gml:" + local);
        }
        return found;
    }

    /** Child elements of a GML object without its descriptive properties (gml:name, gml:description ...). */
    private static List<Element> geometryChildren(Element g) {
        List<Element> out = new ArrayList<>();
        for (Element e : children(g)) {
            if (!(GML.equals(e.getNamespaceURI()) && DESCRIPTIVE.contains(e.getLocalName()))) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                out.add(c);
            } else if (n.getNodeType() == Node.ENTITY_REFERENCE_NODE) {
                throw parsing("entity references are not allowed in a filter");
            }
        }
        return out;
    }

    private static boolean isFes(Element e, String local) {
        return FES.equals(e.getNamespaceURI()) && local.equals(e.getLocalName());
    }

    private static boolean isGml(Element e, String local) {
        return GML.equals(e.getNamespaceURI()) && local.equals(e.getLocalName());
    }

    private static boolean bool(Element e, String attribute, boolean dflt) {
        if (!e.hasAttribute(attribute)) {
            return dflt;
        }
        return switch (e.getAttribute(attribute).trim()) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw parsing(name(e) + "/@" + attribute + " must be true or false");
        };
    }

    /** The element's name for messages: fes:X, gml:X or {namespace}X. */
    private static String name(Element e) {
        String local = e.getLocalName() == null ? e.getNodeName() : e.getLocalName();
        String ns = e.getNamespaceURI();
        String prefix = FES.equals(ns) ? "fes:" : GML.equals(ns) ? "gml:" : ns == null ? "" : "{" + ns + "}";
        return DistanceUnits.shorten(prefix + local);
    }

    private static FilterException parsing(String message) {
        return new FilterException("OperationParsingFailed", "FILTER", message);
    }

    private static FilterException invalid(String message) {
        return new FilterException("InvalidParameterValue", "FILTER", message);
    }
}
