package vn.landgis.rendering;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads the supported subset of SLD 1.0.0 and SE 1.1.0 / SLD 1.1.0 (see the package documentation) into a
 * {@link Style}. Thread-safe (no state). The XML parser refuses DOCTYPE declarations, so no external entity,
 * DTD or XInclude is ever read.
 */
public final class SldParser {

    private static final String XLINK = "http://www.w3.org/1999/xlink";
    private static final Color DEFAULT_FILL = new Color(0x80, 0x80, 0x80);
    private static final Set<String> MARKS = Set.of("square", "circle", "triangle", "star", "cross", "x");
    private static final Set<String> HATCHES = Set.of("shape://horline", "shape://vertline", "shape://slash",
            "shape://backslash", "shape://times", "shape://plus", "shape://dot");

    /** Opens an external graphic given its (checked, normalised, relative) path below the style's directory. */
    @FunctionalInterface
    interface GraphicSource {
        InputStream open(String relativePath) throws IOException;
    }

    private final String fallbackName;
    private final GraphicSource graphics;
    private int ruleCounter;

    private SldParser(String fallbackName, GraphicSource graphics) {
        this.fallbackName = fallbackName;
        this.graphics = graphics;
    }

    /**
     * Parses one SLD document. External graphics are refused (there is no directory to resolve them against):
     * use {@link #parse(InputStream, String, Path)} or {@link StyleLibrary} for styles that have some.
     *
     * @param sld          the document; not closed
     * @param fallbackName the style's name when its UserStyle has no Name (usually the file name without .sld)
     * @throws StyleException when the document is not well-formed, has a DOCTYPE, or uses something outside the
     *                        supported subset; the message names the element
     */
    public static Style parse(InputStream sld, String fallbackName) {
        return parse(sld, fallbackName, (GraphicSource) null);
    }

    /**
     * Parses one SLD document whose external graphics (PNG, relative hrefs) are files below {@code styleDirectory}.
     * An href with a scheme (http:, file:, ...), an absolute path or one leaving that directory is refused.
     */
    public static Style parse(InputStream sld, String fallbackName, Path styleDirectory) {
        return parse(sld, fallbackName, styleDirectory == null ? null : directorySource(styleDirectory));
    }

    static Style parse(InputStream sld, String fallbackName, GraphicSource graphics) {
        String name = fallbackName == null || fallbackName.isBlank() ? "style" : fallbackName;
        Document doc = readXml(sld, name);
        return new SldParser(name, graphics).style(doc.getDocumentElement());
    }

    static GraphicSource directorySource(Path dir) {
        Path base = dir.toAbsolutePath().normalize();
        return relative -> {
            Path p = base.resolve(relative).normalize();
            if (!p.startsWith(base)) {
                throw new IOException("outside the style directory");
            }
            Path real = p.toRealPath();
            if (!real.startsWith(base.toRealPath())) {
                throw new IOException("outside the style directory (link)");
            }
            return Files.newInputStream(real);
        };
    }

    // ------------------------------------------------------------------ XML

    private static Document readXml(InputStream in, String name) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setValidating(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity refused: " + systemId);
            });
            b.setErrorHandler(new ErrorHandler() {
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
            });
            return b.parse(new InputSource(in));
        } catch (SAXParseException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage();
            if (msg.contains("DOCTYPE")) {
                throw new StyleException("style '" + name + "': DOCTYPE declarations are refused in SLD documents (no DTD or entity is read)", e);
            }
            throw new StyleException("style '" + name + "': not well-formed XML at line " + e.getLineNumber() + ": " + msg, e);
        } catch (SAXException e) {
            throw new StyleException("style '" + name + "': refused XML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StyleException("style '" + name + "': cannot read the document: " + e.getMessage(), e);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser lacks a security feature", e);
        }
    }

    private static String local(Node e) {
        String ln = e.getLocalName();
        return ln != null ? ln : e.getNodeName();
    }

    private static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                out.add(c);
            }
        }
        return out;
    }

    private static List<Element> children(Element e, String localName) {
        List<Element> out = new ArrayList<>();
        for (Element c : children(e)) {
            if (local(c).equals(localName)) {
                out.add(c);
            }
        }
        return out;
    }

    private static Element child(Element e, String localName) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && local(c).equals(localName)) {
                return c;
            }
        }
        return null;
    }

    private static String childText(Element e, String localName) {
        Element c = e == null ? null : child(e, localName);
        if (c == null) {
            return null;
        }
        String t = c.getTextContent().trim();
        return t.isEmpty() ? null : Values.nfc(t);
    }

    private StyleException error(Element where, String message) {
        return new StyleException("style '" + fallbackName + "': " + message + (where == null ? "" : " (in " + where.getNodeName() + ")"));
    }

    private StyleException unsupported(Element e, Element parent) {
        return new StyleException("style '" + fallbackName + "': element " + e.getNodeName() + " is not supported"
                + (parent == null ? "" : " in " + parent.getNodeName()));
    }

    // ------------------------------------------------------------------ structure

    private Style style(Element root) {
        List<Element> userStyles = List.of();
        switch (local(root)) {
            case "StyledLayerDescriptor" -> {
                for (Element layer : children(root)) {
                    String l = local(layer);
                    if (l.equals("NamedLayer") || l.equals("UserLayer")) {
                        List<Element> us = children(layer, "UserStyle");
                        if (!us.isEmpty()) {
                            userStyles = us;
                            break;
                        }
                    }
                }
                if (userStyles.isEmpty()) {
                    throw error(root, "no NamedLayer or UserLayer with a UserStyle");
                }
            }
            case "UserStyle" -> userStyles = List.of(root);
            default -> throw error(null, "root element " + root.getNodeName() + " is not an SLD StyledLayerDescriptor");
        }
        Element chosen = userStyles.getFirst();
        for (Element us : userStyles) {
            String d = childText(us, "IsDefault");
            if (d != null && (d.equals("1") || d.equalsIgnoreCase("true"))) {
                chosen = us;
                break;
            }
        }
        return userStyle(chosen);
    }

    private Style userStyle(Element us) {
        String name = childText(us, "Name");
        if (name == null) {
            name = fallbackName;
        }
        Element description = child(us, "Description");
        String title = childText(us, "Title");
        if (title == null) {
            title = childText(description, "Title");
        }
        String abstractText = childText(us, "Abstract");
        if (abstractText == null) {
            abstractText = childText(description, "Abstract");
        }
        List<FeatureTypeStyle> passes = new ArrayList<>();
        for (Element c : children(us)) {
            switch (local(c)) {
                case "Name", "Title", "Abstract", "Description", "IsDefault" -> {
                }
                case "FeatureTypeStyle" -> passes.add(featureTypeStyle(c));
                default -> throw unsupported(c, us);
            }
        }
        if (passes.isEmpty()) {
            throw error(us, "the UserStyle has no FeatureTypeStyle");
        }
        return new Style(name, title == null ? name : title, abstractText == null ? "" : abstractText, passes);
    }

    private FeatureTypeStyle featureTypeStyle(Element fts) {
        List<Rule> rules = new ArrayList<>();
        for (Element c : children(fts)) {
            switch (local(c)) {
                case "Name", "Title", "Abstract", "Description", "FeatureTypeName", "SemanticTypeIdentifier", "VendorOption" -> {
                }
                case "Rule" -> rules.add(rule(c));
                default -> throw unsupported(c, fts);
            }
        }
        return new FeatureTypeStyle(rules);
    }

    private Rule rule(Element r) {
        int index = ruleCounter++;
        String name = childText(r, "Name");
        if (name == null) {
            name = "rule-" + (index + 1);
        }
        String title = childText(r, "Title");
        if (title == null) {
            title = childText(child(r, "Description"), "Title");
        }
        double min = 0;
        double max = Double.POSITIVE_INFINITY;
        Filter filter = null;
        boolean elseFilter = false;
        List<Symbolizer> symbolizers = new ArrayList<>();
        for (Element c : children(r)) {
            switch (local(c)) {
                case "Name", "Title", "Abstract", "Description", "LegendGraphic" -> {
                }
                case "Filter" -> filter = filterElement(c);
                case "ElseFilter" -> elseFilter = true;
                case "MinScaleDenominator" -> min = number(c, c.getTextContent());
                case "MaxScaleDenominator" -> max = number(c, c.getTextContent());
                case "PolygonSymbolizer" -> symbolizers.add(polygonSymbolizer(c));
                case "LineSymbolizer" -> symbolizers.add(lineSymbolizer(c));
                case "PointSymbolizer" -> symbolizers.add(pointSymbolizer(c));
                case "TextSymbolizer" -> symbolizers.add(textSymbolizer(c));
                default -> throw unsupported(c, r);
            }
        }
        if (filter != null && elseFilter) {
            throw error(r, "rule '" + name + "' has both a Filter and an ElseFilter");
        }
        return new Rule(index, name, title == null ? name : title, min, max, filter, elseFilter, symbolizers);
    }

    // ------------------------------------------------------------------ filters

    private Filter filterElement(Element f) {
        List<Element> ops = children(f);
        if (ops.size() != 1) {
            throw error(f, "a Filter must hold exactly one operator, found " + ops.size());
        }
        return operator(ops.getFirst());
    }

    Filter operator(Element e) {
        String l = local(e);
        return switch (l) {
            case "PropertyIsEqualTo" -> compare(e, Filter.Op.EQ);
            case "PropertyIsNotEqualTo" -> compare(e, Filter.Op.NE);
            case "PropertyIsLessThan" -> compare(e, Filter.Op.LT);
            case "PropertyIsLessThanOrEqualTo" -> compare(e, Filter.Op.LE);
            case "PropertyIsGreaterThan" -> compare(e, Filter.Op.GT);
            case "PropertyIsGreaterThanOrEqualTo" -> compare(e, Filter.Op.GE);
            case "PropertyIsLike" -> like(e);
            case "PropertyIsNull" -> {
                List<Element> ex = children(e);
                if (ex.size() != 1) {
                    throw error(e, "PropertyIsNull takes one PropertyName");
                }
                yield new Filter.IsNull(expression(ex.getFirst(), true));
            }
            case "PropertyIsBetween" -> {
                List<Element> ex = children(e);
                Element lower = child(e, "LowerBoundary");
                Element upper = child(e, "UpperBoundary");
                if (ex.size() != 3 || lower == null || upper == null) {
                    throw error(e, "PropertyIsBetween takes an expression, a LowerBoundary and an UpperBoundary");
                }
                yield Filter.Between.of(expression(ex.getFirst(), true), boundary(lower), boundary(upper));
            }
            case "And", "Or" -> {
                List<Filter> operands = new ArrayList<>();
                for (Element c : children(e)) {
                    operands.add(operator(c));
                }
                if (operands.isEmpty()) {
                    throw error(e, l + " without operands");
                }
                yield l.equals("And") ? new Filter.And(operands) : new Filter.Or(operands);
            }
            case "Not" -> {
                List<Element> ex = children(e);
                if (ex.size() != 1) {
                    throw error(e, "Not takes exactly one operator");
                }
                yield new Filter.Not(operator(ex.getFirst()));
            }
            default -> throw new StyleException("style '" + fallbackName + "': unknown or unsupported filter element "
                    + e.getNodeName() + (e.getParentNode() instanceof Element p ? " in " + p.getNodeName() : ""));
        };
    }

    private Expr boundary(Element b) {
        List<Element> ex = children(b);
        if (ex.size() != 1) {
            throw error(b, b.getNodeName() + " takes one expression");
        }
        return expression(ex.getFirst(), true);
    }

    private Filter compare(Element e, Filter.Op op) {
        List<Element> ex = children(e);
        if (ex.size() != 2) {
            throw error(e, e.getNodeName() + " takes two expressions, found " + ex.size());
        }
        return new Filter.Compare(op, expression(ex.get(0), true), expression(ex.get(1), true), matchCase(e));
    }

    private static boolean matchCase(Element e) {
        String m = e.getAttribute("matchCase");
        return m.isEmpty() || !(m.equalsIgnoreCase("false") || m.equals("0"));
    }

    private Filter like(Element e) {
        List<Element> ex = children(e);
        if (ex.size() != 2) {
            throw error(e, "PropertyIsLike takes a PropertyName and a Literal");
        }
        Expr value = expression(ex.get(0), true);
        Expr pattern = expression(ex.get(1), true);
        if (!(pattern instanceof Expr.Literal lit)) {
            throw error(e, "the pattern of PropertyIsLike must be a Literal");
        }
        String wild = e.hasAttribute("wildCard") ? e.getAttribute("wildCard") : "*";
        String single = e.hasAttribute("singleChar") ? e.getAttribute("singleChar") : "?";
        String escape = e.hasAttribute("escapeChar") ? e.getAttribute("escapeChar") : e.hasAttribute("escape") ? e.getAttribute("escape") : "\\";
        return new Filter.Like(value, Filter.likePattern(lit.value(), wild, single, escape, matchCase(e)));
    }

    private Expr expression(Element e, boolean inFilter) {
        return switch (local(e)) {
            case "PropertyName", "ValueReference" -> {
                String p = e.getTextContent().trim();
                if (p.isEmpty()) {
                    throw error(e, "empty PropertyName");
                }
                yield new Expr.Property(p);
            }
            case "Literal" -> new Expr.Literal(inFilter ? Values.nfc(e.getTextContent().trim()) : Values.nfc(e.getTextContent()));
            default -> throw new StyleException("style '" + fallbackName + "': unknown or unsupported expression element "
                    + e.getNodeName() + (e.getParentNode() instanceof Element p ? " in " + p.getNodeName() : ""));
        };
    }

    // ------------------------------------------------------------------ values

    private double number(Element where, String text) {
        String t = text.trim();
        double d = Values.parseNumber(t);
        if (Double.isNaN(d)) {
            throw error(where, "'" + t + "' is not a number");
        }
        return d;
    }

    /** The text of a parameter or numeric element, refusing attribute-driven values. */
    private String value(Element e) {
        for (Element c : children(e)) {
            if (!local(c).equals("Literal")) {
                throw new StyleException("style '" + fallbackName + "': element " + c.getNodeName() + " inside "
                        + e.getNodeName() + " is not supported (only constant values)");
            }
        }
        return e.getTextContent().trim();
    }

    private double numberValue(Element e) {
        return number(e, value(e));
    }

    private Color color(Element where, String text) {
        String t = text.trim();
        try {
            if (t.matches("#[0-9a-fA-F]{6}")) {
                return new Color(Integer.parseInt(t.substring(1), 16));
            }
            if (t.matches("#[0-9a-fA-F]{3}")) {
                int r = Integer.parseInt(t.substring(1, 2), 16);
                int g = Integer.parseInt(t.substring(2, 3), 16);
                int b = Integer.parseInt(t.substring(3, 4), 16);
                return new Color(r * 17, g * 17, b * 17);
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw error(where, "'" + t + "' is not a colour (#RRGGBB or #RGB)");
    }

    private double opacity(Element where, String text) {
        double o = number(where, text);
        if (o < 0 || o > 1) {
            throw error(where, "opacity " + o + " is not between 0 and 1");
        }
        return o;
    }

    private static Color withOpacity(Color c, double opacity) {
        if (c == null || opacity >= 1) {
            return c;
        }
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) Math.round(opacity * 255));
    }

    private boolean isParameter(Element e) {
        String l = local(e);
        return l.equals("CssParameter") || l.equals("SvgParameter");
    }

    private String parameterName(Element p) {
        String n = p.getAttribute("name").trim();
        if (n.isEmpty()) {
            throw error(p, "parameter without name");
        }
        return n;
    }

    private boolean metres(Element symbolizer) {
        String uom = symbolizer.getAttribute("uom").trim();
        if (uom.isEmpty() || uom.endsWith("/pixel") || uom.equals("pixel")) {
            return false;
        }
        if (uom.endsWith("/metre") || uom.endsWith("/meter")) {
            return true;
        }
        throw error(symbolizer, "unit of measure '" + uom + "' is not supported (pixel or metre)");
    }

    // ------------------------------------------------------------------ symbolizers

    private Symbolizer polygonSymbolizer(Element s) {
        Symbolizer.FillDef fill = null;
        Symbolizer.StrokeDef stroke = null;
        for (Element c : children(s)) {
            switch (local(c)) {
                case "Geometry", "VendorOption", "Displacement", "PerpendicularOffset", "Name", "Description" -> {
                }
                case "Fill" -> fill = polygonFill(c);
                case "Stroke" -> stroke = stroke(c);
                default -> throw unsupported(c, s);
            }
        }
        return new Symbolizer.Polygon(fill, stroke, metres(s));
    }

    private Symbolizer lineSymbolizer(Element s) {
        Symbolizer.StrokeDef stroke = null;
        for (Element c : children(s)) {
            switch (local(c)) {
                case "Geometry", "VendorOption", "PerpendicularOffset", "Name", "Description" -> {
                }
                case "Stroke" -> stroke = stroke(c);
                default -> throw unsupported(c, s);
            }
        }
        if (stroke == null) {
            throw error(s, "a LineSymbolizer needs a Stroke");
        }
        return new Symbolizer.Line(stroke, metres(s));
    }

    private Symbolizer pointSymbolizer(Element s) {
        Symbolizer.GraphicDef graphic = null;
        for (Element c : children(s)) {
            switch (local(c)) {
                case "Geometry", "VendorOption", "Name", "Description" -> {
                }
                case "Graphic" -> graphic = graphic(c);
                default -> throw unsupported(c, s);
            }
        }
        if (graphic == null) {
            graphic = new Symbolizer.GraphicDef(defaultMark(), null, Double.NaN, 1, 0, 0.5, 0.5, 0, 0);
        }
        return new Symbolizer.Point(graphic, metres(s));
    }

    private static Symbolizer.MarkDef defaultMark() {
        return new Symbolizer.MarkDef("square", DEFAULT_FILL, new Symbolizer.StrokeDef(Color.BLACK, 1, null, 0,
                BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
    }

    private Symbolizer.StrokeDef stroke(Element s) {
        Color color = Color.BLACK;
        double opacity = 1;
        double width = 1;
        float[] dash = null;
        float offset = 0;
        int cap = BasicStroke.CAP_BUTT;
        int join = BasicStroke.JOIN_MITER;
        for (Element c : children(s)) {
            if (!isParameter(c)) {
                throw unsupported(c, s);
            }
            String v = value(c);
            switch (parameterName(c)) {
                case "stroke" -> color = color(c, v);
                case "stroke-opacity" -> opacity = opacity(c, v);
                case "stroke-width" -> {
                    width = number(c, v);
                    if (width < 0) {
                        throw error(c, "negative stroke-width");
                    }
                }
                case "stroke-dasharray" -> {
                    String[] parts = v.trim().split("[\\s,]+");
                    if (!v.isBlank()) {
                        dash = new float[parts.length];
                        double sum = 0;
                        for (int i = 0; i < parts.length; i++) {
                            dash[i] = (float) number(c, parts[i]);
                            if (dash[i] < 0) {
                                throw error(c, "negative dash length");
                            }
                            sum += dash[i];
                        }
                        if (sum == 0) {
                            dash = null;
                        }
                    }
                }
                case "stroke-dashoffset" -> offset = (float) number(c, v);
                case "stroke-linecap" -> cap = switch (v.toLowerCase(Locale.ROOT)) {
                    case "butt" -> BasicStroke.CAP_BUTT;
                    case "round" -> BasicStroke.CAP_ROUND;
                    case "square" -> BasicStroke.CAP_SQUARE;
                    default -> throw error(c, "stroke-linecap '" + v + "' (butt, round or square)");
                };
                case "stroke-linejoin" -> join = switch (v.toLowerCase(Locale.ROOT)) {
                    case "mitre", "miter" -> BasicStroke.JOIN_MITER;
                    case "round" -> BasicStroke.JOIN_ROUND;
                    case "bevel" -> BasicStroke.JOIN_BEVEL;
                    default -> throw error(c, "stroke-linejoin '" + v + "' (mitre, round or bevel)");
                };
                default -> throw error(c, "stroke parameter '" + parameterName(c) + "' is not supported");
            }
        }
        return new Symbolizer.StrokeDef(withOpacity(color, opacity), width, dash, offset, cap, join);
    }

    private Symbolizer.FillDef polygonFill(Element f) {
        Color color = null;
        boolean colorGiven = false;
        double opacity = 1;
        Symbolizer.HatchDef hatch = null;
        for (Element c : children(f)) {
            if (local(c).equals("GraphicFill")) {
                hatch = hatch(c);
                continue;
            }
            if (!isParameter(c)) {
                throw unsupported(c, f);
            }
            String v = value(c);
            switch (parameterName(c)) {
                case "fill" -> {
                    color = color(c, v);
                    colorGiven = true;
                }
                case "fill-opacity" -> opacity = opacity(c, v);
                default -> throw error(c, "fill parameter '" + parameterName(c) + "' is not supported");
            }
        }
        if (!colorGiven && hatch == null) {
            color = DEFAULT_FILL;
        }
        return new Symbolizer.FillDef(withOpacity(color, opacity), hatch);
    }

    /** A plain colour fill (marks, text, halo). */
    private Color simpleFill(Element f, Color defaultColor) {
        Color color = defaultColor;
        double opacity = 1;
        for (Element c : children(f)) {
            if (!isParameter(c)) {
                throw unsupported(c, f);
            }
            String v = value(c);
            switch (parameterName(c)) {
                case "fill" -> color = color(c, v);
                case "fill-opacity" -> opacity = opacity(c, v);
                default -> throw error(c, "fill parameter '" + parameterName(c) + "' is not supported");
            }
        }
        return withOpacity(color, opacity);
    }

    private Symbolizer.HatchDef hatch(Element graphicFill) {
        Element g = child(graphicFill, "Graphic");
        if (g == null || children(graphicFill).size() != 1) {
            throw error(graphicFill, "a GraphicFill must hold one Graphic");
        }
        Element mark = null;
        double size = 8;
        for (Element c : children(g)) {
            switch (local(c)) {
                case "Mark" -> mark = c;
                case "Size" -> size = numberValue(c);
                case "Opacity", "Rotation", "AnchorPoint", "Displacement" -> {
                }
                default -> throw new StyleException("style '" + fallbackName + "': element " + c.getNodeName()
                        + " is not supported in a GraphicFill (only a Mark with a shape:// hatch)");
            }
        }
        if (mark == null) {
            throw error(graphicFill, "a GraphicFill needs a Mark with a shape:// WellKnownName");
        }
        String wkn = childText(mark, "WellKnownName");
        if (wkn == null || !HATCHES.contains(wkn.toLowerCase(Locale.ROOT))) {
            throw error(mark, "GraphicFill mark '" + wkn + "' is not supported (one of " + HATCHES + ")");
        }
        if (size < 2) {
            throw error(g, "hatch Size must be at least 2 pixels");
        }
        Color color = Color.BLACK;
        double width = 1;
        Color markFill = null;
        for (Element c : children(mark)) {
            switch (local(c)) {
                case "WellKnownName" -> {
                }
                case "Stroke" -> {
                    Symbolizer.StrokeDef s = stroke(c);
                    color = s.color();
                    width = s.width();
                }
                case "Fill" -> markFill = simpleFill(c, DEFAULT_FILL);
                default -> throw unsupported(c, mark);
            }
        }
        if (wkn.equalsIgnoreCase("shape://dot") && markFill != null) {
            color = markFill;
            markFill = null;
        }
        return new Symbolizer.HatchDef(wkn.toLowerCase(Locale.ROOT), color, width, size, markFill);
    }

    private Symbolizer.GraphicDef graphic(Element g) {
        Symbolizer.MarkDef mark = null;
        Symbolizer.ImageDef image = null;
        double size = Double.NaN;
        double opacity = 1;
        double rotation = 0;
        double ax = 0.5;
        double ay = 0.5;
        double dx = 0;
        double dy = 0;
        for (Element c : children(g)) {
            switch (local(c)) {
                case "Mark" -> {
                    if (mark == null && image == null) {
                        mark = mark(c);
                    }
                }
                case "ExternalGraphic" -> {
                    if (mark == null && image == null) {
                        image = externalGraphic(c);
                    }
                }
                case "Size" -> size = numberValue(c);
                case "Opacity" -> opacity = opacity(c, value(c));
                case "Rotation" -> rotation = numberValue(c);
                case "AnchorPoint" -> {
                    ax = coordinate(c, "AnchorPointX", 0.5);
                    ay = coordinate(c, "AnchorPointY", 0.5);
                }
                case "Displacement" -> {
                    dx = coordinate(c, "DisplacementX", 0);
                    dy = coordinate(c, "DisplacementY", 0);
                }
                default -> throw unsupported(c, g);
            }
        }
        if (mark == null && image == null) {
            mark = defaultMark();
        }
        if (!Double.isNaN(size) && size < 0) {
            throw error(g, "negative Size");
        }
        return new Symbolizer.GraphicDef(mark, image, size, opacity, rotation, ax, ay, dx, dy);
    }

    private double coordinate(Element parent, String name, double dflt) {
        Element c = child(parent, name);
        return c == null ? dflt : numberValue(c);
    }

    private Symbolizer.MarkDef mark(Element m) {
        String wkn = "square";
        Color fill = null;
        Symbolizer.StrokeDef stroke = null;
        boolean fillGiven = false;
        boolean strokeGiven = false;
        for (Element c : children(m)) {
            switch (local(c)) {
                case "WellKnownName" -> {
                    wkn = c.getTextContent().trim().toLowerCase(Locale.ROOT);
                    if (!MARKS.contains(wkn)) {
                        throw error(c, "mark '" + wkn + "' is not supported (one of " + MARKS + ")");
                    }
                }
                case "Fill" -> {
                    fill = simpleFill(c, DEFAULT_FILL);
                    fillGiven = true;
                }
                case "Stroke" -> {
                    stroke = stroke(c);
                    strokeGiven = true;
                }
                default -> throw unsupported(c, m);
            }
        }
        if (!fillGiven && !strokeGiven) {
            Symbolizer.MarkDef d = defaultMark();
            return new Symbolizer.MarkDef(wkn, d.fill(), d.stroke());
        }
        return new Symbolizer.MarkDef(wkn, fill, stroke);
    }

    private Symbolizer.ImageDef externalGraphic(Element eg) {
        Element resource = child(eg, "OnlineResource");
        if (resource == null) {
            Element inline = child(eg, "InlineContent");
            throw inline != null ? unsupported(inline, eg) : error(eg, "ExternalGraphic without OnlineResource");
        }
        String format = childText(eg, "Format");
        if (format != null && !format.equalsIgnoreCase("image/png")) {
            throw error(eg, "external graphic format '" + format + "' is not supported (image/png only)");
        }
        String href = resource.getAttributeNS(XLINK, "href");
        if (href.isEmpty()) {
            href = resource.getAttribute("xlink:href");
        }
        String path = relativePath(eg, href.trim());
        if (graphics == null) {
            throw error(eg, "external graphic '" + href + "' needs the style's directory: load the style through StyleLibrary");
        }
        byte[] bytes;
        try (InputStream in = graphics.open(path)) {
            if (in == null) {
                throw error(eg, "external graphic '" + href + "' not found");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new StyleException("style '" + fallbackName + "': cannot read external graphic '" + href + "': " + e.getMessage(), e);
        }
        if (bytes.length < 8 || (bytes[0] & 0xFF) != 0x89 || bytes[1] != 'P' || bytes[2] != 'N' || bytes[3] != 'G') {
            throw error(eg, "external graphic '" + href + "' is not a PNG file");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new StyleException("style '" + fallbackName + "': unreadable PNG '" + href + "': " + e.getMessage(), e);
        }
        if (img == null) {
            throw error(eg, "unreadable PNG '" + href + "'");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        if ((long) w * h > 1 << 20) {
            throw error(eg, "external graphic '" + href + "' is too large (" + w + "x" + h + ")");
        }
        return new Symbolizer.ImageDef(path, w, h, img.getRGB(0, 0, w, h, null, 0, w));
    }

    /** The href as a normalised relative path below the style directory, or a StyleException. */
    private String relativePath(Element where, String href) {
        if (href.isEmpty()) {
            throw error(where, "OnlineResource without xlink:href");
        }
        URI uri;
        try {
            uri = new URI(href);
        } catch (URISyntaxException e) {
            throw error(where, "external graphic href '" + href + "' is not a valid URI");
        }
        if (uri.getScheme() != null || uri.getAuthority() != null || uri.getPath() == null) {
            throw error(where, "external graphic href '" + href + "' refused: only paths relative to the style file are allowed (no http:, https:, file: or other URL)");
        }
        String p = uri.getPath().replace('\\', '/');
        if (p.startsWith("/")) {
            throw error(where, "external graphic href '" + href + "' refused: absolute paths are not allowed");
        }
        List<String> parts = new ArrayList<>();
        for (String seg : p.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (parts.isEmpty()) {
                    throw error(where, "external graphic href '" + href + "' refused: it leaves the styles directory");
                }
                parts.removeLast();
            } else {
                parts.add(seg);
            }
        }
        if (parts.isEmpty() || !parts.getLast().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw error(where, "external graphic href '" + href + "' refused: PNG files (.png) only");
        }
        return String.join("/", parts);
    }

    private Symbolizer textSymbolizer(Element s) {
        Expr label = null;
        Font font = Fonts.font(List.of(Fonts.DEFAULT_FAMILY), false, false, 10);
        Color fill = Color.BLACK;
        double haloRadius = 0;
        Color haloColor = null;
        double ax = 0;
        double ay = 0.5;
        double dx = 0;
        double dy = 0;
        for (Element c : children(s)) {
            switch (local(c)) {
                case "Geometry", "VendorOption", "Priority", "Name", "Description" -> {
                }
                case "Label" -> label = label(c);
                case "Font" -> font = font(c);
                case "Fill" -> fill = simpleFill(c, Color.BLACK);
                case "Halo" -> {
                    haloRadius = 1;
                    haloColor = Color.WHITE;
                    for (Element h : children(c)) {
                        switch (local(h)) {
                            case "Radius" -> haloRadius = numberValue(h);
                            case "Fill" -> haloColor = simpleFill(h, Color.WHITE);
                            default -> throw unsupported(h, c);
                        }
                    }
                }
                case "LabelPlacement" -> {
                    for (Element p : children(c)) {
                        switch (local(p)) {
                            case "PointPlacement" -> {
                                for (Element pp : children(p)) {
                                    switch (local(pp)) {
                                        case "AnchorPoint" -> {
                                            ax = coordinate(pp, "AnchorPointX", 0);
                                            ay = coordinate(pp, "AnchorPointY", 0.5);
                                        }
                                        case "Displacement" -> {
                                            dx = coordinate(pp, "DisplacementX", 0);
                                            dy = coordinate(pp, "DisplacementY", 0);
                                        }
                                        case "Rotation" -> {
                                            if (numberValue(pp) != 0) {
                                                throw error(pp, "rotated labels are not supported");
                                            }
                                        }
                                        default -> throw unsupported(pp, p);
                                    }
                                }
                            }
                            case "LinePlacement" -> {
                                ax = 0.5; // drawn horizontally, centred on the line's midpoint
                                ay = 0.5;
                            }
                            default -> throw unsupported(p, c);
                        }
                    }
                }
                default -> throw unsupported(c, s);
            }
        }
        if (label == null) {
            throw error(s, "a TextSymbolizer needs a Label");
        }
        return new Symbolizer.Text(label, font, fill, haloRadius, haloColor, ax, ay, dx, dy, metres(s));
    }

    private Expr label(Element l) {
        List<Expr> parts = new ArrayList<>();
        for (Node n = l.getFirstChild(); n != null; n = n.getNextSibling()) {
            switch (n.getNodeType()) {
                case Node.TEXT_NODE -> {
                    String t = n.getNodeValue().replaceAll("^\\s*\\n\\s*", "").replaceAll("\\s*\\n\\s*$", "");
                    if (!t.isEmpty()) {
                        parts.add(new Expr.Literal(Values.nfc(t)));
                    }
                }
                case Node.CDATA_SECTION_NODE -> parts.add(new Expr.Literal(Values.nfc(n.getNodeValue())));
                case Node.ELEMENT_NODE -> parts.add(expression((Element) n, false));
                default -> {
                }
            }
        }
        if (parts.isEmpty()) {
            throw error(l, "empty Label");
        }
        return parts.size() == 1 && parts.getFirst() instanceof Expr.Property p ? p : new Expr.Concat(parts);
    }

    private Font font(Element f) {
        List<String> families = new ArrayList<>();
        double size = 10;
        boolean bold = false;
        boolean italic = false;
        for (Element c : children(f)) {
            if (!isParameter(c)) {
                throw unsupported(c, f);
            }
            String v = value(c);
            switch (parameterName(c)) {
                case "font-family" -> {
                    for (String fam : v.split(",")) {
                        String t = fam.trim().replaceAll("^[\"']|[\"']$", "");
                        if (!t.isEmpty()) {
                            families.add(t);
                        }
                    }
                }
                case "font-size" -> {
                    size = number(c, v);
                    if (size <= 0 || size > 200) {
                        throw error(c, "font-size " + size + " out of range");
                    }
                }
                case "font-weight" -> bold = switch (v.toLowerCase(Locale.ROOT)) {
                    case "bold", "bolder", "600", "700", "800", "900" -> true;
                    case "normal", "lighter", "100", "200", "300", "400", "500" -> false;
                    default -> throw error(c, "font-weight '" + v + "'");
                };
                case "font-style" -> italic = switch (v.toLowerCase(Locale.ROOT)) {
                    case "italic", "oblique" -> true;
                    case "normal" -> false;
                    default -> throw error(c, "font-style '" + v + "'");
                };
                default -> throw error(c, "font parameter '" + parameterName(c) + "' is not supported");
            }
        }
        return Fonts.font(families, bold, italic, size);
    }
}
