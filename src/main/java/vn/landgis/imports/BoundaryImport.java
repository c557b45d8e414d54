package vn.landgis.imports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.locationtech.jts.geom.Envelope;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import vn.landgis.cadastre.AdminBoundariesChanged;
import vn.landgis.geo.ProvinceProperties;
import vn.landgis.geo.SupportedCrs;

/**
 * A district's commune boundaries (ranh giới xã, the communes as they were before the 2025 reform) from a polygon
 * layer with a commune code column (a GeoPackage, Shapefile, GeoJSON or MapInfo table; the same column names and
 * manifest as a parcel delivery): what the import's placement checks compare each map sheet with (a sheet outside
 * the commune it claims is drawn in another CRS) and what {@code outside-district} measures against. The district's
 * outline is the union of its communes, each new (post-2025) commune's the union of the old ones it took in.
 *
 * <p>All or nothing, in one transaction: a feature without a commune code of the district, or a boundary that does
 * not lie in the province (a CRS declared or assumed wrongly), refuses the whole file with the reasons; communes of
 * the district the file does not hold keep the boundary they had.
 */
@Service
public class BoundaryImport {

    /** What a load changed: the communes given a boundary, those of the district the file did not hold. */
    public record Outcome(List<String> communes, List<String> missing, int sourceSrid, String crsNote) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ProvinceProperties province;
    private final ApplicationEventPublisher events;

    BoundaryImport(JdbcTemplate jdbc, javax.sql.DataSource dataSource, ProvinceProperties province, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(new org.springframework.jdbc.support.JdbcTransactionManager(dataSource));
        this.province = province;
        this.events = events;
    }

    /** Layer names a GeoPackage's commune boundaries go by. */
    private static final List<String> LAYERS = List.of("communes", "ranh_gioi_xa", "ranhgioixa", "xa", "commune");

    public Outcome run(String district, Path upload, Path manifestFile, String actor) throws IOException {
        if (district == null || !district.matches("[0-9]{3}")) {
            throw new IOException("district is the former district's 3-digit code");
        }
        Set<String> communes = new TreeSet<>(jdbc.queryForList(
                "SELECT code FROM cadastre.admin_unit_legacy WHERE parent_code = ? AND level = 'commune'", String.class, district));
        if (communes.isEmpty()) {
            throw new IOException("no communes of district " + district + " in the reference data");
        }
        Manifest manifest = manifestFile == null ? Manifest.NONE : Manifest.read(manifestFile);
        Path file = Files.isDirectory(upload) ? inFolder(upload, manifest.layer()) : upload;
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " does not exist");
        }
        Map<String, List<byte[]>> byCommune = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        int srid;
        String crsNote;
        DeliveryReader layer = ImportService.layerReader(file, manifest, LAYERS, "commune boundary");
        try (DeliveryReader reader = manifest.swapAxes() ? new SwappedAxes(layer) : layer) {
            Integer assumed = jdbc.queryForObject("SELECT source_srid FROM cadastre.admin_unit_legacy WHERE code = ?", Integer.class, district);
            Crs crs = crs(reader, manifest, assumed == null ? province.storageSrid() : assumed);
            srid = crs.srid();
            crsNote = crs.note();
            ColumnMapping.Lookup lookup = manifest.mapping().lookup();
            // a code as written or as a number field stored it, or a commune's name ("Phường 1", "Xã Bình Minh")
            CommuneText names = CommuneText.forDistrict(jdbc, district);
            reader.forEach(f -> {
                String raw = lookup.get(f.attributes(), ColumnMapping.COMMUNE);
                String code = raw == null || raw.isBlank() ? manifest.commune() : names.read(Normalizer.normalize(raw.strip(), Normalizer.Form.NFC));
                RingChecks.Result rings;
                try {
                    rings = RingChecks.check(f.polygons());
                } catch (RuntimeException e) {
                    rings = new RingChecks.Result(null, List.of(), true, List.of());
                }
                if (code == null) {
                    problems.add("feature " + f.featureNo() + ": no commune code");
                } else if (!communes.contains(code)) {
                    problems.add("feature " + f.featureNo() + ": " + code + " is no commune of district " + district);
                } else if (rings.empty()) {
                    problems.add("feature " + f.featureNo() + " (" + code + "): no polygon");
                } else {
                    byCommune.computeIfAbsent(code, k -> new ArrayList<>()).add(rings.wkb());
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new IOException("commune boundaries refused, nothing loaded: " + String.join("; ", problems.subList(0, Math.min(20, problems.size())))
                    + (problems.size() > 20 ? "; and " + (problems.size() - 20) + " more" : ""));
        }
        if (byCommune.isEmpty()) {
            throw new IOException("no commune boundary in " + file.getFileName());
        }
        int source = srid;
        int storage = province.storageSrid();
        Envelope extent;
        try {
            extent = load(byCommune, district, source, storage, actor, file);
        } catch (org.springframework.dao.DataAccessException e) {
            throw new IOException("commune boundaries refused, nothing loaded: " + e.getMostSpecificCause().getMessage(), e);
        } catch (Refused e) {
            throw new IOException("commune boundaries refused, nothing loaded: " + e.getMessage(), e);
        }
        if (extent == null) {
            throw new IOException("commune boundaries refused, nothing loaded: they do not lie in the province in EPSG:" + source + " (" + crsNote
                    + "): name the CRS in a manifest (\"srid\")");
        }
        events.publishEvent(new AdminBoundariesChanged(extent, storage));
        List<String> missing = communes.stream().filter(c -> !byCommune.containsKey(c)).toList();
        return new Outcome(List.copyOf(byCommune.keySet()), missing, source, crsNote);
    }

    private record Crs(int srid, String note) {
    }

    /** The file's CRS: the manifest's, the declared one, or recognised from the coordinates; X/Y swapped said at once. */
    private Crs crs(DeliveryReader reader, Manifest manifest, int fallback) throws IOException {
        int srid;
        String crsNote;
        if (manifest.srid() != null) {
            srid = manifest.srid();
            crsNote = "the manifest's";
        } else if (reader.declaredSrid() != 0 && SupportedCrs.bySrid(reader.declaredSrid()).isPresent()) {
            srid = reader.declaredSrid();
            crsNote = "declared";
        } else {
            var recognised = ImportService.recognise(province.extentWgs84(), reader.extent(), fallback);
            if (recognised.size() > 1) {
                throw new IOException("the file declares no CRS and its coordinates fit several: "
                        + recognised.stream().map(c -> "EPSG:" + c.srid()).toList() + "; name it in a manifest (\"srid\") or add its .prj");
            }
            srid = recognised.isEmpty() ? fallback : recognised.getFirst().srid();
            crsNote = srid != fallback ? "recognised from the coordinates" : "assumed from the district";
        }
        // X and Y the other way round (northing first): said at once, with what to do
        double[] extent = reader.extent();
        if (!manifest.swapAxes() && extent != null && ImportService.swappedIn(province.extentWgs84(), extent, srid).isPresent()) {
            throw new IOException("Ranh giới không được nạp: tọa độ ghi X (Bắc) trước, Y (Đông) sau; chọn \"X (Bắc) trước\" trong tùy chọn"
                    + " hoặc ghi \"swapAxes\": true trong manifest / boundaries refused, nothing loaded: the file's X and Y are swapped"
                    + " (northing first, as Vietnamese surveying writes X); set \"swapAxes\": true in a manifest to read it the right way round");
        }
        return new Crs(srid, crsNote);
    }

    /** What a province outline load did: its area, the CRS it was read in. */
    public record ProvinceOutcome(String province, double areaKm2, int polygons, int sourceSrid, String crsNote) {
    }

    /** Layer and file names a province outline goes by. */
    private static final List<String> PROVINCE_LAYERS = List.of("province", "tinh", "ranh_gioi_tinh", "ranhgioitinh");

    /**
     * The province's outline (ranh giới tỉnh, from the national administrative boundaries) from a polygon layer: the
     * union of its polygons becomes the province's boundary, against which citizens' reports, point look-ups and drawn
     * areas are judged (before it is loaded, only the province's extent, a rectangle that holds parts of neighbouring
     * provinces and Cambodia). All or nothing: refused when it does not lie in the province's extent or leaves out a
     * commune whose boundary is loaded (a wrong file or CRS).
     */
    public ProvinceOutcome runProvince(Path upload, Path manifestFile, String actor) throws IOException {
        Manifest manifest = manifestFile == null ? Manifest.NONE : Manifest.read(manifestFile);
        Path file = Files.isDirectory(upload) ? inFolder(upload, manifest.layer(), PROVINCE_LAYERS, "province outline") : upload;
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " does not exist");
        }
        List<byte[]> parts = new ArrayList<>();
        Crs crs;
        DeliveryReader layer = ImportService.layerReader(file, manifest, PROVINCE_LAYERS, "province outline");
        try (DeliveryReader reader = manifest.swapAxes() ? new SwappedAxes(layer) : layer) {
            crs = crs(reader, manifest, province.storageSrid());
            int[] broken = {0};
            reader.forEach(f -> {
                RingChecks.Result rings;
                try {
                    rings = RingChecks.check(f.polygons());
                } catch (RuntimeException e) {
                    broken[0]++;
                    return;
                }
                if (!rings.empty()) {
                    parts.add(rings.wkb());
                }
            });
            if (broken[0] > 0) {
                // a polygon left out would leave part of the province outside it: the whole file is refused
                throw new IOException("province outline refused, nothing loaded: " + broken[0] + " polygon(s) could not be read (broken rings)");
            }
        }
        if (parts.isEmpty()) {
            throw new IOException("province outline refused: no polygon in the file (points or lines are no outline)");
        }
        int storage = province.storageSrid();
        List<Double> p = province.extentWgs84();
        String[] refused = new String[1];
        Double area;
        try {
            area = tx.execute(status -> {
                List<Object[]> rows = jdbc.query("""
                        WITH g AS (SELECT ST_Multi(ST_CollectionExtract(ST_Union(ST_CollectionExtract(ST_MakeValid(ST_Transform(ST_GeomFromWKB(w, ?), ?)), 3)), 3)) g
                                   FROM unnest(?::bytea[]) w)
                        UPDATE cadastre.admin_unit u SET geom = g.g FROM g WHERE u.code = ? AND u.level = 'province'
                        RETURNING ST_Within(g.g, ST_Transform(ST_Expand(ST_MakeEnvelope(?, ?, ?, ?, 4326), 0.1), ?)), ST_Area(g.g)""",
                        (rs, i) -> new Object[] {rs.getBoolean(1), rs.getDouble(2)}, crs.srid(), storage, parts.toArray(byte[][]::new),
                        province.code(), p.get(0), p.get(1), p.get(2), p.get(3), storage);
                if (rows.isEmpty()) {
                    refused[0] = "the province " + province.code() + " is not in the reference data (cadastre.admin_unit)";
                } else if (!(Boolean) rows.getFirst()[0]) {
                    refused[0] = "it does not lie in the province's extent in EPSG:" + crs.srid() + " (" + crs.note() + "): name the CRS in a manifest (\"srid\")";
                } else {
                    // every commune of the province whose boundary is known lies in it, nine tenths of its land at least
                    // (1 km for the two surveys' edges): three circles around the communes' centres, a wrong file or
                    // CRS, would refuse reports on registered parcels
                    // the old communes (boundaries load by district) and the new ones (known only when all their old
                    // ones are) of the province
                    List<String> left = jdbc.queryForList("""
                            WITH p AS (SELECT ST_Buffer(geom, 1000) AS geom FROM cadastre.admin_unit WHERE code = ? AND level = 'province'),
                                 c AS (SELECT code, name, geom FROM cadastre.admin_unit WHERE level = 'commune' AND parent_code = ? AND geom IS NOT NULL
                                       UNION
                                       SELECT l.code, l.name, l.geom FROM cadastre.admin_unit_legacy l
                                        WHERE l.level = 'commune' AND l.geom IS NOT NULL
                                          AND EXISTS (SELECT 1 FROM cadastre.commune_succession s JOIN cadastre.admin_unit n ON n.code = s.new_code
                                                       WHERE s.legacy_code = l.code AND n.parent_code = ?))
                            SELECT c.code || ' ' || c.name || ' (' || round((100 * ST_Area(ST_Intersection(c.geom, p.geom)) / ST_Area(c.geom))::numeric) || ' %)'
                              FROM c, p
                             WHERE ST_Area(c.geom) > 0 AND ST_Area(ST_Intersection(c.geom, p.geom)) < 0.9 * ST_Area(c.geom)
                             ORDER BY 1""", String.class, province.code(), province.code(), province.code());
                    if (!left.isEmpty()) {
                        refused[0] = "it leaves out communes of the province whose boundaries are loaded (share inside): " + left.subList(0, Math.min(10, left.size()));
                    }
                }
                if (refused[0] != null) {
                    status.setRollbackOnly();
                    return null;
                }
                jdbc.update("""
                        INSERT INTO audit.event (actor, action, target, details)
                        VALUES (?, 'boundaries-load', ?, jsonb_build_object('polygons', ?::int, 'srid', ?::int, 'file', ?::text))""",
                        actor, "cadastre.admin_unit:" + province.code(), parts.size(), crs.srid(), file.getFileName().toString());
                return (Double) rows.getFirst()[1];
            });
        } catch (org.springframework.dao.DataAccessException e) {
            // mostly coordinates the declared CRS cannot hold (metres in a file said to be in degrees)
            throw new IOException("province outline refused, nothing loaded: its coordinates do not fit EPSG:" + crs.srid() + " (" + crs.note()
                    + "): name the CRS in a manifest (\"srid\") (" + e.getMostSpecificCause().getMessage() + ")", e);
        }
        if (area == null) {
            throw new IOException("province outline refused, nothing loaded: " + refused[0]);
        }
        Envelope extent = jdbc.query("SELECT ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) FROM cadastre.admin_unit WHERE code = ? AND level = 'province'",
                rs -> rs.next() ? new Envelope(rs.getDouble(1), rs.getDouble(3), rs.getDouble(2), rs.getDouble(4)) : new Envelope(), province.code());
        events.publishEvent(new AdminBoundariesChanged(extent, storage));
        return new ProvinceOutcome(province.code(), area / 1e6, parts.size(), crs.srid(), crs.note());
    }

    /** The one transaction of a load: the district's extent afterwards, or null (rolled back) when a boundary lies outside the province. */
    private Envelope load(Map<String, List<byte[]>> byCommune, String district, int source, int storage, String actor, Path file) {
        List<Double> p = province.extentWgs84();
        return tx.execute(status -> {
            List<String> outside = new ArrayList<>();
            for (var e : byCommune.entrySet()) {
                Boolean inside = jdbc.queryForObject("""
                        WITH g AS (SELECT ST_Multi(ST_CollectionExtract(ST_Union(ST_CollectionExtract(ST_MakeValid(ST_Transform(ST_GeomFromWKB(w, ?), ?)), 3)), 3)) g
                                   FROM unnest(?::bytea[]) w)
                        UPDATE cadastre.admin_unit_legacy u SET geom = g.g FROM g WHERE u.code = ?
                        RETURNING ST_Within(g.g, ST_Transform(ST_MakeEnvelope(?, ?, ?, ?, 4326), ?))""", Boolean.class,
                        source, storage, e.getValue().toArray(byte[][]::new), e.getKey(), p.get(0), p.get(1), p.get(2), p.get(3), storage);
                if (!Boolean.TRUE.equals(inside)) {
                    outside.add(e.getKey());
                }
            }
            if (!outside.isEmpty()) {
                status.setRollbackOnly();
                return null;
            }
            awayFromTheirParcels(byCommune.keySet(), source);
            // the district's outline, and the new communes' from the old ones they took in (as far as those are known)
            // an outline only from every part: a district or new commune some of whose communes have no boundary yet
            // has none (a partial union would tell the CRS recognition and outside-district a smaller place)
            jdbc.update("""
                    UPDATE cadastre.admin_unit_legacy d SET geom = (
                        SELECT CASE WHEN bool_and(c.geom IS NOT NULL) THEN ST_Multi(ST_CollectionExtract(ST_Union(c.geom), 3)) END
                        FROM cadastre.admin_unit_legacy c WHERE c.parent_code = d.code)
                    WHERE d.code = ?""", district);
            jdbc.update("""
                    UPDATE cadastre.admin_unit n SET geom = u.geom FROM (
                        SELECT s.new_code, ST_Multi(ST_CollectionExtract(ST_Union(l.geom), 3)) AS geom FROM cadastre.commune_succession s
                        JOIN cadastre.admin_unit_legacy l ON l.code = s.legacy_code
                        WHERE s.new_code IN (SELECT new_code FROM cadastre.commune_succession WHERE legacy_code = ANY (?::text[]))
                        GROUP BY s.new_code HAVING bool_and(l.geom IS NOT NULL)) u
                    WHERE n.code = u.new_code""", (Object) byCommune.keySet().toArray(String[]::new));
            jdbc.update("""
                    INSERT INTO audit.event (actor, action, target, details)
                    VALUES (?, 'boundaries-load', ?, jsonb_build_object('communes', ?::text[], 'srid', ?::int, 'file', ?::text))""",
                    actor, "cadastre.admin_unit_legacy:" + district, byCommune.keySet().toArray(String[]::new), source, file.getFileName().toString());
            return jdbc.query("SELECT ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) FROM cadastre.admin_unit_legacy WHERE code = ?",
                    rs -> rs.next() ? new Envelope(rs.getDouble(1), rs.getDouble(3), rs.getDouble(2), rs.getDouble(4)) : new Envelope(), district);
        });
    }

    /** A load refused inside its transaction (rolled back), with what to tell the officer. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /** How far (m) from the loaded boundaries a commune's registered parcel may lie before it counts as away from them. */
    static final double AWAY_M = 2000;

    /**
     * Boundaries that do not lie where the register's parcels of their own communes lie are refused: a file labelled
     * with the wrong system lands tens of kilometres away yet inside the province (the other TM-3 meridian: 27 km),
     * was loaded, and every later delivery of the district was then refused as "outside its commune" (or moved there
     * by fixPlacement). A sample of up to 500 current parcels of the loaded communes: refused when fewer than half lie
     * within {@link #AWAY_M} of the new boundaries (a redrawn border moves a few parcels, not half). Nothing is checked
     * while the register holds fewer than 20 parcels of them.
     */
    private void awayFromTheirParcels(java.util.Set<String> loaded, int source) {
        String[] codes = loaded.toArray(String[]::new);
        Map<String, Object> r = jdbc.queryForMap("""
                WITH s AS (SELECT ST_PointOnSurface(p.geom) AS pt FROM cadastre.parcel p
                            WHERE p.commune_code = ANY (?::text[]) AND p.valid_to IS NULL ORDER BY p.id LIMIT 500),
                     b AS (SELECT ST_Union(geom) AS g FROM cadastre.admin_unit_legacy WHERE code = ANY (?::text[]))
                SELECT count(*) AS n, count(*) FILTER (WHERE ST_DWithin(b.g, s.pt, ?)) AS near,
                       coalesce(round(percentile_disc(0.5) WITHIN GROUP (ORDER BY ST_Distance(b.g, s.pt))::numeric), 0) AS median_m
                FROM s, b""", codes, codes, AWAY_M);
        long n = ((Number) r.get("n")).longValue();
        long near = ((Number) r.get("near")).longValue();
        if (n >= 20 && near * 2 < n) {
            long away = Math.round(100.0 * (n - near) / n);
            String median = r.get("median_m").toString();
            throw new Refused("ranh giới xã nằm xa các thửa đã có trong sổ của chính các xã đó (" + away + " % thửa cách hơn "
                    + (int) (AWAY_M / 1000) + " km, trung vị " + median + " m): sai hệ tọa độ (EPSG:" + source
                    + ")? Ghi hệ tọa độ đúng trong manifest (\"srid\"); nếu chính các thửa trong sổ sai vị trí, sửa chúng trước / the boundaries lie "
                    + "away from the register's parcels of their own communes (" + away + " % of them more than " + (int) (AWAY_M / 1000)
                    + " km off, median " + median + " m): a wrong CRS (EPSG:" + source + ")? Name the right one in a manifest (\"srid\"); if the "
                    + "register's parcels are the misplaced ones, correct them first");
        }
    }

    /** The boundaries' file in an unpacked upload: the one the manifest's layer names, the only one, or the one named as communes. */
    static Path inFolder(Path dir, String layer) throws IOException {
        return inFolder(dir, layer, List.of("communes", "ranhgioixa", "xa"), "commune boundaries");
    }

    static Path inFolder(Path dir, String layer, List<String> names, String what) throws IOException {
        List<Path> candidates;
        try (var files = Files.walk(dir, 4)) {
            candidates = files.filter(Files::isRegularFile).filter(f -> !ImportService.archiveJunk(dir, f))
                    .filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(gpkg|shp|geojson|json|tab|mif)$"))
                    .filter(f -> !f.getFileName().toString().toLowerCase(Locale.ROOT).startsWith("manifest")).sorted().toList();
        }
        java.util.function.Function<Path, String> base = f -> f.getFileName().toString().replaceAll("\\.[^.]*$", "");
        List<Path> chosen = layer != null ? candidates.stream().filter(f -> base.apply(f).equalsIgnoreCase(layer)).toList()
                : candidates.size() == 1 ? candidates
                : candidates.stream().filter(f -> names.stream().map(n -> n.replaceAll("[^a-z0-9]", "")).toList()
                        .contains(base.apply(f).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "")))
                        .toList();
        if (chosen.size() != 1) {
            throw new IOException("expected one file of " + what + " in the upload, found " + candidates.stream().map(f -> dir.relativize(f).toString()).toList()
                    + (candidates.size() > 1 ? ": name it in a manifest (\"layer\")" : ""));
        }
        return chosen.getFirst();
    }

}
