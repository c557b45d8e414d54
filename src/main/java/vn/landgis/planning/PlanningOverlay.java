package vn.landgis.planning;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import org.locationtech.jts.io.WKBWriter;
import org.locationtech.jts.operation.union.UnaryUnionOp;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import tools.jackson.databind.JsonNode;

import vn.landgis.geo.GeoJsonGeometry;
import vn.landgis.geo.ProvinceProperties;
import vn.landgis.geo.SupportedCrs;
import vn.landgis.platform.ApiProblem;

/**
 * What the plans in force say about a piece of land: for a parcel (any version, by {@code asOf}) or a drawn
 * polygon, every plan in force that covers it and, per zone, the planned use, the area of the part in VN-2000
 * metres (the storage CRS is VN-2000 TM-3) and its share, the zone's indicators; the area taken by road red lines
 * and protection corridors (a line's reserve is the line buffered by half its width, flat ends); parts that are
 * digitising noise at zone borders (slivers) reported apart. For each plan, zones + slivers + uncovered − overlap
 * between zones = the area of the land.
 *
 * <p>PostGIS cuts the zones and reserves by the land ({@code ST_Intersection}, with the spatial indexes); the
 * sums, unions and the sliver test are done here in JTS on the small cut pieces.
 */
@Service
public class PlanningOverlay {

    /** The kinds of plan in the order of their level, with their Vietnamese names. */
    static final Map<String, String> KIND_NAMES = Map.of(
            "land_use", "Quy hoạch sử dụng đất",
            "general", "Quy hoạch chung",
            "zoning", "Quy hoạch phân khu",
            "detailed", "Quy hoạch chi tiết");
    static final List<String> KIND_ORDER = List.of("land_use", "general", "zoning", "detailed");
    static final Map<String, String> LINE_NAMES = Map.of(
            "red_line", "Chỉ giới đường đỏ (lộ giới)",
            "corridor", "Hành lang bảo vệ",
            "building_line", "Chỉ giới xây dựng");

    // ------------------------------------------------------------------ the answer

    /** {@code asOf}: the time the answer is for (null: now). */
    public record Overlay(ParcelInfo parcel, double area, List<String> notes, List<PlanOverlay> plans, Geometry geometry, OffsetDateTime asOf) {
    }

    /** {@code landUses}: every purpose as maps write them ("ONT+CLN"; the main code alone for most parcels). */
    public record ParcelInfo(long id, long versionId, String communeCode, String communeName, int sheetNo, int parcelNo,
                             String landUseCode, String landUseName, BigDecimal legalArea, String address,
                             OffsetDateTime validFrom, OffsetDateTime validTo, String landUses, String districtName, String newCommuneName) {
    }

    public record Decision(String number, LocalDate date, String body) {
    }

    public record PlanOverlay(long id, String name, String kind, String kindName, Integer scale, Decision decision,
                              List<ZonePart> zones, List<LinePart> lines, List<Sliver> slivers,
                              double zonesArea, double sliversArea, double uncoveredArea, double overlapArea,
                              double reserveArea, double changedUseArea, boolean draft) {
    }

    public record ZonePart(long id, String zoneCode, String landUseCode, String landUseName, double area, double share,
                           BigDecimal buildingDensity, BigDecimal heightLimitM, Integer maxFloors, BigDecimal floorAreaRatio,
                           BigDecimal setbackM, String note, Boolean matchesCurrentUse) {
    }

    public record LinePart(long id, String kind, String kindName, BigDecimal widthM, String note, double area, double share,
                           double lengthInside) {
    }

    public record Sliver(long zoneId, String zoneCode, String landUseCode, double area, double meanWidthM) {
    }

    // ------------------------------------------------------------------

    private final JdbcTemplate jdbc;
    /** The parcel and the overlay statement: generic plans, reused (see {@link vn.landgis.platform.HotPathJdbc}). */
    private final JdbcTemplate hot;
    private final ProvinceProperties province;
    private final PlanningProperties properties;
    private final GeometryFactory factory;

    PlanningOverlay(JdbcTemplate jdbc, vn.landgis.platform.HotPathJdbc hot, ProvinceProperties province, PlanningProperties properties) {
        this.jdbc = jdbc;
        this.hot = hot.jdbc();
        this.province = province;
        this.properties = properties;
        this.factory = new GeometryFactory(new PrecisionModel(), province.storageSrid());
    }

    /** The overlay of a parcel (by its stable id) as it was at {@code asOf}, or now. */
    public Optional<Overlay> forParcel(long parcelId, OffsetDateTime asOf) {
        return forParcel(parcelId, asOf, null);
    }

    /** The same with a draft plan beside the plans in force (see {@link #overlay}). */
    public Optional<Overlay> forParcel(long parcelId, OffsetDateTime asOf, Long draftPlan) {
        return parcel(parcelId, asOf).map(p -> overlay(p.info(), p.geometry(), List.of(), draftPlan, asOf));
    }

    /** The parcel version and its geometry in the storage CRS. */
    Optional<ParcelAndGeometry> parcel(long parcelId, OffsetDateTime asOf) {
        String when = asOf == null ? "p.valid_to IS NULL"
                : "p.valid_from <= ? AND (p.valid_to IS NULL OR p.valid_to > ?)";
        List<Object> args = new ArrayList<>(List.of(parcelId));
        if (asOf != null) {
            args.add(asOf);
            args.add(asOf);
        }
        return hot.query("""
                SELECT p.parcel_id, p.id, p.commune_code, c.name AS commune_name, p.sheet_no, p.parcel_no, p.land_use_code,
                       t.name_vi, p.legal_area, p.address, p.valid_from, p.valid_to, ST_AsBinary(p.geom) AS wkb,
                       array_to_string(p.land_use_code || p.land_use_other, '+') AS land_uses, d.name AS district_name, n.name AS new_commune_name
                  FROM cadastre.parcel p
                  LEFT JOIN cadastre.admin_unit_legacy c ON c.code = p.commune_code
                  LEFT JOIN cadastre.admin_unit_legacy d ON d.code = c.parent_code
                  LEFT JOIN cadastre.admin_unit n ON n.code = p.new_commune_code
                  LEFT JOIN cadastre.land_use_type t ON t.code = p.land_use_code
                 WHERE p.parcel_id = ? AND """ + " " + when + " ORDER BY p.valid_from DESC LIMIT 1",
                (rs, i) -> new ParcelAndGeometry(new ParcelInfo(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getInt(5), rs.getInt(6), rs.getString(7), rs.getString(8), rs.getBigDecimal(9), rs.getString(10),
                        rs.getObject(11, OffsetDateTime.class), rs.getObject(12, OffsetDateTime.class), rs.getString("land_uses"),
                        rs.getString("district_name"), rs.getString("new_commune_name")), wkb(rs, "wkb")),
                args.toArray()).stream().findFirst();
    }

    record ParcelAndGeometry(ParcelInfo info, Geometry geometry) {
    }

    /**
     * The overlay of a drawn polygon: GeoJSON (Polygon, MultiPolygon or a Feature of one) with coordinates in
     * {@code crs}. A self-intersecting polygon is repaired (JTS's GeometryFixer, as ST_MakeValid would) and the
     * answer says where it was broken; one that is empty after repair, outside the province, too large or with
     * too many vertices is refused.
     */
    public Overlay forDrawnArea(JsonNode geoJson, SupportedCrs crs) {
        return forDrawnArea(geoJson, crs, null);
    }

    /** The same with a draft plan beside the plans in force (see {@link #overlay}). */
    public Overlay forDrawnArea(JsonNode geoJson, SupportedCrs crs, Long draftPlan) {
        GeoJsonGeometry.Result read;
        try {
            read = GeoJsonGeometry.readPolygonal(geoJson, new GeometryFactory(new PrecisionModel(), crs.srid()), properties.maxVertices());
        } catch (GeoJsonGeometry.Invalid e) {
            HttpStatus status = "too-many-vertices".equals(e.code()) ? HttpStatus.CONTENT_TOO_LARGE : HttpStatus.BAD_REQUEST;
            throw new ApiProblem(status, e.code(), e.getMessage());
        }
        Geometry g = read.geometry();
        List<String> notes = new ArrayList<>(read.notes());
        for (Coordinate c : g.getCoordinates()) {
            double[] lonLat = crs.geographic() ? new double[] {c.x, c.y} : crs.toWgs84(c.x, c.y);
            if (!province.contains(lonLat[0], lonLat[1])) {
                String swapped = crs.geographic() && province.contains(c.y, c.x)
                        ? " Kinh độ và vĩ độ bị đảo? / longitude and latitude look swapped (GeoJSON is [lon, lat])." : "";
                throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "outside-province", String.format(java.util.Locale.ROOT,
                        "Vùng vẽ có điểm nằm ngoài tỉnh %s (%.6f, %.6f) / the drawn area reaches outside the province.%s",
                        province.name(), lonLat[0], lonLat[1], swapped));
            }
        }
        TopologyValidationError error = new IsValidOp(g).getValidationError();
        if (error != null && (error.getErrorType() == TopologyValidationError.HOLE_OUTSIDE_SHELL
                || error.getErrorType() == TopologyValidationError.NESTED_SHELLS)) {
            // repairing would add the hole's land to the area (or count nested land twice): what was meant is not known
            Coordinate at = error.getCoordinate();
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-geometry", String.format(java.util.Locale.ROOT,
                    "Hình không hợp lệ (%s) tại (%s, %s): lỗ nằm ngoài vùng hoặc vùng lồng nhau, hãy vẽ lại / the polygon is invalid (%s) "
                            + "at (%s, %s): a hole outside its shell or nested shells; draw it again", error.getMessage(), at.x, at.y,
                    error.getMessage(), at.x, at.y));
        }
        if (error != null) {
            Coordinate at = error.getCoordinate();
            g = GeometryFixer.fix(g);
            notes.add(String.format(java.util.Locale.ROOT,
                    "Hình không hợp lệ (%s) tại (%s, %s) đã được sửa / the polygon was invalid (%s) at (%s, %s) and was repaired",
                    error.getMessage(), at.x, at.y, error.getMessage(), at.x, at.y));
            if (!(g instanceof Polygonal) || g.isEmpty() || g.getArea() <= 0) {
                throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-geometry",
                        "Hình không hợp lệ và không sửa được thành một vùng / the polygon is invalid and repairs to no area: "
                                + error.getMessage());
            }
        }
        Geometry storage = toStorage(g, crs.srid());
        if (storage.getArea() / 1e6 > properties.maxAreaKm2()) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "area-too-large", String.format(java.util.Locale.ROOT,
                    "Vùng vẽ rộng %s km², quá giới hạn %s km² / the drawn area is %.1f km², above the limit of %.0f km²",
                    vn.landgis.platform.VietnameseNumbers.format(storage.getArea() / 1e6, 1), vn.landgis.platform.VietnameseNumbers.format(properties.maxAreaKm2(), 0), storage.getArea() / 1e6, properties.maxAreaKm2()));
        }
        // within the extent but mostly outside the province's outline, when one is loaded (Hồ Chí Minh City's centre is
        // inside the rectangle): the same refusal; an area across the border, mostly inside, is answered
        if (Boolean.TRUE.equals(jdbc.queryForObject("""
                WITH g AS (SELECT ST_GeomFromWKB(?, ?) AS g)
                SELECT EXISTS (SELECT 1 FROM cadastre.admin_unit WHERE level = 'province' AND geom IS NOT NULL)
                   AND NOT EXISTS (SELECT 1 FROM cadastre.admin_unit u, g WHERE u.level = 'province' AND ST_Covers(u.geom, g.g))
                   AND coalesce((SELECT sum(ST_Area(ST_Intersection(u.geom, g.g))) FROM cadastre.admin_unit u, g
                                  WHERE u.level = 'province' AND u.geom && g.g), 0) < 0.5 * (SELECT ST_Area(g) FROM g)""",
                Boolean.class, new WKBWriter(2).write(storage), province.storageSrid()))) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "outside-province",
                    "Vùng vẽ phần lớn nằm ngoài ranh giới tỉnh " + province.name() + " / the drawn area lies mostly outside the province's boundary");
        }
        return overlay(null, storage, notes, draftPlan, null);
    }

    private Geometry toStorage(Geometry g, int srid) {
        if (srid == province.storageSrid()) {
            return g;
        }
        byte[] wkb = jdbc.queryForObject("SELECT ST_AsBinary(ST_MakeValid(ST_Transform(ST_GeomFromWKB(?, ?), ?)))", byte[].class,
                new WKBWriter(2).write(g), srid, province.storageSrid());
        return read(wkb);
    }

    // ------------------------------------------------------------------ the overlay

    private record PlanMeta(long id, String name, String kind, Integer scale, Decision decision, boolean draft) {
        static PlanMeta of(ResultSet rs) throws SQLException {
            java.sql.Date date = rs.getDate("decision_date");
            return new PlanMeta(rs.getLong("plan_id"), rs.getString("plan_name"), rs.getString("plan_kind"), (Integer) rs.getObject("scale"),
                    new Decision(rs.getString("decision_no"), date == null ? null : date.toLocalDate(), rs.getString("decision_body")),
                    "draft".equals(rs.getString("plan_status")));
        }
    }

    private record ZoneRow(long planId, ZonePart zone, Geometry part) {
    }

    private record LineRow(long planId, long id, String kind, BigDecimal width, String note, Geometry part, double length) {
    }

    private static final String PLAN_COLUMNS = "p.name AS plan_name, p.kind AS plan_kind, p.scale, p.decision_no, p.decision_date, p.decision_body, "
            + "p.status AS plan_status";

    /**
     * The plans in force, and the draft plan {@code draftPlan} when not null (a planner trying a draft before it is
     * approved; the caller checks who may), over {@code land}.
     */
    Overlay overlay(ParcelInfo parcel, Geometry land, List<String> notes, Long draftPlan, OffsetDateTime asOf) {
        byte[] wkb = new WKBWriter(2).write(land);
        int srid = province.storageSrid();
        double area = land.getArea();
        String currentUse = parcel == null ? null : parcel.landUseCode();
        Map<Long, PlanMeta> meta = new java.util.HashMap<>();
        List<ZoneRow> zones = new ArrayList<>();
        List<LineRow> lines = new ArrayList<>();
        // zones and road reserves of the plans in force, cut by the land, in one round trip; the lines' index
        // prefilter is 250 m, half the widest reserve the imports accept (500 m)
        // the plans in force now; as of a date, those decided by then and not superseded before it (they answered
        // today's plans for any date: a plan decided in 2024 "in force" in 2020)
        String inForce = asOf == null ? "p.status = 'in_force'"
                : "p.status <> 'draft' AND (p.decision_date IS NULL OR p.decision_date <= ?::date) AND (p.status = 'in_force' OR p.superseded_at > ?)";
        List<Object> args = new ArrayList<>(List.of(wkb, srid));
        for (int half = 0; half < 2; half++) {
            if (asOf != null) {
                args.add(asOf.atZoneSameInstant(java.time.ZoneId.of("Asia/Ho_Chi_Minh")).toLocalDate());
                args.add(asOf);
            }
            args.add(draftPlan == null ? -1L : draftPlan);
        }
        hot.query("""
                WITH g AS (SELECT ST_GeomFromWKB(?, ?) AS geom)
                SELECT 'z' AS what, z.plan_id, z.id, z.zone_code, z.land_use_code, t.name_vi, z.building_density, z.height_limit_m,
                       z.max_floors, z.floor_area_ratio, z.setback_m, z.note, NULL::text AS kind, NULL::numeric AS width_m,
                       ST_AsBinary(ST_CollectionExtract(ST_Intersection(z.geom, g.geom), 3)) AS part, NULL::float8 AS length,
                       """ + PLAN_COLUMNS + """

                  FROM g
                  JOIN planning.zone z ON z.geom && g.geom AND ST_Intersects(z.geom, g.geom)
                  JOIN planning.plan p ON p.id = z.plan_id AND (""" + inForce + """
                   OR p.id = ?)
                  LEFT JOIN cadastre.land_use_type t ON t.code = z.land_use_code
                UNION ALL
                SELECT 'l', l.plan_id, l.id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, l.note, l.kind, l.width_m,
                       CASE WHEN l.width_m > 0 THEN ST_AsBinary(ST_CollectionExtract(ST_Intersection(
                            ST_Buffer(l.geom, l.width_m / 2, 'endcap=flat join=mitre'), g.geom), 3)) END,
                       ST_Length(ST_Intersection(l.geom, g.geom)), """ + PLAN_COLUMNS + """

                  FROM g
                  JOIN planning.line l ON l.geom && ST_Expand(g.geom, 250) AND ST_DWithin(l.geom, g.geom, COALESCE(l.width_m, 0) / 2)
                  JOIN planning.plan p ON p.id = l.plan_id AND (""" + inForce + """
                   OR p.id = ?)
                 ORDER BY 1 DESC, 2, 3""", rs -> {
            long planId = rs.getLong("plan_id");
            if (!meta.containsKey(planId)) {
                meta.put(planId, PlanMeta.of(rs));
            }
            if (rs.getString("what").equals("z")) {
                Geometry part = wkb(rs, "part");
                String use = rs.getString("land_use_code");
                zones.add(new ZoneRow(planId, new ZonePart(rs.getLong("id"), rs.getString("zone_code"), use, rs.getString("name_vi"),
                        part.getArea(), 0, rs.getBigDecimal("building_density"), rs.getBigDecimal("height_limit_m"),
                        (Integer) rs.getObject("max_floors"), rs.getBigDecimal("floor_area_ratio"), rs.getBigDecimal("setback_m"),
                        rs.getString("note"), currentUse == null ? null : currentUse.equals(use)), part));
            } else {
                lines.add(new LineRow(planId, rs.getLong("id"), rs.getString("kind"), rs.getBigDecimal("width_m"), rs.getString("note"),
                        rs.getBytes("part") == null ? factory.createPolygon() : wkb(rs, "part"), rs.getDouble("length")));
            }
        }, args.toArray());

        Map<Long, List<ZoneRow>> zonesByPlan = new LinkedHashMap<>();
        zones.forEach(z -> zonesByPlan.computeIfAbsent(z.planId(), k -> new ArrayList<>()).add(z));
        Map<Long, List<LineRow>> linesByPlan = new LinkedHashMap<>();
        lines.stream().filter(l -> l.part().getArea() > 0 || l.length() > 0)
                .forEach(l -> linesByPlan.computeIfAbsent(l.planId(), k -> new ArrayList<>()).add(l));
        List<Long> planIds = new ArrayList<>(zonesByPlan.keySet());
        linesByPlan.keySet().stream().filter(id -> !planIds.contains(id)).forEach(planIds::add);

        List<PlanOverlay> plans = new ArrayList<>();
        for (long planId : planIds) {
            plans.add(plan(meta.get(planId), land, area, zonesByPlan.getOrDefault(planId, List.of()), linesByPlan.getOrDefault(planId, List.of())));
        }
        plans.sort(Comparator.comparingInt((PlanOverlay p) -> KIND_ORDER.indexOf(p.kind())).thenComparing(PlanOverlay::id));
        return new Overlay(parcel, area, List.copyOf(notes), List.copyOf(plans), land, asOf);
    }

    private PlanOverlay plan(PlanMeta p, Geometry land, double area, List<ZoneRow> zoneRows, List<LineRow> lineRows) {
        List<ZonePart> zones = new ArrayList<>();
        List<Sliver> slivers = new ArrayList<>();
        List<Geometry> parts = new ArrayList<>();
        double zonesArea = 0;
        double sliversArea = 0;
        double changed = 0;
        for (ZoneRow r : zoneRows) {
            Geometry part = r.part();
            double a = part.getArea();
            if (a <= 0) {
                continue;   // touches only
            }
            parts.add(part);
            double meanWidth = 2 * a / part.getLength();
            double share = area > 0 ? a / area : 0;
            if (a < properties.sliverAreaM2() || (meanWidth < properties.sliverWidthM() && share < 0.05)) {
                slivers.add(new Sliver(r.zone().id(), r.zone().zoneCode(), r.zone().landUseCode(), round(a, 4), round(meanWidth, 3)));
                sliversArea += a;
                continue;
            }
            ZonePart z = r.zone();
            zones.add(new ZonePart(z.id(), z.zoneCode(), z.landUseCode(), z.landUseName(), round(a, 4), round(share, 6),
                    z.buildingDensity(), z.heightLimitM(), z.maxFloors(), z.floorAreaRatio(), z.setbackM(), z.note(),
                    z.matchesCurrentUse()));
            zonesArea += a;
            if (Boolean.FALSE.equals(z.matchesCurrentUse())) {
                changed += a;
            }
        }
        zones.sort(Comparator.comparingDouble(ZonePart::area).reversed());
        Geometry union = parts.isEmpty() ? null : UnaryUnionOp.union(parts);
        double covered = union == null ? 0 : union.getArea();
        double uncovered = union == null ? area : Math.max(0, land.difference(union).getArea());
        double overlap = Math.max(0, zonesArea + sliversArea - covered);

        List<LinePart> lines = new ArrayList<>();
        List<Geometry> reserves = new ArrayList<>();
        for (LineRow l : lineRows) {
            double a = l.part().getArea();
            if (a > 0) {
                reserves.add(l.part());
            }
            lines.add(new LinePart(l.id(), l.kind(), LINE_NAMES.getOrDefault(l.kind(), l.kind()), l.width(), l.note(),
                    round(a, 4), round(area > 0 ? a / area : 0, 6), round(l.length(), 3)));
        }
        double reserveArea = reserves.isEmpty() ? 0 : UnaryUnionOp.union(reserves).getArea();
        return new PlanOverlay(p.id(), p.name(), p.kind(), KIND_NAMES.getOrDefault(p.kind(), p.kind()), p.scale(), p.decision(),
                List.copyOf(zones), List.copyOf(lines), List.copyOf(slivers), round(zonesArea, 4), round(sliversArea, 4),
                round(uncovered, 4), round(overlap, 4), round(reserveArea, 4), round(changed, 4), p.draft());
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private Geometry wkb(ResultSet rs, String column) throws SQLException {
        return read(rs.getBytes(column));
    }

    private Geometry read(byte[] wkb) {
        try {
            return new WKBReader(factory).read(wkb);
        } catch (ParseException e) {
            throw new IllegalStateException("PostGIS returned WKB that JTS cannot read", e);
        }
    }
}
