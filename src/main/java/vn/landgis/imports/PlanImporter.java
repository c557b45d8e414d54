package vn.landgis.imports;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.locationtech.jts.io.WKBWriter;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import vn.landgis.geo.ProvinceProperties;
import vn.landgis.geo.SupportedCrs;
import vn.landgis.planning.PlansChanged;

/**
 * Imports a plan (quy hoạch) delivered as files: its zones from a GeoPackage layer, a GeoJSON file or a
 * Shapefile, its road red lines and corridors from a GeoJSON file of lines, described by a manifest of kind
 * {@code plan} (the plan's kind, name, scale, approving decision, status; the delivery's CRS, encoding and
 * column names). Checks each zone (zone code, planned land-use code with the legacy codes mapped to the 2024
 * list, indicators in range, valid geometry, overlaps between zones, zones outside the district) into findings,
 * then writes the plan, its zones and lines in one transaction, or nothing (a dry run, or any error).
 */
@Service
public class PlanImporter {

    static final List<String> ZONE_LAYERS = List.of("planning_zones", "zones", "khu_quy_hoach", "quy_hoach", "khuquyhoach");
    static final List<String> LINE_KINDS = List.of("red_line", "corridor", "building_line");

    /** One problem found, with where it is (in WGS 84). */
    public record Finding(String severity, String rule, int featureNo, String zoneCode, String messageVi, String messageEn,
                          Double lon, Double lat) {
    }

    public record Result(String status, Long planId, int zones, int lines, List<Finding> findings, boolean dryRun) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final ProvinceProperties province;

    PlanImporter(JdbcTemplate jdbc, TransactionTemplate tx, ApplicationEventPublisher events, ProvinceProperties province) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.events = events;
        this.province = province;
    }

    private record Zone(int featureNo, String code, String landUse, BigDecimal density, Integer floors, BigDecimal height,
                        BigDecimal far, BigDecimal setback, String note, Geometry geometry) {
    }

    private record Line(int featureNo, String kind, BigDecimal width, String note, Geometry geometry) {
    }

    /**
     * @param delivery a .gpkg, .geojson or .shp file, or a folder holding the zones file (and a lines file)
     */
    public Result run(Path delivery, PlanManifest manifest, boolean dryRun, String actor) throws IOException {
        List<Finding> findings = new ArrayList<>();
        Path zonesFile = zonesFile(delivery, manifest);
        int srid;
        List<Zone> zones = new ArrayList<>();
        ColumnMapping columns = manifest.columns();
        try (DeliveryReader reader = open(zonesFile, manifest)) {
            srid = manifest.srid() != null ? manifest.srid() : reader.declaredSrid();
            if (srid == 0 || SupportedCrs.bySrid(srid).isEmpty()) {
                throw new IllegalArgumentException("the zones file declares no supported CRS (" + srid + "): give \"srid\" in the manifest");
            }
            GeometryFactory factory = new GeometryFactory(new org.locationtech.jts.geom.PrecisionModel(), srid);
            SupportedCrs crs = SupportedCrs.bySrid(srid).orElseThrow();
            reader.forEach(f -> zones.add(zone(f, columns, factory, crs, findings)));
        }
        List<Line> lines = manifest.linesFile() == null ? List.of() : lines(inside(delivery, manifest.linesFile(), "lines"), srid, columns, findings);
        Map<String, String> codes = landUseCodes();
        List<Zone> accepted = new ArrayList<>();
        for (Zone z : zones) {
            if (z == null) {
                continue;
            }
            if (!inProvince(z.geometry(), srid, z.featureNo(), z.code(), findings)) {
                continue;
            }
            String code = z.landUse() == null ? null : z.landUse().strip().toUpperCase(Locale.ROOT);
            String mapped = code == null ? null : codes.get(code);
            double[] at = wgs84(z.geometry().getInteriorPoint().getCoordinate(), srid);
            if (mapped == null) {
                findings.add(new Finding("error", "unknown-land-use", z.featureNo(), z.code(),
                        "Mã chức năng sử dụng đất không có trong danh mục: " + code, "unknown planned land-use code: " + code, at[0], at[1]));
                continue;
            }
            if (!mapped.equals(code)) {
                findings.add(new Finding("info", "legacy-land-use", z.featureNo(), z.code(),
                        "Mã cũ " + code + " được chuyển thành " + mapped, "legacy code " + code + " mapped to " + mapped, at[0], at[1]));
            }
            accepted.add(new Zone(z.featureNo(), z.code(), mapped, z.density(), z.floors(), z.height(), z.far(), z.setback(), z.note(), z.geometry()));
        }
        for (Line l : lines) {
            if (!inProvince(l.geometry(), l.geometry().getSRID(), l.featureNo(), null, findings)) {
                Finding f = findings.removeLast();   // said of the lines file, whose features these numbers count
                findings.add(new Finding(f.severity(), f.rule(), f.featureNo(), null, "Tệp đường, đối tượng " + l.featureNo() + ": " + f.messageVi(),
                        "the lines file, feature " + l.featureNo() + ": " + f.messageEn(), f.lon(), f.lat()));
            }
        }
        boolean hasErrors = findings.stream().anyMatch(f -> f.severity().equals("error"));
        if (accepted.isEmpty()) {
            findings.add(new Finding("error", "no-zones", 0, null, "Không có khu quy hoạch nào đọc được", "no readable zone", null, null));
            return new Result("rejected", null, 0, 0, findings, dryRun);
        }
        boolean write = !hasErrors;
        Long[] planId = new Long[1];
        Envelope[] extent = new Envelope[1];
        tx.executeWithoutResult(status -> {
            planId[0] = jdbc.queryForObject("""
                    INSERT INTO planning.plan (kind, name, scale, decision_no, decision_date, decision_body, status, district_code)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""", Long.class, manifest.planKind(), manifest.name(), manifest.scale(),
                    manifest.decisionNo(), manifest.decisionDate(), manifest.decisionBody(), manifest.status(), manifest.district());
            WKBWriter wkb = new WKBWriter(2);
            int storage = province.storageSrid();
            for (Zone z : accepted) {
                jdbc.update("""
                        INSERT INTO planning.zone (plan_id, zone_code, land_use_code, building_density, max_floors, height_limit_m,
                                                   floor_area_ratio, setback_m, note, geom)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Transform(ST_GeomFromWKB(?, ?), ?)), 3)))""",
                        planId[0], z.code(), z.landUse(), z.density(), z.floors(), z.height(), z.far(), z.setback(), z.note(),
                        wkb.write(z.geometry()), srid, storage);
            }
            for (Line l : lines) {
                jdbc.update("""
                        INSERT INTO planning.line (plan_id, kind, width_m, note, geom)
                        VALUES (?, ?, ?, ?, ST_Multi(ST_CollectionExtract(ST_Transform(ST_GeomFromWKB(?, ?), ?), 2)))""",
                        planId[0], l.kind(), l.width(), l.note(), wkb.write(l.geometry()), l.geometry().getSRID(), storage);
            }
            // zones of one plan must not overlap; zones wholly outside the district are suspicious
            jdbc.query("""
                    SELECT a.zone_code, b.zone_code, ST_Area(ST_Intersection(a.geom, b.geom)),
                           ST_X(ST_Transform(ST_PointOnSurface(ST_Intersection(a.geom, b.geom)), 4326)),
                           ST_Y(ST_Transform(ST_PointOnSurface(ST_Intersection(a.geom, b.geom)), 4326))
                      FROM planning.zone a JOIN planning.zone b ON a.plan_id = b.plan_id AND a.id < b.id AND ST_Intersects(a.geom, b.geom)
                     WHERE a.plan_id = ? AND ST_Area(ST_Intersection(a.geom, b.geom)) > 1""", rs -> {
                findings.add(new Finding("warning", "zone-overlap", 0, rs.getString(1), String.format(Locale.ROOT,
                        "Khu %s chồng lên khu %s %s m²", rs.getString(1), rs.getString(2), vn.landgis.platform.VietnameseNumbers.format(rs.getDouble(3), 1)), String.format(Locale.ROOT,
                        "zone %s overlaps zone %s by %.1f m²", rs.getString(1), rs.getString(2), rs.getDouble(3)), rs.getDouble(4), rs.getDouble(5)));
            }, planId[0]);
            if (manifest.district() != null) {
                jdbc.query("""
                        SELECT z.zone_code, ST_X(ST_Transform(ST_PointOnSurface(z.geom), 4326)), ST_Y(ST_Transform(ST_PointOnSurface(z.geom), 4326))
                          FROM planning.zone z, cadastre.admin_unit_legacy d
                         WHERE z.plan_id = ? AND d.code = ? AND d.geom IS NOT NULL AND NOT ST_Intersects(z.geom, d.geom)""", rs -> {
                    findings.add(new Finding("warning", "outside-district", 0, rs.getString(1), "Khu nằm ngoài huyện " + manifest.district(),
                            "zone lies outside district " + manifest.district(), rs.getDouble(2), rs.getDouble(3)));
                }, planId[0], manifest.district());
                // a district without boundaries cannot be checked: said, not skipped silently
                if (Boolean.TRUE.equals(jdbc.queryForObject("SELECT geom IS NULL FROM cadastre.admin_unit_legacy WHERE code = ?", Boolean.class,
                        manifest.district()))) {
                    findings.add(new Finding("info", "district-unchecked", 0, null, "Chưa có ranh giới huyện " + manifest.district()
                            + ": không kiểm tra được các khu có nằm trong huyện không (nạp ranh giới xã trước)", "district " + manifest.district()
                            + " has no boundary: whether the zones lie in it is not checked (load the commune boundaries first)", null, null));
                }
            }
            // the province's outline, when loaded (the configured rectangle above holds neighbouring provinces' land): a
            // zone or a line more than 200 m outside it is an error, as a drawn overlay there is refused
            jdbc.query("""
                    SELECT x.what, x.code, ST_X(ST_Transform(ST_PointOnSurface(x.geom), 4326)), ST_Y(ST_Transform(ST_PointOnSurface(x.geom), 4326))
                      FROM (SELECT 'zone' AS what, zone_code AS code, geom FROM planning.zone WHERE plan_id = ?
                            UNION ALL SELECT 'line', kind, geom FROM planning.line WHERE plan_id = ?) x,
                           cadastre.admin_unit p
                     WHERE p.level = 'province' AND p.geom IS NOT NULL AND NOT ST_Covers(ST_Buffer(p.geom, 200), x.geom)""", rs -> {
                boolean zone = rs.getString(1).equals("zone");
                findings.add(new Finding("error", "outside-province", 0, zone ? rs.getString(2) : null,
                        (zone ? "Khu " + rs.getString(2) : "Đường chỉ giới (tệp đường)") + " nằm ngoài ranh giới tỉnh: sai hệ tọa độ?",
                        (zone ? "zone " + rs.getString(2) : "a line (the lines file)") + " lies outside the province's outline: wrong CRS?",
                        rs.getDouble(3), rs.getDouble(4)));
            }, planId[0], planId[0]);
            if (manifest.supersedes() != null) {
                // superseded from the new plan's decision day (else now), so that answers as of an earlier date still take it
                int n = jdbc.update("""
                        UPDATE planning.plan o SET status = 'superseded',
                               superseded_at = CASE WHEN o.status = 'in_force' THEN coalesce((SELECT n.decision_date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
                                                                                               FROM planning.plan n WHERE n.id = ?), now())
                                                    ELSE o.superseded_at END
                         WHERE o.id = ? AND o.id <> ?""", planId[0], manifest.supersedes(), planId[0]);
                if (n == 0) {
                    findings.add(new Finding("error", "unknown-superseded-plan", 0, null, "Không có quy hoạch số " + manifest.supersedes()
                            + " để thay thế", "no plan " + manifest.supersedes() + " to supersede", null, null));
                }
            }
            extent[0] = jdbc.query("""
                    SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom)::geometry AS e FROM (
                           SELECT geom FROM planning.zone WHERE plan_id = ? UNION ALL SELECT geom FROM planning.line WHERE plan_id = ?) g) x""",
                    rs -> rs.next() && rs.getObject(1) != null ? new Envelope(rs.getDouble(1), rs.getDouble(3), rs.getDouble(2), rs.getDouble(4)) : null,
                    planId[0], planId[0]);
            boolean errors = findings.stream().anyMatch(f -> f.severity().equals("error"));
            if (dryRun || errors || !write) {
                status.setRollbackOnly();
                return;
            }
            jdbc.update("INSERT INTO audit.event (actor, action, target, details) VALUES (?, 'plan-import', ?, ?::jsonb)", actor,
                    "planning.plan:" + planId[0], String.format(Locale.ROOT, "{\"zones\": %d, \"lines\": %d, \"status\": \"%s\", \"decision\": %s}",
                            accepted.size(), lines.size(), manifest.status(), new ObjectMapper().writeValueAsString(String.valueOf(manifest.decisionNo()))));
        });
        boolean errors = findings.stream().anyMatch(f -> f.severity().equals("error"));
        if (errors) {
            return new Result("rejected", null, accepted.size(), lines.size(), findings, dryRun);
        }
        if (dryRun) {
            return new Result("validated", null, accepted.size(), lines.size(), findings, true);
        }
        events.publishEvent(new PlansChanged(planId[0], extent[0], province.storageSrid()));
        return new Result("published", planId[0], accepted.size(), lines.size(), findings, false);
    }

    /**
     * Every vertex in the province (a CRS mistake puts a plan far away, or makes PostGIS's transformation fail): else
     * an error finding at the first vertex outside.
     */
    private boolean inProvince(Geometry g, int srid, int featureNo, String code, List<Finding> findings) {
        SupportedCrs crs = SupportedCrs.bySrid(srid).orElseThrow();
        for (Coordinate c : g.getCoordinates()) {
            double[] ll = wgs84(c, crs);
            if (!Double.isFinite(ll[0]) || !Double.isFinite(ll[1]) || !province.contains(ll[0], ll[1])) {
                findings.add(new Finding("error", "outside-province", featureNo, code, String.format(Locale.ROOT,
                        "Đối tượng nằm ngoài tỉnh (%.6f, %.6f): sai hệ tọa độ? (EPSG:%d)", ll[0], ll[1], srid), String.format(Locale.ROOT,
                        "the feature lies outside the province (%.6f, %.6f): wrong CRS? (EPSG:%d)", ll[0], ll[1], srid),
                        Double.isFinite(ll[0]) ? ll[0] : null, Double.isFinite(ll[1]) ? ll[1] : null));
                return false;
            }
        }
        return true;
    }

    /** Current codes map to themselves, legacy codes to their successor. */
    private Map<String, String> landUseCodes() {
        Map<String, String> m = new HashMap<>();
        jdbc.query("SELECT code, current, successor FROM cadastre.land_use_type", rs -> {
            if (rs.getBoolean(2)) {
                m.put(rs.getString(1), rs.getString(1));
            } else if (rs.getString(3) != null) {
                m.put(rs.getString(1), rs.getString(3));
            }
        });
        return m;
    }

    private static Path zonesFile(Path delivery, PlanManifest manifest) throws IOException {
        if (!Files.isDirectory(delivery)) {
            return delivery;
        }
        if (manifest.zonesFile() != null) {
            return inside(delivery, manifest.zonesFile(), "zones");
        }
        try (Stream<Path> files = Files.walk(delivery, 3)) {
            List<Path> all = files.filter(Files::isRegularFile).sorted().toList();
            Optional<Path> gpkg = all.stream().filter(p -> name(p).endsWith(".gpkg")).findFirst();
            if (gpkg.isPresent()) {
                return gpkg.get();
            }
            Optional<Path> other = all.stream().filter(p -> (name(p).endsWith(".geojson") || name(p).endsWith(".json") || name(p).endsWith(".shp"))
                    && ZONE_LAYERS.stream().anyMatch(n -> name(p).startsWith(n))).findFirst();
            return other.orElseThrow(() -> new IllegalArgumentException(
                    "no zones file in the delivery: a .gpkg, or planning_zones.geojson / planning_zones.shp, or \"zones\" in the manifest"));
        }
    }

    /** A file the manifest names, relative to the delivery's folder, never outside it. */
    private static Path inside(Path delivery, String relative, String what) {
        Path base = (Files.isDirectory(delivery) ? delivery : delivery.toAbsolutePath().getParent()).toAbsolutePath().normalize();
        Path p = base.resolve(relative).normalize();
        if (!p.startsWith(base) || !Files.isRegularFile(p)) {
            throw new IllegalArgumentException(what + " file " + relative + " is not in the delivery");
        }
        return p;
    }

    private static String name(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT);
    }

    private static DeliveryReader open(Path file, PlanManifest manifest) throws IOException {
        String name = name(file);
        if (name.endsWith(".gpkg")) {
            List<String> layers = new ArrayList<>();
            if (manifest.zonesLayer() != null) {
                layers.add(manifest.zonesLayer());
            }
            layers.addAll(ZONE_LAYERS);
            return new GeoPackageReader(file, layers, "planning zones");
        }
        if (name.endsWith(".shp")) {
            return new ShapefileReader(file, manifest.encoding());
        }
        if (name.endsWith(".geojson") || name.endsWith(".json")) {
            return new GeoJsonReader(file);
        }
        throw new IllegalArgumentException("unsupported zones file " + file.getFileName() + " (GeoPackage, Shapefile or GeoJSON)");
    }

    private static Zone zone(SourceFeature f, ColumnMapping columns, GeometryFactory factory, SupportedCrs crs, List<Finding> findings) {
        Map<String, String> a = f.attributes();
        String code = text(columns.get(a, PlanManifest.ZONE_CODE));
        if (f.polygons().isEmpty()) {
            findings.add(new Finding("error", "no-geometry", f.featureNo(), code, "Khu không có hình", "zone has no polygon", null, null));
            return null;
        }
        List<Polygon> polygons = new ArrayList<>();
        for (double[][] rings : f.polygons()) {
            LinearRing shell = null;
            List<LinearRing> holes = new ArrayList<>();
            for (double[] ring : rings) {
                LinearRing r = ring(ring, factory);
                if (r == null) {
                    continue;
                }
                if (shell == null) {
                    shell = r;
                } else {
                    holes.add(r);
                }
            }
            if (shell != null) {
                polygons.add(factory.createPolygon(shell, holes.toArray(LinearRing[]::new)));
            }
        }
        if (polygons.isEmpty()) {
            findings.add(new Finding("error", "no-geometry", f.featureNo(), code, "Khu không có vòng hợp lệ", "zone has no usable ring", null, null));
            return null;
        }
        Geometry g = factory.createMultiPolygon(polygons.toArray(Polygon[]::new));
        TopologyValidationError error = new IsValidOp(g).getValidationError();
        if (error != null) {
            double[] at = wgs84(error.getCoordinate(), crs);
            g = GeometryFixer.fix(g);
            findings.add(new Finding("warning", "invalid-geometry", f.featureNo(), code, "Hình không hợp lệ (" + error.getMessage() + ") đã được sửa",
                    "invalid geometry (" + error.getMessage() + ") repaired", at[0], at[1]));
        }
        if (code == null) {
            code = "KHU-" + f.featureNo();
            double[] at = wgs84(g.getInteriorPoint().getCoordinate(), crs);
            findings.add(new Finding("warning", "no-zone-code", f.featureNo(), code, "Khu không có ký hiệu, đặt là " + code,
                    "zone without a code, named " + code, at[0], at[1]));
        }
        return new Zone(f.featureNo(), code, text(columns.get(a, PlanManifest.LAND_USE)),
                number(a, columns, PlanManifest.DENSITY, 0, 100, f, code, findings),
                integer(number(a, columns, PlanManifest.FLOORS, 0, 200, f, code, findings)),
                number(a, columns, PlanManifest.HEIGHT, 0, 1000, f, code, findings),
                number(a, columns, PlanManifest.FAR, 0, 100, f, code, findings),
                number(a, columns, PlanManifest.SETBACK, 0, 500, f, code, findings),
                text(columns.get(a, PlanManifest.NOTE)), g);
    }

    private static LinearRing ring(double[] xy, GeometryFactory factory) {
        List<Coordinate> cs = new ArrayList<>();
        for (int i = 0; i + 1 < xy.length; i += 2) {
            Coordinate c = new Coordinate(xy[i], xy[i + 1]);
            if (cs.isEmpty() || !cs.getLast().equals2D(c)) {
                cs.add(c);
            }
        }
        if (cs.size() >= 3 && !cs.getFirst().equals2D(cs.getLast())) {
            cs.add(new Coordinate(cs.getFirst()));
        }
        return cs.size() >= 4 ? factory.createLinearRing(cs.toArray(Coordinate[]::new)) : null;
    }

    private static String text(String s) {
        return s == null || s.isBlank() ? null : java.text.Normalizer.normalize(s.strip(), java.text.Normalizer.Form.NFC);
    }

    private static BigDecimal number(Map<String, String> a, ColumnMapping columns, String field, double min, double max,
                                     SourceFeature f, String code, List<Finding> findings) {
        String s = text(columns.get(a, field));
        if (s == null) {
            return null;
        }
        try {
            BigDecimal v = new BigDecimal(s.replace(',', '.'));
            if (v.doubleValue() < min || v.doubleValue() > max) {
                findings.add(new Finding("warning", "indicator-out-of-range", f.featureNo(), code, "Chỉ tiêu " + field + " = " + s + " ngoài khoảng "
                        + min + "–" + max + ", bỏ qua", "indicator " + field + " = " + s + " outside " + min + "-" + max + ", ignored", null, null));
                return null;
            }
            return v;
        } catch (NumberFormatException e) {
            findings.add(new Finding("warning", "indicator-not-a-number", f.featureNo(), code, "Chỉ tiêu " + field + " không phải số: " + s,
                    "indicator " + field + " is not a number: " + s, null, null));
            return null;
        }
    }

    private static Integer integer(BigDecimal v) {
        return v == null ? null : v.intValue();
    }

    private static double[] wgs84(Coordinate c, SupportedCrs crs) {
        return crs.geographic() ? new double[] {c.x, c.y} : crs.toWgs84(c.x, c.y);
    }

    private static double[] wgs84(Coordinate c, int srid) {
        return wgs84(c, SupportedCrs.bySrid(srid).orElseThrow());
    }

    /** Lines from a GeoJSON FeatureCollection of LineStrings/MultiLineStrings, in the zones' CRS. */
    /** Whether every coordinate of a GeoJSON's features is a longitude and a latitude (and there is one). */
    private static boolean degreesOnly(JsonNode root) {
        boolean[] any = {false};
        boolean[] all = {true};
        java.util.function.Consumer<JsonNode> walk = new java.util.function.Consumer<>() {
            @Override
            public void accept(JsonNode n) {
                if (n.isArray() && n.size() >= 2 && n.get(0).isNumber() && n.get(1).isNumber()) {
                    any[0] = true;
                    all[0] &= Math.abs(n.get(0).asDouble()) <= 180 && Math.abs(n.get(1).asDouble()) <= 90;
                } else if (n.isArray()) {
                    n.forEach(this);
                }
            }
        };
        for (JsonNode f : root.path("features")) {
            walk.accept(f.path("geometry").path("coordinates"));
        }
        return any[0] && all[0];
    }

    private static List<Line> lines(Path file, int srid, ColumnMapping columns, List<Finding> findings) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) > 64L * 1024 * 1024) {
            throw new IllegalArgumentException("lines file " + file.getFileName() + " is missing or over 64 MB");
        }
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        // the lines file's own system: degrees are WGS 84 (RFC 7946, a file from a web tool or QGIS's default), else its
        // crs member, else the zones' (it took the zones' always: degrees read as TM-3 metres lay "outside the province")
        int own = degreesOnly(root) ? 4326 : GeoJsonReader.crsMember(root).orElse(srid);
        if (SupportedCrs.bySrid(own).isEmpty()) {
            throw new IllegalArgumentException("the lines file declares an unsupported CRS (EPSG:" + own + ")");
        }
        if (own != srid) {
            findings.add(new Finding("info", "lines-crs", 0, null, "Tệp đường đọc theo EPSG:" + own + " (khu quy hoạch: EPSG:" + srid + ")",
                    "the lines file is read in EPSG:" + own + " (the zones: EPSG:" + srid + ")", null, null));
        }
        GeometryFactory factory = new GeometryFactory(new org.locationtech.jts.geom.PrecisionModel(), own);
        List<Line> out = new ArrayList<>();
        int n = 0;
        for (JsonNode f : root.path("features")) {
            n++;
            Map<String, String> a = new HashMap<>();
            f.path("properties").properties().forEach(e -> a.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asString()));
            JsonNode g = f.path("geometry");
            List<LineString> parts = new ArrayList<>();
            JsonNode coords = g.path("coordinates");
            String type = g.path("type").asString("");
            List<JsonNode> strings = new ArrayList<>();
            if (type.equals("LineString")) {
                strings.add(coords);
            } else if (type.equals("MultiLineString")) {
                coords.forEach(strings::add);
            } else {
                findings.add(new Finding("error", "not-a-line", n, null, "Đối tượng " + n + " của tệp chỉ giới không phải đường",
                        "feature " + n + " of the lines file is not a line (" + type + ")", null, null));
                continue;
            }
            for (JsonNode s : strings) {
                List<Coordinate> cs = new ArrayList<>();
                s.forEach(p -> cs.add(new Coordinate(p.path(0).asDouble(), p.path(1).asDouble())));
                if (cs.size() >= 2 && cs.stream().allMatch(c -> Double.isFinite(c.x) && Double.isFinite(c.y))) {
                    parts.add(factory.createLineString(cs.toArray(Coordinate[]::new)));
                }
            }
            if (parts.isEmpty()) {
                continue;
            }
            String kind = Optional.ofNullable(text(columns.get(a, PlanManifest.LINE_KIND))).map(k -> k.toLowerCase(Locale.ROOT)).orElse("red_line");
            kind = switch (kind) {
                case "chi_gioi_duong_do", "chỉ giới đường đỏ", "red", "redline" -> "red_line";
                case "hanh_lang", "hành lang", "hành lang bảo vệ" -> "corridor";
                case "chi_gioi_xay_dung", "chỉ giới xây dựng" -> "building_line";
                default -> kind;
            };
            if (!LINE_KINDS.contains(kind)) {
                findings.add(new Finding("error", "unknown-line-kind", n, null, "Loại chỉ giới không rõ: " + kind,
                        "unknown line kind: " + kind + " (red_line, corridor, building_line)", null, null));
                continue;
            }
            BigDecimal width = number(a, columns, PlanManifest.WIDTH, 0, 500, new SourceFeature(n, a, List.of()), null, findings);
            if (width == null && !kind.equals("building_line")) {
                findings.add(new Finding("warning", "line-without-width", n, null, "Chỉ giới không có bề rộng: không tính được diện tích",
                        "line without a width: no reserve area can be computed", null, null));
            }
            out.add(new Line(n, kind, width, text(columns.get(a, PlanManifest.NOTE)),
                    factory.createMultiLineString(parts.toArray(LineString[]::new))));
        }
        return out;
    }
}
