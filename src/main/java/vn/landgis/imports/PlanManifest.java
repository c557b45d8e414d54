package vn.landgis.imports;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import vn.landgis.geo.VietnameseEncoding;

/**
 * A manifest of kind {@code plan} ({@code data-import/manifests/*.json}, {@code "kind": "plan"}): the plan a
 * delivery holds (kind, name, scale, approving decision, status, district, the plan it supersedes), where its
 * zones and lines are, and what the files do not say (CRS, encoding, column names).
 */
record PlanManifest(String planKind, String name, Integer scale, String decisionNo, LocalDate decisionDate, String decisionBody,
                    String status, String district, Long supersedes, Integer srid, VietnameseEncoding encoding,
                    String zonesFile, String zonesLayer, String linesFile, ColumnMapping columns) {

    static final String ZONE_CODE = "zoneCode";
    static final String LAND_USE = "landUse";
    static final String DENSITY = "density";
    static final String FLOORS = "floors";
    static final String HEIGHT = "height";
    static final String FAR = "floorAreaRatio";
    static final String SETBACK = "setback";
    static final String NOTE = "note";
    static final String LINE_KIND = "lineKind";
    static final String WIDTH = "width";

    static final Set<String> PLAN_KINDS = Set.of("land_use", "general", "zoning", "detailed");
    static final Set<String> STATUSES = Set.of("in_force", "superseded", "draft");

    /** Column names seen in planning deliveries (CAD/GIS exports of the planning institutes), then ours. */
    static Map<String, List<String>> defaultColumns() {
        return Map.of(
                ZONE_CODE, List.of("MaKhu", "KyHieu", "KyHieuKhu", "MaO", "KyHieuO", "zone_code", "code"),
                LAND_USE, List.of("ChucNang", "MDSD_QH", "MucDichQH", "LoaiDatQH", "LoaiDat", "planned_use", "land_use_code"),
                DENSITY, List.of("MatDo", "MatDoXD", "MDXD", "building_density", "density"),
                FLOORS, List.of("TangCao", "TangCaoToiDa", "SoTang", "max_floors", "floors"),
                HEIGHT, List.of("ChieuCao", "ChieuCaoToiDa", "height_limit_m", "height"),
                FAR, List.of("HeSoSDD", "HSSDD", "floor_area_ratio", "far"),
                SETBACK, List.of("KhoangLui", "ChiGioiXD", "setback_m", "setback"),
                NOTE, List.of("GhiChu", "note"),
                LINE_KIND, List.of("Loai", "LoaiChiGioi", "kind"),
                WIDTH, List.of("LoGioi", "BeRong", "width_m", "width"));
    }

    /** Whether the manifest file says {@code "kind": "plan"} (else it is a cadastre manifest). */
    static boolean isPlan(Path file) throws IOException {
        return "plan".equals(Manifest.parse(file).path("kind").asString(""));
    }

    static PlanManifest read(Path file) throws IOException {
        JsonNode m = Manifest.parse(file);
        if (!"plan".equals(m.path("kind").asString(""))) {
            throw new IOException("manifest: \"kind\": \"plan\" expected");
        }
        // an entry it does not know is refused naming the one meant ("line" for "lines": the plan went without its red
        // lines, "zonesLayr" read the first layer), as the cadastre manifest's are
        java.util.Set<String> top = new java.util.HashSet<>(Manifest.INFORMATIONAL);
        top.addAll(List.of("kind", "plan", "srid", "encoding", "columns", "zones", "zonesLayer", "lines"));
        Manifest.unknownEntries(m, top, "", file);
        JsonNode plan = m.path("plan");
        if (plan.isObject()) {
            java.util.Set<String> inPlan = new java.util.HashSet<>(Manifest.INFORMATIONAL);
            inPlan.addAll(List.of("kind", "name", "scale", "decision", "status", "district", "supersedes"));
            Manifest.unknownEntries(plan, inPlan, "plan.", file);
            if (plan.path("decision").isObject()) {
                Manifest.unknownEntries(plan.path("decision"), java.util.Set.of("number", "date", "body", "note"), "plan.decision.", file);
            }
        }
        String kind = plan.path("kind").asString("");
        if (!PLAN_KINDS.contains(kind)) {
            throw new IOException("manifest: plan.kind must be one of " + PLAN_KINDS);
        }
        String name = plan.path("name").asString("").strip();
        if (name.isEmpty() || name.length() > 500) {
            throw new IOException("manifest: plan.name is required (at most 500 characters)");
        }
        String status = plan.path("status").asString("draft");
        if (!STATUSES.contains(status)) {
            throw new IOException("manifest: plan.status must be one of " + STATUSES);
        }
        LocalDate date = null;
        if (plan.path("decision").hasNonNull("date")) {
            try {
                date = LocalDate.parse(plan.path("decision").path("date").asString());
            } catch (DateTimeParseException e) {
                throw new IOException("manifest: plan.decision.date must be YYYY-MM-DD");
            }
        }
        Integer srid = Manifest.srid(m);
        VietnameseEncoding encoding = Manifest.encoding(m);
        Map<String, List<String>> columns = new HashMap<>(defaultColumns());
        for (var e : m.path("columns").properties()) {
            if (!columns.containsKey(e.getKey())) {
                throw new IOException("manifest: unknown field '" + e.getKey() + "' in columns; known: " + defaultColumns().keySet());
            }
            List<String> names = new ArrayList<>();
            e.getValue().forEach(n -> names.add(n.asString()));
            names.addAll(defaultColumns().get(e.getKey()));
            columns.put(e.getKey(), List.copyOf(names));
        }
        String district = plan.hasNonNull("district") ? plan.get("district").asString() : null;
        if (district != null && !district.matches("[0-9]{3}")) {
            throw new IOException("manifest: plan.district is a three-digit district code");
        }
        return new PlanManifest(kind, name, plan.hasNonNull("scale") ? plan.get("scale").asInt() : null,
                text(plan.path("decision"), "number"), date, text(plan.path("decision"), "body"), status, district,
                plan.hasNonNull("supersedes") ? plan.get("supersedes").asLong() : null, srid, encoding,
                text(m, "zones"), text(m, "zonesLayer"), text(m, "lines"), new ColumnMapping(Map.copyOf(columns)));
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? java.text.Normalizer.normalize(node.get(field).asString().strip(), java.text.Normalizer.Form.NFC) : null;
    }
}
