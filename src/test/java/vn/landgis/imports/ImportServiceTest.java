package vn.landgis.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import vn.landgis.generator.CadastreGenerator;
import vn.landgis.generator.Defect;
import vn.landgis.generator.GeneratorCommand;
import vn.landgis.generator.SyntheticDistrict;
import vn.landgis.geo.VietnameseEncoding;

/** Imports of generated deliveries into the real PostGIS: findings, encodings, publish, idempotence. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ImportServiceTest {

    @Autowired
    ImportService imports;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ImportReport report;
    @Autowired
    javax.sql.DataSource dataSource;

    static SyntheticDistrict district(long seed, int parcels, Map<Defect, Double> defects) {
        return CadastreGenerator.generate(new CadastreGenerator.Options(seed, parcels, "703", defects));
    }

    Map<String, Long> findings(long batch) {
        return jdbc.queryForList("SELECT rule, count(*) n FROM staging.finding WHERE batch_id = ? GROUP BY rule", batch).stream()
                .collect(Collectors.toMap(r -> (String) r.get("rule"), r -> ((Number) r.get("n")).longValue()));
    }

    /** {@link #findings} without the notes on what the publish would retire: they depend on what other tests published. */
    Map<String, Long> deliveryFindings(long batch) {
        Map<String, Long> all = new java.util.HashMap<>(findings(batch));
        all.keySet().removeAll(Set.of("retired-not-delivered", "retired-sheets"));
        return all;
    }

    /** The current parcels of the map sheets a generated district holds (other tests may have published other sheets). */
    int currentParcelsIn(SyntheticDistrict d) {
        return jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL AND commune_code || '/' || sheet_no = ANY (?)",
                Integer.class, (Object) d.parcels().stream().map(p -> p.communeCode() + "/" + p.sheetNo()).distinct().toArray(String[]::new));
    }

    /** {@code d} written as {@code dir/district.gpkg} and published (an earlier run's publication of its bytes forgotten). */
    ImportService.Outcome published(SyntheticDistrict d, Path dir) throws IOException {
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        jdbc.update("DELETE FROM staging.import_batch WHERE checksum = ?", ImportService.checksum(dir.resolve("district.gpkg")));
        ImportService.Outcome o = imports.run("703", dir.resolve("district.gpkg"), false, "test", p -> { });
        assertThat(o.status()).isEqualTo("published");
        return o;
    }

    int currentParcelsOf(String district) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM cadastre.parcel p JOIN cadastre.admin_unit_legacy c ON c.code = p.commune_code
                WHERE c.parent_code = ? AND p.valid_to IS NULL""", Integer.class, district);
    }

    @Test
    void everyInjectedDefectKindIsFoundAndTheBatchIsRejectedWithNothingPublished(@TempDir Path dir) throws IOException {
        Map<Defect, Double> rates = new EnumMap<>(Defect.class);
        for (Defect d : List.of(Defect.OVERLAP, Defect.GAP, Defect.SELF_INTERSECTION, Defect.UNCLOSED_RING, Defect.DUPLICATE_RING,
                Defect.DUPLICATE_NUMBER, Defect.UNKNOWN_LAND_USE, Defect.AREA_MISMATCH)) {
            rates.put(d, 0.01);
        }
        SyntheticDistrict d = district(32, 2500, rates);
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        int before = currentParcelsOf("703");
        ImportService.Outcome o = imports.run("703", dir.resolve("district.gpkg"), false, "test", p -> { });
        Map<Defect, Long> injected = d.defects().stream().collect(Collectors.groupingBy(SyntheticDistrict.InjectedDefect::kind, Collectors.counting()));
        Map<String, Long> found = findings(o.batchId());

        assertThat(found.get("invalid-geometry")).isEqualTo(injected.get(Defect.SELF_INTERSECTION));
        assertThat(found.get("unclosed-ring")).isEqualTo(injected.get(Defect.UNCLOSED_RING));
        assertThat(found.get("duplicate-ring")).isEqualTo(injected.get(Defect.DUPLICATE_RING));
        assertThat(found.get("duplicate-number")).isEqualTo(injected.get(Defect.DUPLICATE_NUMBER));
        assertThat(found.get("unknown-land-use")).isEqualTo(injected.get(Defect.UNKNOWN_LAND_USE));
        assertThat(found.get("gap")).isEqualTo(injected.get(Defect.GAP));
        // an overlap may touch two neighbours, and a moved boundary also breaks the area of its parcel
        assertThat(found.get("overlap")).isBetween(injected.get(Defect.OVERLAP), 2 * injected.get(Defect.OVERLAP));
        assertThat(found.get("area-mismatch")).isGreaterThanOrEqualTo(injected.get(Defect.AREA_MISMATCH));
        for (SyntheticDistrict.InjectedDefect x : d.defects()) {
            if (x.kind() == Defect.AREA_MISMATCH || x.kind() == Defect.OVERLAP) {
                String rule = x.kind() == Defect.OVERLAP ? "overlap" : "area-mismatch";
                Integer hits = jdbc.queryForObject("""
                        SELECT count(*) FROM staging.finding f LEFT JOIN staging.parcel o ON o.batch_id = f.batch_id
                             AND o.feature_no = (f.details->>'otherFeature')::int
                        JOIN staging.parcel s ON s.batch_id = f.batch_id AND s.feature_no = f.feature_no
                        WHERE f.batch_id = ? AND f.rule = ? AND ((s.commune_code, s.sheet_no, s.parcel_no) = (?, ?, ?)
                              OR (o.commune_code, o.sheet_no, o.parcel_no) = (?, ?, ?))""", Integer.class, o.batchId(), rule,
                        x.communeCode(), x.sheetNo(), x.parcelNo(), x.communeCode(), x.sheetNo(), x.parcelNo());
                assertThat(hits).as("%s at %s/%d/%d", rule, x.communeCode(), x.sheetNo(), x.parcelNo()).isPositive();
            }
        }
        assertThat(o.status()).isEqualTo("rejected");
        assertThat(currentParcelsOf("703")).isEqualTo(before);
        // the workbook lists every finding, with coordinates where the finding has a place
        var bytes = new java.io.ByteArrayOutputStream();
        report.xlsx(o.batchId(), bytes);
        try (var wb = new org.apache.poi.xssf.usermodel.XSSFWorkbook(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            var sheet = wb.getSheetAt(1);
            assertThat(sheet.getLastRowNum()).isEqualTo(found.values().stream().mapToLong(Long::longValue).sum());
            assertThat(sheet.getRow(1).getCell(1).getStringCellValue()).isEqualTo("error");
            assertThat(sheet.getRow(1).getCell(7).getNumericCellValue()).isBetween(105.0, 107.0);
        }
        // every finding has a location and both languages
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.finding WHERE batch_id = ? AND (message_vi = '' OR message_en = '')",
                Integer.class, o.batchId())).isZero();
        assertNumbersAsEachLanguageWritesThem(jdbc, o.batchId());
    }

    /**
     * The areas in the findings' Vietnamese messages have a decimal comma ("Chồng lấn 12,34 m²", "1.234,5 m²"), the
     * English ones a decimal point, whether the check ran in Java while reading or in SQL.
     */
    static void assertNumbersAsEachLanguageWritesThem(JdbcTemplate jdbc, long batch) {
        assertThat(jdbc.queryForList("SELECT message_vi FROM staging.finding WHERE batch_id = ? AND message_vi ~ '[0-9][.][0-9]{1,2} m²'",
                String.class, batch)).as("Vietnamese messages with a decimal point").isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.finding WHERE batch_id = ? AND message_vi ~ '[0-9],[0-9]{1,2} m²'",
                Long.class, batch)).isPositive();
        assertThat(jdbc.queryForList("SELECT message_en FROM staging.finding WHERE batch_id = ? AND message_en ~ '[0-9],[0-9]{1,2} m²'",
                String.class, batch)).as("English messages with a decimal comma").isEmpty();
    }

    @Test
    void theStagedParcelsOfAnOldFinishedBatchAreDroppedAndItsReportKeepsItsCommuneCounts(@TempDir Path dir) throws IOException {
        GeneratorCommand.write(district(23, 1_500, Map.of()), dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        var old = imports.run("703", dir.resolve("district.gpkg"), true, "test", p -> { });
        assertThat(old.status()).isEqualTo("validated");
        String table = "staging.parcel_b" + old.batchId();
        assertThat(jdbc.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, table)).isTrue();
        // a job's working copy, kept out of the write-ahead log (docs/decisions/2026-12-07-unlogged-staging.md)
        assertThat(jdbc.queryForObject("SELECT relpersistence FROM pg_class WHERE oid = to_regclass(?)", String.class, table)).isEqualTo("u");
        var counts = jdbc.queryForMap("SELECT count(*) AS communes, sum(parcels) AS parcels FROM staging.batch_commune WHERE batch_id = ?", old.batchId());
        assertThat(((Number) counts.get("parcels")).intValue()).isEqualTo(old.features());

        jdbc.update("UPDATE staging.import_batch SET finished_at = now() - interval '31 days' WHERE id = ?", old.batchId());
        // and a job that was killed three days ago, its batch still 'reading'
        long killed = jdbc.queryForObject("""
                INSERT INTO staging.import_batch (district_code, source_name, checksum, status, actor, created_at)
                VALUES ('703', 'killed.gpkg', 'killed', 'reading', 'test', now() - interval '3 days') RETURNING id""", Long.class);
        jdbc.update("UPDATE staging.import_batch SET checksum = checksum || '-seen' WHERE id = ?", old.batchId());
        var next = imports.run("703", dir.resolve("district.gpkg"), true, "test", p -> { });   // any import sweeps first
        assertThat(jdbc.queryForObject("SELECT to_regclass(?) IS NULL", Boolean.class, table)).as("dropped after 30 days").isTrue();
        assertThat(jdbc.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, "staging.parcel_b" + next.batchId())).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.parcel WHERE batch_id = ?", Integer.class, old.batchId())).isZero();
        assertThat(jdbc.queryForObject("SELECT status FROM staging.import_batch WHERE id = ?", String.class, killed)).isEqualTo("failed");

        var bytes = new java.io.ByteArrayOutputStream();
        report.xlsx(old.batchId(), bytes);
        try (var wb = new org.apache.poi.xssf.usermodel.XSSFWorkbook(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            var communes = wb.getSheet("Theo xã - By commune");
            assertThat(communes.getLastRowNum()).isEqualTo(((Number) counts.get("communes")).intValue());
            double parcels = 0;
            for (int r = 1; r <= communes.getLastRowNum(); r++) {
                parcels += communes.getRow(r).getCell(2).getNumericCellValue();
            }
            assertThat(parcels).isEqualTo(old.features());
        }
    }

    @Test
    void sheetsDrawnWithTheWrongMeridianOrWithoutTheDatumShiftAreNamed(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(38, 6000, Map.of(Defect.WRONG_MERIDIAN, 0.05, Defect.MISSING_DATUM_SHIFT, 0.05));
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        ImportService.Outcome o = imports.run("703", dir.resolve("district.gpkg"), true, "test", p -> { });
        Map<String, Long> found = findings(o.batchId());
        for (Defect kind : List.of(Defect.WRONG_MERIDIAN, Defect.MISSING_DATUM_SHIFT)) {
            List<String> injected = d.defects().stream().filter(x -> x.kind() == kind).map(x -> x.communeCode() + "/" + x.sheetNo()).sorted().toList();
            List<String> named = jdbc.queryForList("SELECT commune_code || '/' || sheet_no FROM staging.finding WHERE batch_id = ? AND rule = ? ORDER BY 1",
                    String.class, o.batchId(), kind.key());
            assertThat(named).as(kind.key()).isEqualTo(injected);
        }
        assertThat(found).doesNotContainKeys("misplaced-sheet", "overlap");
        // where a misplaced sheet belongs, the delivery has a hole: at most one gap per such sheet
        assertThat(found.getOrDefault("gap", 0L)).isLessThanOrEqualTo(found.get("wrong-meridian") + found.get("missing-datum-shift"));
        assertThat(o.status()).isEqualTo("rejected");
        // each message in one language (they read "theo không tính chuyển 7 tham số / no 7-parameter shift chứ không phải")
        for (Map<String, Object> m : jdbc.queryForList("SELECT message_vi, message_en FROM staging.finding WHERE batch_id = ? AND rule IN "
                + "('wrong-meridian', 'missing-datum-shift')", o.batchId())) {
            assertThat((String) m.get("message_vi")).doesNotContain(" / ", "meridian", "shift").containsAnyOf("kinh tuyến trục", "7 tham số");
            assertThat((String) m.get("message_en")).doesNotContain("kinh tuyến", "tham số").containsAnyOf("central meridian", "7-parameter shift");
        }
    }

    @Test
    void cleanDeliveryHasNoFindingsPublishesOnceAndReimportChangesNothing(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(33, 1500, Map.of());
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        Path gpkg = dir.resolve("district.gpkg");
        // a rerun against the same database: forget an earlier publication of these very bytes
        jdbc.update("DELETE FROM staging.import_batch WHERE checksum = ?", ImportService.checksum(gpkg));

        ImportService.Outcome dry = imports.run("703", gpkg, true, "test", p -> { });
        assertThat(dry.status()).isEqualTo("validated");
        assertThat(deliveryFindings(dry.batchId())).isEmpty();
        ImportService.Outcome published = imports.run("703", gpkg, false, "test", p -> { });
        assertThat(published.status()).isEqualTo("published");
        assertThat(currentParcelsIn(d)).isEqualTo(d.parcels().size());
        // stored in 9210 although drawn in 9209: the same place on the ground
        double shift = jdbc.queryForObject("""
                SELECT ST_Distance(ST_Transform(p.geom, 4326)::geography, ST_Transform(s.source_geom, 4326)::geography)
                FROM cadastre.parcel p JOIN staging.parcel s ON s.batch_id = ? AND (s.commune_code, s.sheet_no, s.parcel_no) = (p.commune_code, p.sheet_no, p.parcel_no)
                WHERE p.valid_to IS NULL LIMIT 1""", Double.class, published.batchId());
        assertThat(shift).isLessThan(0.01);

        String allVersions = "SELECT count(*) FROM cadastre.parcel p JOIN cadastre.admin_unit_legacy c ON c.code = p.commune_code WHERE c.parent_code = '703'";
        int versions = jdbc.queryForObject(allVersions, Integer.class);
        ImportService.Outcome again = imports.run("703", gpkg, false, "test", p -> { });
        assertThat(again.status()).isEqualTo("duplicate");
        assertThat(currentParcelsIn(d)).isEqualTo(d.parcels().size());
        assertThat(jdbc.queryForObject(allVersions, Integer.class)).isEqualTo(versions);
    }

    /**
     * A parcel valid as delivered can stop being valid once its vertices are transformed into storage (each moves on
     * its own): a notch whose tip stops a nanometre short of the parcel's far side. The tip is placed where the
     * transform takes it across that side; the parcel is stored repaired, with a warning, not an error.
     */
    @Test
    void aParcelThatTheTransformIntoStorageMakesInvalidIsStoredRepairedWithAWarning(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(43, 600, Map.of());
        GeneratorCommand.write(d, dir, Set.of("geojson"), VietnameseEncoding.UTF8, null);
        Path file = dir.resolve("parcels.geojson");
        List<String> lines = Files.readAllLines(file);
        var cells = new FeatureChecks.CellTransform(vn.landgis.geo.Vn2000Tm3.TM3_105_30.projection(), vn.landgis.geo.Vn2000Tm3.TM3_105_45.projection());
        var factory = new org.locationtech.jts.geom.GeometryFactory();
        java.util.regex.Pattern single = java.util.regex.Pattern.compile("\"coordinates\":\\[\\[\\[(\\[[^\\]]+\\](?:,\\[[^\\]]+\\])*)\\]\\]\\]");
        String notched = null;
        int line = -1;
        for (int l = 0; l < lines.size() && notched == null; l++) {
            java.util.regex.Matcher m = single.matcher(lines.get(l));
            if (!m.find()) {
                continue;   // a parcel of one ring
            }
            String[] pairs = m.group(1).substring(1, m.group(1).length() - 1).split("\\],\\[");
            double[][] ring = new double[pairs.length][];
            for (int i = 0; i < pairs.length; i++) {
                String[] xy = pairs[i].split(",");
                ring[i] = new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])};
            }
            int n = ring.length - 1;
            double twiceArea = 0;
            for (int i = 0; i < n; i++) {
                twiceArea += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
            }
            double inward = Math.signum(twiceArea);   // the interior is left of each side of a counter-clockwise ring
            for (int i = 0; i < n && notched == null; i++) {
                for (int k = 2; k < n - 1 && notched == null; k++) {
                    int j = (i + k) % n;
                    double[] a = ring[i], b = ring[i + 1], c = ring[j], e = ring[j + 1];
                    double ab = Math.hypot(b[0] - a[0], b[1] - a[1]);
                    double ce = Math.hypot(e[0] - c[0], e[1] - c[1]);
                    if (ab < 2 || ce < 2) {
                        continue;
                    }
                    // the notch leaves side i over 2 mm at its middle; its tip is 1 nm inside side j's middle
                    double t = 0.5 - 0.001 / ab;
                    double[] q1 = {a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t};
                    double[] q2 = {a[0] + (b[0] - a[0]) * (1 - t), a[1] + (b[1] - a[1]) * (1 - t)};
                    double[] mid = {(c[0] + e[0]) / 2, (c[1] + e[1]) / 2};
                    double nx = -inward * (e[1] - c[1]) / ce, ny = inward * (e[0] - c[0]) / ce;
                    double[] tip = {mid[0] + nx * 1e-9, mid[1] + ny * 1e-9};
                    List<double[]> points = new java.util.ArrayList<>();
                    for (int p = 0; p <= n; p++) {
                        points.add(ring[p]);
                        if (p == i) {
                            points.add(q1);
                            points.add(tip);
                            points.add(q2);
                        }
                    }
                    var source = factory.createPolygon(points.stream().map(p -> new org.locationtech.jts.geom.Coordinate(p[0], p[1]))
                            .toArray(org.locationtech.jts.geom.Coordinate[]::new));
                    var stored = factory.createPolygon(points.stream().map(p -> {
                        double[] s = cells.transform(p[0], p[1]);
                        return new org.locationtech.jts.geom.Coordinate(s[0], s[1]);
                    }).toArray(org.locationtech.jts.geom.Coordinate[]::new));
                    if (source.isValid() && source.getArea() > 0 && !stored.isValid()) {
                        notched = points.stream().map(p -> "[" + p[0] + "," + p[1] + "]").collect(Collectors.joining(","));
                        line = l;
                        lines.set(l, lines.get(l).substring(0, m.start()) + "\"coordinates\":[[[" + notched + "]]]" + lines.get(l).substring(m.end()));
                    }
                }
            }
        }
        assertThat(notched).as("a notch that the transform breaks").isNotNull();
        Files.write(file, lines);
        String key = lines.get(line).replaceAll(".*\"MaXa\":\"?(\\d+)\"?,\"SoTo\":(\\d+),\"SoThua\":(\\d+).*", "$1/$2/$3");

        ImportService.Outcome o = imports.run("703", file, true, "test", p -> { });
        assertThat(o.status()).isEqualTo("validated");
        assertThat(deliveryFindings(o.batchId())).containsExactly(Map.entry("transform-repaired", 1L));
        assertThat(jdbc.queryForObject("SELECT commune_code || '/' || sheet_no || '/' || parcel_no FROM staging.finding WHERE batch_id = ? AND rule = 'transform-repaired'",
                String.class, o.batchId())).isEqualTo(key);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.parcel WHERE batch_id = ? AND NOT ST_IsValid(geom)", Integer.class, o.batchId()))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT ST_IsValid(source_geom) FROM staging.parcel WHERE batch_id = ? AND commune_code || '/' || sheet_no || '/' || parcel_no = ?",
                Boolean.class, o.batchId(), key)).isTrue();

        // the scan of the whole batch (the SQL path, or a worker that failed) finds what the worker's list would
        int other = jdbc.queryForObject("SELECT min(feature_no) FROM staging.parcel WHERE batch_id = ? AND source_valid AND NOT rejected",
                Integer.class, o.batchId());
        jdbc.update("""
                UPDATE staging.parcel SET geom = ST_Multi(ST_Translate(ST_SetSRID('POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))'::geometry, 9210),
                    ST_X(ST_Centroid(geom)), ST_Y(ST_Centroid(geom)))) WHERE batch_id = ? AND feature_no = ?""", o.batchId(), other);
        new BatchValidator(jdbc, o.batchId(), 9210, 9209, List.of()).repairBrokenByTransform(null);
        assertThat(jdbc.queryForList("SELECT feature_no FROM staging.finding WHERE batch_id = ? AND rule = 'transform-repaired' ORDER BY id",
                Integer.class, o.batchId())).hasSize(2).last().isEqualTo(other);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.parcel WHERE batch_id = ? AND NOT ST_IsValid(geom)", Integer.class, o.batchId()))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT round(ST_Area(geom)::numeric, 1) FROM staging.parcel WHERE batch_id = ? AND feature_no = ?",
                java.math.BigDecimal.class, o.batchId(), other)).isEqualByComparingTo("50.0");   // both triangles kept
    }

    @Test
    void theAddressStringsComeWithThePublishEvenWhenTheirPartitionCannotBeAttached(@TempDir Path dir) throws Exception {
        GeneratorCommand.write(district(44, 300, Map.of()), dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        Path gpkg = dir.resolve("district.gpkg");
        String marker = "lo-thu-" + System.nanoTime();   // strings no partition holds yet
        try (var sqlite = java.sql.DriverManager.getConnection("jdbc:sqlite:" + gpkg)) {
            sqlite.createStatement().executeUpdate("UPDATE parcels SET DiaChi = DiaChi || ', " + marker + "'");
        }
        jdbc.update("DELETE FROM staging.import_batch WHERE checksum = ?", ImportService.checksum(gpkg));
        ImportService.Outcome o;
        try (var holder = dataSource.getConnection()) {
            // someone holds the lock an attach needs (a manual VACUUM or ANALYZE of the strings would): the side
            // partition cannot be attached within its lock timeout, and the publish adds the strings itself
            holder.setAutoCommit(false);
            holder.createStatement().execute("LOCK TABLE cadastre.address_text IN SHARE UPDATE EXCLUSIVE MODE");
            o = imports.run("703", gpkg, false, "test", p -> { });
            holder.rollback();
        }
        assertThat(o.status()).isEqualTo("published");
        long carried = jdbc.queryForObject("SELECT count(DISTINCT address) FROM cadastre.parcel WHERE valid_to IS NULL AND address LIKE ?",
                Long.class, "%" + marker);
        assertThat(carried).isPositive();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.address_text_live WHERE address LIKE ?", Long.class, "%" + marker))
                .isEqualTo(carried);
        assertThat(jdbc.queryForObject("SELECT to_regclass(?) IS NULL", Boolean.class, AddressText.name(o.batchId())))
                .as("the unattached side table is dropped").isTrue();
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM (SELECT DISTINCT address FROM cadastre.parcel WHERE valid_to IS NULL AND address IS NOT NULL) d
                WHERE NOT EXISTS (SELECT 1 FROM cadastre.address_text a WHERE a.address = d.address)""", Long.class)).isZero();
    }

    @Test
    void aUtmDeliveryWhoseStagedTableCannotBeSwappedInIsUpdatedInPlace(@TempDir Path dir) throws Exception {
        GeneratorCommand.write(district(45, 300, Map.of()), dir.resolve("tm3"), Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        Files.createDirectories(dir.resolve("utm"));
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("utm/district.gpkg"), dir.resolve("tm3/district.gpkg"),
                List.of("-t_srs", "EPSG:32648"), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        jdbc.update("DELETE FROM staging.import_batch WHERE checksum = ?", ImportService.checksum(dir.resolve("utm/district.gpkg")));
        ImportService.Outcome o;
        try (var reader = dataSource.getConnection()) {
            // another job reading the staged parcels for longer than the swap's lock timeout
            reader.setAutoCommit(false);
            reader.createStatement().execute("SELECT count(*) FROM staging.parcel WHERE batch_id = -1");
            o = imports.run("703", dir.resolve("utm/district.gpkg"), true, "test", p -> { });
            reader.rollback();
        }
        assertThat(o.status()).isEqualTo("validated");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.parcel WHERE batch_id = ? AND geom IS NOT NULL AND source_valid",
                Integer.class, o.batchId())).isEqualTo(o.features());
        assertThat(jdbc.queryForObject("SELECT to_regclass(?) IS NULL", Boolean.class, "staging.parcel_r" + o.batchId())).isTrue();
    }

    @Test
    void aCorrectedRedeliveryOpensVersionsOnlyForTheParcelsItChanges(@TempDir Path dir) throws IOException {
        SyntheticDistrict first = district(41, 900, Map.of());
        SyntheticDistrict corrected = district(41, 900, Map.of(Defect.AREA_MISMATCH, 0.02));   // the same parcels, some registered areas changed
        GeneratorCommand.write(first, dir.resolve("first"), Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        GeneratorCommand.write(corrected, dir.resolve("corrected"), Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        for (String d : List.of("first", "corrected")) {
            jdbc.update("DELETE FROM staging.import_batch WHERE checksum = ?", ImportService.checksum(dir.resolve(d + "/district.gpkg")));
        }
        ImportService.Outcome o1 = imports.run("703", dir.resolve("first/district.gpkg"), false, "test", p -> { });
        assertThat(o1.status()).isEqualTo("published");
        ImportService.Outcome o2 = imports.run("703", dir.resolve("corrected/district.gpkg"), false, "test", p -> { });
        assertThat(o2.status()).isEqualTo("published");
        String opened = "SELECT count(*) FROM cadastre.parcel WHERE opened_by = (SELECT published_change FROM staging.import_batch WHERE id = ?)";
        String closed = "SELECT count(*) FROM cadastre.parcel WHERE closed_by = (SELECT published_change FROM staging.import_batch WHERE id = ?)";
        long changed = corrected.defects().stream().filter(x -> x.kind() == Defect.AREA_MISMATCH).count();
        assertThat(changed).isPositive();
        assertThat(jdbc.queryForObject(opened, Long.class, o2.batchId())).isEqualTo(changed);
        assertThat(jdbc.queryForObject(closed, Long.class, o2.batchId())).isEqualTo(changed);
        // the delivered map sheets hold exactly the delivered parcels (other tests' sheets of the district aside)
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL AND commune_code || '/' || sheet_no = ANY (?)",
                Long.class, (Object) corrected.parcels().stream().map(p -> p.communeCode() + "/" + p.sheetNo()).distinct().toArray(String[]::new)))
                .isEqualTo((long) corrected.parcels().size());
        // the corrected parcels keep their surrogate ids, and their new versions carry the new registered area
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM cadastre.parcel n JOIN cadastre.parcel o ON o.parcel_id = n.parcel_id AND o.closed_by = n.opened_by
                WHERE n.opened_by = (SELECT published_change FROM staging.import_batch WHERE id = ?) AND n.legal_area <> o.legal_area""",
                Long.class, o2.batchId())).isEqualTo(changed);
    }

    /**
     * A delivery of one map sheet (a FAMIS drawing: no address column) replaces that sheet only: the commune's other
     * sheets stay current, the sheet's parcel missing from the delivery is retired (and named before publishing), a
     * changed parcel keeps its address. With {@code replaceCommunes} the commune's other sheets are retired too.
     */
    @Test
    void aDeliveryOfOneSheetReplacesThatSheetOnlyAndKeepsTheAddressesItDoesNotCarry(@TempDir Path dir) throws IOException {
        ImportService.Outcome all = published(district(53, 700, Map.of()), dir);
        long first = jdbc.queryForObject("SELECT published_change FROM staging.import_batch WHERE id = ?", Long.class, all.batchId());
        // a sheet of at least three parcels in a commune of several sheets
        Map<String, Object> sheet = jdbc.queryForMap("""
                SELECT commune_code, sheet_no, min(parcel_no) changed, max(parcel_no) dropped FROM cadastre.parcel p
                WHERE opened_by = ? AND valid_to IS NULL
                  AND (SELECT count(DISTINCT sheet_no) FROM cadastre.parcel q WHERE q.opened_by = p.opened_by AND q.commune_code = p.commune_code) > 1
                GROUP BY 1, 2 HAVING count(*) >= 3 ORDER BY count(*) DESC, 1, 2 LIMIT 1""", first);
        String commune = (String) sheet.get("commune_code");
        int sheetNo = (Integer) sheet.get("sheet_no");
        int changed = (Integer) sheet.get("changed");
        int dropped = (Integer) sheet.get("dropped");
        String otherSheets = "SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL AND opened_by = ? AND commune_code = ? AND sheet_no <> ?";
        long others = jdbc.queryForObject(otherSheets, Long.class, first, commune, sheetNo);
        assertThat(others).isPositive();
        String address = jdbc.queryForObject("SELECT address FROM cadastre.parcel WHERE valid_to IS NULL AND commune_code = ? AND sheet_no = ? AND parcel_no = ?",
                String.class, commune, sheetNo, changed);
        assertThat(address).isNotBlank();
        // the changed parcel's holder, registered on its current version
        long party = jdbc.queryForObject("INSERT INTO cadastre.party (kind, full_name) VALUES ('person', 'Nguyễn Văn Bình') RETURNING id", Long.class);
        jdbc.update("""
                INSERT INTO cadastre.land_right (parcel_version, party_id, right_type, certificate_no)
                SELECT id, ?, 'land_use', 'CS 001234' FROM cadastre.parcel WHERE valid_to IS NULL AND commune_code = ? AND sheet_no = ? AND parcel_no = ?""",
                party, commune, sheetNo, changed);
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("sheet.gpkg"), dir.resolve("district.gpkg"), List.of("-nln", "thua_dat", "-sql",
                "SELECT geom, MaXa, SoTo, SoThua, CASE WHEN SoThua = " + changed + " THEN (CASE WHEN MucDichSD = 'CLN' THEN 'LUC' ELSE 'CLN' END) "
                        + "ELSE MucDichSD END AS MucDichSD, DienTich FROM parcels WHERE MaXa = '" + commune + "' AND SoTo = " + sheetNo
                        + " AND SoThua <> " + dropped),
                vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        ImportService.Outcome one = imports.run("703", dir.resolve("sheet.gpkg"), false, "test", p -> { });
        assertThat(one.status()).isEqualTo("published");
        assertThat(findings(one.batchId())).containsEntry("retired-not-delivered", 1L).doesNotContainKey("retired-sheets");
        // and the publish says it retired it (a sheet whose labels were unreadable left "published 0 parcels, 162 unchanged")
        assertThat(jdbc.queryForObject("SELECT message FROM staging.import_batch WHERE id = ?", String.class, one.batchId()))
                .contains("1 thửa hết hiệu lực (lô không có)", "1 retired (not in the delivery)");
        assertThat(jdbc.queryForObject(otherSheets, Long.class, first, commune, sheetNo)).isEqualTo(others);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL AND commune_code = ? AND sheet_no = ? AND parcel_no = ?",
                Long.class, commune, sheetNo, dropped)).isZero();
        long second = jdbc.queryForObject("SELECT published_change FROM staging.import_batch WHERE id = ?", Long.class, one.batchId());
        // only the changed parcel is re-versioned (the others are the same, the address the delivery does not carry aside), with its address
        assertThat(jdbc.queryForList("SELECT parcel_no, address FROM cadastre.parcel WHERE opened_by = ?", second))
                .singleElement().satisfies(r -> assertThat(r).containsEntry("parcel_no", changed).containsEntry("address", address));
        // and its holder's right continues on the new version
        assertThat(jdbc.queryForObject("""
                SELECT r.certificate_no FROM cadastre.land_right r JOIN cadastre.parcel p ON p.id = r.parcel_version
                WHERE p.opened_by = ? AND r.party_id = ?""", String.class, second, party)).isEqualTo("CS 001234");
        // the whole district delivered again after the register changed: read and published (not refused as already
        // published), putting the retired parcel back; once more right after, nothing has changed: refused unread
        ImportService.Outcome back = imports.run("703", dir.resolve("district.gpkg"), false, "test", p -> { });
        assertThat(back.status()).isEqualTo("published");
        assertThat(findings(back.batchId())).containsEntry("delivered-again", 1L);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL AND commune_code = ? AND sheet_no = ? AND parcel_no = ?",
                Long.class, commune, sheetNo, dropped)).isOne();
        assertThat(imports.run("703", dir.resolve("district.gpkg"), false, "test", p -> { }).status()).isEqualTo("duplicate");
        // the same sheet as a new survey of the whole commune: its other sheets are retired, and said to be
        Path manifest = dir.resolve("manifest.json");
        Files.writeString(manifest, "{\"replaceCommunes\": true}");
        ImportService.Outcome whole = imports.run("703", dir.resolve("sheet.gpkg"), manifest, true, "test", p -> { }, id -> { });
        assertThat(whole.status()).isEqualTo("validated");
        assertThat(findings(whole.batchId())).containsKey("retired-sheets");
        long retired = jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL AND commune_code = ?", Long.class, commune)
                - jdbc.queryForObject("SELECT count(*) FROM staging.parcel WHERE batch_id = ?", Long.class, one.batchId());
        assertThat(retired).isGreaterThanOrEqualTo(others);
        assertThat(jdbc.queryForObject("SELECT message_en FROM staging.finding WHERE batch_id = ? AND rule = 'retired-sheets'", String.class,
                whole.batchId())).contains("publishing will retire " + retired + " current parcels");
    }

    /**
     * A holder name naming several people (spouses, co-heirs: "Ông An và vợ là bà Bình", "Cường, Dung, Hùng") is a
     * party each, with equal shares and without their titles; a household, a company with "và" in its name, a name
     * with a note after a comma stay one holder as written (each name was one person holding the parcel).
     */
    @Test
    void jointHoldersNamedTogetherAreEachAParty(@TempDir Path dir) throws IOException {
        GeneratorCommand.write(district(63, 300, Map.of()), dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        String[] written = {"Ông Nguyễn Văn An và vợ là bà Trần Thị Bình", "Lê Văn Cường, Lê Thị Dung, Lê Văn Hùng",
                "Hộ ông Nguyễn Văn Sáu và bà Trần Thị Bảy", "Công ty TNHH Xây dựng và Thương mại Tân Bình", "Nguyễn Văn Tám, SN 1960"};
        StringBuilder owner = new StringBuilder("CASE rowid");
        for (int i = 0; i < written.length; i++) {
            owner.append(" WHEN ").append(i + 1).append(" THEN '").append(written[i]).append("'");
        }
        owner.append(" ELSE TenChu END");
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("joint.gpkg"), dir.resolve("district.gpkg"), List.of("-nln", "thua_dat", "-sql",
                "SELECT geom, MaXa, SoTo, SoThua, MucDichSD, DienTich, DiaChi, " + owner + " AS TenChu FROM parcels"), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        Path declare = dir.resolve("holders.json");
        Files.writeString(declare, "{\"holders\": true}");
        jdbc.update("DELETE FROM staging.import_batch WHERE checksum LIKE ?", ImportService.checksum(dir.resolve("joint.gpkg")) + "%");
        ImportService.Outcome o = imports.run("703", dir.resolve("joint.gpkg"), declare, false, "test", p -> { }, id -> { });
        assertThat(o.status()).isEqualTo("published");
        String holders = """
                SELECT string_agg(pa.kind || ':' || pa.full_name || ':' || r.share, ' | ' ORDER BY pa.full_name)
                FROM staging.parcel s JOIN cadastre.parcel p ON p.valid_to IS NULL AND (p.commune_code, p.sheet_no, p.parcel_no) = (s.commune_code, s.sheet_no, s.parcel_no)
                JOIN cadastre.land_right r ON r.parcel_version = p.id AND r.declared_in_batch = s.batch_id JOIN cadastre.party pa ON pa.id = r.party_id
                WHERE s.batch_id = ? AND s.owner = ?""";
        assertThat(jdbc.queryForObject(holders, String.class, o.batchId(), written[0]))
                .isEqualTo("person:Nguyễn Văn An:0.5000 | person:Trần Thị Bình:0.5000");
        assertThat(jdbc.queryForObject(holders, String.class, o.batchId(), written[1]))
                .isEqualTo("person:Lê Thị Dung:0.3333 | person:Lê Văn Cường:0.3333 | person:Lê Văn Hùng:0.3333");
        assertThat(jdbc.queryForObject(holders, String.class, o.batchId(), written[2])).isEqualTo("household:" + written[2] + ":1.0000");
        assertThat(jdbc.queryForObject(holders, String.class, o.batchId(), written[3])).isEqualTo("organisation:" + written[3] + ":1.0000");
        assertThat(jdbc.queryForObject(holders, String.class, o.batchId(), written[4])).isEqualTo("person:" + written[4] + ":1.0000");
        // delivered again unchanged: the joint holders are the register's, no "holder differs"
        jdbc.update("UPDATE staging.import_batch SET checksum = checksum || '-seen' WHERE id = ?", o.batchId());
        ImportService.Outcome again = imports.run("703", dir.resolve("joint.gpkg"), declare, false, "test", p -> { }, id -> { });
        assertThat(jdbc.queryForList("SELECT message_en FROM staging.finding WHERE batch_id = ? AND rule = 'holder-differs'", String.class,
                again.batchId())).allSatisfy(m -> assertThat(m).doesNotContain("Nguyễn Văn An").doesNotContain("Lê Văn Cường"));
    }

    /**
     * The holder names a delivery carries (TenChu) become parties holding its new versions, one party per parcel,
     * declared by the batch; a right registered on a replaced version continues and takes precedence; a holder only an
     * earlier delivery named gives way to the one a later delivery names.
     */
    @Test
    void theHoldersADeliveryNamesBecomeTheNewVersionsPartiesWhereNoRightIsRegistered(@TempDir Path dir) throws IOException {
        assertThat(jdbc.queryForList("""
                SELECT cadastre.party_kind(n) FROM unnest(ARRAY['Hộ ông Nguyễn Văn An', 'Hồ Văn Nam', 'UBND xã Tân Bình', 'Công ty TNHH Minh Phát',
                    'Chùa Linh Sơn', '  hộ gia đình bà Lê Thị Hoa', 'Trần Thị Bé']) n""", String.class))
                .containsExactly("household", "person", "state", "organisation", "organisation", "household", "person");
        // by default the names stay in the batch (the register's holders come from registration), and the message says so
        ImportService.Outcome undeclared = published(district(59, 500, Map.of()), dir);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.land_right WHERE declared_in_batch = ?", Long.class, undeclared.batchId())).isZero();
        assertThat(jdbc.queryForObject("SELECT message FROM staging.import_batch WHERE id = ?", String.class, undeclared.batchId()))
                .contains("holder names kept in the batch, not in the register");
        // the manifest's "holders": true records them (a re-delivery with another manifest is read again): on the
        // versions it finds unchanged too
        Path declare = dir.resolve("holders.json");
        Files.writeString(declare, "{\"holders\": true}");
        ImportService.Outcome all = imports.run("703", dir.resolve("district.gpkg"), declare, false, "test", p -> { }, id -> { });
        assertThat(all.status()).isEqualTo("published");
        long batch = all.batchId();
        long change = jdbc.queryForObject("SELECT published_change FROM staging.import_batch WHERE id = ?", Long.class, undeclared.batchId());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE opened_by = (SELECT published_change FROM staging.import_batch "
                + "WHERE id = ?)", Long.class, batch)).as("nothing re-versioned").isZero();
        String versionOf = """
                FROM staging.parcel s JOIN cadastre.parcel p ON p.opened_by = ? AND p.valid_to IS NULL
                     AND (p.commune_code, p.sheet_no, p.parcel_no) = (s.commune_code, s.sheet_no, s.parcel_no)
                WHERE s.batch_id = ? AND NOT s.rejected AND s.owner IS NOT NULL""";
        long named = jdbc.queryForObject("SELECT count(*) " + versionOf, Long.class, change, batch);
        assertThat(named).isGreaterThan(400);
        // each holds the name as delivered, declared by the batch, alone (or, where another test registered a right on
        // the same key before, only that registered right)
        assertThat(jdbc.queryForObject("SELECT count(*) " + versionOf + " " + """
                 AND (SELECT array_agg(pa.full_name || '|' || coalesce(r.declared_in_batch::text, 'registered')) FROM cadastre.land_right r
                      JOIN cadastre.party pa ON pa.id = r.party_id WHERE r.parcel_version = p.id) = ARRAY[s.owner || '|' || s.batch_id]""",
                Long.class, change, batch)).isGreaterThan(named * 9 / 10);
        assertThat(jdbc.queryForObject("SELECT count(*) " + versionOf + " " + """
                 AND NOT EXISTS (SELECT 1 FROM cadastre.land_right r WHERE r.parcel_version = p.id
                                 AND (r.declared_in_batch IS NULL OR r.declared_in_batch = s.batch_id))""", Long.class, change, batch)).isZero();
        // public land is the People's Committee's to manage
        assertThat(jdbc.queryForList("""
                SELECT DISTINCT pa.kind || '/' || r.right_type FROM cadastre.land_right r JOIN cadastre.party pa ON pa.id = r.party_id
                WHERE r.declared_in_batch = ? AND pa.full_name LIKE 'UBND %'""", String.class, batch)).containsExactly("state/state_management");
        assertThat(jdbc.queryForObject("SELECT message FROM staging.import_batch WHERE id = ?", String.class, batch)).contains("holders as the map names them");

        // one sheet again, its first two parcels re-used with a new holder name: one declared by the first delivery only,
        // the other with a right an officer registered (certificate)
        Map<String, Object> sheet = jdbc.queryForMap("""
                SELECT p.commune_code, p.sheet_no, min(p.parcel_no) a, min(p.parcel_no) FILTER (WHERE p.parcel_no > (SELECT min(q.parcel_no)
                    FROM cadastre.parcel q WHERE q.opened_by = p.opened_by AND q.commune_code = p.commune_code AND q.sheet_no = p.sheet_no)) b
                FROM cadastre.parcel p WHERE p.opened_by = ? AND p.valid_to IS NULL
                  AND (SELECT count(*) FROM cadastre.land_right r WHERE r.parcel_version = p.id AND r.declared_in_batch = ?) = 1
                GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1""", change, batch);
        String commune = (String) sheet.get("commune_code");
        int sheetNo = (Integer) sheet.get("sheet_no");
        int a = (Integer) sheet.get("a");
        int b = (Integer) sheet.get("b");
        String current = "SELECT id FROM cadastre.parcel WHERE valid_to IS NULL AND commune_code = ? AND sheet_no = ? AND parcel_no = ?";
        long party = jdbc.queryForObject("INSERT INTO cadastre.party (kind, full_name) VALUES ('person', 'Phạm Văn Đăng Ký') RETURNING id", Long.class);
        jdbc.update("INSERT INTO cadastre.land_right (parcel_version, party_id, right_type, certificate_no) VALUES (?, ?, 'land_use', 'CS 777001')",
                jdbc.queryForObject(current, Long.class, commune, sheetNo, b), party);
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("sheet.gpkg"), dir.resolve("district.gpkg"), List.of("-nln", "thua_dat", "-sql",
                "SELECT geom, MaXa, SoTo, SoThua, CASE WHEN SoThua IN (" + a + ", " + b + ") THEN (CASE WHEN MucDichSD = 'CLN' THEN 'LUC' ELSE 'CLN' END) "
                        + "ELSE MucDichSD END AS MucDichSD, DienTich, DiaChi, CASE WHEN SoThua IN (" + a + ", " + b + ") THEN 'Lê Thị Mới' "
                        + "ELSE TenChu END AS TenChu FROM parcels WHERE MaXa = '" + commune + "' AND SoTo = " + sheetNo),
                vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        ImportService.Outcome one = imports.run("703", dir.resolve("sheet.gpkg"), declare, false, "test", p -> { }, id -> { });
        assertThat(one.status()).isEqualTo("published");
        // where map and register disagree, said before publishing (the two renamed parcels)
        assertThat(jdbc.queryForObject("SELECT message_en FROM staging.finding WHERE batch_id = ? AND rule = 'holder-differs'", String.class,
                one.batchId())).startsWith("2 parcels name another holder").contains(commune + "/" + sheetNo + "/" + b + ": Lê Thị Mới ≠ ")
                .contains("Phạm Văn Đăng Ký");
        String holders = """
                SELECT string_agg(pa.full_name || coalesce(' ' || r.certificate_no, '') || coalesce(' b' || r.declared_in_batch, ''), ', ' ORDER BY r.id)
                FROM cadastre.land_right r JOIN cadastre.party pa ON pa.id = r.party_id WHERE r.parcel_version = (""" + current + ")";
        assertThat(jdbc.queryForObject(holders, String.class, commune, sheetNo, a)).isEqualTo("Lê Thị Mới b" + one.batchId());
        assertThat(jdbc.queryForObject(holders, String.class, commune, sheetNo, b)).isEqualTo("Phạm Văn Đăng Ký CS 777001");
        // the sheet's other parcels are the same: same versions, same holders
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE opened_by = (SELECT published_change FROM staging.import_batch "
                + "WHERE id = ?)", Long.class, one.batchId())).isEqualTo(2);
        // the whole district again (a and b back as they were) without the manifest declares nobody, and the holder the
        // last delivery named stays with a
        ImportService.Outcome none = imports.run("703", dir.resolve("district.gpkg"), false, "test", p -> { });
        assertThat(none.status()).isEqualTo("published");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.land_right WHERE declared_in_batch = ?", Long.class, none.batchId())).isZero();
        assertThat(jdbc.queryForObject(holders, String.class, commune, sheetNo, a)).isEqualTo("Lê Thị Mới b" + one.batchId());
        assertThat(jdbc.queryForObject(holders, String.class, commune, sheetNo, b)).isEqualTo("Phạm Văn Đăng Ký CS 777001");
    }

    @Autowired
    org.springframework.context.ConfigurableApplicationContext context;

    /** The command line takes a delivery's .zip as the web upload does: unpacked safely, read, the unpacked files gone. */
    @Test
    void theCommandLineReadsAZippedDeliveryAndRefusesAHostileOne(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(59, 300, Map.of());
        GeneratorCommand.write(d, dir.resolve("src"), Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        Path zip = dir.resolve("Giao nộp 703.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("Huyen 703/ThuaDat.gpkg"));
            Files.copy(dir.resolve("src/district.gpkg"), out);
            out.closeEntry();
        }
        long before = jdbc.queryForObject("SELECT coalesce(max(id), 0) FROM staging.import_batch", Long.class);
        assertThat(ImportCommand.run(context, "703", null, true, zip)).isZero();
        assertThat(jdbc.queryForObject("SELECT feature_count FROM staging.import_batch WHERE id > ? ORDER BY id DESC LIMIT 1", Integer.class, before))
                .isEqualTo(d.parcels().size());
        Path slip = dir.resolve("slip.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(slip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("../../evil.gpkg"));
            out.write(new byte[] {1, 2, 3});
            out.closeEntry();
        }
        assertThat(ImportCommand.run(context, "703", null, true, slip)).isEqualTo(1);
        assertThat(dir.getParent().resolve("evil.gpkg")).doesNotExist();
    }

    /**
     * A map of keys only and a register giving the land uses: the land-use column is the register's, even when the
     * first parcel of the map has no row in it (and so no such column).
     */
    @Test
    void aRegistersColumnsCountForEveryParcelNotOnlyTheFirst(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(61, 200, Map.of());
        GeneratorCommand.write(d, dir.resolve("src"), Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        Files.createDirectories(dir.resolve("delivery"));
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("delivery/ThuaDat.gpkg"), dir.resolve("src/district.gpkg"), List.of("-nln", "parcels",
                "-sql", "SELECT geom, MaXa, SoTo, SoThua FROM parcels ORDER BY fid"), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        var first = d.parcels().getFirst();
        try (var wb = new org.apache.poi.xssf.usermodel.XSSFWorkbook(); var out = Files.newOutputStream(dir.resolve("delivery/SoMucKe.xlsx"))) {
            var sheet = wb.createSheet("SoMucKe");
            var header = sheet.createRow(0);
            String[] names = {"Mã xã", "Số tờ", "Số thửa", "Loại đất"};
            for (int i = 0; i < names.length; i++) {
                header.createCell(i).setCellValue(names[i]);
            }
            int r = 1;
            for (var p : d.parcels()) {
                if (p == first) {
                    continue;
                }
                var row = sheet.createRow(r++);
                row.createCell(0).setCellValue(p.communeCode());
                row.createCell(1).setCellValue(p.sheetNo());
                row.createCell(2).setCellValue(p.parcelNo());
                row.createCell(3).setCellValue(p.landUse());
            }
            wb.write(out);
        }
        ImportService.Outcome o = imports.run("703", dir.resolve("delivery"), true, "test", p -> { });
        assertThat(findings(o.batchId())).doesNotContainKey("no-land-use-column").containsEntry("register-no-row", 1L)
                .containsEntry("register-joined", 1L);
    }

    /**
     * A sheet delivered again with every ring starting at another vertex (as a FAMIS drawing polygonised again gives
     * it) changes nothing: the same parcels are not new versions. An empty delivery is refused, not published as nothing.
     */
    @Test
    void theSameRingsFromAnotherStartChangeNothingAndAnEmptyDeliveryIsRefused(@TempDir Path dir) throws IOException {
        ImportService.Outcome all = published(district(67, 400, Map.of()), dir);
        Map<String, Object> sheet = jdbc.queryForMap("""
                SELECT commune_code, sheet_no FROM staging.parcel WHERE batch_id = ? GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1""", all.batchId());
        // the sheet's parcels as delivered, each single ring turned to start at its third vertex, coordinates exact
        String features = jdbc.queryForObject("""
                SELECT string_agg(json_build_object('type', 'Feature', 'geometry', ST_AsGeoJSON(g, 15)::json,
                           'properties', json_build_object('MaXa', commune_code, 'SoTo', sheet_no, 'SoThua', parcel_no,
                                                           'MucDichSD', land_use_raw, 'DienTich', legal_area, 'DiaChi', address))::text, ',')
                FROM (SELECT s.*, CASE WHEN ST_NumGeometries(s.source_geom) = 1 AND ST_NumInteriorRings(ST_GeometryN(s.source_geom, 1)) = 0
                          THEN (SELECT ST_MakePolygon(ST_AddPoint(z.l, ST_StartPoint(z.l))) FROM (
                                    SELECT ST_MakeLine(array_agg(q.geom ORDER BY (q.i - 3 + q.n - 1) % (q.n - 1))) l
                                    FROM (SELECT (x).geom, (x).path[1] i, ST_NPoints(ST_ExteriorRing(ST_GeometryN(s.source_geom, 1))) n
                                          FROM ST_DumpPoints(ST_ExteriorRing(ST_GeometryN(s.source_geom, 1))) x) q
                                    WHERE q.i < q.n) z)
                          ELSE s.source_geom END g
                      FROM staging.parcel s WHERE s.batch_id = ? AND s.commune_code = ? AND s.sheet_no = ?) t""", String.class,
                all.batchId(), sheet.get("commune_code"), sheet.get("sheet_no"));
        Files.createDirectories(dir.resolve("again"));
        Files.writeString(dir.resolve("again/parcels.geojson"), "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
                + "{\"name\":\"urn:ogc:def:crs:EPSG::9209\"}},\"features\":[" + features + "]}");
        ImportService.Outcome again = imports.run("703", dir.resolve("again/parcels.geojson"), false, "test", p -> { });
        assertThat(again.status()).as(again.message()).isEqualTo("published");
        assertThat(again.message()).contains("published 0 parcels");
        long change = jdbc.queryForObject("SELECT published_change FROM staging.import_batch WHERE id = ?", Long.class, again.batchId());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE opened_by = ? OR closed_by = ?", Long.class, change, change))
                .isZero();
        // nothing to read: refused, saying so
        Files.createDirectories(dir.resolve("empty"));
        Files.writeString(dir.resolve("empty/parcels.geojson"), "{\"type\":\"FeatureCollection\",\"features\":[]}");
        ImportService.Outcome empty = imports.run("703", dir.resolve("empty/parcels.geojson"), false, "test", p -> { });
        assertThat(empty.status()).isEqualTo("rejected");
        assertThat(findings(empty.batchId())).containsKey("no-parcels");
    }

    @Test
    void parcelsOutsideTheKnownDistrictBoundaryAreReported(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(40, 1200, Map.of());
        var boundary = new org.locationtech.jts.io.WKBWriter(2, true).write(
                org.locationtech.jts.operation.overlayng.CoverageUnion.union(new org.locationtech.jts.geom.GeometryFactory(
                        new org.locationtech.jts.geom.PrecisionModel(), 9209).buildGeometry(d.communeGeometries().values())));
        try {
            jdbc.update("UPDATE cadastre.admin_unit_legacy SET geom = ST_Multi(ST_Transform(ST_GeomFromEWKB(?), 9210)) WHERE code = '703'", boundary);
            GeneratorCommand.write(d, dir.resolve("same"), Set.of("gpkg"), VietnameseEncoding.UTF8, null);
            assertThat(deliveryFindings(imports.run("703", dir.resolve("same/district.gpkg"), true, "test", p -> { }).batchId())).isEmpty();
            SyntheticDistrict bigger = district(40, 2400, Map.of());   // same place, twice the size: its outer parcels stick out
            GeneratorCommand.write(bigger, dir.resolve("bigger"), Set.of("gpkg"), VietnameseEncoding.UTF8, null);
            assertThat(findings(imports.run("703", dir.resolve("bigger/district.gpkg"), true, "test", p -> { }).batchId()).get("outside-district"))
                    .isGreaterThan(100L);
        } finally {
            jdbc.update("UPDATE cadastre.admin_unit_legacy SET geom = NULL WHERE code = '703'");
        }
    }

    /**
     * A delivery in UTM 48N (what a district that works in QGIS sends) is transformed by PostGIS, so its parcels are
     * not checked while reading; its overlaps and gaps come from the staged parcels read back sheet by sheet into
     * {@link SheetCoverage}, and are the very findings the SQL checks make of the same staged batch.
     */
    @Test
    void theCoverageOfAUtmDeliveryIsCheckedSheetBySheetWithTheFindingsOfTheSqlChecks(@TempDir Path dir) throws IOException {
        Map<Defect, Double> rates = new EnumMap<>(Defect.class);
        for (Defect d : List.of(Defect.OVERLAP, Defect.GAP, Defect.SELF_INTERSECTION, Defect.DUPLICATE_RING, Defect.DUPLICATE_NUMBER,
                Defect.UNKNOWN_LAND_USE, Defect.AREA_MISMATCH)) {
            rates.put(d, 0.01);
        }
        SyntheticDistrict d = district(41, 2500, rates);
        GeneratorCommand.write(d, dir.resolve("tm3"), Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        Files.createDirectories(dir.resolve("utm"));
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("utm/district.gpkg"), dir.resolve("tm3/district.gpkg"),
                List.of("-t_srs", "EPSG:32648"), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        ImportService.Outcome o = imports.run("703", dir.resolve("utm/district.gpkg"), true, "test", p -> { });
        long batch = o.batchId();
        assertThat(jdbc.queryForObject("SELECT source_srid FROM staging.import_batch WHERE id = ?", Integer.class, batch)).isEqualTo(32648);
        // the transform rewrote the batch's table (StagingTable.rewrite): still its partition, under its name, with its indexes
        assertThat(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(?) AND inhparent = 'staging.parcel'::regclass)""",
                Boolean.class, StagingTable.name(batch))).isTrue();
        assertThat(jdbc.queryForList("SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = ?::regclass", String.class,
                StagingTable.name(batch))).contains("staging.parcel_b" + batch + "_feature_idx", "staging.parcel_b" + batch + "_key_idx");
        assertThat(jdbc.queryForObject("SELECT to_regclass(?) IS NULL", Boolean.class, "staging.parcel_r" + batch)).isTrue();
        Map<Defect, Long> injected = d.defects().stream().collect(Collectors.groupingBy(SyntheticDistrict.InjectedDefect::kind, Collectors.counting()));
        Map<String, Long> found = findings(batch);
        assertThat(found.get("gap")).isEqualTo(injected.get(Defect.GAP));
        assertThat(found.get("overlap")).isBetween(injected.get(Defect.OVERLAP), 2 * injected.get(Defect.OVERLAP));
        assertThat(found.get("invalid-geometry")).isEqualTo(injected.get(Defect.SELF_INTERSECTION));
        assertThat(found.get("duplicate-number")).isEqualTo(injected.get(Defect.DUPLICATE_NUMBER));
        // the per-parcel findings of its TM-3 twin, checked while reading: the same, parcel by parcel (areas measured
        // in VN-2000 TM-3 on both paths)
        ImportService.Outcome twin = imports.run("703", dir.resolve("tm3/district.gpkg"), true, "test", p -> { });
        String perParcel = """
                SELECT string_agg(rule || ' ' || feature_no, ', ' ORDER BY rule, feature_no) FROM staging.finding WHERE batch_id = ?
                AND rule IN ('invalid-geometry', 'duplicate-number', 'unknown-land-use', 'legacy-land-use', 'area-mismatch', 'unknown-commune')""";
        assertThat(jdbc.queryForObject(perParcel, String.class, batch)).contains("area-mismatch", "unknown-land-use")
                .isEqualTo(jdbc.queryForObject(perParcel, String.class, twin.batchId()));

        assertCoverageOfTheStagedParcelsIsTheSqlOne(jdbc, batch, 32648);
        assertNumbersAsEachLanguageWritesThem(jdbc, batch);

        // in WGS 84 degrees (RFC 7946 GeoJSON, a phone app's export): the same per-parcel findings, areas measured in TM-3
        Files.createDirectories(dir.resolve("wgs84"));
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("wgs84/district.gpkg"), dir.resolve("tm3/district.gpkg"),
                List.of("-t_srs", "EPSG:4326"), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        ImportService.Outcome degrees = imports.run("703", dir.resolve("wgs84/district.gpkg"), true, "test", p -> { });
        assertThat(jdbc.queryForObject(perParcel, String.class, degrees.batchId())).isEqualTo(jdbc.queryForObject(perParcel, String.class, twin.batchId()));
        assertThat(findings(degrees.batchId())).isEqualTo(findings(batch));
        assertCoverageOfTheStagedParcelsIsTheSqlOne(jdbc, degrees.batchId(), 4326);

        // the TM-3 twin with its parcels in random order (as a tool exports by feature id): the coverage checked while
        // reading gives up, the staged parcels are read back sheet by sheet, and the overlaps and gaps are the twin's
        Files.createDirectories(dir.resolve("shuffled"));
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("shuffled/district.gpkg"), dir.resolve("tm3/district.gpkg"),
                List.of("-dialect", "SQLite", "-sql", "SELECT * FROM parcels ORDER BY random()", "-nln", "parcels", "-unsetFid"), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("shuffled/district.gpkg"), dir.resolve("tm3/district.gpkg"),
                List.of("-update", "-sql", "SELECT * FROM map_sheets", "-nln", "map_sheets"), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        ImportService.Outcome shuffled = imports.run("703", dir.resolve("shuffled/district.gpkg"), true, "test", p -> { });
        String coverage = """
                SELECT string_agg(rule || ' ' || round((details->>'area')::numeric, 2), ', ' ORDER BY rule, (details->>'area')::numeric)
                FROM staging.finding WHERE batch_id = ? AND rule IN ('overlap', 'sliver-overlap', 'gap', 'sliver-gap')""";
        assertThat(jdbc.queryForObject(coverage, String.class, shuffled.batchId())).contains("overlap", "gap")
                .isEqualTo(jdbc.queryForObject(coverage, String.class, twin.batchId()));
        assertThat(findings(shuffled.batchId())).isEqualTo(findings(twin.batchId()));
        // its sheets come back again and again, so the duplicate keys are SQL's over the batch: the same keys
        String duplicates = """
                SELECT string_agg(commune_code || '/' || sheet_no || '/' || parcel_no, ', ' ORDER BY commune_code, sheet_no, parcel_no)
                FROM staging.finding WHERE batch_id = ? AND rule = 'duplicate-number'""";
        assertThat(jdbc.queryForObject(duplicates, String.class, shuffled.batchId())).isNotNull()
                .isEqualTo(jdbc.queryForObject(duplicates, String.class, twin.batchId()));
        assertCoverageOfTheStagedParcelsIsTheSqlOne(jdbc, shuffled.batchId(), d.crs().srid());
    }

    /**
     * The overlaps and gaps of a batch validated on the SQL path's per-parcel checks: found sheet by sheet on the
     * staged parcels ({@link BatchValidator#stagedCoverage()}), then found again by the SQL checks on the same
     * batch, and the same (rule, parcel, other parcel, area to the cm²).
     */
    static void assertCoverageOfTheStagedParcelsIsTheSqlOne(JdbcTemplate jdbc, long batch, int sourceSrid) {
        int storage = jdbc.queryForObject("SELECT ST_SRID(geom) FROM staging.parcel WHERE batch_id = ? AND geom IS NOT NULL LIMIT 1", Integer.class, batch);
        BatchValidator validator = new BatchValidator(jdbc, batch, storage, sourceSrid, List.of());
        try (SheetCoverage staged = validator.stagedCoverage()) {
            assertThat(staged.usable()).as(staged.unusableReason()).isTrue();
            assertThat(staged.sheets()).isEqualTo(jdbc.queryForObject(
                    "SELECT count(DISTINCT (commune_code, sheet_no)) FROM staging.parcel WHERE batch_id = ? AND NOT misplaced", Integer.class, batch));
        }
        String coverageFindings = """
                SELECT coalesce(string_agg(rule || ' ' || coalesce(feature_no::text, '-') || ' ' || coalesce(details->>'otherFeature', '-') || ' '
                       || round((details->>'area')::numeric, 2), ', ' ORDER BY rule, feature_no, details->>'otherFeature', (details->>'area')::numeric), '')
                FROM staging.finding WHERE batch_id = ? AND rule IN ('overlap', 'sliver-overlap', 'gap', 'sliver-gap')""";
        String sheetBySheet = jdbc.queryForObject(coverageFindings, String.class, batch);
        jdbc.update("DELETE FROM staging.finding WHERE batch_id = ? AND rule IN ('overlap', 'sliver-overlap', 'gap', 'sliver-gap')", batch);
        validator.validateCoverageInSql();
        assertThat(sheetBySheet).isEqualTo(jdbc.queryForObject(coverageFindings, String.class, batch));
    }

    @Test
    void geoJsonDeliveriesReadLikeTheirGeoPackageTwin(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(39, 900, Map.of());
        GeneratorCommand.write(d, dir, Set.of("gpkg", "geojson"), VietnameseEncoding.UTF8, null);
        ImportService.Outcome fromJson = imports.run("703", dir.resolve("parcels.geojson"), true, "test", p -> { });
        ImportService.Outcome fromGpkg = imports.run("703", dir.resolve("district.gpkg"), true, "test", p -> { });
        assertThat(fromJson.status()).isEqualTo("validated");
        assertThat(deliveryFindings(fromJson.batchId())).isEmpty();
        String rows = "SELECT string_agg(commune_code || '/' || sheet_no || '/' || parcel_no || '/' || land_use_code || '/' || legal_area || '/' "
                + "|| round(ST_Area(geom)::numeric, 1), ',' ORDER BY feature_no) FROM staging.parcel WHERE batch_id = ?";
        assertThat(jdbc.queryForObject(rows, String.class, fromJson.batchId())).isEqualTo(jdbc.queryForObject(rows, String.class, fromGpkg.batchId()));
        assertThat(jdbc.queryForObject("SELECT source_srid FROM staging.import_batch WHERE id = ?", Integer.class, fromJson.batchId())).isEqualTo(9209);
        // the 2008 draft's other crs form, {"type": "EPSG", "properties": {"code": 9209}} (it was ignored: the CRS assumed)
        String json = Files.readString(dir.resolve("parcels.geojson"));
        String epsg = json.replaceFirst("\"crs\":\\{[^}]*\\}\\}", "\"crs\":{\"type\":\"EPSG\",\"properties\":{\"code\":9209}}");
        assertThat(epsg).contains("\"type\":\"EPSG\"");
        Files.createDirectories(dir.resolve("epsg"));
        Files.writeString(dir.resolve("epsg/parcels.geojson"), epsg);
        ImportService.Outcome typed = imports.run("703", dir.resolve("epsg/parcels.geojson"), true, "test", p -> { });
        assertThat(findings(typed.batchId())).doesNotContainKeys("crs-assumed", "crs-recognised");
        assertThat(jdbc.queryForObject("SELECT source_srid FROM staging.import_batch WHERE id = ?", Integer.class, typed.batchId())).isEqualTo(9209);
    }

    @Test
    void aManifestNamesTheColumnsTheCrsAndTheEncodingADeliveryDoesNotSay(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(41, 700, Map.of());
        GeneratorCommand.write(d, dir, Set.of("gpkg", "geojson"), VietnameseEncoding.UTF8, null);
        // the same parcels under a district's own column names, with no CRS declared
        String renamed = Files.readString(dir.resolve("parcels.geojson")).replace("\"MaXa\"", "\"XA_ID\"").replace("\"SoTo\"", "\"TO_SO\"")
                .replace("\"SoThua\"", "\"THUA_SO\"").replace("\"MucDichSD\"", "\"MDSD_2014\"").replace("\"DienTich\"", "\"DT_GCN\"").replace("\"DiaChi\"", "\"DC\"")
                .replaceFirst("\"crs\":\\{[^}]*\\}\\},", "");
        Files.createDirectories(dir.resolve("renamed"));
        Files.writeString(dir.resolve("renamed/parcels.geojson"), renamed);
        ImportService.Outcome without = imports.run("703", dir.resolve("renamed/parcels.geojson"), true, "test", p -> { });
        assertThat(findings(without.batchId())).containsKeys("missing-key", "crs-assumed").containsEntry("no-land-use-column", 1L);
        // the columns nothing was read from are named, with the fields no column was found for
        assertThat(jdbc.queryForObject("SELECT message_en FROM staging.finding WHERE batch_id = ? AND rule = 'columns-unused'", String.class,
                without.batchId())).contains("for the address while").contains("DC").contains("MDSD_2014").doesNotContain("DT_GCN");
        Path manifest = dir.resolve("manifest.json");
        Files.writeString(manifest, """
                {"district": "703", "srid": 9209,
                 "columns": {"commune": ["XA_ID"], "sheet": ["TO_SO"], "parcel": ["THUA_SO"], "landUse": ["MDSD_2014"], "legalArea": ["DT_GCN"],
                             "address": "DC"}}""");
        ImportService.Outcome with = imports.run("703", dir.resolve("renamed/parcels.geojson"), manifest, true, "test", p -> { }, id -> { });
        assertThat(with.status()).isEqualTo("validated");
        assertThat(deliveryFindings(with.batchId())).isEmpty();
        ImportService.Outcome twin = imports.run("703", dir.resolve("district.gpkg"), true, "test", p -> { });
        String rows = "SELECT string_agg(commune_code || '/' || sheet_no || '/' || parcel_no || '/' || land_use_code || '/' || legal_area, ',' "
                + "ORDER BY feature_no) FROM staging.parcel WHERE batch_id = ?";
        assertThat(jdbc.queryForObject(rows, String.class, with.batchId())).isEqualTo(jdbc.queryForObject(rows, String.class, twin.batchId()));
    }

    /**
     * A delivery whose manifest names another CRS than the file's own (TM-3 coordinates read as UTM 48N): said, and,
     * without the communes' boundaries, every sheet lying kilometres from its commune's parcels in the register is an
     * error (it was published 55 km away, in Cambodia, with no finding). Declared right, nothing of the kind.
     */
    @Test
    void aSheetFarFromItsCommunesParcelsInTheRegisterIsRefusedWithoutBoundaries(@TempDir Path dir) throws IOException {
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.admin_unit_legacy WHERE parent_code = '703' AND geom IS NOT NULL",
                Long.class)).as("the test register has no boundaries for 703").isZero();
        SyntheticDistrict d = district(57, 500, Map.of());
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        // declared right: published, nothing of the kind
        ImportService.Outcome right = imports.run("703", dir.resolve("district.gpkg"), false, "test", p -> { });
        assertThat(right.status()).isEqualTo("published");
        assertThat(findings(right.batchId())).doesNotContainKeys("far-from-register", "crs-overridden");
        Path manifest = Files.writeString(dir.resolve("manifest.json"), "{\"srid\": 3405}");
        ImportService.Outcome wrong = imports.run("703", dir.resolve("district.gpkg"), manifest, true, "test", p -> { }, id -> { });
        assertThat(wrong.status()).isEqualTo("rejected");
        Map<String, Long> found = findings(wrong.batchId());
        assertThat(found).containsEntry("crs-overridden", 1L).containsKey("far-from-register");
        long sheets = d.parcels().stream().map(p -> p.communeCode() + "/" + p.sheetNo()).distinct().count();
        assertThat(found.get("far-from-register")).isEqualTo(sheets);
        assertThat(jdbc.queryForObject("SELECT min(message_en) FROM staging.finding WHERE batch_id = ? AND rule = 'far-from-register'", String.class,
                wrong.batchId())).contains("lies far from the current parcels of commune", " km): ", "EPSG:3405", "load the communes' boundaries");
    }

    /**
     * A commune's own file, whose features carry no commune code (the file is the commune's): without a manifest every
     * feature is rejected and one finding says what to do; with the manifest's {@code commune} it reads as the same
     * parcels as the district's file.
     */
    @Test
    void aOneCommuneDeliveryWithoutCommuneCodesTakesTheManifestsCommune(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(43, 700, Map.of());
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        String commune = d.parcels().getFirst().communeCode();
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("commune.gpkg"), dir.resolve("district.gpkg"), List.of("-nln", "thua_dat", "-sql",
                "SELECT geom, SoTo, SoThua, MucDichSD, DienTich, DiaChi FROM parcels WHERE MaXa = '" + commune + "'"),
                vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        ImportService.Outcome without = imports.run("703", dir.resolve("commune.gpkg"), true, "test", p -> { });
        assertThat(without.status()).isEqualTo("rejected");
        assertThat(findings(without.batchId())).containsEntry("no-commune-column", 1L).containsKey("missing-key");
        Path manifest = dir.resolve("manifest.json");
        Files.writeString(manifest, "{\"district\": \"703\", \"commune\": \"" + commune + "\"}");
        ImportService.Outcome with = imports.run("703", dir.resolve("commune.gpkg"), manifest, true, "test", p -> { }, id -> { });
        assertThat(with.status()).isEqualTo("validated");
        assertThat(deliveryFindings(with.batchId())).containsOnlyKeys("commune-from-manifest");
        ImportService.Outcome twin = imports.run("703", dir.resolve("district.gpkg"), true, "test", p -> { });
        String rows = "SELECT string_agg(commune_code || '/' || sheet_no || '/' || parcel_no || '/' || land_use_code || '/' || legal_area || '/' "
                + "|| ST_AsText(geom), ',' ORDER BY commune_code, sheet_no, parcel_no) FROM staging.parcel WHERE batch_id = ? AND commune_code = ?";
        assertThat(jdbc.queryForObject(rows, String.class, with.batchId(), commune))
                .isEqualTo(jdbc.queryForObject(rows, String.class, twin.batchId(), commune));
        Files.writeString(manifest, "{\"commune\": \"Xã 1\"}");
        assertThatThrownBy(() -> Manifest.read(manifest)).hasMessageContaining("5 digits");
    }

    /**
     * A commune column holding the communes' names (as "TenXa" columns and hand-made sheets do), written loosely, and
     * a code the .dbf stored as a number with decimals: read as the codes, one note a name; the parcels come out as
     * with the codes.
     */
    @Test
    void communesWrittenByNameReadAsTheirCodes(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(50, 600, Map.of());
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        Map<String, String> names = new java.util.TreeMap<>();
        jdbc.query("SELECT code, name FROM cadastre.admin_unit_legacy WHERE parent_code = '703'", rs -> {
            names.put(rs.getString(1), rs.getString(2));
        });
        List<String> delivered = d.parcels().stream().map(p -> p.communeCode()).distinct().sorted().toList();
        assertThat(delivered.size()).isGreaterThan(1);
        StringBuilder sql = new StringBuilder("SELECT geom, CASE MaXa");
        for (int i = 0; i < delivered.size(); i++) {
            String code = delivered.get(i);
            String name = names.get(code);
            // the first as the district wrote it, unaccented and short; the last as a number with decimals; the rest by name
            String value = i == 0 ? java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD)
                    .replaceAll("\\p{M}", "").replace("Phuong ", "P.").replace("Xa ", "").replace('Đ', 'D').replace('đ', 'd').toLowerCase(java.util.Locale.ROOT)
                    : i == delivered.size() - 1 ? code + ".0" : name;
            sql.append(" WHEN '").append(code).append("' THEN '").append(value.replace("'", "''")).append("'");
        }
        sql.append(" END AS TenXa, SoTo, SoThua, MucDichSD, DienTich, DiaChi FROM parcels");
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("named.gpkg"), dir.resolve("district.gpkg"), List.of("-nln", "parcels", "-sql", sql.toString()),
                vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        ImportService.Outcome o = imports.run("703", dir.resolve("named.gpkg"), true, "test", p -> { });
        assertThat(o.status()).as(findings(o.batchId()).toString()).isEqualTo("validated");
        assertThat(findings(o.batchId())).containsEntry("commune-named", (long) delivered.size()).doesNotContainKey("unknown-commune");
        ImportService.Outcome twin = imports.run("703", dir.resolve("district.gpkg"), true, "test", p -> { });
        String keys = "SELECT md5(string_agg(commune_code || '/' || sheet_no || '/' || parcel_no, ',' ORDER BY feature_no)) FROM staging.parcel WHERE batch_id = ?";
        assertThat(jdbc.queryForObject(keys, String.class, o.batchId())).isEqualTo(jdbc.queryForObject(keys, String.class, twin.batchId()));
    }

    /** What is read as a land-use code, and what is left for the checks to refuse, without a database. */
    @Test
    void landUseTextReadsCodesWithTheirNamesAndGuessesNothingElse() {
        LandUseText text = new LandUseText(Map.of(LandUseText.simplify("Đất ở tại nông thôn"), "ONT", LandUseText.simplify("Đất trồng cây lâu năm"), "CLN",
                LandUseText.simplify("Đất trồng lúa còn lại"), "LUK"), Set.of("ONT", "CLN", "LUK", "LUC", "LUA", "CAN"), Set.of("ĐẤTVƯỜN"));
        assertThat(text.read("ONT - Đất ở tại nông thôn")).isEqualTo("ONT");
        assertThat(text.read("ONT (đất ở nông thôn)")).isEqualTo("ONT");
        assertThat(text.read("ont: đất ở")).isEqualTo("ONT");
        assertThat(text.read("Dat trong cay lau nam")).isEqualTo("CLN");
        assertThat(text.read("ONT+CLN")).isEqualTo("ONT+CLN");
        // several codes however joined, a code then words without a separator, a code then another code's name, no code
        for (String kept : List.of("ONT CLN", "ONT-CLN", "ONT (CLN)", "ONT - CLN", "Can ho", "Lua nuoc con lai", "LUC - Đất trồng lúa còn lại",
                "XYZ - đất gì đó", "Đất vườn", "đất vườn")) {
            assertThat(text.read(kept)).as(kept).isEqualTo(kept);
        }
        assertThat(text.named()).containsOnlyKeys("ONT - Đất ở tại nông thôn", "ONT (đất ở nông thôn)", "ont: đất ở", "Dat trong cay lau nam");
    }

    /** How a commune is read: codes, numbers, the ways a name is written; nothing guessed. */
    @Test
    void communeTextReadsCodesNumbersAndNamesAndGuessesNothingElse() {
        CommuneText text = new CommuneText(Map.of("00004", "Phường Trúc Bạch", "00006", "Phường 1", "00007", "Phường IV", "00008", "Thị trấn Tân Phú",
                "00009", "Xã Tân Phú", "00010", "Phường Xa La", "00011", "Phường 10"));
        assertThat(List.of("Phường 1", "P.1", "P1", "phuong 1", "P. 1", "Phường 01")).allSatisfy(n -> assertThat(text.read(n)).as(n).isEqualTo("00006"));
        assertThat(text.read("Phường 4")).isEqualTo("00007");
        assertThat(text.read("Phường 10")).isEqualTo("00011");
        assertThat(text.read("TT. Tân Phú")).isEqualTo("00008");
        assertThat(text.read("Xã Tân Phú")).isEqualTo("00009");
        assertThat(text.read("Tân Phú")).as("two communes of that name").isEqualTo("Tân Phú");
        assertThat(text.read("Xa La")).isEqualTo("00010");
        assertThat(text.read("truc bach")).isEqualTo("00004");
        // numbers: padded back only to one of the district's codes
        assertThat(text.read("4")).isEqualTo("00004");
        assertThat(text.read("4.0")).isEqualTo("00004");
        assertThat(text.read("5")).isEqualTo("5");
        assertThat(text.read("00006")).isEqualTo("00006");
        assertThat(text.named()).containsKeys("P.1", "4", "4.0").doesNotContainKeys("5", "00006", "Tân Phú");
    }

    /**
     * Land-use values as sổ mục kê sheets write them: "ONT - Đất ở tại nông thôn" is ONT, a current code's name alone
     * (even without diacritics) is that code, each with a note quoting the value; a name in no list stays an error. In
     * TM-3 (checked while reading) and in UTM (in SQL) alike.
     */
    @ParameterizedTest
    @ValueSource(strings = {"EPSG:9209", "EPSG:32648"})
    void landUsesWrittenWithTheirNamesReadAsTheirCodes(String crs, @TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(49, 500, Map.of());
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("named.gpkg"), dir.resolve("district.gpkg"), List.of("-nln", "parcels", "-t_srs", crs,
                "-sql", "SELECT geom, MaXa, SoTo, SoThua, CASE MucDichSD WHEN 'ONT' THEN 'ONT - Đất ở tại nông thôn' WHEN 'CLN' THEN 'Dat trong cay lau nam'"
                        + " ELSE MucDichSD END AS MucDichSD, DienTich, DiaChi FROM parcels"), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        long ont = d.parcels().stream().filter(p -> p.landUse().equals("ONT")).count();
        long cln = d.parcels().stream().filter(p -> p.landUse().equals("CLN")).count();
        assertThat(ont).isPositive();
        assertThat(cln).isPositive();
        ImportService.Outcome o = imports.run("703", dir.resolve("named.gpkg"), true, "test", p -> { });
        assertThat(o.status()).as(findings(o.batchId()).toString()).isEqualTo("validated");
        assertThat(findings(o.batchId())).containsEntry("land-use-named", 2L).doesNotContainKey("unknown-land-use");
        assertThat(jdbc.queryForList("SELECT message_en FROM staging.finding WHERE batch_id = ? AND rule = 'land-use-named' ORDER BY 1",
                String.class, o.batchId())).containsExactly("land use 'Dat trong cay lau nam' read as CLN (" + cln + " parcels)",
                "land use 'ONT - Đất ở tại nông thôn' read as ONT (" + ont + " parcels)");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.parcel WHERE batch_id = ? AND land_use_code IN ('ONT', 'CLN')", Long.class, o.batchId()))
                .isEqualTo(ont + cln);
        // a name in no list stays what it was: an error quoting it
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("garden.gpkg"), dir.resolve("district.gpkg"), List.of("-nln", "parcels", "-t_srs", crs,
                "-sql", "SELECT geom, MaXa, SoTo, SoThua, CASE MucDichSD WHEN 'ONT' THEN 'Đất vườn' ELSE MucDichSD END AS MucDichSD, DienTich, DiaChi "
                        + "FROM parcels"), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        ImportService.Outcome garden = imports.run("703", dir.resolve("garden.gpkg"), true, "test", p -> { });
        assertThat(findings(garden.batchId())).containsEntry("unknown-land-use", ont).doesNotContainKey("land-use-named");
    }

    /**
     * Keys and areas as people type them in spreadsheets and attribute tables: a sheet number that is no number is an
     * error quoting it (not only "missing"), an area in Vietnamese notation (1.234,5; 245,6) is read, an area that is
     * no number is a warning quoting it and the parcel comes without a legal area (before: silently none).
     */
    @Test
    void keysAndAreasThatAreNoNumbersAreQuotedAndVietnameseNotationIsRead(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(48, 300, Map.of());
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("typed.gpkg"), dir.resolve("district.gpkg"), List.of("-nln", "parcels", "-sql",
                "SELECT geom, MaXa, CASE WHEN SoThua = 1 THEN CAST(SoTo AS TEXT) || 'a' ELSE CAST(SoTo AS TEXT) END AS SoTo, SoThua, MucDichSD,"
                        + " CASE WHEN SoThua = 2 THEN 'khoảng 200' WHEN SoThua = 3 THEN replace(printf('%.1f', DienTich), '.', ',')"
                        + " WHEN SoThua = 4 THEN '1.234,5' ELSE CAST(DienTich AS TEXT) END AS DienTich, DiaChi FROM parcels"),
                vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        long first = d.parcels().stream().filter(p -> p.parcelNo() == 1).count();
        long second = d.parcels().stream().filter(p -> p.parcelNo() == 2).count();
        assertThat(first).isPositive();
        ImportService.Outcome o = imports.run("703", dir.resolve("typed.gpkg"), true, "test", p -> { });
        assertThat(o.status()).isEqualTo("rejected");
        assertThat(findings(o.batchId())).containsEntry("missing-key", first).containsEntry("unreadable-area", second);
        var sheet1 = d.parcels().stream().filter(p -> p.parcelNo() == 1).findFirst().orElseThrow();
        assertThat(jdbc.queryForList("SELECT message_en FROM staging.finding WHERE batch_id = ? AND rule = 'missing-key'", String.class, o.batchId()))
                .contains("parcel key incomplete: sheet number '" + sheet1.sheetNo() + "a' is not a positive whole number");
        assertThat(jdbc.queryForObject("SELECT min(message_en) FROM staging.finding WHERE batch_id = ? AND rule = 'unreadable-area'", String.class, o.batchId()))
                .isEqualTo("legal area 'khoảng 200' is not a number; the parcel is imported without a legal area");
        // dBASE's asterisks for a number it has none for are no value, not a text to quote
        GeneratorCommand.write(d, dir.resolve("shp"), Set.of("shp"), VietnameseEncoding.UTF8, null);
        Path dbf = dir.resolve("shp/parcels.dbf");
        byte[] bytes = Files.readAllBytes(dbf);
        java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int headerLength = Short.toUnsignedInt(h.getShort(8));
        int offset = 1;
        for (int pos = 32; bytes[pos] != 0x0D; pos += 32) {
            String name = new String(bytes, pos, 11, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\0", "").trim();
            int length = Byte.toUnsignedInt(bytes[pos + 16]);
            if (name.equals("DienTich") || name.equals("SoThua")) {
                java.util.Arrays.fill(bytes, headerLength + offset, headerLength + offset + length, (byte) '*');   // the first record's
            }
            offset += length;
        }
        Files.write(dbf, bytes);
        ImportService.Outcome stars = imports.run("703", dir.resolve("shp/parcels.shp"), true, "test", p -> { });
        assertThat(jdbc.queryForList("SELECT message_en FROM staging.finding WHERE batch_id = ? AND message_en LIKE '%*%'", String.class, stars.batchId()))
                .isEmpty();
        assertThat(jdbc.queryForList("SELECT message_en FROM staging.finding WHERE batch_id = ? AND feature_no = 1 AND rule = 'missing-key'",
                String.class, stars.batchId())).singleElement().asString().contains("parcel number");
        // the comma decimals and the grouped thousands read as numbers
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.parcel WHERE batch_id = ? AND parcel_no = 3 AND legal_area IS NULL",
                Long.class, o.batchId())).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.parcel WHERE batch_id = ? AND parcel_no = 4 AND legal_area <> 1234.5",
                Long.class, o.batchId())).isZero();
    }

    /**
     * Parcels of several purposes ("ONT+CLN", as district files write them) are registered with their first code as
     * the main purpose and the others beside it, legacy codes among them mapped (a note), a code in no list refused
     * (an error naming it); a manifest may still name one code for such a value (a note a parcel). In TM-3, checked
     * while reading, and in UTM, checked in SQL; published, the register and the public layer hold every purpose, and
     * the same delivery again changes nothing.
     */
    @ParameterizedTest
    @ValueSource(strings = {"EPSG:9209", "EPSG:32648"})
    void aParcelOfSeveralLandUsesKeepsThemAll(String crs, @TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(44, 700, Map.of());
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("mixed.gpkg"), dir.resolve("district.gpkg"), List.of("-nln", "parcels", "-t_srs", crs,
                "-sql", "SELECT geom, MaXa, SoTo, SoThua, CASE MucDichSD WHEN 'ONT' THEN 'ont + CLN' WHEN 'CLN' THEN 'CLN;BHK;cln' ELSE MucDichSD END"
                        + " AS MucDichSD, DienTich, DiaChi FROM parcels"), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        long mixed = d.parcels().stream().filter(p -> p.landUse().equals("ONT")).count();
        long legacy = d.parcels().stream().filter(p -> p.landUse().equals("CLN")).count();
        assertThat(mixed).isPositive();
        assertThat(legacy).isPositive();
        ImportService.Outcome without = imports.run("703", dir.resolve("mixed.gpkg"), false, "test", p -> { });
        assertThat(without.status()).as(findings(without.batchId()).toString()).isEqualTo("published");
        assertThat(findings(without.batchId())).containsEntry("legacy-land-use", legacy).doesNotContainKeys("unknown-land-use", "land-use-mapped");
        assertThat(jdbc.queryForObject("SELECT min(message_en) || ' | ' || max(message_en) FROM staging.finding WHERE batch_id = ? AND rule = 'legacy-land-use'",
                String.class, without.batchId())).isEqualTo("legacy land-use code CLN;BHK;cln mapped to CLN+HNK | legacy land-use code CLN;BHK;cln mapped to CLN+HNK");
        String registered = "SELECT count(*) FROM cadastre.parcel p JOIN ows.parcels o ON o.id = p.id WHERE p.valid_to IS NULL AND p.land_use_code = ? "
                + "AND p.land_use_other IS NOT DISTINCT FROM ?::text[] AND o.land_uses = ? AND p.opened_by = (SELECT published_change FROM staging.import_batch WHERE id = ?)";
        assertThat(jdbc.queryForObject(registered, Long.class, "ONT", "{CLN}", "ONT+CLN", without.batchId())).isEqualTo(mixed);
        assertThat(jdbc.queryForObject(registered, Long.class, "CLN", "{HNK}", "CLN+HNK", without.batchId())).isEqualTo(legacy);
        long versions = jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel", Long.class);
        jdbc.update("UPDATE staging.import_batch SET checksum = checksum || '-seen' WHERE id = ?", without.batchId());
        ImportService.Outcome again = imports.run("703", dir.resolve("mixed.gpkg"), false, "test", p -> { });
        assertThat(again.status()).isEqualTo("published");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel", Long.class)).as("nothing re-versioned").isEqualTo(versions);
        // the register refuses what the import would not write
        assertThatThrownBy(() -> jdbc.update("UPDATE cadastre.parcel SET land_use_other = '{XYZ}' WHERE valid_to IS NULL AND land_use_code = 'ONT'"))
                .hasMessageContaining("XYZ");
        assertThatThrownBy(() -> jdbc.update("UPDATE cadastre.parcel SET land_use_other = '{ONT}' WHERE valid_to IS NULL AND land_use_code = 'ONT'"))
                .hasMessageContaining("parcel_land_use_other_check");
        assertThatThrownBy(() -> jdbc.update("UPDATE cadastre.parcel SET land_use_other = '{}' WHERE valid_to IS NULL AND land_use_code = 'ONT'"))
                .as("none is NULL, one way").hasMessageContaining("parcel_land_use_other_check");
        // the manifest may still name one code for the value: only that one is registered
        Path manifest = dir.resolve("manifest.json");
        Files.writeString(manifest, "{\"landUseMap\": {\"ONT+CLN\": \"ont\"}}");
        ImportService.Outcome with = imports.run("703", dir.resolve("mixed.gpkg"), manifest, true, "test", p -> { }, id -> { });
        assertThat(with.status()).as(findings(with.batchId()).toString()).isEqualTo("validated");
        assertThat(findings(with.batchId())).containsEntry("land-use-mapped", mixed).containsEntry("legacy-land-use", legacy);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.parcel WHERE batch_id = ? AND land_use_raw = 'ont + CLN' AND land_use_code = 'ONT'"
                + " AND land_use_other IS NULL", Long.class, with.batchId())).isEqualTo(mixed);
        // the same file published before without a manifest is read again with one (a decision that changes what it
        // registers), and the pair published once is then a duplicate
        ImportService.Outcome decided = imports.run("703", dir.resolve("mixed.gpkg"), manifest, false, "test", p -> { }, id -> { });
        assertThat(decided.status()).isEqualTo("published");
        assertThat(jdbc.queryForObject(registered, Long.class, "ONT", null, "ONT", decided.batchId())).isEqualTo(mixed);
        assertThat(imports.run("703", dir.resolve("mixed.gpkg"), manifest, false, "test", p -> { }, id -> { }).status()).isEqualTo("duplicate");
        // a code that is in no list, in the manifest or in the value: said so, by name
        Files.writeString(manifest, "{\"landUseMap\": {\"ONT+CLN\": \"XYZ\"}}");
        ImportService.Outcome unknown = imports.run("703", dir.resolve("mixed.gpkg"), manifest, true, "test", p -> { }, id -> { });
        assertThat(findings(unknown.batchId())).containsEntry("unknown-land-use", mixed);
        assertThat(jdbc.queryForObject("SELECT min(message_en) FROM staging.finding WHERE batch_id = ? AND rule = 'unknown-land-use'",
                String.class, unknown.batchId())).contains("the manifest maps land use");
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("bad.gpkg"), dir.resolve("district.gpkg"), List.of("-nln", "parcels", "-t_srs", crs,
                "-sql", "SELECT geom, MaXa, SoTo, SoThua, CASE MucDichSD WHEN 'ONT' THEN 'ONT+XYZ' ELSE MucDichSD END AS MucDichSD, DienTich, DiaChi "
                        + "FROM parcels"), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        ImportService.Outcome bad = imports.run("703", dir.resolve("bad.gpkg"), true, "test", p -> { });
        assertThat(bad.status()).isEqualTo("rejected");
        assertThat(findings(bad.batchId())).containsEntry("unknown-land-use", mixed);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT message_en) || ' ' || min(message_en) FROM staging.finding WHERE batch_id = ?"
                + " AND rule = 'unknown-land-use' AND location IS NOT NULL", String.class, bad.batchId()))
                .isEqualTo("1 parcel of several land uses ONT+XYZ: code in no list: XYZ");
        Files.writeString(manifest, "{\"landUseMap\": {\"ONT+CLN\": \"đất ở\"}}");
        assertThatThrownBy(() -> Manifest.read(manifest)).hasMessageContaining("2-4 letters");
    }

    /**
     * A delivery of several layers (parcels beside boundaries or roads): the parcels' file is found by its usual
     * name; otherwise the manifest's {@code layer} names it, in a folder of files as in a GeoPackage of tables.
     */
    @Test
    void aDeliveryOfSeveralLayersTakesTheParcelsOrTheLayerTheManifestNames(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(45, 500, Map.of());
        GeneratorCommand.write(d, dir.resolve("src"), Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        Path gpkg = dir.resolve("src/district.gpkg");
        var timeout = vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT;
        // a folder: the parcels as ThuaDat.shp, the map sheets as RanhGioi.shp
        Files.createDirectories(dir.resolve("zip"));
        vn.landgis.geo.Ogr2Ogr.convert("ESRI Shapefile", dir.resolve("zip/ThuaDat.shp"), gpkg, List.of("-sql", "SELECT * FROM parcels"), timeout);
        vn.landgis.geo.Ogr2Ogr.convert("ESRI Shapefile", dir.resolve("zip/RanhGioi.shp"), gpkg, List.of("-sql", "SELECT * FROM map_sheets"), timeout);
        ImportService.Outcome found = imports.run("703", dir.resolve("zip"), true, "test", p -> { });
        assertThat(found.status()).isEqualTo("validated");
        assertThat(found.features()).isEqualTo(d.parcels().size());
        // names that say nothing: the manifest's layer decides
        Files.move(dir.resolve("zip/ThuaDat.shp"), dir.resolve("zip/Lop2.shp"));
        for (String ext : List.of("shx", "dbf", "prj", "cpg")) {
            if (Files.exists(dir.resolve("zip/ThuaDat." + ext))) {
                Files.move(dir.resolve("zip/ThuaDat." + ext), dir.resolve("zip/Lop2." + ext));
            }
        }
        assertThatThrownBy(() -> imports.run("703", dir.resolve("zip"), true, "test", p -> { })).hasMessageContaining("\"layer\"");
        Path manifest = dir.resolve("manifest.json");
        Files.writeString(manifest, "{\"layer\": \"lop2\"}");
        ImportService.Outcome named = imports.run("703", dir.resolve("zip"), manifest, true, "test", p -> { }, id -> { });
        assertThat(named.status()).isEqualTo("validated");
        assertThat(named.features()).isEqualTo(d.parcels().size());
        // a GeoPackage whose parcels' table has another name, beside a second polygon layer
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("two.gpkg"), gpkg, List.of("-nln", "Thua dat 2019", "-sql", "SELECT * FROM parcels"), timeout);
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("two.gpkg"), gpkg, List.of("-update", "-nln", "Ranh gioi to", "-sql", "SELECT * FROM map_sheets"), timeout);
        assertThatThrownBy(() -> imports.run("703", dir.resolve("two.gpkg"), true, "test", p -> { })).hasMessageContaining("\"layer\"");
        Files.writeString(manifest, "{\"layer\": \"Thua dat 2019\"}");
        assertThat(imports.run("703", dir.resolve("two.gpkg"), manifest, true, "test", p -> { }, id -> { }).features()).isEqualTo(d.parcels().size());
        Files.writeString(manifest, "{\"layer\": \"Thua dat 2020\"}");
        assertThatThrownBy(() -> imports.run("703", dir.resolve("two.gpkg"), manifest, true, "test", p -> { }, id -> { }))
                .hasMessageContaining("no layer 'Thua dat 2020'");
        // the parcels' table named in Vietnamese, beside another polygon layer: taken without a manifest (it was refused)
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("vn.gpkg"), gpkg, List.of("-nln", "Thửa đất", "-sql", "SELECT * FROM parcels"), timeout);
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("vn.gpkg"), gpkg, List.of("-update", "-nln", "Ranh giới tờ", "-sql", "SELECT * FROM map_sheets"), timeout);
        assertThat(imports.run("703", dir.resolve("vn.gpkg"), true, "test", p -> { }).features()).isEqualTo(d.parcels().size());
        // a zip made on macOS: its __MACOSX folder and ._ resource forks are no layers
        Files.createDirectories(dir.resolve("mac/__MACOSX"));
        vn.landgis.geo.Ogr2Ogr.convert("ESRI Shapefile", dir.resolve("mac/ThuaDat.shp"), gpkg, List.of("-sql", "SELECT * FROM parcels"), timeout);
        Files.writeString(dir.resolve("mac/__MACOSX/._ThuaDat.shp"), "fork");
        Files.writeString(dir.resolve("mac/._ThuaDat.shp"), "fork");
        assertThat(imports.run("703", dir.resolve("mac"), true, "test", p -> { }).features()).isEqualTo(d.parcels().size());
        // GeoJSON layers: the parcels' file by its name among the generator's four, or the only one whatever its name
        GeneratorCommand.write(d, dir.resolve("json"), Set.of("geojson"), VietnameseEncoding.UTF8, null);
        assertThat(imports.run("703", dir.resolve("json"), true, "test", p -> { }).features()).isEqualTo(d.parcels().size());
        Files.createDirectories(dir.resolve("one"));
        Files.copy(dir.resolve("json/parcels.geojson"), dir.resolve("one/Thua dat xa A.geojson"));
        assertThat(imports.run("703", dir.resolve("one"), true, "test", p -> { }).features()).isEqualTo(d.parcels().size());
        // a folder of GeoPackages: the layer names the file, whose parcels' table is found as usual
        Files.createDirectories(dir.resolve("gpkgs"));
        Files.copy(gpkg, dir.resolve("gpkgs/HuyenA.gpkg"));
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("gpkgs/roads.gpkg"), gpkg, List.of("-nln", "roads", "-sql", "SELECT * FROM map_sheets"), timeout);
        Files.writeString(manifest, "{\"layer\": \"HuyenA\"}");
        assertThat(imports.run("703", dir.resolve("gpkgs"), manifest, true, "test", p -> { }, id -> { }).features()).isEqualTo(d.parcels().size());
        // names written decomposed (NFD, as macOS and some zip tools write them): "Thửa đất" is the parcels' layer
        // beside another, and a manifest's layer written composed (NFC) names it
        Files.createDirectories(dir.resolve("nfd"));
        String nfd = java.text.Normalizer.normalize("Thửa đất", java.text.Normalizer.Form.NFD);
        vn.landgis.geo.Ogr2Ogr.convert("ESRI Shapefile", dir.resolve("nfd/" + nfd + ".shp"), gpkg, List.of("-sql", "SELECT * FROM parcels"), timeout);
        vn.landgis.geo.Ogr2Ogr.convert("ESRI Shapefile", dir.resolve("nfd/Ranh giới.shp"), gpkg, List.of("-sql", "SELECT * FROM map_sheets"), timeout);
        assertThat(imports.run("703", dir.resolve("nfd"), true, "test", p -> { }).features()).isEqualTo(d.parcels().size());
        Files.writeString(manifest, "{\"layer\": \"" + java.text.Normalizer.normalize("Thửa đất", java.text.Normalizer.Form.NFC) + "\"}");
        assertThat(imports.run("703", dir.resolve("nfd"), manifest, true, "test", p -> { }, id -> { }).features()).isEqualTo(d.parcels().size());
    }

    /**
     * A Shapefile without .prj: in degrees it is recognised as WGS 84 from its extent (a warning says so) and reads
     * as the same parcels; in a system none fits (Web Mercator metres) every parcel is refused as outside the province.
     */
    @Test
    void aDeliveryWithoutCrsIsRecognisedByItsCoordinatesOrRefusedOutsideTheProvince(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(46, 400, Map.of());
        GeneratorCommand.write(d, dir.resolve("src"), Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        Path gpkg = dir.resolve("src/district.gpkg");
        for (String crs : List.of("EPSG:4326", "EPSG:3857")) {
            Path out = dir.resolve(crs.replace(':', '_'));
            Files.createDirectories(out);
            vn.landgis.geo.Ogr2Ogr.convert("ESRI Shapefile", out.resolve("parcels.shp"), gpkg, List.of("-t_srs", crs, "-lco", "ENCODING=UTF-8",
                    "-sql", "SELECT * FROM parcels"), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
            Files.delete(out.resolve("parcels.prj"));
        }
        ImportService.Outcome degrees = imports.run("703", dir.resolve("EPSG_4326/parcels.shp"), true, "test", p -> { });
        assertThat(degrees.status()).isEqualTo("validated");
        assertThat(findings(degrees.batchId())).containsEntry("crs-recognised", 1L).doesNotContainKey("crs-assumed");
        assertThat(jdbc.queryForObject("SELECT source_srid FROM staging.import_batch WHERE id = ?", Integer.class, degrees.batchId())).isEqualTo(4326);
        ImportService.Outcome twin = imports.run("703", gpkg, true, "test", p -> { });
        // the same places (GDAL and landgis both take VN-2000 to WGS 84 by the official seven parameters): within 1 cm
        assertThat(jdbc.queryForObject("""
                SELECT max(ST_Distance(ST_Centroid(a.geom), ST_Centroid(b.geom))) FROM staging.parcel a
                JOIN staging.parcel b ON (b.commune_code, b.sheet_no, b.parcel_no) = (a.commune_code, a.sheet_no, a.parcel_no) AND b.batch_id = ?
                WHERE a.batch_id = ?""", Double.class, twin.batchId(), degrees.batchId())).isLessThan(0.01);
        ImportService.Outcome mercator = imports.run("703", dir.resolve("EPSG_3857/parcels.shp"), true, "test", p -> { });
        assertThat(mercator.status()).isEqualTo("rejected");
        assertThat(findings(mercator.batchId())).containsEntry("outside-province", (long) mercator.features()).containsEntry("crs-assumed", 1L);
        // a GeoJSON in UTM 49N without its crs member: recognised by its coordinates as the Shapefile is by its header
        // (both crs-ambiguous here; the GeoJSON was read as the district's TM-3 system, every parcel outside the province)
        Files.createDirectories(dir.resolve("utmjson"));
        vn.landgis.geo.Ogr2Ogr.convert("GeoJSON", dir.resolve("utmjson/raw.geojson"), gpkg, List.of("-t_srs", "EPSG:32649", "-sql", "SELECT * FROM parcels"),
                vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        String raw = Files.readString(dir.resolve("utmjson/raw.geojson"));
        Files.writeString(dir.resolve("utmjson/parcels.geojson"), raw.replaceFirst("\"crs\":\\s*\\{[^{}]*\\{[^{}]*\\}\\s*\\},", ""));
        Files.delete(dir.resolve("utmjson/raw.geojson"));
        assertThat(Files.readString(dir.resolve("utmjson/parcels.geojson"))).doesNotContain("\"crs\"");
        vn.landgis.geo.Ogr2Ogr.convert("ESRI Shapefile", dir.resolve("utmjson/twin.shp"), gpkg, List.of("-t_srs", "EPSG:32649", "-lco", "ENCODING=UTF-8",
                "-sql", "SELECT * FROM parcels"), vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        Files.delete(dir.resolve("utmjson/twin.prj"));
        ImportService.Outcome utm = imports.run("703", dir.resolve("utmjson/parcels.geojson"), true, "test", p -> { });
        ImportService.Outcome twinShp = imports.run("703", dir.resolve("utmjson/twin.shp"), true, "test", p -> { });
        java.util.function.Function<Long, Map<String, Long>> crsFindings = batch -> findings(batch).entrySet().stream()
                .filter(e -> e.getKey().startsWith("crs-") || e.getKey().equals("misplaced-sheet") || e.getKey().equals("outside-province"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(crsFindings.apply(utm.batchId())).isNotEmpty().isEqualTo(crsFindings.apply(twinShp.batchId())).doesNotContainKey("outside-province");
        assertThat(jdbc.queryForObject("SELECT source_srid FROM staging.import_batch WHERE id = ?", Integer.class, utm.batchId()))
                .isEqualTo(jdbc.queryForObject("SELECT source_srid FROM staging.import_batch WHERE id = ?", Integer.class, twinShp.batchId()));
    }

    /**
     * Features a messy layer holds beside its parcels (a point, a coordinate of 1e308) are each refused with their
     * finding; the import goes on and reports the rest (it stopped with "Infinite or NaN" or "Point is not a polygon").
     */
    /** Curved geometries (a CAD export's, or QGIS's MultiSurface) are said to be so, with how to save them readable. */
    @Test
    void curvedGeometriesAreNamedWithHowToSaveThem(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(58, 200, Map.of());
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        vn.landgis.geo.Ogr2Ogr.convert("GPKG", dir.resolve("curved.gpkg"), dir.resolve("district.gpkg"), List.of("-nlt", "MULTISURFACE", "-nln", "parcels"),
                vn.landgis.geo.Ogr2Ogr.DEFAULT_TIMEOUT);
        ImportService.Outcome o = imports.run("703", dir.resolve("curved.gpkg"), true, "test", p -> { });
        assertThat(o.status()).isEqualTo("rejected");
        assertThat(findings(o.batchId())).containsEntry("curved-geometry", 1L).containsEntry("no-geometry", (long) o.features());
        assertThat(jdbc.queryForObject("SELECT message_en FROM staging.finding WHERE batch_id = ? AND rule = 'curved-geometry'", String.class, o.batchId()))
                .startsWith(o.features() + " parcels have curved geometries").contains("ogr2ogr -nlt MULTIPOLYGON");
    }

    @Test
    void hostileGeometriesAreRefusedOneByOneNotTheWholeFile(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(47, 300, Map.of());
        GeneratorCommand.write(d, dir, Set.of("geojson"), VietnameseEncoding.UTF8, null);
        var mapper = new tools.jackson.databind.ObjectMapper();
        var json = (tools.jackson.databind.node.ObjectNode) mapper.readTree(Files.readString(dir.resolve("parcels.geojson")));
        var features = (tools.jackson.databind.node.ArrayNode) json.get("features");
        ((tools.jackson.databind.node.ObjectNode) features.get(0)).set("geometry",
                mapper.readTree("{\"type\": \"Polygon\", \"coordinates\": [[[1e308, 1e308], [1, 0], [0, 1], [1e308, 1e308]]]}"));
        ((tools.jackson.databind.node.ObjectNode) features.get(1)).set("geometry", mapper.readTree("{\"type\": \"Point\", \"coordinates\": [565000, 1250000]}"));
        Files.createDirectories(dir.resolve("hostile"));
        Files.writeString(dir.resolve("hostile/parcels.geojson"), mapper.writeValueAsString(json));
        ImportService.Outcome o = imports.run("703", dir.resolve("hostile/parcels.geojson"), true, "test", p -> { });
        assertThat(o.status()).isEqualTo("rejected");
        assertThat(o.features()).isEqualTo(d.parcels().size());
        assertThat(findings(o.batchId())).containsEntry("bad-coordinates", 1L).containsEntry("no-geometry", 1L);
    }

    @Test
    void theExampleManifestsAreValid() throws IOException {
        try (var files = Files.list(Path.of("data-import/manifests"))) {
            // a plan's manifest (kind "plan") is PlanManifest's, with its own columns
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                if (PlanManifest.isPlan(f)) {
                    assertThat(PlanManifest.read(f).columns().aliases()).as(f.toString()).containsKeys("zoneCode", "landUse");
                    assertThatThrownBy(() -> Manifest.read(f)).hasMessageContaining("/api/imports/plans");
                } else {
                    assertThat(Manifest.read(f).mapping().aliases()).as(f.toString()).containsKeys("commune", "sheet", "parcel");
                }
            }
        }
        Path bad = Files.createTempFile("manifest", ".json");
        Files.writeString(bad, "{\"columns\": {\"owners\": [\"X\"]}}");
        assertThatThrownBy(() -> Manifest.read(bad)).hasMessageContaining("unknown field");
        Files.writeString(bad, "{\"srid\": 4242}");
        assertThatThrownBy(() -> Manifest.read(bad)).hasMessageContaining("unsupported srid");
    }

    @Test
    void legacyEncodedShapefilesReadAsTheSameNfcTextAsUtf8(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(34, 800, Map.of());
        Map<String, List<String>> texts = new java.util.HashMap<>();
        for (var variant : List.of(new Object[] {VietnameseEncoding.UTF8, "TRUTH"}, new Object[] {VietnameseEncoding.TCVN3, "NONE"},
                new Object[] {VietnameseEncoding.VNI_WINDOWS, "LIE"}, new Object[] {VietnameseEncoding.TCVN3, "LIE"})) {
            Path out = dir.resolve(variant[0] + "-" + variant[1]);
            GeneratorCommand.write(d, out, Set.of("shp"), (VietnameseEncoding) variant[0], vn.landgis.generator.Cpg.parse((String) variant[1]));
            ImportService.Outcome o = imports.run("703", out.resolve("parcels.shp"), true, "test", p -> { });
            assertThat(o.status()).isEqualTo("validated");
            String note = jdbc.queryForObject("SELECT encoding_note FROM staging.import_batch WHERE id = ?", String.class, o.batchId());
            assertThat(note).startsWith(variant[0].toString());
            texts.put(variant[0] + "-" + variant[1], jdbc.queryForList(
                    "SELECT coalesce(address, '') || '|' || coalesce(owner, '') FROM staging.parcel WHERE batch_id = ? ORDER BY feature_no", String.class, o.batchId()));
        }
        List<String> utf8 = texts.get("UTF8-TRUTH");
        assertThat(utf8).hasSize(d.parcels().size()).anyMatch(s -> s.contains("Đường"));
        texts.values().forEach(t -> assertThat(t).isEqualTo(utf8));
    }

    @Test
    void brokenShapefilesGetAClearErrorAndLeaveNoTrace(@TempDir Path dir) throws IOException {
        SyntheticDistrict d = district(35, 400, Map.of());
        GeneratorCommand.write(d, dir, Set.of("shp"), VietnameseEncoding.UTF8, null);
        Path shp = dir.resolve("parcels.shp");
        Path shx = dir.resolve("parcels.shx");
        byte[] original = Files.readAllBytes(shx);
        Files.write(shx, java.util.Arrays.copyOf(original, original.length - 16));
        assertThatThrownBy(() -> imports.run("703", shp, true, "test", p -> { })).hasMessageContaining(".shx does not match");
        Files.write(shx, original);
        // without its index, a record whose length (in 16-bit words) doubles past 2^31 into a small positive number
        byte[] shpBytes = Files.readAllBytes(shp);
        byte[] hostile = shpBytes.clone();
        java.nio.ByteBuffer.wrap(hostile).putInt(104, 0x80000001);
        Files.write(shp, hostile);
        Files.delete(shx);
        assertThatThrownBy(() -> imports.run("703", shp, true, "test", p -> { })).hasStackTraceContaining("beyond the end of the .shp");
        Files.write(shx, original);
        // a layer of lines (the parcels' boundaries exported as polylines): said at once, in both languages
        byte[] lines = shpBytes.clone();
        java.nio.ByteBuffer.wrap(lines).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(32, 3);
        Files.write(shp, lines);
        assertThatThrownBy(() -> imports.run("703", shp, true, "test", p -> { })).hasMessageContaining("chứa đường (polyline), không phải vùng")
                .hasMessageContaining("holds lines (polylines), not polygons");
        Files.write(shp, new byte[0]);
        assertThatThrownBy(() -> imports.run("703", shp, true, "test", p -> { })).hasMessageContaining("empty");
        assertThatThrownBy(() -> imports.run("999", shp, true, "test", p -> { })).hasMessageContaining("unknown district");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM staging.import_batch WHERE status = 'failed' AND message LIKE '%shx%'", Integer.class)).isPositive();
    }
}
