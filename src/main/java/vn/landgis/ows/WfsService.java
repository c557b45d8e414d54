package vn.landgis.ows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.springframework.stereotype.Service;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import vn.landgis.features.Feature;
import vn.landgis.features.FeatureQuery;
import vn.landgis.features.FeatureSource;
import vn.landgis.features.Layer;
import vn.landgis.features.LayerCatalog;
import vn.landgis.features.Viewer;
import vn.landgis.features.filter.FesParser;
import vn.landgis.features.filter.Filter;
import vn.landgis.features.filter.FilterException;
import vn.landgis.features.filter.SortBy;
import vn.landgis.geo.ProvinceProperties;

/**
 * WFS 2.0.0 (ISO 19142): GetCapabilities, DescribeFeatureType (a GML 3.2 application schema),
 * GetFeature and GetPropertyValue (KVP and XML POST; GML 3.2 or GeoJSON, streamed), ListStoredQueries and
 * DescribeStoredQueries with GetFeatureById and two stored queries of our own. Declared conformance: Simple
 * WFS, Basic WFS, HTTP GET, HTTP POST, result paging, sorting, standard and spatial filters; for land officers also
 * Transactional WFS ({@link WfsTransaction}: the capabilities a land officer gets offer Transaction). Feature
 * attributes a caller may not see are not in the schema they get, not in the features, and not usable in
 * filters. Thread-safe.
 */
@Service
class WfsService {

    static final String WFS = "http://www.opengis.net/wfs/2.0";
    static final String FES = "http://www.opengis.net/fes/2.0";
    static final String OWS = "http://www.opengis.net/ows/1.1";
    static final String GML = GeometryEncoding.GML;
    static final String XSD = "http://www.w3.org/2001/XMLSchema";
    static final String XLINK = "http://www.w3.org/1999/xlink";
    static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    static final String GET_BY_ID = "urn:ogc:def:query:OGC-WFS::GetFeatureById";
    static final String PARCEL_BY_NUMBER = "urn:landgis:query:ParcelByNumber";
    static final String PARCELS_OF_COMMUNE = "urn:landgis:query:ParcelsOfCommune";
    static final String GML32 = "application/gml+xml; version=3.2";
    static final List<String> GML_FORMATS = List.of(GML32, "text/xml; subtype=gml/3.2", "application/gml+xml", "gml32", "text/xml");
    static final List<String> JSON_FORMATS = List.of("application/json", "application/geo+json", "json", "geojson");

    private final LayerCatalog catalog;
    private final FeatureSource source;
    private final OwsProperties properties;
    private final ProvinceProperties province;
    private final WfsTransaction transaction;

    WfsService(LayerCatalog catalog, FeatureSource source, OwsProperties properties, ProvinceProperties province, WfsTransaction transaction) {
        this.catalog = catalog;
        this.source = source;
        this.properties = properties;
        this.province = province;
        this.transaction = transaction;
    }

    // ------------------------------------------------------------------ dispatch

    OwsResponse handle(String request, KvpRequest kvp, Viewer viewer, String url, String queryString) {
        if (!request.equalsIgnoreCase("GetCapabilities")) {
            String version = kvp.get("VERSION");
            if (version == null || version.isBlank()) {
                throw OwsException.missing("VERSION");
            }
            if (!version.trim().equals("2.0.0") && !version.trim().equals("2.0")) {
                throw OwsException.invalid("VERSION", "Chỉ hỗ trợ WFS 2.0.0 / only WFS 2.0.0");
            }
        } else {
            String accept = kvp.get("ACCEPTVERSIONS");
            if (accept != null && !accept.isBlank() && List.of(accept.split(",")).stream().map(String::trim).noneMatch(v -> v.equals("2.0.0"))) {
                throw new OwsException("VersionNegotiationFailed", "AcceptVersions", "Chỉ có 2.0.0 / only 2.0.0 is offered");
            }
        }
        return switch (request.toLowerCase(Locale.ROOT)) {
            case "getcapabilities" -> capabilities(viewer, url);
            case "describefeaturetype" -> describe(typeNames(kvp.get("TYPENAMES", kvp.get("TYPENAME")), viewer, "TYPENAMES", true), viewer, url,
                    kvp.get("OUTPUTFORMAT"));
            case "liststoredqueries" -> listStoredQueries(viewer);
            case "describestoredqueries" -> describeStoredQueries(kvp.get("STOREDQUERY_ID"));
            case "getfeature" -> getFeature(fromKvp(kvp, viewer, false), viewer, url, queryString);
            case "getpropertyvalue" -> propertyValues(fromKvp(kvp, viewer, true), viewer);
            default -> throw new OwsException("OperationNotSupported", "REQUEST",
                    "Yêu cầu không hỗ trợ / request not supported: " + KvpRequest.shorten(request), 400);
        };
    }

    OwsResponse handleXml(Element root, Viewer viewer, String url) {
        String op = root.getLocalName();
        if (!WFS.equals(root.getNamespaceURI())) {
            throw new OwsException("OperationNotSupported", op, "Không phải yêu cầu WFS 2.0 / not a WFS 2.0 request", 400);
        }
        if (!op.equals("GetCapabilities")) {
            String version = root.getAttribute("version");
            if (!version.isEmpty() && !version.equals("2.0.0")) {
                throw OwsException.invalid("version", "Chỉ hỗ trợ WFS 2.0.0 / only WFS 2.0.0");
            }
        }
        return switch (op) {
            case "GetCapabilities" -> capabilities(viewer, url);
            case "DescribeFeatureType" -> {
                List<String> names = new ArrayList<>();
                for (Element e : children(root, WFS, "TypeName")) {
                    names.add(e.getTextContent().trim());
                }
                yield describe(names.isEmpty() ? catalog.layersFor(viewer) : typeNames(String.join(",", names), viewer, "TypeName", false),
                        viewer, url, attr(root, "outputFormat"));
            }
            case "ListStoredQueries" -> listStoredQueries(viewer);
            case "DescribeStoredQueries" -> {
                List<String> ids = new ArrayList<>();
                for (Element e : children(root, WFS, "StoredQueryId")) {
                    ids.add(e.getTextContent().trim());
                }
                yield describeStoredQueries(ids.isEmpty() ? null : String.join(",", ids));
            }
            case "GetFeature" -> getFeature(fromXml(root, viewer, false), viewer, url, null);
            case "GetPropertyValue" -> propertyValues(fromXml(root, viewer, true), viewer);
            case "Transaction" -> transaction.handle(root, viewer, this);
            default -> throw new OwsException("OperationNotSupported", op, "Yêu cầu không hỗ trợ / request not supported: " + op, 400);
        };
    }

    // ------------------------------------------------------------------ reading requests

    List<Layer> typeNames(String text, Viewer viewer, String locator, boolean emptyMeansAll) {
        if (text == null || text.isBlank()) {
            if (emptyMeansAll) {
                return catalog.layersFor(viewer);
            }
            throw OwsException.missing(locator);
        }
        if (text.contains("(")) {
            throw OwsException.invalid(locator, "Không hỗ trợ kết nối (join) / joins are not supported");
        }
        List<Layer> out = new ArrayList<>();
        for (String n : text.split(",")) {
            out.add(layer(n, viewer, locator));
        }
        return out;
    }

    /**
     * A KVP parameter's list of per-query groups, {@code (a)(b)}, or null when it is no such list. A filter's groups
     * are split only between a closing and an opening tag ({@code >)(<}), so that parentheses inside its literals stay.
     */
    static List<String> queryGroups(String text, String locator, boolean xml) {
        if (text == null || !text.strip().startsWith("(")) {
            return null;
        }
        String t = text.strip();
        if (!t.endsWith(")")) {
            throw OwsException.invalid(locator, locator + ": danh sách (…)(…) không đóng / an unclosed (…)(…) list");
        }
        List<String> out = new ArrayList<>();
        if (xml) {
            for (String g : t.substring(1, t.length() - 1).split("(?<=>)\\s*\\)\\s*\\(\\s*(?=<)", -1)) {
                out.add(g.strip());
            }
            return out;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(([^()]*)\\)\\s*").matcher(t);
        int at = 0;
        while (m.lookingAt()) {
            out.add(m.group(1).strip());
            at = m.end();
            m.region(at, t.length());
        }
        if (at != t.length() || out.size() > 50) {
            throw OwsException.invalid(locator, locator + ": danh sách (…)(…) sai / a malformed (…)(…) list");
        }
        return out;
    }

    Layer layer(String qualified, Viewer viewer, String locator) {
        String n = qualified.trim();
        int colon = n.indexOf(':');
        if (colon >= 0) {
            n = n.substring(colon + 1);
        }
        String name = n;
        return catalog.layer(name, viewer).orElseThrow(() -> OwsException.invalid(locator,
                "Không có kiểu đối tượng / no feature type " + KvpRequest.shorten(qualified)));
    }

    private MapCrs crs(String text, Layer layer, String locator) {
        if (text == null || text.isBlank()) {
            return MapCrs.parse("EPSG:" + layer.srid(), true).orElseThrow();
        }
        return MapCrs.parse(text, true).orElseThrow(() -> OwsException.invalid(locator,
                "Hệ toạ độ không hỗ trợ / CRS not supported: " + KvpRequest.shorten(text)));
    }

    private static int intParam(String value, String name) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw OwsException.invalid(name, name + " phải là số nguyên không âm / must be a non-negative integer");
        }
    }

    private static boolean json(String format) {
        if (format == null || format.isBlank()) {
            return false;
        }
        String f = format.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (JSON_FORMATS.stream().anyMatch(j -> f.equals(j) || f.startsWith(j + ";"))) {
            return true;
        }
        if (GML_FORMATS.stream().anyMatch(g -> f.equals(g.replace(" ", "")))) {
            return false;
        }
        throw OwsException.invalid("outputFormat", "Định dạng không hỗ trợ / output format not supported: " + KvpRequest.shorten(format));
    }

    private static List<SortBy> sortBy(String text) {
        List<SortBy> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            String[] w = part.trim().split("\\s+");
            String p = w[0].contains(":") ? w[0].substring(w[0].indexOf(':') + 1) : w[0];
            boolean desc = w.length > 1 && (w[1].equalsIgnoreCase("DESC") || w[1].equalsIgnoreCase("D"));
            if (w.length > 1 && !desc && !w[1].equalsIgnoreCase("ASC") && !w[1].equalsIgnoreCase("A")) {
                throw OwsException.invalid("SORTBY", "SORTBY: ASC hoặc DESC / ASC or DESC");
            }
            out.add(new SortBy(p, desc));
        }
        return out;
    }

    private static List<String> propertyNames(String text, Layer layer, Viewer viewer) {
        if (text == null || text.isBlank() || text.trim().equals("*")) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String p : text.replace("(", "").replace(")", "").split(",")) {
            String n = p.trim();
            n = n.contains(":") ? n.substring(n.indexOf(':') + 1) : n;
            if (n.equals(layer.definition().geometry())) {
                continue;
            }
            String name = n;
            if (layer.attributesFor(viewer).stream().noneMatch(a -> a.name().equals(name))) {
                throw OwsException.invalid("PROPERTYNAME", "Không có thuộc tính / no property " + KvpRequest.shorten(p));
            }
            out.add(n);
        }
        return out;
    }

    WfsRequest fromKvp(KvpRequest kvp, Viewer viewer, boolean propertyValue) {
        String valueReference = null;
        if (propertyValue) {
            valueReference = kvp.get("VALUEREFERENCE");
            if (valueReference == null) {
                throw OwsException.missing("VALUEREFERENCE");
            }
            if (valueReference.isBlank()) {
                throw OwsException.invalid("VALUEREFERENCE", "VALUEREFERENCE rỗng / is empty");
            }
        }
        int count = intParam(kvp.get("COUNT", kvp.get("MAXFEATURES")), "COUNT");
        int start = intParam(kvp.get("STARTINDEX"), "STARTINDEX");
        String resultType = kvp.get("RESULTTYPE", "results");
        if (!resultType.equalsIgnoreCase("results") && !resultType.equalsIgnoreCase("hits")) {
            throw OwsException.invalid("RESULTTYPE", "RESULTTYPE: results hoặc hits / results or hits");
        }
        boolean json = json(kvp.get("OUTPUTFORMAT"));
        String storedQuery = kvp.get("STOREDQUERY_ID");
        List<WfsRequest.Query> queries = new ArrayList<>();
        boolean byId = false;
        if (storedQuery != null && !storedQuery.isBlank()) {
            Map<String, String> params = new LinkedHashMap<>();
            for (String p : List.of("ID", "COMMUNE", "SHEET", "PARCEL")) {
                if (kvp.get(p) != null) {
                    params.put(p, kvp.get(p));
                }
            }
            byId = storedQuery.trim().equals(GET_BY_ID);
            queries.add(storedQuery(storedQuery.trim(), params, viewer, kvp.get("SRSNAME"), kvp.get("ASOF")));
        } else {
            String types = kvp.get("TYPENAMES", kvp.get("TYPENAME"));
            String resourceIds = kvp.get("RESOURCEID");
            Filter filter = null;
            List<Layer> layers;
            if (resourceIds != null && !resourceIds.isBlank()) {
                List<String> ids = List.of(resourceIds.split(","));
                filter = new Filter.ResourceId(ids.stream().map(String::trim).toList());
                if (types == null || types.isBlank()) {
                    List<Layer> ls = new ArrayList<>();
                    for (String id : ids) {
                        int dot = id.trim().lastIndexOf('.');
                        if (dot <= 0) {
                            throw OwsException.invalid("RESOURCEID", "RESOURCEID phải có dạng kiểu.id / must be type.id");
                        }
                        Layer l = layer(id.trim().substring(0, dot), viewer, "RESOURCEID");
                        if (!ls.contains(l)) {
                            ls.add(l);
                        }
                    }
                    layers = ls;
                } else {
                    layers = queryGroups(types, "TYPENAMES", false) != null ? List.of() : typeNames(types, viewer, "TYPENAMES", false);
                }
            } else {
                layers = queryGroups(types, "TYPENAMES", false) != null ? List.of() : typeNames(types, viewer, "TYPENAMES", false);
            }
            // several queries in one request (WFS 2.0 KVP: TYPENAMES=(a)(b), with FILTER=(f1)(f2) and PROPERTYNAME=(p,q)(r)
            // one per query when given); a group of several names would be a join, which stays refused
            List<String> typeGroups = queryGroups(types, "TYPENAMES", false);
            List<String> filterGroups = null;
            List<String> propertyGroups = null;
            List<String> sortGroups = null;
            if (typeGroups != null) {
                layers = new ArrayList<>();
                for (String g : typeGroups) {
                    if (g.contains(",")) {
                        throw OwsException.invalid("TYPENAMES", "Không hỗ trợ kết nối (join) / joins are not supported");
                    }
                    layers.add(layer(g, viewer, "TYPENAMES"));
                }
                filterGroups = queryGroups(kvp.get("FILTER"), "FILTER", true);
                propertyGroups = queryGroups(kvp.get("PROPERTYNAME"), "PROPERTYNAME", false);
                sortGroups = queryGroups(kvp.get("SORTBY"), "SORTBY", false);
                for (var g : java.util.Arrays.asList(filterGroups, propertyGroups, sortGroups)) {
                    if (g != null && g.size() != typeGroups.size()) {
                        throw OwsException.invalid(g == filterGroups ? "FILTER" : g == propertyGroups ? "PROPERTYNAME" : "SORTBY", "Cần " + typeGroups.size()
                                + " nhóm (…), một cho mỗi truy vấn / needs " + typeGroups.size() + " (…) lists, one per query");
                    }
                }
            }
            String filterText = kvp.get("FILTER");
            String bboxText = kvp.get("BBOX");
            int exclusive = (filter != null ? 1 : 0) + (filterText != null && !filterText.isBlank() ? 1 : 0) + (bboxText != null && !bboxText.isBlank() ? 1 : 0);
            if (exclusive > 1) {
                throw OwsException.invalid("FILTER", "RESOURCEID, FILTER và BBOX loại trừ nhau / are mutually exclusive");
            }
            for (int q = 0; q < layers.size(); q++) {
                Layer layer = layers.get(q);
                MapCrs crs = crs(kvp.get("SRSNAME"), layer, "SRSNAME");
                Envelope bbox = null;
                int bboxSrid = 0;
                if (bboxText != null && !bboxText.isBlank()) {
                    String[] p = bboxText.split(",");
                    // without its own CRS, the BBOX is in the query's: SRSNAME, else the feature type's DefaultCRS (as the spec and
                    // OWSLib's "bbox in the feature type's coordinates" read it; it was taken for EPSG:4326 whatever SRSNAME said)
                    MapCrs bcrs = p.length == 5 ? crs(p[4], layer, "BBOX") : crs;
                    bbox = WmsService.bbox(String.join(",", List.of(p).subList(0, Math.min(4, p.length))), bcrs);
                    bboxSrid = bcrs.srid();
                }
                Filter f = filter;
                String queryFilter = filterGroups != null ? filterGroups.get(q) : filterText;
                if (queryFilter != null && !queryFilter.isBlank()) {
                    f = parseFilter(() -> FesParser.parse(queryFilter));
                }
                String properties = propertyGroups != null ? propertyGroups.get(q) : kvp.get("PROPERTYNAME");
                queries.add(new WfsRequest.Query(layer, crs, bbox, bboxSrid, f, propertyNames(properties, layer, viewer),
                        sortBy(sortGroups != null ? sortGroups.get(q) : kvp.get("SORTBY")), asOf(kvp.get("ASOF"), layer)));
            }
        }
        // COUNT=0 (a non-negative integer by the schema) asks for no feature: the answer is the count alone, as for hits
        return new WfsRequest(queries, Math.max(count, 0), Math.max(start, 0), resultType.equalsIgnoreCase("hits") || count == 0 && !byId, json, byId,
                valueReference);
    }

    /**
     * The vendor parameter {@code asOf} (as in WMS): the register as it was, for a layer that keeps its history; refused
     * where it cannot be honoured rather than answered with today's features.
     */
    private static java.time.OffsetDateTime asOf(String text, Layer layer) {
        if (text == null || text.isBlank()) {
            return null;
        }
        java.time.OffsetDateTime asOf;
        try {
            asOf = vn.landgis.cadastre.ParcelLookup.parseAsOf(text);
        } catch (RuntimeException e) {
            throw OwsException.invalid("asOf", "asOf phải là YYYY-MM-DD hoặc ngày giờ ISO-8601 / asOf must be YYYY-MM-DD or an ISO-8601 date-time");
        }
        if (!layer.hasHistory()) {
            throw OwsException.invalid("asOf", "Lớp " + layer.name() + " không lưu lịch sử / the layer " + layer.name() + " keeps no history: asOf applies to "
                    + "layers that do");
        }
        return asOf;
    }

    private static Filter parseFilter(java.util.function.Supplier<Filter> parse) {
        try {
            return parse.get();
        } catch (FilterException e) {
            throw new OwsException(e.code(), e.locator(), e.getMessage());
        }
    }

    WfsRequest fromXml(Element root, Viewer viewer, boolean propertyValue) {
        String valueReference = propertyValue ? root.getAttribute("valueReference") : null;
        if (propertyValue && (valueReference == null || valueReference.isBlank())) {
            throw OwsException.invalid("valueReference", "valueReference rỗng / is empty");
        }
        int count = intParam(attr(root, "count"), "count");
        int start = intParam(attr(root, "startIndex"), "startIndex");
        String resultType = Optional.ofNullable(attr(root, "resultType")).orElse("results");
        boolean json = json(attr(root, "outputFormat"));
        List<WfsRequest.Query> queries = new ArrayList<>();
        boolean byId = false;
        for (Element q : children(root, WFS, null)) {
            if (q.getLocalName().equals("Query")) {
                String types = q.getAttribute("typeNames");
                for (Layer layer : typeNames(types, viewer, "typeNames", false)) {
                    MapCrs crs = crs(attr(q, "srsName"), layer, "srsName");
                    Filter filter = null;
                    List<SortBy> sort = new ArrayList<>();
                    List<String> props = new ArrayList<>();
                    for (Element c : children(q, null, null)) {
                        if (FES.equals(c.getNamespaceURI()) && c.getLocalName().equals("Filter")) {
                            filter = parseFilter(() -> FesParser.parse(c, layer.srid()));
                        } else if (FES.equals(c.getNamespaceURI()) && c.getLocalName().equals("SortBy")) {
                            for (Element sp : children(c, FES, "SortProperty")) {
                                String ref = children(sp, FES, "ValueReference").stream().findFirst().map(e -> e.getTextContent().trim()).orElse("");
                                String order = children(sp, FES, "SortOrder").stream().findFirst().map(e -> e.getTextContent().trim()).orElse("ASC");
                                sort.addAll(sortBy(ref + " " + order));
                            }
                        } else if (c.getLocalName().equals("PropertyName")) {
                            props.add(c.getTextContent().trim());
                        }
                    }
                    queries.add(new WfsRequest.Query(layer, crs, null, 0, filter,
                            props.isEmpty() ? null : propertyNames(String.join(",", props), layer, viewer), sort));
                }
            } else if (q.getLocalName().equals("StoredQuery")) {
                String id = q.getAttribute("id");
                Map<String, String> params = new LinkedHashMap<>();
                for (Element p : children(q, WFS, "Parameter")) {
                    params.put(p.getAttribute("name").toUpperCase(Locale.ROOT), p.getTextContent().trim());
                }
                byId = id.equals(GET_BY_ID);
                queries.add(storedQuery(id, params, viewer, null, null));
            }
        }
        if (queries.isEmpty()) {
            throw OwsException.missing("Query");
        }
        // COUNT=0 (a non-negative integer by the schema) asks for no feature: the answer is the count alone, as for hits
        return new WfsRequest(queries, Math.max(count, 0), Math.max(start, 0), resultType.equalsIgnoreCase("hits") || count == 0 && !byId, json, byId,
                valueReference);
    }

    /** A stored query; {@code asOfText} the vendor parameter asOf, honoured as by an ad hoc query (it was ignored). */
    private WfsRequest.Query storedQuery(String id, Map<String, String> params, Viewer viewer, String srsName, String asOfText) {
        switch (id) {
            case GET_BY_ID -> {
                String rid = params.get("ID");
                if (rid == null || rid.isBlank()) {
                    throw OwsException.missing("ID");
                }
                int dot = rid.lastIndexOf('.');
                Layer layer = dot > 0 ? catalog.layer(rid.substring(0, dot), viewer).orElse(null) : null;
                if (layer == null) {
                    throw new OwsException("NotFound", "ID", "Không có đối tượng / no feature " + KvpRequest.shorten(rid), 404);
                }
                return new WfsRequest.Query(layer, crs(srsName, layer, "SRSNAME"), null, 0, new Filter.ResourceId(List.of(rid)), null, List.of(),
                        asOf(asOfText, layer));
            }
            case PARCEL_BY_NUMBER, PARCELS_OF_COMMUNE -> {
                Layer layer = layer("parcels", viewer, "STOREDQUERY_ID");
                List<Filter> and = new ArrayList<>();
                and.add(new Filter.Comparison(Filter.ComparisonOp.EQ, "commune_code", required(params, "COMMUNE"), true));
                if (id.equals(PARCEL_BY_NUMBER)) {
                    and.add(new Filter.Comparison(Filter.ComparisonOp.EQ, "sheet_no", required(params, "SHEET"), true));
                    and.add(new Filter.Comparison(Filter.ComparisonOp.EQ, "parcel_no", required(params, "PARCEL"), true));
                }
                return new WfsRequest.Query(layer, crs(srsName, layer, "SRSNAME"), null, 0, new Filter.And(and), null, List.of(),
                        asOf(asOfText, layer));
            }
            default -> throw OwsException.invalid("STOREDQUERY_ID", "Không có truy vấn lưu sẵn / no stored query " + KvpRequest.shorten(id));
        }
    }

    private static String required(Map<String, String> params, String name) {
        String v = params.get(name);
        if (v == null || v.isBlank()) {
            throw OwsException.missing(name);
        }
        return v.trim();
    }

    static String attr(Element e, String name) {
        String v = e.getAttribute(name);
        return v == null || v.isEmpty() ? null : v;
    }

    static List<Element> children(Element parent, String ns, String localName) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (ns == null || ns.equals(e.getNamespaceURI())) && (localName == null || localName.equals(e.getLocalName()))) {
                out.add(e);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ GetFeature

    /** Sort keys must be attributes the viewer sees: checked before anything is sent. */
    private static void checkSort(WfsRequest.Query q, Viewer viewer) {
        for (SortBy s : q.sortBy()) {
            if (q.layer().attributesFor(viewer).stream().noneMatch(a -> a.name().equals(s.property()))) {
                throw OwsException.invalid("SORTBY", "Không sắp xếp được theo / cannot sort by " + KvpRequest.shorten(s.property()));
            }
        }
    }

    private FeatureQuery query(WfsRequest.Query q, Viewer viewer, int limit, long offset) {
        List<String> props = q.properties();
        return new FeatureQuery(q.layer(), viewer, q.bbox(), q.bboxSrid(), q.crs().srid(), props, q.asOf(), 0, 0, q.bbox() != null,
                limit, offset, q.filter(), q.sortBy());
    }

    private long count(WfsRequest.Query q, Viewer viewer) {
        try {
            return source.count(query(q, viewer, 0, 0));
        } catch (FilterException e) {
            throw new OwsException(e.code(), e.locator(), e.getMessage());
        } catch (IllegalArgumentException e) {
            throw OwsException.invalid("BBOX", e.getMessage());
        }
    }

    /** Per query: how many it matches, and the slice of it this page shows. */
    private record Slice(WfsRequest.Query query, long matched, long offset, int limit) {
    }

    private List<Slice> slices(WfsRequest r, Viewer viewer) {
        List<Slice> out = new ArrayList<>();
        long skip = r.startIndex();
        long left = r.count() == 0 ? Long.MAX_VALUE : r.count();
        for (WfsRequest.Query q : r.queries()) {
            checkSort(q, viewer);
            long matched = count(q, viewer);
            long offset = Math.min(skip, matched);
            skip -= offset;
            long take = Math.min(left, matched - offset);
            left -= take;
            out.add(new Slice(q, matched, offset, (int) Math.min(take, Integer.MAX_VALUE)));
        }
        return out;
    }

    OwsResponse getFeature(WfsRequest r, Viewer viewer, String url, String queryString) {
        List<Slice> slices = slices(r, viewer);
        long matched = slices.stream().mapToLong(Slice::matched).sum();
        long returned = r.hits() ? 0 : slices.stream().mapToLong(Slice::limit).sum();
        if (r.byIdStoredQuery()) {
            if (returned == 0) {
                throw new OwsException("NotFound", "ID", "Không có đối tượng / no such feature", 404);
            }
            return featureById(slices.getFirst(), viewer, r.json());
        }
        String next = null;
        String previous = null;
        if (queryString != null && r.count() > 0) {
            if (r.hits()) {
                // OGC 09-025 7.7.4.2: after the count, "next" is the first page of the results themselves
                if (r.startIndex() < matched) {
                    next = url + "?" + withPaging(queryString, r.startIndex(), "results");
                }
            } else {
                if (r.startIndex() + returned < matched) {
                    next = url + "?" + withPaging(queryString, r.startIndex() + r.count(), null);
                }
                if (r.startIndex() > 0) {
                    previous = url + "?" + withPaging(queryString, Math.max(0, r.startIndex() - r.count()), null);
                }
            }
        }
        String timeStamp = OffsetDateTime.now(ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        if (r.json()) {
            return geoJson(r, slices, matched, returned, timeStamp, next, previous, viewer);
        }
        String finalNext = next;
        String finalPrevious = previous;
        return new OwsResponse(GML32 + "; charset=UTF-8", Map.of(), out -> {
            try {
                XMLStreamWriter w = writer(out);
                w.writeStartDocument("UTF-8", "1.0");
                w.writeStartElement("wfs", "FeatureCollection", WFS);
                namespaces(w);
                w.writeAttribute(XSI, "schemaLocation", WFS + " http://schemas.opengis.net/wfs/2.0/wfs.xsd " + GML
                        + " http://schemas.opengis.net/gml/3.2.1/gml.xsd " + Namespaces.LANDGIS + " " + describeUrl(url, r));
                w.writeAttribute("timeStamp", timeStamp);
                w.writeAttribute("numberMatched", Long.toString(matched));
                w.writeAttribute("numberReturned", Long.toString(returned));
                if (finalNext != null) {
                    w.writeAttribute("next", finalNext);
                }
                if (finalPrevious != null) {
                    w.writeAttribute("previous", finalPrevious);
                }
                if (!r.hits()) {
                    members(w, slices, s -> query(s.query(), viewer, s.limit(), s.offset()), (s, f) -> writeFeature(w, s.query(), f));
                }
                w.writeEndElement();
                w.writeEndDocument();
                w.flush();
            } catch (XMLStreamException e) {
                throw new IOException(e);
            }
        });
    }

    /** Writes one part of a member (a feature or a value) inside its {@code wfs:member}. */
    @FunctionalInterface
    private interface MemberWriter {
        void write(Slice slice, Feature feature) throws XMLStreamException;
    }

    /** Streams every page slice's features as {@code wfs:member} elements. */
    private void members(XMLStreamWriter w, List<Slice> slices, java.util.function.Function<Slice, FeatureQuery> query, MemberWriter member) {
        for (Slice s : slices) {
            if (s.limit() == 0) {
                continue;
            }
            source.read(query.apply(s), f -> {
                try {
                    w.writeStartElement("wfs", "member", WFS);
                    member.write(s, f);
                    w.writeEndElement();
                } catch (XMLStreamException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    private static String describeUrl(String url, WfsRequest r) {
        List<String> names = r.queries().stream().map(q -> "landgis:" + q.layer().name()).distinct().toList();
        return url + "?SERVICE=WFS&VERSION=2.0.0&REQUEST=DescribeFeatureType&TYPENAMES=" + String.join(",", names);
    }

    /** The request's query string with STARTINDEX (and RESULTTYPE, when given) replaced. */
    static String withPaging(String queryString, long start, String resultType) {
        StringBuilder b = new StringBuilder();
        for (String pair : queryString.split("&")) {
            String upper = pair.toUpperCase(Locale.ROOT);
            if (pair.isEmpty() || upper.startsWith("STARTINDEX=") || resultType != null && upper.startsWith("RESULTTYPE=")) {
                continue;
            }
            b.append(pair).append('&');
        }
        if (resultType != null) {
            b.append("RESULTTYPE=").append(resultType).append('&');
        }
        return b.append("STARTINDEX=").append(start).toString();
    }

    private OwsResponse featureById(Slice s, Viewer viewer, boolean json) {
        List<Feature> found = new ArrayList<>();
        source.read(query(s.query(), viewer, 1, 0), found::add);
        Feature f = found.getFirst();
        if (json) {
            return new OwsResponse("application/geo+json; charset=UTF-8", Map.of(), out -> {
                Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                jsonFeature(w, s.query(), f);
                w.flush();
            });
        }
        return new OwsResponse(GML32 + "; charset=UTF-8", Map.of(), out -> {
            try {
                XMLStreamWriter w = writer(out);
                w.writeStartDocument("UTF-8", "1.0");
                writeFeature(w, s.query(), f, true);
                w.writeEndDocument();
                w.flush();
            } catch (XMLStreamException e) {
                throw new IOException(e);
            }
        });
    }

    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

    /** A StAX writer over a 64 KB character buffer (unbuffered, the JDK's writer encodes a few characters at a time). */
    private static XMLStreamWriter writer(OutputStream out) throws XMLStreamException {
        return XML.createXMLStreamWriter(new java.io.BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16));
    }

    /** Writes the body of a small XML answer. */
    @FunctionalInterface
    interface XmlBody {
        void write(XMLStreamWriter w) throws XMLStreamException;
    }

    /** A small XML answer built in memory: the declaration, what {@code body} writes, {@code application/xml}. */
    static OwsResponse xmlDocument(int sizeHint, XmlBody body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
        try {
            XMLStreamWriter w = writer(out);
            w.writeStartDocument("UTF-8", "1.0");
            body.write(w);
            w.writeEndDocument();
            w.flush();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return OwsResponse.of("application/xml; charset=UTF-8", out.toByteArray());
    }

    private static void namespaces(XMLStreamWriter w) throws XMLStreamException {
        w.writeNamespace("wfs", WFS);
        w.writeNamespace("gml", GML);
        w.writeNamespace("landgis", Namespaces.LANDGIS);
        w.writeNamespace("xsi", XSI);
    }

    private void writeFeature(XMLStreamWriter w, WfsRequest.Query q, Feature f) throws XMLStreamException {
        writeFeature(w, q, f, false);
    }

    private void writeFeature(XMLStreamWriter w, WfsRequest.Query q, Feature f, boolean root) throws XMLStreamException {
        Layer layer = q.layer();
        String id = layer.name() + "." + f.id();
        w.writeStartElement("landgis", layer.name(), Namespaces.LANDGIS);
        if (root) {
            namespaces(w);
        }
        w.writeAttribute("gml", GML, "id", id);
        for (Map.Entry<String, Object> a : f.attributes().entrySet()) {
            w.writeStartElement("landgis", a.getKey(), Namespaces.LANDGIS);
            if (a.getValue() == null) {
                w.writeAttribute("xsi", XSI, "nil", "true");
            } else {
                w.writeCharacters(xmlValue(a.getValue()));
            }
            w.writeEndElement();
        }
        if (f.geometry() != null) {
            w.writeStartElement("landgis", layer.definition().geometry(), Namespaces.LANDGIS);
            GeometryEncoding.gml(f.geometry(), q.crs().urn(), q.crs().northFirst(), q.crs().decimals(), id + ".g", w);
            w.writeEndElement();
        }
        w.writeEndElement();
    }

    static String xmlValue(Object v) {
        if (v instanceof OffsetDateTime t) {
            return t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        }
        if (v instanceof java.math.BigDecimal d) {
            return d.toPlainString();
        }
        return String.valueOf(v);
    }

    private OwsResponse geoJson(WfsRequest r, List<Slice> slices, long matched, long returned, String timeStamp, String next,
                                String previous, Viewer viewer) {
        return new OwsResponse("application/geo+json; charset=UTF-8", Map.of(), out -> {
            Writer w = new java.io.BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            w.write("{\"type\":\"FeatureCollection\",\"timeStamp\":\"" + timeStamp + "\",\"numberMatched\":" + matched
                    + ",\"numberReturned\":" + returned);
            MapCrs crs = r.queries().getFirst().crs();
            if (crs.srid() != 4326) {
                w.write(",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"" + crs.urn() + "\"}}");
            }
            if (next != null || previous != null) {
                w.write(",\"links\":[");
                boolean first = true;
                for (String[] l : new String[][] {{"next", next}, {"previous", previous}}) {
                    if (l[1] != null) {
                        w.write((first ? "" : ",") + "{\"rel\":\"" + l[0] + "\",\"type\":\"application/geo+json\",\"href\":");
                        Json.string(l[1], w);
                        w.write('}');
                        first = false;
                    }
                }
                w.write(']');
            }
            w.write(",\"features\":[");
            boolean[] first = {true};
            if (!r.hits()) {
                for (Slice s : slices) {
                    if (s.limit() == 0) {
                        continue;
                    }
                    source.read(query(s.query(), viewer, s.limit(), s.offset()), f -> {
                        try {
                            if (!first[0]) {
                                w.write(',');
                            }
                            first[0] = false;
                            jsonFeature(w, s.query(), f);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                }
            }
            w.write("]}");
            w.flush();
        });
    }

    private static void jsonFeature(Writer w, WfsRequest.Query q, Feature f) throws IOException {
        w.write("{\"type\":\"Feature\",\"id\":");
        Json.string(q.layer().name() + "." + f.id(), w);
        w.write(",\"geometry\":");
        // GeoJSON is x = east whatever the CRS (RFC 7946 §3.1.1)
        GeometryEncoding.geoJson(f.geometry(), q.crs().decimals(), w);
        w.write(",\"properties\":");
        Json.object(f.attributes(), w);
        w.write('}');
    }

    // ------------------------------------------------------------------ GetPropertyValue

    OwsResponse propertyValues(WfsRequest r, Viewer viewer) {
        String ref = r.valueReference().trim();
        String local = ref.contains(":") && !ref.startsWith("@") ? ref.substring(ref.indexOf(':') + 1) : ref;
        WfsRequest.Query q0 = r.queries().getFirst();
        boolean isId = local.equals("@gml:id") || local.equals("@id");
        boolean isGeometry = local.equals(q0.layer().definition().geometry());
        if (!isId && !isGeometry && q0.layer().attributesFor(viewer).stream().noneMatch(a -> a.name().equals(local))) {
            throw OwsException.invalid("VALUEREFERENCE", "Không có thuộc tính / no property " + KvpRequest.shorten(ref));
        }
        List<Slice> slices = slices(r, viewer);
        long matched = slices.stream().mapToLong(Slice::matched).sum();
        long returned = r.hits() ? 0 : slices.stream().mapToLong(Slice::limit).sum();
        String timeStamp = OffsetDateTime.now(ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        return new OwsResponse(GML32 + "; charset=UTF-8", Map.of(), out -> {
            try {
                XMLStreamWriter w = writer(out);
                w.writeStartDocument("UTF-8", "1.0");
                w.writeStartElement("wfs", "ValueCollection", WFS);
                namespaces(w);
                w.writeAttribute("timeStamp", timeStamp);
                w.writeAttribute("numberMatched", Long.toString(matched));
                w.writeAttribute("numberReturned", Long.toString(returned));
                if (!r.hits()) {
                    List<String> props = isId || isGeometry ? List.of() : List.of(local);
                    members(w, slices, s -> query(new WfsRequest.Query(s.query().layer(), s.query().crs(), s.query().bbox(), s.query().bboxSrid(),
                            s.query().filter(), props, s.query().sortBy(), s.query().asOf()), viewer, s.limit(), s.offset()), (s, f) -> {
                        if (isId) {
                            w.writeCharacters(s.query().layer().name() + "." + f.id());
                        } else if (isGeometry) {
                            GeometryEncoding.gml(f.geometry(), s.query().crs().urn(), s.query().crs().northFirst(),
                                    s.query().crs().decimals(), s.query().layer().name() + "." + f.id() + ".g", w);
                        } else {
                            Object v = f.attributes().get(local);
                            if (v != null) {
                                w.writeCharacters(xmlValue(v));
                            }
                        }
                    });
                }
                w.writeEndElement();
                w.writeEndDocument();
                w.flush();
            } catch (XMLStreamException e) {
                throw new IOException(e);
            }
        });
    }

    // ------------------------------------------------------------------ DescribeFeatureType

    static String xsdType(String dbType) {
        String t = dbType.toLowerCase(Locale.ROOT);
        // xsd:integer rather than xsd:int/xsd:long: clients (and the CITE suite) know its constructor everywhere
        if (t.equals("integer") || t.equals("smallint") || t.equals("bigint")) {
            return "xsd:integer";
        }
        if (t.startsWith("numeric")) {
            return "xsd:decimal";
        }
        if (t.equals("double precision") || t.equals("real")) {
            return "xsd:double";
        }
        if (t.equals("boolean")) {
            return "xsd:boolean";
        }
        if (t.startsWith("timestamp")) {
            return "xsd:dateTime";
        }
        if (t.equals("date")) {
            return "xsd:date";
        }
        return "xsd:string";
    }

    static String gmlPropertyType(String geometryType) {
        return switch (geometryType) {
            case "POINT" -> "gml:PointPropertyType";
            case "LINESTRING" -> "gml:CurvePropertyType";
            case "POLYGON" -> "gml:SurfacePropertyType";
            case "MULTIPOINT" -> "gml:MultiPointPropertyType";
            case "MULTILINESTRING" -> "gml:MultiCurvePropertyType";
            case "MULTIPOLYGON" -> "gml:MultiSurfacePropertyType";
            default -> "gml:GeometryPropertyType";
        };
    }

    OwsResponse describe(List<Layer> layers, Viewer viewer, String url, String outputFormat) {
        if (outputFormat != null && !outputFormat.isBlank()) {
            String f = outputFormat.trim().toLowerCase(Locale.ROOT).replace(" ", "");
            if (!f.equals("application/gml+xml;version=3.2") && !f.equals("text/xml;subtype=gml/3.2") && !f.equals("application/xml")
                    && !f.equals("text/xml")) {
                throw OwsException.invalid("OUTPUTFORMAT", "Chỉ có lược đồ GML 3.2 / only the GML 3.2 schema");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            XMLStreamWriter w = writer(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement("xsd", "schema", XSD);
            w.writeNamespace("xsd", XSD);
            w.writeNamespace("gml", GML);
            w.writeNamespace("landgis", Namespaces.LANDGIS);
            w.writeAttribute("targetNamespace", Namespaces.LANDGIS);
            w.writeAttribute("elementFormDefault", "qualified");
            w.writeAttribute("version", "1.0");
            w.writeEmptyElement("xsd", "import", XSD);
            w.writeAttribute("namespace", GML);
            w.writeAttribute("schemaLocation", "http://schemas.opengis.net/gml/3.2.1/gml.xsd");
            for (Layer layer : layers) {
                w.writeEmptyElement("xsd", "element", XSD);
                w.writeAttribute("name", layer.name());
                w.writeAttribute("type", "landgis:" + layer.name() + "Type");
                w.writeAttribute("substitutionGroup", "gml:AbstractFeature");
                w.writeStartElement("xsd", "complexType", XSD);
                w.writeAttribute("name", layer.name() + "Type");
                w.writeStartElement("xsd", "complexContent", XSD);
                w.writeStartElement("xsd", "extension", XSD);
                w.writeAttribute("base", "gml:AbstractFeatureType");
                w.writeStartElement("xsd", "sequence", XSD);
                for (Layer.Attribute a : layer.attributesFor(viewer)) {
                    w.writeEmptyElement("xsd", "element", XSD);
                    w.writeAttribute("name", a.name());
                    w.writeAttribute("type", xsdType(a.dbType()));
                    w.writeAttribute("minOccurs", "0");
                    w.writeAttribute("nillable", "true");
                }
                w.writeEmptyElement("xsd", "element", XSD);
                w.writeAttribute("name", layer.definition().geometry());
                w.writeAttribute("type", gmlPropertyType(layer.geometryType()));
                w.writeAttribute("minOccurs", "0");
                w.writeEndElement();
                w.writeEndElement();
                w.writeEndElement();
                w.writeEndElement();
            }
            w.writeEndElement();
            w.writeEndDocument();
            w.flush();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return OwsResponse.of(GML32 + "; charset=UTF-8", out.toByteArray());
    }

    // ------------------------------------------------------------------ stored queries

    record StoredQuery(String id, String title, String abstractText, List<String[]> parameters, String returnType) {
    }

    List<StoredQuery> storedQueries() {
        return List.of(
                new StoredQuery(GET_BY_ID, "Đối tượng theo mã / Get feature by identifier", "Trả về đối tượng có gml:id đã cho.",
                        List.<String[]>of(new String[] {"ID", "xsd:string"}), null),
                new StoredQuery(PARCEL_BY_NUMBER, "Thửa đất theo số tờ, số thửa / Parcel by number",
                        "Thửa hiện hành theo mã xã (cũ), số tờ và số thửa.",
                        List.of(new String[] {"COMMUNE", "xsd:string"}, new String[] {"SHEET", "xsd:int"}, new String[] {"PARCEL", "xsd:int"}), "parcels"),
                new StoredQuery(PARCELS_OF_COMMUNE, "Các thửa của một xã / Parcels of a commune", "Các thửa hiện hành của một xã (mã cũ).",
                        List.<String[]>of(new String[] {"COMMUNE", "xsd:string"}), "parcels"));
    }

    OwsResponse listStoredQueries(Viewer viewer) {
        return xmlDocument(2048, w -> {
            w.writeStartElement("wfs", "ListStoredQueriesResponse", WFS);
            w.writeNamespace("wfs", WFS);
            w.writeNamespace("landgis", Namespaces.LANDGIS);
            for (StoredQuery q : storedQueries()) {
                w.writeStartElement("wfs", "StoredQuery", WFS);
                w.writeAttribute("id", q.id());
                w.writeStartElement("wfs", "Title", WFS);
                w.writeCharacters(q.title());
                w.writeEndElement();
                for (Layer l : q.returnType() == null ? catalog.layersFor(viewer) : List.of(layer(q.returnType(), viewer, "ReturnFeatureType"))) {
                    w.writeStartElement("wfs", "ReturnFeatureType", WFS);
                    w.writeCharacters("landgis:" + l.name());
                    w.writeEndElement();
                }
                w.writeEndElement();
            }
            w.writeEndElement();
        });
    }

    OwsResponse describeStoredQueries(String ids) {
        List<StoredQuery> all = storedQueries();
        List<StoredQuery> chosen = new ArrayList<>();
        if (ids == null || ids.isBlank()) {
            chosen.addAll(all);
        } else {
            for (String id : ids.split(",")) {
                chosen.add(all.stream().filter(q -> q.id().equals(id.trim())).findFirst().orElseThrow(() ->
                        OwsException.invalid("STOREDQUERY_ID", "Không có truy vấn lưu sẵn / no stored query " + KvpRequest.shorten(id))));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            XMLStreamWriter w = writer(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement("wfs", "DescribeStoredQueriesResponse", WFS);
            w.writeNamespace("wfs", WFS);
            w.writeNamespace("xsd", XSD);
            w.writeNamespace("landgis", Namespaces.LANDGIS);
            w.writeNamespace("fes", FES);
            for (StoredQuery q : chosen) {
                w.writeStartElement("wfs", "StoredQueryDescription", WFS);
                w.writeAttribute("id", q.id());
                w.writeStartElement("wfs", "Title", WFS);
                w.writeCharacters(q.title());
                w.writeEndElement();
                w.writeStartElement("wfs", "Abstract", WFS);
                w.writeCharacters(q.abstractText());
                w.writeEndElement();
                for (String[] p : q.parameters()) {
                    w.writeEmptyElement("wfs", "Parameter", WFS);
                    w.writeAttribute("name", p[0]);
                    w.writeAttribute("type", p[1]);
                }
                w.writeStartElement("wfs", "QueryExpressionText", WFS);
                w.writeAttribute("returnFeatureTypes", q.returnType() == null ? "" : "landgis:" + q.returnType());
                w.writeAttribute("language", "urn:ogc:def:queryLanguage:OGC-WFS::WFSQueryExpression");
                w.writeAttribute("isPrivate", "true");
                w.writeEndElement();
                w.writeEndElement();
            }
            w.writeEndElement();
            w.writeEndDocument();
            w.flush();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return OwsResponse.of("application/xml; charset=UTF-8", out.toByteArray());
    }

    // ------------------------------------------------------------------ GetCapabilities

    OwsResponse capabilities(Viewer viewer, String url) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        try {
            XMLStreamWriter w = writer(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement("wfs", "WFS_Capabilities", WFS);
            w.writeNamespace("wfs", WFS);
            w.writeNamespace("ows", OWS);
            w.writeNamespace("fes", FES);
            w.writeNamespace("gml", GML);
            w.writeNamespace("xlink", XLINK);
            w.writeNamespace("xsi", XSI);
            w.writeNamespace("landgis", Namespaces.LANDGIS);
            w.writeAttribute("version", "2.0.0");
            w.writeAttribute("updateSequence", Long.toString(catalog.updateSequence()));
            w.writeAttribute(XSI, "schemaLocation", WFS + " http://schemas.opengis.net/wfs/2.0/wfs.xsd");

            w.writeStartElement("ows", "ServiceIdentification", OWS);
            ows(w, "Title", properties.title());
            ows(w, "Abstract", properties.abstractText());
            ows(w, "ServiceType", "WFS");
            ows(w, "ServiceTypeVersion", "2.0.0");
            ows(w, "Fees", "NONE");
            ows(w, "AccessConstraints", "NONE");
            w.writeEndElement();
            w.writeStartElement("ows", "ServiceProvider", OWS);
            ows(w, "ProviderName", properties.contactOrganisation() == null ? "landgis" : properties.contactOrganisation());
            w.writeStartElement("ows", "ServiceContact", OWS);
            w.writeEndElement();
            w.writeEndElement();

            w.writeStartElement("ows", "OperationsMetadata", OWS);
            // Transaction (XML POST only) is offered to land officers, the only ones who may write
            boolean writer = viewer.roles().contains(vn.landgis.platform.Roles.LAND_OFFICER);
            List<String> operations = new ArrayList<>(List.of("GetCapabilities", "DescribeFeatureType", "ListStoredQueries", "DescribeStoredQueries",
                    "GetFeature", "GetPropertyValue"));
            if (writer) {
                operations.add("Transaction");
            }
            for (String op : operations) {
                w.writeStartElement("ows", "Operation", OWS);
                w.writeAttribute("name", op);
                w.writeStartElement("ows", "DCP", OWS);
                w.writeStartElement("ows", "HTTP", OWS);
                if (!op.equals("Transaction")) {
                    w.writeEmptyElement("ows", "Get", OWS);
                    w.writeAttribute("xlink", XLINK, "href", url + "?");
                }
                w.writeEmptyElement("ows", "Post", OWS);
                w.writeAttribute("xlink", XLINK, "href", url);
                w.writeEndElement();
                w.writeEndElement();
                if (op.equals("GetCapabilities")) {
                    parameter(w, "AcceptVersions", List.of("2.0.0"));
                    parameter(w, "AcceptFormats", List.of("text/xml"));
                    parameter(w, "Sections", List.of("ServiceIdentification", "ServiceProvider", "OperationsMetadata", "FeatureTypeList", "Filter_Capabilities"));
                }
                if (op.equals("GetFeature") || op.equals("GetPropertyValue")) {
                    parameter(w, "resolve", List.of("local"));
                    parameter(w, "outputFormat", List.of(GML32, "application/json"));
                }
                w.writeEndElement();
            }
            parameter(w, "version", List.of("2.0.0"));
            for (String[] c : new String[][] {{"ImplementsBasicWFS", "TRUE"}, {"ImplementsTransactionalWFS", writer ? "TRUE" : "FALSE"},
                {"ImplementsLockingWFS", "FALSE"}, {"KVPEncoding", "TRUE"}, {"XMLEncoding", "TRUE"}, {"SOAPEncoding", "FALSE"},
                {"ImplementsInheritance", "FALSE"}, {"ImplementsRemoteResolve", "FALSE"}, {"ImplementsResultPaging", "TRUE"},
                {"ImplementsStandardJoins", "FALSE"}, {"ImplementsSpatialJoins", "FALSE"}, {"ImplementsTemporalJoins", "FALSE"},
                {"ImplementsFeatureVersioning", "FALSE"}, {"ManageStoredQueries", "FALSE"}}) {
                constraint(w, c[0], c[1]);
            }
            w.writeStartElement("ows", "Constraint", OWS);
            w.writeAttribute("name", "QueryExpressions");
            w.writeStartElement("ows", "AllowedValues", OWS);
            ows(w, "Value", "wfs:Query");
            ows(w, "Value", "wfs:StoredQuery");
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndElement();

            w.writeStartElement("wfs", "FeatureTypeList", WFS);
            List<Double> p = province.extentWgs84();
            Envelope provinceBox = new Envelope(p.get(0), p.get(2), p.get(1), p.get(3));
            for (Layer layer : catalog.layersFor(viewer)) {
                w.writeStartElement("wfs", "FeatureType", WFS);
                wfs(w, "Name", "landgis:" + layer.name());
                wfs(w, "Title", layer.definition().title() + (layer.definition().titleEn() == null ? "" : " / " + layer.definition().titleEn()));
                if (layer.definition().abstractText() != null) {
                    wfs(w, "Abstract", layer.definition().abstractText());
                }
                wfs(w, "DefaultCRS", "urn:ogc:def:crs:EPSG::" + layer.srid());
                for (String crs : MapCrs.ADVERTISED) {
                    MapCrs c = MapCrs.parse(crs, true).orElseThrow();
                    if (c.srid() != layer.srid() && !crs.equals("CRS:84")) {
                        wfs(w, "OtherCRS", c.urn());
                    }
                }
                w.writeStartElement("wfs", "OutputFormats", WFS);
                wfs(w, "Format", GML32);
                wfs(w, "Format", "application/json");
                w.writeEndElement();
                Envelope e = catalog.extent(layer).map(x -> x[1]).orElse(provinceBox);
                w.writeStartElement("ows", "WGS84BoundingBox", OWS);
                ows(w, "LowerCorner", GeometryEncoding.number(e.getMinX(), 6) + " " + GeometryEncoding.number(e.getMinY(), 6));
                ows(w, "UpperCorner", GeometryEncoding.number(e.getMaxX(), 6) + " " + GeometryEncoding.number(e.getMaxY(), 6));
                w.writeEndElement();
                w.writeEndElement();
            }
            w.writeEndElement();

            filterCapabilities(w);
            w.writeEndElement();
            w.writeEndDocument();
            w.flush();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return OwsResponse.of("application/xml; charset=UTF-8", out.toByteArray());
    }

    private static void filterCapabilities(XMLStreamWriter w) throws XMLStreamException {
        w.writeStartElement("fes", "Filter_Capabilities", FES);
        w.writeStartElement("fes", "Conformance", FES);
        for (String[] c : new String[][] {{"ImplementsQuery", "TRUE"}, {"ImplementsAdHocQuery", "TRUE"}, {"ImplementsFunctions", "FALSE"},
            {"ImplementsResourceId", "TRUE"}, {"ImplementsMinStandardFilter", "TRUE"}, {"ImplementsStandardFilter", "TRUE"},
            {"ImplementsMinSpatialFilter", "TRUE"}, {"ImplementsSpatialFilter", "TRUE"}, {"ImplementsMinTemporalFilter", "FALSE"},
            {"ImplementsTemporalFilter", "FALSE"}, {"ImplementsVersionNav", "FALSE"}, {"ImplementsSorting", "TRUE"},
            {"ImplementsExtendedOperators", "FALSE"}, {"ImplementsMinimumXPath", "TRUE"}, {"ImplementsSchemaElementFunc", "FALSE"}}) {
            w.writeStartElement("fes", "Constraint", FES);
            w.writeAttribute("name", c[0]);
            w.writeEmptyElement("ows", "NoValues", OWS);
            w.writeStartElement("ows", "DefaultValue", OWS);
            w.writeCharacters(c[1]);
            w.writeEndElement();
            w.writeEndElement();
        }
        w.writeEndElement();
        w.writeStartElement("fes", "Id_Capabilities", FES);
        w.writeEmptyElement("fes", "ResourceIdentifier", FES);
        w.writeAttribute("name", "fes:ResourceId");
        w.writeEndElement();
        w.writeStartElement("fes", "Scalar_Capabilities", FES);
        w.writeEmptyElement("fes", "LogicalOperators", FES);
        w.writeStartElement("fes", "ComparisonOperators", FES);
        for (String op : List.of("PropertyIsEqualTo", "PropertyIsNotEqualTo", "PropertyIsLessThan", "PropertyIsGreaterThan",
                "PropertyIsLessThanOrEqualTo", "PropertyIsGreaterThanOrEqualTo", "PropertyIsLike", "PropertyIsNull", "PropertyIsNil",
                "PropertyIsBetween")) {
            w.writeEmptyElement("fes", "ComparisonOperator", FES);
            w.writeAttribute("name", op);
        }
        w.writeEndElement();
        w.writeEndElement();
        w.writeStartElement("fes", "Spatial_Capabilities", FES);
        w.writeStartElement("fes", "GeometryOperands", FES);
        for (String g : List.of("gml:Envelope", "gml:Point", "gml:MultiPoint", "gml:LineString", "gml:Curve", "gml:MultiCurve",
                "gml:Polygon", "gml:Surface", "gml:MultiSurface")) {
            w.writeEmptyElement("fes", "GeometryOperand", FES);
            w.writeAttribute("name", g);
        }
        w.writeEndElement();
        w.writeStartElement("fes", "SpatialOperators", FES);
        for (String op : List.of("BBOX", "Equals", "Disjoint", "Intersects", "Touches", "Crosses", "Within", "Contains", "Overlaps",
                "DWithin", "Beyond")) {
            w.writeEmptyElement("fes", "SpatialOperator", FES);
            w.writeAttribute("name", op);
        }
        w.writeEndElement();
        w.writeEndElement();
        w.writeEndElement();
    }

    private static void parameter(XMLStreamWriter w, String name, List<String> values) throws XMLStreamException {
        w.writeStartElement("ows", "Parameter", OWS);
        w.writeAttribute("name", name);
        w.writeStartElement("ows", "AllowedValues", OWS);
        for (String v : values) {
            ows(w, "Value", v);
        }
        w.writeEndElement();
        w.writeEndElement();
    }

    private static void constraint(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        w.writeStartElement("ows", "Constraint", OWS);
        w.writeAttribute("name", name);
        w.writeEmptyElement("ows", "NoValues", OWS);
        ows(w, "DefaultValue", value);
        w.writeEndElement();
    }

    private static void ows(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        w.writeStartElement("ows", name, OWS);
        w.writeCharacters(value == null ? "" : value);
        w.writeEndElement();
    }

    private static void wfs(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        w.writeStartElement("wfs", name, WFS);
        w.writeCharacters(value == null ? "" : value);
        w.writeEndElement();
    }

}
