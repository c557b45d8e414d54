package vn.landgis.ows;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.locationtech.jts.geom.Geometry;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.w3c.dom.Element;

import vn.landgis.editing.EditMeta;
import vn.landgis.editing.EditRejected;
import vn.landgis.editing.EditResult;
import vn.landgis.editing.EditingProperties;
import vn.landgis.editing.ParcelAction;
import vn.landgis.editing.ParcelAttributes;
import vn.landgis.editing.ParcelEditor;
import vn.landgis.editing.Violation;
import vn.landgis.features.FeatureQuery;
import vn.landgis.features.FeatureSource;
import vn.landgis.features.Layer;
import vn.landgis.features.Viewer;
import vn.landgis.features.filter.FesParser;
import vn.landgis.features.filter.Filter;
import vn.landgis.features.filter.FilterException;
import vn.landgis.platform.Roles;

/**
 * WFS 2.0 Transaction (ISO 19142 §15) on the {@code parcels} feature type, for land officers' GIS clients (QGIS):
 * Insert, Update, Replace and Delete are mapped onto one {@link ParcelEditor#apply} edit, so the whole Transaction
 * is committed or nothing is, under the same topology rules, optimistic locking and audit as the REST API:
 * <ul>
 * <li>Insert: a new parcel ({@code commune_code}, {@code sheet_no}, {@code land_use_code} required; {@code parcel_no}
 * optional: the sheet's next free number), which must not overlap any current parcel;</li>
 * <li>Update: new attribute values ({@code parcel_no}, {@code land_use_code}, {@code legal_area}, {@code address}) and/or
 * a new geometry (a reshape, checked for overlap with the neighbours and for new gaps); a geometry update selects
 * one feature;</li>
 * <li>Replace: the feature's attributes and geometry at once (its commune and sheet stay: a Replace's are ignored);</li>
 * <li>Delete: the version is retired (closed, never removed).</li>
 * </ul>
 * Features are addressed by ResourceId ({@code parcels.<version id>}: a version id, so an Update of a version that
 * someone else changed meanwhile is a conflict, not a silent overwrite; a version only the same officer's own
 * later saves have replaced stands for the current one, so QGIS can save twice without reloading) or by any filter {@link FesParser} reads
 * (legacy {@code ogc:FeatureId} too). An update or replace gives the feature a new version id: UpdateResults and
 * ReplaceResults list the new ids with the old ones as {@code previousRid}. The Transaction's {@code handle} is the
 * dossier (undo works per dossier); without one the dossier is {@code WFS-T/<user>/<time>}. Only land officers may
 * write; everyone else gets {@code OperationProcessingFailed} with HTTP 403. Computed properties
 * ({@code parcel_id}, {@code commune_name}, {@code land_use_name}, {@code geom_area}, {@code valid_from},
 * {@code owners}, {@code new_commune_code}) are ignored in Insert and Replace and refused in Update.
 */
@Component
class WfsTransaction {

    static final String OGC = "http://www.opengis.net/ogc";
    private static final Set<String> WRITABLE = Set.of("commune_code", "sheet_no", "parcel_no", "land_use_code", "land_uses", "legal_area", "address");
    private static final Set<String> COMPUTED = Set.of("parcel_id", "commune_name", "new_commune_code", "land_use_name", "geom_area",
            "valid_from", "valid_to", "owners", "id");

    private final ParcelEditor editor;
    private final FeatureSource source;
    private final int maxFeatures;

    WfsTransaction(ParcelEditor editor, FeatureSource source, EditingProperties editing) {
        this.editor = editor;
        this.source = source;
        this.maxFeatures = editing.maxParcels();
    }

    /** What one action element asked, kept to count and answer. */
    private record Done(String element, String handle, int actionFrom, int actionTo) {
    }

    OwsResponse handle(Element root, Viewer viewer, WfsService wfs) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (!viewer.roles().contains(Roles.LAND_OFFICER) || auth == null) {
            // nobody signed in: 401, which a GIS client (QGIS) answers by asking for the officer's credentials; another
            // role: 403
            boolean anonymous = auth == null || auth instanceof org.springframework.security.authentication.AnonymousAuthenticationToken;
            throw new OwsException("OperationProcessingFailed", "Transaction",
                    "Chỉ cán bộ địa chính được sửa dữ liệu / only land officers may write (Transaction refused)", anonymous ? 401 : 403);
        }
        List<ParcelAction> actions = new ArrayList<>();
        List<Done> done = new ArrayList<>();
        int insertNo = 0;
        for (Element e : WfsService.children(root, null, null)) {
            if (!WfsService.WFS.equals(e.getNamespaceURI())) {
                throw new OwsException("OperationParsingFailed", e.getLocalName(), "Không phải thao tác WFS / not a WFS action: " + e.getLocalName());
            }
            String handle = WfsService.attr(e, "handle");
            int from = actions.size();
            switch (e.getLocalName()) {
                case "Insert" -> {
                    int srid = srid(WfsService.attr(e, "srsName"));
                    for (Element f : WfsService.children(e, null, null)) {
                        Layer layer = parcels(f.getLocalName(), viewer, wfs, "Insert");
                        Map<String, Object> values = properties(f, layer, srid, false);
                        Object commune = values.get("commune_code");
                        Object sheet = values.get("sheet_no");
                        if (commune == null || sheet == null || values.get("geom") == null) {
                            throw new OwsException("MissingParameterValue", "Insert",
                                    "Thửa mới cần commune_code, sheet_no và hình / a new parcel needs commune_code, sheet_no and a geometry");
                        }
                        insertNo++;
                        String tag = "insert-" + insertNo;
                        actions.add(new ParcelAction.Create(tag, (String) commune, (Integer) sheet, attributes(values), (Geometry) values.get("geom")));
                    }
                }
                case "Update" -> {
                    Layer layer = parcels(WfsService.attr(e, "typeName"), viewer, wfs, "typeName");
                    int srid = srid(WfsService.attr(e, "srsName"));
                    Map<String, Object> values = new LinkedHashMap<>();
                    Element filter = null;
                    for (Element c : WfsService.children(e, null, null)) {
                        if (c.getLocalName().equals("Property") && WfsService.WFS.equals(c.getNamespaceURI())) {
                            property(c, layer, srid, values);
                        } else if (c.getLocalName().equals("Filter")) {
                            filter = c;
                        } else {
                            throw new OwsException("OperationParsingFailed", "Update", "Không hiểu / unexpected " + c.getLocalName() + " in Update");
                        }
                    }
                    if (values.isEmpty()) {
                        throw new OwsException("MissingParameterValue", "Property", "Update không có thuộc tính nào / Update changes no property");
                    }
                    List<Long> ids = select(filter, layer, viewer, "Update");
                    Geometry geometry = (Geometry) values.get("geom");
                    if (geometry != null && ids.size() > 1) {
                        throw new OwsException("OperationProcessingFailed", "Update",
                                "Cập nhật hình chỉ cho một thửa / a geometry update must select one feature, " + ids.size() + " selected");
                    }
                    for (long id : ids) {
                        actions.add(new ParcelAction.Change(id, attributes(values), geometry));
                    }
                }
                case "Replace" -> {
                    int srid = srid(WfsService.attr(e, "srsName"));
                    Element feature = null;
                    Element filter = null;
                    for (Element c : WfsService.children(e, null, null)) {
                        if (c.getLocalName().equals("Filter")) {
                            filter = c;
                        } else if (feature == null) {
                            feature = c;
                        } else {
                            throw new OwsException("OperationParsingFailed", "Replace", "Replace thay một đối tượng / Replace holds one feature");
                        }
                    }
                    if (feature == null) {
                        throw new OwsException("MissingParameterValue", "Replace", "Thiếu đối tượng / Replace needs a feature");
                    }
                    Layer layer = parcels(feature.getLocalName(), viewer, wfs, "Replace");
                    Map<String, Object> values = properties(feature, layer, srid, false);
                    List<Long> ids = select(filter, layer, viewer, "Replace");
                    if (ids.size() != 1) {
                        throw new OwsException("OperationProcessingFailed", "Replace", "Replace phải chọn đúng một thửa / Replace must select one feature, "
                                + ids.size() + " selected");
                    }
                    actions.add(new ParcelAction.Change(ids.getFirst(), attributes(values), (Geometry) values.get("geom")));
                }
                case "Delete" -> {
                    Layer layer = parcels(WfsService.attr(e, "typeName"), viewer, wfs, "typeName");
                    Element filter = WfsService.children(e, null, "Filter").stream().findFirst().orElse(null);
                    for (long id : select(filter, layer, viewer, "Delete")) {
                        actions.add(new ParcelAction.Retire(id));
                    }
                }
                case "Native" -> throw new OwsException("OperationNotSupported", "Native", "Không hỗ trợ wfs:Native / wfs:Native is not supported", 400);
                default -> throw new OwsException("OperationParsingFailed", e.getLocalName(), "Không phải thao tác WFS / not a WFS action: " + e.getLocalName());
            }
            done.add(new Done(e.getLocalName(), handle, from, actions.size()));
        }
        if (actions.size() > maxFeatures) {
            throw new OwsException("OperationProcessingFailed", "Transaction", "Quá nhiều đối tượng / more than " + maxFeatures + " features in one Transaction");
        }
        if (actions.isEmpty()) {
            return response(List.of(), null, List.of());
        }
        String handle = WfsService.attr(root, "handle");
        String dossier = handle != null ? handle : "WFS-T/" + auth.getName() + "/"
                + OffsetDateTime.now(ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        EditResult result;
        try {
            result = editor.apply(new EditMeta(auth.getName(), dossier, null, "WFS-T"), actions, true);
        } catch (EditRejected r) {
            throw refused(r);
        }
        return response(done, result, actions);
    }

    private Layer parcels(String qualified, Viewer viewer, WfsService wfs, String locator) {
        if (qualified == null || qualified.isBlank()) {
            throw OwsException.missing(locator);
        }
        Layer layer = wfs.layer(qualified, viewer, locator);
        if (!layer.name().equals("parcels")) {
            throw new OwsException("OperationProcessingFailed", locator, "Chỉ sửa được lớp parcels / only parcels can be written, not " + layer.name());
        }
        return layer;
    }

    private static int srid(String srsName) {
        if (srsName == null || srsName.isBlank()) {
            return 0;
        }
        return MapCrs.parse(srsName, true).map(MapCrs::srid)
                .orElseThrow(() -> OwsException.invalid("srsName", "Hệ toạ độ không hỗ trợ / CRS not supported: " + KvpRequest.shorten(srsName)));
    }

    /** The properties of a feature element (Insert, Replace): writable ones read, computed ones ignored. */
    private static Map<String, Object> properties(Element feature, Layer layer, int srid, boolean strict) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Element p : WfsService.children(feature, null, null)) {
            String name = p.getLocalName();
            if (name.equals(layer.definition().geometry())) {
                List<Element> g = WfsService.children(p, null, null);
                if (g.size() != 1) {
                    throw OwsException.invalid(name, "Cần một hình GML / one GML geometry expected in " + name);
                }
                values.put("geom", geometry(g.getFirst(), srid));
            } else if (WRITABLE.contains(name)) {
                values.put(name, value(name, nil(p) ? null : p.getTextContent().trim()));
            } else if (!COMPUTED.contains(name) && !FesParser.GML.equals(p.getNamespaceURI()) || strict) {
                throw OwsException.invalid(name, "Không có thuộc tính / no writable property " + KvpRequest.shorten(name));
            }
        }
        return values;
    }

    /** One wfs:Property of an Update (WFS 2.0 ValueReference, or WFS 1.1 Name). */
    private static void property(Element property, Layer layer, int srid, Map<String, Object> values) {
        Element ref = WfsService.children(property, null, null).stream()
                .filter(c -> c.getLocalName().equals("ValueReference") || c.getLocalName().equals("Name")).findFirst()
                .orElseThrow(() -> OwsException.missing("ValueReference"));
        String name = ref.getTextContent().trim();
        name = name.substring(name.lastIndexOf('/') + 1);
        name = name.substring(name.indexOf(':') + 1);
        String action = WfsService.attr(ref, "action");
        if (action != null && !action.equals("replace")) {
            throw OwsException.invalid("ValueReference", "Chỉ hỗ trợ action=replace / only action=replace is supported");
        }
        Element value = WfsService.children(property, null, "Value").stream().findFirst().orElse(null);
        if (name.equals(layer.definition().geometry())) {
            List<Element> g = value == null ? List.of() : WfsService.children(value, null, null);
            if (g.size() != 1) {
                throw OwsException.invalid("Value", "Không xoá được hình của thửa / a parcel's geometry cannot be removed; give one GML geometry");
            }
            values.put("geom", geometry(g.getFirst(), srid));
        } else if (WRITABLE.contains(name) && !name.equals("commune_code") && !name.equals("sheet_no")) {
            String text = value == null ? null : value.getTextContent().trim();
            if (text == null || text.isEmpty()) {
                throw OwsException.invalid("Value", "Không xoá được giá trị " + name + " / " + name + " cannot be removed");
            }
            values.put(name, value(name, text));
        } else {
            throw new OwsException("InvalidValue", "ValueReference", "Thuộc tính chỉ đọc hoặc không có / property " + KvpRequest.shorten(name)
                    + " is read-only or unknown (writable: geom, parcel_no, land_use_code, land_uses, legal_area, address)");
        }
    }

    private static boolean nil(Element p) {
        return "true".equals(p.getAttributeNS(WfsService.XSI, "nil"));
    }

    private static Object value(String name, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return switch (name) {
                case "sheet_no", "parcel_no" -> Integer.valueOf(new BigDecimal(text).intValueExact());
                case "legal_area" -> new BigDecimal(text);
                default -> text;
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw OwsException.invalid(name, "Giá trị không hợp lệ / invalid value for " + name + ": " + KvpRequest.shorten(text));
        }
    }

    private static Geometry geometry(Element gml, int srid) {
        try {
            return FesParser.geometry(gml, srid);
        } catch (FilterException e) {
            throw new OwsException(e.code(), "geom", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw OwsException.invalid("srsName", "Hệ toạ độ không hỗ trợ / CRS not supported");
        }
    }

    /**
     * The edit's attributes. {@code land_uses} ("ONT+CLN") gives every purpose, the main one first; {@code land_use_code}
     * alone changes the main purpose and keeps the others; both given must agree on the main one.
     */
    private static ParcelAttributes attributes(Map<String, Object> v) {
        String code = (String) v.get("land_use_code");
        List<String> others = null;
        String uses = (String) v.get("land_uses");
        if (uses != null) {
            List<String> codes = vn.landgis.cadastre.LandUses.codes(uses).stream().distinct().toList();
            if (codes.isEmpty() || codes.getFirst().isEmpty() || (code != null && !code.equalsIgnoreCase(codes.getFirst()))) {
                throw OwsException.invalid("land_uses", "land_uses (" + KvpRequest.shorten(uses) + ") phải bắt đầu bằng land_use_code / must start with"
                        + " the main land use, land_use_code" + (code == null ? "" : " (" + KvpRequest.shorten(code) + ")"));
            }
            code = codes.getFirst();
            others = codes.subList(1, codes.size());
        }
        try {
            return new ParcelAttributes((Integer) v.get("parcel_no"), code, (BigDecimal) v.get("legal_area"), (String) v.get("address"), null, others);
        } catch (EditRejected e) {
            throw refused(e);
        }
    }

    /** The version ids a filter selects among current parcels (a ResourceId names them directly, current or not). */
    private List<Long> select(Element filter, Layer layer, Viewer viewer, String locator) {
        if (filter == null) {
            throw new OwsException("MissingParameterValue", locator, locator + " cần fes:Filter / needs a fes:Filter");
        }
        Filter f;
        if (OGC.equals(filter.getNamespaceURI())) {
            f = legacyIds(filter);
        } else {
            try {
                f = FesParser.parse(filter, 0);
            } catch (FilterException e) {
                throw new OwsException(e.code(), locator, e.getMessage());
            }
        }
        Set<Long> ids = new LinkedHashSet<>();
        if (f instanceof Filter.ResourceId r) {
            for (String rid : r.ids()) {
                ids.add(versionOf(rid, layer));
            }
        } else {
            try {
                source.read(new FeatureQuery(layer, viewer, null, 0, layer.srid(), List.of(), null, 0, 0, false, maxFeatures + 1, 0, f, List.of()),
                        feature -> ids.add(((Number) feature.id()).longValue()));
            } catch (FilterException e) {
                throw new OwsException(e.code(), locator, e.getMessage());
            }
        }
        if (ids.size() > maxFeatures) {
            throw new OwsException("OperationProcessingFailed", locator, "Bộ lọc chọn quá nhiều thửa / the filter selects more than " + maxFeatures + " features");
        }
        return List.copyOf(ids);
    }

    /** A WFS 1.1 client's {@code ogc:Filter} of {@code ogc:FeatureId fid} or {@code ogc:GmlObjectId gml:id}. */
    private static Filter legacyIds(Element filter) {
        List<String> ids = new ArrayList<>();
        for (Element c : WfsService.children(filter, null, null)) {
            String id = c.getLocalName().equals("FeatureId") ? c.getAttribute("fid")
                    : c.getLocalName().equals("GmlObjectId") ? c.getAttributeNS(GeometryEncoding.GML, "id") : "";
            if (id == null || id.isBlank()) {
                throw new OwsException("OperationParsingFailed", "Filter", "Chỉ hỗ trợ ogc:FeatureId / only ogc:FeatureId in an ogc:Filter");
            }
            ids.add(id);
        }
        return new Filter.ResourceId(ids);
    }

    private static long versionOf(String rid, Layer layer) {
        int dot = rid.lastIndexOf('.');
        String type = dot > 0 ? rid.substring(0, dot) : "";
        type = type.substring(type.indexOf(':') + 1);
        if (!type.equals(layer.name())) {
            throw OwsException.invalid("ResourceId", "ResourceId phải có dạng parcels.<số> / must be parcels.<id>: " + KvpRequest.shorten(rid));
        }
        try {
            return Long.parseLong(rid.substring(dot + 1));
        } catch (NumberFormatException e) {
            throw OwsException.invalid("ResourceId", "ResourceId phải có dạng parcels.<số> / must be parcels.<id>: " + KvpRequest.shorten(rid));
        }
    }

    private static OwsException refused(EditRejected r) {
        StringBuilder text = new StringBuilder(r.getMessage());
        for (Violation v : r.violations()) {
            text.append('\n').append(v.rule()).append(": ").append(v.message());
            if (v.location() != null) {
                text.append(String.format(Locale.ROOT, " @ POINT(%.3f %.3f)", v.location().getX(), v.location().getY()));
            }
            if (v.versionId() != null) {
                text.append(" [parcels.").append(v.versionId()).append(']');
            }
        }
        for (Map<String, Object> c : r.current()) {
            // the stale feature, and the current ones that replaced it: what the client should reload
            text.append('\n').append("parcels.").append(c.get("versionId")).append(" → ");
            List<String> now = new ArrayList<>();
            if (c.get("current") instanceof List<?> versions) {
                for (Object v : versions) {
                    if (v instanceof Map<?, ?> m) {
                        now.add("parcels." + m.get("versionId") + " (" + m.get("communeCode") + "/" + m.get("sheetNo") + "/" + m.get("parcelNo") + ")");
                    }
                }
            }
            text.append(now.isEmpty() ? "—" : String.join(", ", now));
        }
        return switch (r.reason()) {
            case INVALID -> new OwsException("InvalidParameterValue", r.code(), text.toString(), 400);
            case NOT_FOUND -> new OwsException("InvalidParameterValue", "ResourceId", text.toString(), 400);
            case CONFLICT -> new OwsException("OperationProcessingFailed", r.code(), text.toString(), 409);
            case RULES -> new OwsException("OperationProcessingFailed", r.code(), text.toString(), 400);
        };
    }

    // ------------------------------------------------------------------ the answer

    private static OwsResponse response(List<Done> done, EditResult result, List<ParcelAction> actions) {
        int inserted = total(done, "Insert");
        int updated = total(done, "Update");
        int replaced = total(done, "Replace");
        int deleted = total(done, "Delete");
        Map<String, EditResult.Opened> byTag = new LinkedHashMap<>();
        if (result != null) {
            for (EditResult.Opened o : result.opened()) {
                if (o.tag() != null) {
                    byTag.put(o.tag(), o);
                }
            }
        }
        return WfsService.xmlDocument(2048, w -> {
            w.writeStartElement("wfs", "TransactionResponse", WfsService.WFS);
            w.writeNamespace("wfs", WfsService.WFS);
            w.writeNamespace("fes", WfsService.FES);
            w.writeAttribute("version", "2.0.0");
            w.writeStartElement("wfs", "TransactionSummary", WfsService.WFS);
            count(w, "totalInserted", inserted);
            count(w, "totalUpdated", updated);
            count(w, "totalReplaced", replaced);
            count(w, "totalDeleted", deleted);
            w.writeEndElement();
            if (inserted > 0) {
                w.writeStartElement("wfs", "InsertResults", WfsService.WFS);
                for (Done d : done) {
                    if (!d.element().equals("Insert")) {
                        continue;
                    }
                    for (int i = d.actionFrom(); i < d.actionTo(); i++) {
                        ParcelAction.Create c = (ParcelAction.Create) actions.get(i);
                        feature(w, d.handle(), byTag.get(c.tag()).versionId(), null);
                    }
                }
                w.writeEndElement();
            }
            for (String kind : List.of("Update", "Replace")) {
                if ((kind.equals("Update") ? updated : replaced) == 0) {
                    continue;
                }
                w.writeStartElement("wfs", kind + "Results", WfsService.WFS);
                Set<Long> written = new LinkedHashSet<>();
                for (Done d : done) {
                    if (!d.element().equals(kind)) {
                        continue;
                    }
                    for (int i = d.actionFrom(); i < d.actionTo(); i++) {
                        long previous = ((ParcelAction.Change) actions.get(i)).versionId();
                        EditResult.Opened o = byTag.get("parcel-" + previous);
                        if (o != null && written.add(previous)) {
                            feature(w, d.handle(), o.versionId(), previous);
                        }
                    }
                }
                w.writeEndElement();
            }
            w.writeEndElement();
        });
    }

    private static int total(List<Done> done, String element) {
        return done.stream().filter(d -> d.element().equals(element)).mapToInt(d -> d.actionTo() - d.actionFrom()).sum();
    }

    private static void count(XMLStreamWriter w, String name, int n) throws XMLStreamException {
        w.writeStartElement("wfs", name, WfsService.WFS);
        w.writeCharacters(Integer.toString(n));
        w.writeEndElement();
    }

    private static void feature(XMLStreamWriter w, String handle, long versionId, Long previous) throws XMLStreamException {
        w.writeStartElement("wfs", "Feature", WfsService.WFS);
        if (handle != null) {
            w.writeAttribute("handle", handle);
        }
        w.writeEmptyElement("fes", "ResourceId", WfsService.FES);
        w.writeAttribute("rid", "parcels." + versionId);
        if (previous != null) {
            w.writeAttribute("previousRid", "parcels." + previous);
        }
        w.writeEndElement();
    }
}
