package vn.landgis.ows;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.springframework.stereotype.Service;
import org.springframework.web.util.HtmlUtils;

import vn.landgis.cadastre.ParcelLookup;
import vn.landgis.features.Feature;
import vn.landgis.features.FeatureQuery;
import vn.landgis.features.FeatureSource;
import vn.landgis.features.Layer;
import vn.landgis.features.LayerCatalog;
import vn.landgis.features.Viewer;
import vn.landgis.geo.ProvinceProperties;
import vn.landgis.rendering.ImageEncoder;
import vn.landgis.rendering.ImageFormat;
import vn.landgis.rendering.LegendRenderer;
import vn.landgis.rendering.MapCanvas;
import vn.landgis.rendering.MapComposer;
import vn.landgis.rendering.Style;
import vn.landgis.rendering.StyleLibrary;

/**
 * WMS 1.3.0: GetCapabilities, GetMap, GetFeatureInfo and the SLD profile's GetLegendGraphic; GetMap and
 * GetFeatureInfo also answer WMS 1.1.1 requests ({@code SRS}, {@code X}/{@code Y}, longitude first), which
 * older desktop clients still send. Exceptions follow WMS 1.3.0 Annex E (codes) and are answered with HTTP
 * 400. Thread-safe.
 */
@Service
class WmsService {

    static final String WMS = "http://www.opengis.net/wms";
    static final String XLINK = "http://www.w3.org/1999/xlink";
    static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    static final List<String> MAP_FORMATS = List.of("image/png", "image/png; mode=8bit", "image/jpeg");
    static final List<String> INFO_FORMATS = List.of("application/json", "application/vnd.ogc.gml", "text/html", "text/plain");
    static final int LAYER_LIMIT = 16;

    private final LayerCatalog catalog;
    private final FeatureSource source;
    private final StyleLibrary styles;
    private final MapComposer composer;
    private final OwsProperties properties;
    private final ProvinceProperties province;
    private final Map<String, int[]> legendSizes = new ConcurrentHashMap<>();

    WmsService(LayerCatalog catalog, FeatureSource source, StyleLibrary styles, MapComposer composer,
               OwsProperties properties, ProvinceProperties province) {
        this.catalog = catalog;
        this.source = source;
        this.styles = styles;
        this.composer = composer;
        this.properties = properties;
        this.province = province;
    }

    OwsResponse handle(String request, KvpRequest kvp, Viewer viewer, String serviceUrl) {
        return switch (request.toLowerCase(Locale.ROOT)) {
            case "getcapabilities" -> capabilities(kvp, viewer, serviceUrl);
            case "getmap" -> getMap(kvp, viewer);
            case "getfeatureinfo" -> getFeatureInfo(kvp, viewer);
            case "getlegendgraphic" -> legend(kvp, viewer);
            default -> throw new OwsException("OperationNotSupported", "REQUEST",
                    "Yêu cầu không hỗ trợ / request not supported: " + KvpRequest.shorten(request));
        };
    }

    // ------------------------------------------------------------------ the map request

    /** A checked GetMap (or the map part of GetFeatureInfo). */
    record MapRequest(List<Layer> layers, List<Style> styles, MapCrs crs, Envelope bbox, int width, int height,
                      OffsetDateTime asOf, boolean wms13) {
        double scale() {
            return MapComposer.scaleDenominator(bbox, width, crs.metresPerUnit());
        }
    }

    private static boolean isWms13(KvpRequest kvp) {
        String v = kvp.get("VERSION", kvp.get("WMTVER", "1.3.0")).trim();
        return !v.startsWith("1.1") && !v.startsWith("1.0");
    }

    MapRequest mapRequest(KvpRequest kvp, Viewer viewer, String layersParam) {
        boolean wms13 = isWms13(kvp);
        String[] names = kvp.require(layersParam).split(",", -1);
        if (names.length > LAYER_LIMIT) {
            throw OwsException.invalid(layersParam, "Tối đa " + LAYER_LIMIT + " lớp / at most " + LAYER_LIMIT + " layers");
        }
        List<Layer> layers = new ArrayList<>();
        for (String n : names) {
            layers.add(layer(n, viewer, layersParam));
        }
        String stylesParam = kvp.get("STYLES", "");
        String[] styleNames = stylesParam.isBlank() ? new String[0] : stylesParam.split(",", -1);
        if (styleNames.length > 0 && styleNames.length != layers.size()) {
            throw new OwsException("StyleNotDefined", "STYLES", "STYLES phải có một kiểu cho mỗi lớp / STYLES needs one entry per layer");
        }
        List<Style> chosen = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            chosen.add(style(layers.get(i), styleNames.length == 0 ? "" : styleNames[i], "STYLES"));
        }
        String crsParam = wms13 ? "CRS" : "SRS";
        String crsText = kvp.require(crsParam);
        MapCrs crs = MapCrs.parse(crsText, wms13).orElseThrow(() -> new OwsException("InvalidCRS", crsParam,
                "Hệ toạ độ không hỗ trợ / CRS not supported: " + KvpRequest.shorten(crsText)));
        Envelope bbox = bbox(kvp.require("BBOX"), crs);
        int width = kvp.requireInt("WIDTH", 1, properties.maxWidth());
        int height = kvp.requireInt("HEIGHT", 1, properties.maxHeight());
        OffsetDateTime asOf;
        try {
            asOf = ParcelLookup.parseAsOf(kvp.get("ASOF"));
        } catch (RuntimeException e) {
            throw OwsException.invalid("asOf", "asOf phải là YYYY-MM-DD hoặc ngày giờ ISO-8601 / asOf must be YYYY-MM-DD or an ISO-8601 date-time");
        }
        return new MapRequest(List.copyOf(layers), List.copyOf(chosen), crs, bbox, width, height, asOf, wms13);
    }

    Layer layer(String name, Viewer viewer, String param) {
        String n = name.trim();
        if (n.startsWith("landgis:")) {
            n = n.substring("landgis:".length());
        }
        String finalName = n;
        return catalog.layer(n, viewer).orElseThrow(() -> new OwsException("LayerNotDefined", param,
                "Không có lớp / no layer named " + KvpRequest.shorten(finalName)));
    }

    Style style(Layer layer, String name, String param) {
        String n = name == null ? "" : name.trim();
        if (n.isEmpty() || n.equalsIgnoreCase("default")) {
            n = layer.definition().style();
        } else if (!layer.styleNames().contains(n)) {
            throw new OwsException("StyleNotDefined", param, "Lớp " + layer.name() + " không có kiểu / layer has no style " + KvpRequest.shorten(n));
        }
        String finalName = n;
        return styles.style(n).orElseThrow(() -> new IllegalStateException("style " + finalName + " of layer " + layer.name() + " is missing"));
    }

    static Envelope bbox(String text, MapCrs crs) {
        String[] p = text.split(",");
        if (p.length != 4 && p.length != 5) {
            throw OwsException.invalid("BBOX", "BBOX cần 4 số / BBOX needs four numbers");
        }
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = Double.parseDouble(p[i].trim());
            } catch (NumberFormatException e) {
                throw OwsException.invalid("BBOX", "BBOX không phải số / BBOX is not numeric");
            }
            if (!Double.isFinite(v[i])) {
                throw OwsException.invalid("BBOX", "BBOX không hữu hạn / BBOX is not finite");
            }
        }
        if (v[0] >= v[2] || v[1] >= v[3]) {
            throw OwsException.invalid("BBOX", "BBOX: min phải nhỏ hơn max / minimum must be less than maximum");
        }
        Envelope e = crs.northFirst() ? new Envelope(v[1], v[3], v[0], v[2]) : new Envelope(v[0], v[2], v[1], v[3]);
        if (crs.geographic() && (e.getMinX() < -180 || e.getMaxX() > 180 || e.getMinY() < -90 || e.getMaxY() > 90)) {
            throw OwsException.invalid("BBOX", "BBOX ngoài miền của " + crs.code() + (crs.northFirst() ? " (vĩ độ trước / latitude first)" : "")
                    + " / BBOX outside the range of " + crs.code());
        }
        return e;
    }

    // ------------------------------------------------------------------ GetMap

    OwsResponse getMap(KvpRequest kvp, Viewer viewer) {
        String formatText = kvp.require("FORMAT");
        ImageFormat format = ImageFormat.fromMimeType(formatText).orElseThrow(() -> new OwsException("InvalidFormat", "FORMAT",
                "Định dạng ảnh không hỗ trợ / image format not supported: " + KvpRequest.shorten(formatText)));
        String exceptions = kvp.get("EXCEPTIONS", "XML").toUpperCase(Locale.ROOT);
        boolean transparent = "TRUE".equalsIgnoreCase(kvp.get("TRANSPARENT", "FALSE")) && format.supportsTransparency();
        Color background = transparent ? null : bgColor(kvp.get("BGCOLOR"));
        try {
            MapRequest m = mapRequest(kvp, viewer, "LAYERS");
            MapCanvas canvas = new MapCanvas(m.bbox(), m.width(), m.height(), m.scale(), background);
            List<MapComposer.StyledLayer> layers = new ArrayList<>();
            for (int i = 0; i < m.layers().size(); i++) {
                layers.add(new MapComposer.StyledLayer(m.layers().get(i), m.styles().get(i)));
            }
            BufferedImage image;
            try {
                image = composer.compose(canvas, m.crs().srid(), m.crs().metresPerUnit(), layers, viewer, m.asOf());
            } catch (IllegalArgumentException e) {
                throw OwsException.invalid("BBOX", e.getMessage());
            }
            return image(image, format);
        } catch (OwsException e) {
            if (!exceptions.endsWith("INIMAGE") && !exceptions.endsWith("BLANK")) {
                throw e;
            }
            int w = clamp(kvp.get("WIDTH"), properties.maxWidth());
            int h = clamp(kvp.get("HEIGHT"), properties.maxHeight());
            BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = image.createGraphics();
            if (background != null) {
                g.setColor(background);
                g.fillRect(0, 0, w, h);
            }
            if (exceptions.endsWith("INIMAGE")) {
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setColor(Color.RED.darker());
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                g.drawString(e.code() + ": " + e.getMessage(), 4, 14);
            }
            g.dispose();
            return image(image, format);
        }
    }

    private static int clamp(String v, int max) {
        try {
            return Math.max(1, Math.min(max, Integer.parseInt(v == null ? "256" : v.trim())));
        } catch (NumberFormatException e) {
            return 256;
        }
    }

    private static Color bgColor(String text) {
        if (text == null || text.isBlank()) {
            return Color.WHITE;
        }
        String t = text.trim();
        if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
        } else if (t.startsWith("#")) {
            t = t.substring(1);
        }
        if (!t.matches("[0-9A-Fa-f]{6}")) {
            throw OwsException.invalid("BGCOLOR", "BGCOLOR phải là 0xRRGGBB / BGCOLOR must be 0xRRGGBB");
        }
        return new Color(Integer.parseInt(t, 16));
    }

    static OwsResponse image(BufferedImage image, ImageFormat format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            ImageEncoder.write(image, format, out);
        } catch (IOException e) {
            throw new IllegalStateException("encoding image", e);
        }
        return OwsResponse.of(format == ImageFormat.PNG8 ? "image/png" : format.mimeType(), out.toByteArray());
    }

    // ------------------------------------------------------------------ GetFeatureInfo

    OwsResponse getFeatureInfo(KvpRequest kvp, Viewer viewer) {
        MapRequest m = mapRequest(kvp, viewer, kvp.has("LAYERS") ? "LAYERS" : "QUERY_LAYERS");
        String infoFormat = kvp.get("INFO_FORMAT", "text/plain").trim();
        String format = INFO_FORMATS.stream().filter(f -> f.equalsIgnoreCase(infoFormat)).findFirst()
                .or(() -> infoFormat.equalsIgnoreCase("application/geo+json") ? Optional.of("application/json") : Optional.empty())
                .or(() -> infoFormat.toLowerCase(Locale.ROOT).startsWith("application/gml+xml") || infoFormat.equalsIgnoreCase("text/xml")
                        ? Optional.of("application/vnd.ogc.gml") : Optional.empty())
                .orElseThrow(() -> new OwsException("InvalidFormat", "INFO_FORMAT",
                        "INFO_FORMAT không hỗ trợ / not supported: " + KvpRequest.shorten(infoFormat)));
        List<Layer> queried = new ArrayList<>();
        for (String n : kvp.require("QUERY_LAYERS").split(",")) {
            Layer l = layer(n, viewer, "QUERY_LAYERS");
            if (!m.layers().contains(l)) {
                throw new OwsException("LayerNotDefined", "QUERY_LAYERS", "Lớp truy vấn phải có trong LAYERS / query layer must be in LAYERS: " + l.name());
            }
            if (!l.definition().queryable()) {
                throw new OwsException("LayerNotQueryable", "QUERY_LAYERS", "Lớp không truy vấn được / layer is not queryable: " + l.name());
            }
            queried.add(l);
        }
        String iName = m.wms13() ? "I" : "X";
        String jName = m.wms13() ? "J" : "Y";
        int i = pixel(kvp, iName, m.width());
        int j = pixel(kvp, jName, m.height());
        // more than the server gives is answered with as many as it gives (as MapServer and GeoServer do; clients such as
        // QGIS ask for more than they need), not refused
        int count = kvp.has("FEATURE_COUNT") ? Math.min(kvp.requireInt("FEATURE_COUNT", 1, Integer.MAX_VALUE), properties.maxFeatureInfo()) : 1;
        double resX = m.bbox().getWidth() / m.width();
        double resY = m.bbox().getHeight() / m.height();
        double x = m.bbox().getMinX() + (i + 0.5) * resX;
        double y = m.bbox().getMaxY() - (j + 0.5) * resY;
        Point point = new GeometryFactory().createPoint(new Coordinate(x, y));
        double tolerance = 4 * Math.max(resX, resY);
        Envelope around = new Envelope(x - tolerance, x + tolerance, y - tolerance, y + tolerance);
        Map<Layer, List<Feature>> found = new java.util.LinkedHashMap<>();
        for (Layer l : queried) {
            List<Feature> features = new ArrayList<>();
            source.read(new FeatureQuery(l, viewer, around, m.crs().srid(), m.crs().srid(), null, m.asOf(), 0, 0, true, 200, 0), features::add);
            features.sort(Comparator.comparingDouble((Feature f) -> f.geometry() == null ? Double.MAX_VALUE : f.geometry().distance(point))
                    .thenComparing(f -> String.valueOf(f.id())));
            found.put(l, features.subList(0, Math.min(count, features.size())));
        }
        return switch (format) {
            case "application/json" -> featureInfoJson(found, m.crs());
            case "application/vnd.ogc.gml" -> featureInfoGml(found, m.crs());
            case "text/html" -> featureInfoHtml(found);
            default -> featureInfoText(found);
        };
    }

    private static int pixel(KvpRequest kvp, String name, int size) {
        String v = kvp.require(name);
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new OwsException("InvalidPoint", name, name + " phải là số nguyên / must be an integer");
        }
        if (n < 0 || n >= size) {
            throw new OwsException("InvalidPoint", name, name + " nằm ngoài ảnh / lies outside the map");
        }
        return n;
    }

    private static OwsResponse featureInfoJson(Map<Layer, List<Feature>> found, MapCrs crs) {
        return new OwsResponse("application/json; charset=UTF-8", Map.of(), out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            // GeoJSON's coordinates are east first: in WGS 84 that is RFC 7946's own CRS, named by no member (an EPSG URN
            // would tell a client latitude first); another CRS is named as the old GeoJSON crs member did
            w.write("{\"type\":\"FeatureCollection\"" + (crs.srid() == 4326 ? ""
                    : ",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"" + crs.urn() + "\"}}") + ",\"features\":[");
            boolean first = true;
            for (Map.Entry<Layer, List<Feature>> e : found.entrySet()) {
                for (Feature f : e.getValue()) {
                    if (!first) {
                        w.write(',');
                    }
                    first = false;
                    w.write("{\"type\":\"Feature\",\"id\":");
                    Json.string(e.getKey().name() + "." + f.id(), w);
                    w.write(",\"layer\":");
                    Json.string(e.getKey().name(), w);
                    w.write(",\"geometry\":");
                    GeometryEncoding.geoJson(f.geometry(), crs.decimals(), w);
                    w.write(",\"properties\":");
                    Json.object(f.attributes(), w);
                    w.write('}');
                }
            }
            w.write("]}");
            w.flush();
        });
    }

    private static OwsResponse featureInfoGml(Map<Layer, List<Feature>> found, MapCrs crs) {
        return new OwsResponse("application/vnd.ogc.gml; charset=UTF-8", Map.of(), out -> {
            try {
                XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
                w.writeStartDocument("UTF-8", "1.0");
                w.writeStartElement("landgis", "FeatureInfoResponse", Namespaces.LANDGIS);
                w.writeNamespace("landgis", Namespaces.LANDGIS);
                w.writeNamespace("gml", GeometryEncoding.GML);
                for (Map.Entry<Layer, List<Feature>> e : found.entrySet()) {
                    for (Feature f : e.getValue()) {
                        w.writeStartElement("gml", "featureMember", GeometryEncoding.GML);
                        w.writeStartElement("landgis", e.getKey().name(), Namespaces.LANDGIS);
                        String id = e.getKey().name() + "." + f.id();
                        w.writeAttribute("gml", GeometryEncoding.GML, "id", id);
                        for (Map.Entry<String, Object> a : f.attributes().entrySet()) {
                            if (a.getValue() != null) {
                                w.writeStartElement("landgis", a.getKey(), Namespaces.LANDGIS);
                                w.writeCharacters(String.valueOf(a.getValue()));
                                w.writeEndElement();
                            }
                        }
                        if (f.geometry() != null) {
                            w.writeStartElement("landgis", e.getKey().definition().geometry(), Namespaces.LANDGIS);
                            GeometryEncoding.gml(f.geometry(), crs.urn(), crs.northFirst(), crs.decimals(), id + ".g", w);
                            w.writeEndElement();
                        }
                        w.writeEndElement();
                        w.writeEndElement();
                    }
                }
                w.writeEndElement();
                w.writeEndDocument();
                w.flush();
            } catch (XMLStreamException ex) {
                throw new IOException(ex);
            }
        });
    }

    private static OwsResponse featureInfoHtml(Map<Layer, List<Feature>> found) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Thông tin đối tượng</title>"
                + "<style>body{font:13px sans-serif}table{border-collapse:collapse;margin-bottom:8px}th,td{border:1px solid #ccc;padding:2px 6px;text-align:left}th{background:#f3f3f3}</style></head><body>");
        if (found.values().stream().allMatch(List::isEmpty)) {
            b.append("<p>Không có đối tượng tại điểm này / nothing here.</p>");
        }
        for (Map.Entry<Layer, List<Feature>> e : found.entrySet()) {
            for (Feature f : e.getValue()) {
                b.append("<table><caption>").append(HtmlUtils.htmlEscape(e.getKey().definition().title(), "UTF-8")).append("</caption>");
                for (Map.Entry<String, Object> a : f.attributes().entrySet()) {
                    String title = e.getKey().attribute(a.getKey()).map(Layer.Attribute::title).orElse(a.getKey());
                    b.append("<tr><th>").append(HtmlUtils.htmlEscape(title, "UTF-8")).append("</th><td>")
                            .append(a.getValue() == null ? "" : HtmlUtils.htmlEscape(String.valueOf(a.getValue()), "UTF-8")).append("</td></tr>");
                }
                b.append("</table>");
            }
        }
        b.append("</body></html>");
        return OwsResponse.of("text/html; charset=UTF-8", b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static OwsResponse featureInfoText(Map<Layer, List<Feature>> found) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Layer, List<Feature>> e : found.entrySet()) {
            b.append("Layer '").append(e.getKey().name()).append("'\n");
            for (Feature f : e.getValue()) {
                b.append("  Feature ").append(f.id()).append(":\n");
                for (Map.Entry<String, Object> a : f.attributes().entrySet()) {
                    b.append("    ").append(a.getKey()).append(" = ").append(a.getValue() == null ? "" : a.getValue()).append('\n');
                }
            }
        }
        return OwsResponse.of("text/plain; charset=UTF-8", b.toString().getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ GetLegendGraphic

    OwsResponse legend(KvpRequest kvp, Viewer viewer) {
        Layer layer = layer(kvp.require("LAYER"), viewer, "LAYER");
        Style style = style(layer, kvp.get("STYLE", ""), "STYLE");
        String formatText = kvp.get("FORMAT", "image/png");
        ImageFormat format = ImageFormat.fromMimeType(formatText).orElseThrow(() -> new OwsException("InvalidFormat", "FORMAT",
                "Định dạng ảnh không hỗ trợ / image format not supported: " + KvpRequest.shorten(formatText)));
        int w = kvp.has("WIDTH") ? kvp.requireInt("WIDTH", 4, 512) : 20;
        int h = kvp.has("HEIGHT") ? kvp.requireInt("HEIGHT", 4, 512) : 20;
        double scale = Double.NaN;
        if (kvp.has("SCALE")) {
            try {
                scale = Double.parseDouble(kvp.require("SCALE"));
            } catch (NumberFormatException e) {
                throw OwsException.invalid("SCALE", "SCALE phải là số / SCALE must be a number");
            }
        }
        String rule = kvp.get("RULE");
        if (rule != null && !rule.isBlank() && style.legendItems(Double.NaN).stream().noneMatch(r -> rule.equals(r.ruleName()))) {
            throw OwsException.invalid("RULE", "Kiểu không có quy tắc / style has no rule " + KvpRequest.shorten(rule));
        }
        BufferedImage image = LegendRenderer.render(style, rule == null || rule.isBlank() ? null : rule, w, h, scale);
        return image(image, format);
    }

    private int[] legendSize(Style style) {
        return legendSizes.computeIfAbsent(style.name(), n -> {
            BufferedImage i = LegendRenderer.render(style, null, 20, 20, Double.NaN);
            return new int[] {i.getWidth(), i.getHeight()};
        });
    }

    // ------------------------------------------------------------------ GetCapabilities

    OwsResponse capabilities(KvpRequest kvp, Viewer viewer, String serviceUrl) {
        long sequence = catalog.updateSequence();
        String asked = kvp.get("UPDATESEQUENCE");
        if (asked != null && !asked.isBlank()) {
            long a;
            try {
                a = Long.parseLong(asked.trim());
            } catch (NumberFormatException e) {
                throw new OwsException("InvalidUpdateSequence", "UPDATESEQUENCE", "updateSequence phải là số / must be a number");
            }
            if (a == sequence) {
                throw new OwsException("CurrentUpdateSequence", "UPDATESEQUENCE", "Danh mục chưa thay đổi / capabilities unchanged");
            }
            if (a > sequence) {
                throw new OwsException("InvalidUpdateSequence", "UPDATESEQUENCE", "updateSequence lớn hơn của máy chủ / greater than the server's");
            }
        }
        String format = kvp.get("FORMAT", "text/xml");
        if (!format.equalsIgnoreCase("text/xml") && !format.equalsIgnoreCase("application/xml")) {
            throw new OwsException("InvalidFormat", "FORMAT", "Chỉ hỗ trợ text/xml / only text/xml");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            writeCapabilities(w, viewer, serviceUrl, sequence);
            w.flush();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing capabilities", e);
        }
        return OwsResponse.of("text/xml; charset=UTF-8", out.toByteArray());
    }

    private void writeCapabilities(XMLStreamWriter w, Viewer viewer, String url, long sequence) throws XMLStreamException {
        String get = url + "?";
        w.writeStartDocument("UTF-8", "1.0");
        w.setDefaultNamespace(WMS);
        w.writeStartElement(WMS, "WMS_Capabilities");
        w.writeDefaultNamespace(WMS);
        w.writeNamespace("xlink", XLINK);
        w.writeNamespace("xsi", XSI);
        w.writeAttribute("version", "1.3.0");
        w.writeAttribute("updateSequence", Long.toString(sequence));
        w.writeAttribute(XSI, "schemaLocation", WMS + " http://schemas.opengis.net/wms/1.3.0/capabilities_1_3_0.xsd");

        w.writeStartElement(WMS, "Service");
        text(w, "Name", "WMS");
        text(w, "Title", properties.title());
        text(w, "Abstract", properties.abstractText());
        w.writeStartElement(WMS, "KeywordList");
        for (String k : List.of("WMS", "địa chính", "cadastre", "quy hoạch", "planning", province.name())) {
            text(w, "Keyword", k);
        }
        w.writeEndElement();
        onlineResource(w, url);
        if (properties.contactOrganisation() != null) {
            w.writeStartElement(WMS, "ContactInformation");
            w.writeStartElement(WMS, "ContactPersonPrimary");
            text(w, "ContactPerson", "");
            text(w, "ContactOrganization", properties.contactOrganisation());
            w.writeEndElement();
            if (properties.contactEmail() != null) {
                text(w, "ContactElectronicMailAddress", properties.contactEmail());
            }
            w.writeEndElement();
        }
        text(w, "Fees", "none");
        text(w, "AccessConstraints", "none");
        text(w, "LayerLimit", Integer.toString(LAYER_LIMIT));
        text(w, "MaxWidth", Integer.toString(properties.maxWidth()));
        text(w, "MaxHeight", Integer.toString(properties.maxHeight()));
        w.writeEndElement();

        w.writeStartElement(WMS, "Capability");
        w.writeStartElement(WMS, "Request");
        operation(w, "GetCapabilities", List.of("text/xml"), get);
        operation(w, "GetMap", MAP_FORMATS, get);
        operation(w, "GetFeatureInfo", INFO_FORMATS, get);
        w.writeEndElement();
        w.writeStartElement(WMS, "Exception");
        for (String f : List.of("XML", "INIMAGE", "BLANK")) {
            text(w, "Format", f);
        }
        w.writeEndElement();

        List<Double> p = province.extentWgs84();
        Envelope provinceWgs84 = new Envelope(p.get(0), p.get(2), p.get(1), p.get(3));
        w.writeStartElement(WMS, "Layer");
        text(w, "Title", properties.title());
        text(w, "Abstract", properties.abstractText());
        for (String crs : MapCrs.ADVERTISED) {
            text(w, "CRS", crs);
        }
        geographicBox(w, provinceWgs84);
        boundingBox(w, "CRS:84", provinceWgs84, false);
        boundingBox(w, "EPSG:4326", provinceWgs84, true);
        for (Layer layer : catalog.layersFor(viewer)) {
            writeLayer(w, layer, get, provinceWgs84);
        }
        w.writeEndElement();
        w.writeEndElement();
        w.writeEndElement();
        w.writeEndDocument();
    }

    private void writeLayer(XMLStreamWriter w, Layer layer, String get, Envelope fallback) throws XMLStreamException {
        w.writeStartElement(WMS, "Layer");
        w.writeAttribute("queryable", layer.definition().queryable() ? "1" : "0");
        w.writeAttribute("opaque", "0");
        text(w, "Name", layer.name());
        text(w, "Title", layer.definition().title() + (layer.definition().titleEn() == null ? "" : " / " + layer.definition().titleEn()));
        if (layer.definition().abstractText() != null) {
            text(w, "Abstract", layer.definition().abstractText());
        }
        if (!layer.definition().keywords().isEmpty()) {
            w.writeStartElement(WMS, "KeywordList");
            for (String k : layer.definition().keywords()) {
                text(w, "Keyword", k);
            }
            w.writeEndElement();
        }
        Optional<Envelope[]> extent = catalog.extent(layer);
        Envelope wgs84 = extent.map(e -> e[1]).orElse(fallback);
        geographicBox(w, wgs84);
        boundingBox(w, "CRS:84", wgs84, false);
        boundingBox(w, "EPSG:4326", wgs84, true);
        if (extent.isPresent()) {
            for (int srid : new int[] {3857, layer.srid()}) {
                Optional<Envelope> e = catalog.extent(layer, srid);
                if (e.isPresent()) {
                    boundingBox(w, "EPSG:" + srid, e.get(), false);
                }
            }
        }
        for (String styleName : layer.styleNames()) {
            Optional<Style> style = styles.style(styleName);
            if (style.isEmpty()) {
                continue;
            }
            w.writeStartElement(WMS, "Style");
            text(w, "Name", styleName);
            text(w, "Title", style.get().title());
            if (!style.get().abstractText().isEmpty()) {
                text(w, "Abstract", style.get().abstractText());
            }
            int[] size = legendSize(style.get());
            w.writeStartElement(WMS, "LegendURL");
            w.writeAttribute("width", Integer.toString(size[0]));
            w.writeAttribute("height", Integer.toString(size[1]));
            text(w, "Format", "image/png");
            onlineResource(w, get + "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetLegendGraphic&FORMAT=image%2Fpng&SLD_VERSION=1.1.0&LAYER="
                    + enc(layer.name()) + "&STYLE=" + enc(styleName));
            w.writeEndElement();
            w.writeEndElement();
        }
        if (layer.definition().minScale() != null) {
            text(w, "MinScaleDenominator", Double.toString(layer.definition().minScale()));
        }
        if (layer.definition().maxScale() != null) {
            text(w, "MaxScaleDenominator", Double.toString(layer.definition().maxScale()));
        }
        w.writeEndElement();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void operation(XMLStreamWriter w, String name, List<String> formats, String get) throws XMLStreamException {
        w.writeStartElement(WMS, name);
        for (String f : formats) {
            text(w, "Format", f);
        }
        w.writeStartElement(WMS, "DCPType");
        w.writeStartElement(WMS, "HTTP");
        w.writeStartElement(WMS, "Get");
        onlineResource(w, get);
        w.writeEndElement();
        w.writeEndElement();
        w.writeEndElement();
        w.writeEndElement();
    }

    private static void geographicBox(XMLStreamWriter w, Envelope e) throws XMLStreamException {
        w.writeStartElement(WMS, "EX_GeographicBoundingBox");
        text(w, "westBoundLongitude", deg(e.getMinX()));
        text(w, "eastBoundLongitude", deg(e.getMaxX()));
        text(w, "southBoundLatitude", deg(e.getMinY()));
        text(w, "northBoundLatitude", deg(e.getMaxY()));
        w.writeEndElement();
    }

    private static String deg(double v) {
        return GeometryEncoding.number(v, 6);
    }

    /** BoundingBox; {@code northFirst} writes y as minx (EPSG:4326 in WMS 1.3.0). */
    private static void boundingBox(XMLStreamWriter w, String crs, Envelope e, boolean northFirst) throws XMLStreamException {
        boolean geographic = crs.equals("CRS:84") || crs.equals("EPSG:4326");
        int d = geographic ? 6 : 2;
        w.writeEmptyElement(WMS, "BoundingBox");
        w.writeAttribute("CRS", crs);
        w.writeAttribute("minx", GeometryEncoding.number(northFirst ? e.getMinY() : e.getMinX(), d));
        w.writeAttribute("miny", GeometryEncoding.number(northFirst ? e.getMinX() : e.getMinY(), d));
        w.writeAttribute("maxx", GeometryEncoding.number(northFirst ? e.getMaxY() : e.getMaxX(), d));
        w.writeAttribute("maxy", GeometryEncoding.number(northFirst ? e.getMaxX() : e.getMaxY(), d));
    }

    private static void onlineResource(XMLStreamWriter w, String href) throws XMLStreamException {
        w.writeEmptyElement(WMS, "OnlineResource");
        w.writeAttribute("xlink", XLINK, "type", "simple");
        w.writeAttribute("xlink", XLINK, "href", href);
    }

    private static void text(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        w.writeStartElement(WMS, name);
        w.writeCharacters(value == null ? "" : value);
        w.writeEndElement();
    }
}
