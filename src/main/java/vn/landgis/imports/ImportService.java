package vn.landgis.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.function.DoubleConsumer;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.locationtech.jts.geom.Envelope;
import org.springframework.context.ApplicationEventPublisher;
import vn.landgis.cadastre.RegisterChanged;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import vn.landgis.geo.ProvinceProperties;

/**
 * Runs an import job: reads a delivery into {@code staging}, checks it into findings, and publishes it into the
 * register in one transaction (or not at all: a batch with errors is rejected, a dry run stops after the
 * checks, a delivery already published is recognised by its checksum and changes nothing).
 *
 * <p>Reading streams: features go to PostgreSQL in COPY chunks, the heap holds one chunk at a time.
 */
@Service
public class ImportService {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ImportService.class);

    /** numeric(14, 1): the registered area must stay below this once rounded. m². */
    private static final java.math.BigDecimal MAX_LEGAL_AREA = new java.math.BigDecimal("1e13");

    /** Overlaps and gaps smaller than this are digitising noise (slivers): reported, not errors. m². */
    static final double SLIVER_M2 = 0.5;

    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;
    private final DataSource dataSource;
    private final TransactionTemplate tx;
    private final ProvinceProperties province;
    /** A finished batch's staged parcels are dropped after this many days (its findings, counts and report stay). */
    private final int stagingRetentionDays;

    ImportService(JdbcTemplate jdbc, DataSource dataSource, ProvinceProperties province, ApplicationEventPublisher events,
                  @org.springframework.beans.factory.annotation.Value("${landgis.imports.staging-retention-days:30}") int stagingRetentionDays) {
        this.stagingRetentionDays = stagingRetentionDays;
        this.events = events;
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        // plain JDBC transactions: the import uses no JPA, and the CLI's lazy context then never starts Hibernate (1.7 s)
        this.tx = new TransactionTemplate(new org.springframework.jdbc.support.JdbcTransactionManager(dataSource));
        this.province = province;
    }

    /** What a finished job says: the batch, its status and counts. */
    public record Outcome(long batchId, String status, int features, int accepted, int rejected, long errors, long warnings, String message) {
    }

    public Outcome run(String districtCode, Path delivery, boolean dryRun, String actor, DoubleConsumer progress) throws IOException {
        return run(districtCode, delivery, null, dryRun, actor, progress, id -> { });
    }

    /** As {@link #run(String, Path, boolean, String, DoubleConsumer)}, telling {@code onBatch} the batch id as soon as it exists. */
    public Outcome run(String districtCode, Path delivery, Path manifestFile, boolean dryRun, String actor, DoubleConsumer progress,
                       java.util.function.LongConsumer onBatch) throws IOException {
        Manifest manifest = manifestFile == null ? Manifest.NONE : Manifest.read(manifestFile);
        if (!districtCode.matches("[0-9]{3}") || jdbc.queryForObject(
                "SELECT count(*) FROM cadastre.admin_unit_legacy WHERE code = ? AND level = 'district'", Integer.class, districtCode) == 0) {
            throw new IllegalArgumentException("unknown district " + districtCode);
        }
        try {
            int dropped = StagingTable.dropExpired(jdbc, tx, stagingRetentionDays);
            int orphans = AddressText.dropOrphans(jdbc);
            if (orphans > 0) {
                log.info("dropped the unattached address strings of {} batches whose publish did not commit", orphans);
            }
            if (dropped > 0) {
                log.info("dropped the staged parcels of {} batches finished more than {} days ago", dropped, stagingRetentionDays);
            }
        } catch (RuntimeException e) {
            log.warn("staging retention: {}", e.getMessage());   // housekeeping never stops an import
        }
        CommuneText communes = CommuneText.forDistrict(jdbc, districtCode);
        Path main = mainFile(delivery, manifest.layer(), communes);
        // the file's (and its companions') checksum, and what of the manifest changes how it is read
        String checksum = checksum(main) + registerChecksum(delivery, main) + manifest.fingerprint();
        // the same delivery published before: nothing to do, unless the district's register changed since (a later
        // delivery or an edit), when delivering it again is how an officer puts it back: it is read, and stored
        // with the change it follows so that it may be published again
        Object[] earlier = jdbc.query("""
                SELECT id, published_change FROM staging.import_batch
                WHERE district_code = ? AND status = 'published' AND (checksum = ? OR starts_with(checksum, ? || '+after'))
                ORDER BY id DESC LIMIT 1""", rs -> rs.next() ? new Object[] {rs.getLong(1), rs.getLong(2)} : null, districtCode, checksum, checksum);
        Long since = earlier == null ? null : jdbc.queryForObject("""
                SELECT max(c) FROM (
                    SELECT max(opened_by) c FROM cadastre.parcel p JOIN cadastre.admin_unit_legacy u ON u.code = p.commune_code AND u.parent_code = ?
                    WHERE p.opened_by > ?
                    UNION ALL
                    SELECT max(closed_by) FROM cadastre.parcel p JOIN cadastre.admin_unit_legacy u ON u.code = p.commune_code AND u.parent_code = ?
                    WHERE p.closed_by > ?) x""", Long.class, districtCode, earlier[1], districtCode, earlier[1]);
        long batch = jdbc.queryForObject("""
                INSERT INTO staging.import_batch (district_code, source_name, checksum, status, dry_run, actor)
                VALUES (?, ?, ?, 'reading', ?, ?) RETURNING id""", Long.class,
                districtCode, sourceName(main, communes), since == null ? checksum : checksum + "+after" + since, dryRun, actor);
        if (earlier != null && since == null) {
            onBatch.accept(batch);
            finish(batch, "duplicate", "Đã nhập lô này (lô " + earlier[0] + "), sổ địa chính của huyện chưa đổi từ đó / this delivery was already "
                    + "published as batch " + earlier[0] + " and the district's register has not changed since");
            return outcome(batch);
        }
        if (earlier != null) {
            finding(batch, "info", "delivered-again", null, "Lô này đã được công bố (lô " + earlier[0] + "); sổ địa chính đã đổi từ đó (thay đổi "
                    + since + "): công bố lại sẽ đưa các thửa về như lô này giao", "this delivery was published before (batch " + earlier[0]
                    + "); the register has changed since (change " + since + "): publishing it again puts its parcels back as it delivers them");
        }
        DeliveryReader opened;
        try {
            opened = open(delivery, main, manifest, communes);
            if (manifest.swapAxes()) {
                opened = new SwappedAxes(opened);
            }
        } catch (IOException | RuntimeException e) {
            finish(batch, "failed", e.getMessage());
            throw e;
        }
        onBatch.accept(batch);   // from here on the job is under way: its status tells the rest
        try (DeliveryReader reader = opened) {
            int srid = manifest.srid() != null ? manifest.srid() : sourceSrid(reader, districtCode, batch);
            jdbc.update("UPDATE staging.import_batch SET source_srid = ?, encoding_note = ? WHERE id = ?", srid, reader.encodingNote(), batch);
            if (manifest.srid() != null && reader.declaredSrid() != 0 && reader.declaredSrid() != manifest.srid()) {
                // the manifest overrules the file: said, since one of the two is wrong (it was silent)
                finding(batch, "warning", "crs-overridden", null, "Tệp khai báo hệ tọa độ EPSG:" + reader.declaredSrid() + ", manifest ghi EPSG:"
                        + manifest.srid() + ": đọc theo manifest; nếu các tờ lệch chỗ, bỏ srid khỏi manifest",
                        "the file declares EPSG:" + reader.declaredSrid() + ", the manifest EPSG:" + manifest.srid()
                                + ": read as the manifest says; if the sheets land out of place, leave srid out of the manifest");
            }
            if (manifest.swapAxes()) {
                finding(batch, "info", "axes-swapped-read", null, "Tọa độ đọc với X và Y đổi chỗ, theo manifest (swapAxes)",
                        "coordinates read with X and Y exchanged, as the manifest says (swapAxes)");
            }
            String[] doubt = reader.encodingDoubt();
            if (doubt != null) {
                finding(batch, "warning", "encoding-uncertain", null, doubt[0], doubt[1]);
            }
            long t0 = System.nanoTime();
            // the per-parcel checks run while reading, unless the source is not VN-2000 TM-3 or a placement fix
            // will move sheets and check again: then they run as SQL over the staged batch
            FeatureChecks checks = manifest.fixPlacement() ? null
                    : FeatureChecks.forBatch(jdbc, districtCode, srid, province.storageSrid(), reader.sheetScales())
                            .map(c -> c.landUseMap(manifest.landUseMap())).orElse(null);
            SheetCoverage coverage = read(reader, manifest.mapping(), manifest.commune(), batch, srid, checks,
                    LandUseText.forImport(jdbc, manifest.landUseMap().keySet()), communes, progress);
            readerFindings(reader.findings(), batch, srid);
            if (!manifest.swapAxes()) {
                // X and Y swapped: the file's extent says so up front, confirmed by the staged parcels' (a GeoPackage's
                // contents table may be stale); a format without an extent up front: the staged parcels' (one scan)
                double[] extent = reader.extent();
                if (extent == null || swappedFit(extent, srid, districtCode).isPresent()) {
                    extent = stagedExtent(batch);
                }
                if (extent != null) {
                    int read = srid;
                    swappedFit(extent, srid, districtCode).ifPresent(fits -> reportSwapped(batch, read, fits));
                }
            }
            log.info("batch {}: reading and staging took {} ms", batch, (System.nanoTime() - t0) / 1_000_000);
            jdbc.update("UPDATE staging.import_batch SET status = 'validating', progress = 0.6 WHERE id = ?", batch);
            progress.accept(0.6);
            long mark = jdbc.queryForObject("SELECT coalesce(max(id), 0) FROM staging.finding WHERE batch_id = ?", Long.class, batch);
            new BatchValidator(jdbc, batch, province.storageSrid(), srid, reader.sheetScales()).landUseMap(manifest.landUseMap()).provinceExtent(province.extentWgs84()).validate(checks != null, coverage,
                    checks == null ? -1 : checks.invalid(), checks != null && checks.duplicatesLeftToSql());
            Runnable validate = () -> new BatchValidator(jdbc, batch, province.storageSrid(), srid, reader.sheetScales()).landUseMap(manifest.landUseMap()).provinceExtent(province.extentWgs84()).validate(false, null);
            if (manifest.fixPlacement()) {
                PlacementFix.apply(jdbc, batch, srid, mark, validate);
            }
            reportRetired(batch, manifest.replaceCommunes());
            if (manifest.holders()) {
                reportHoldersThatDiffer(batch);
            }
            progress.accept(0.9);
        } catch (IOException | RuntimeException e) {
            finish(batch, "failed", e.getMessage());
            throw e;
        }
        long errors = jdbc.queryForObject("SELECT count(*) FROM staging.finding WHERE batch_id = ? AND severity = 'error'", Long.class, batch);
        if (errors == 0 && jdbc.queryForObject("SELECT accepted_count FROM staging.import_batch WHERE id = ?", Integer.class, batch) == 0) {
            // nothing read as a parcel (a drawing without labels, an empty layer): no publish of nothing reported as done
            finding(batch, "error", "no-parcels", null, "Không đọc được thửa nào từ lô giao: xem các cảnh báo",
                    "no parcel could be read from the delivery: see the warnings");
            errors = 1;
        }
        if (errors > 0) {
            finish(batch, "rejected", errors + " lỗi chặn việc công bố / " + errors + (errors == 1 ? " error blocks" : " errors block") + " publishing; see the findings");
        } else if (dryRun) {
            finish(batch, "validated", "Chạy thử: không ghi gì vào sổ địa chính / dry run: nothing written to the register"
                    + holdersNote(batch, manifest.holders(), true));
        } else {
            long t0 = System.nanoTime();
            try {
                publish(batch, actor, progress, manifest.replaceCommunes(), manifest.holders());
            } catch (RuntimeException e) {
                // the transaction rolled back: the register is as it was; the batch says why instead of 'publishing'
                finish(batch, "failed", "Công bố thất bại, sổ địa chính không đổi / publishing failed, the register is unchanged: "
                        + (e instanceof org.springframework.dao.DataAccessException d ? d.getMostSpecificCause().getMessage() : e.getMessage()));
                throw e;
            }
            log.info("batch {}: publishing took {} ms", batch, (System.nanoTime() - t0) / 1_000_000);
        }
        progress.accept(1.0);
        return outcome(batch);
    }

    Outcome outcome(long batch) {
        return jdbc.queryForObject("""
                SELECT b.id, b.status, b.feature_count, b.accepted_count, b.rejected_count,
                       (SELECT count(*) FROM staging.finding f WHERE f.batch_id = b.id AND f.severity = 'error'),
                       (SELECT count(*) FROM staging.finding f WHERE f.batch_id = b.id AND f.severity = 'warning'), b.message
                FROM staging.import_batch b WHERE b.id = ?""", (rs, i) -> new Outcome(rs.getLong(1), rs.getString(2), rs.getInt(3),
                rs.getInt(4), rs.getInt(5), rs.getLong(6), rs.getLong(7), rs.getString(8)), batch);
    }

    private void finish(long batch, String status, String message) {
        jdbc.update("UPDATE staging.import_batch SET status = ?, message = ?, finished_at = now(), progress = 1 WHERE id = ?", status, message, batch);
    }

    // ---------------------------------------------------------------- reading

    private static final String GEOMETRY_FILE = ".*\\.(gpkg|shp|tab|mif|dgn|dxf|geojson)$|^(parcels|thuadat|thua_dat)\\.json$";
    private static final String CAD_FILE = ".*\\.(dgn|dxf)$";
    private static final String REGISTER_FILE = ".*\\.xlsx?$";
    /** Files a manifest's {@code layer} may name. */
    private static final String NAMED_FILE = ".*\\.(gpkg|shp|tab|mif|geojson|json)$";
    /** The names (lower case, letters and digits only) of a delivery's parcels among several layers' files. */
    private static final Set<String> PARCEL_LAYER = Set.of("parcels", "parcel", "thuadat", "thua");

    /**
     * A delivery's parcel files when its communes come in files of their own: the layer files (not CAD sheets) whose
     * names begin with a parcels' name and go on ("ThuaDat_25456.shp", "thua_xa_binh_minh.gpkg"), all of one format.
     * Empty otherwise.
     */
    static List<Path> parcelParts(Path delivery, CommuneText communeCode) throws IOException {
        List<Path> parts = filesIn(delivery, NAMED_FILE).stream().filter(f -> {
            String name = TextKeys.key(baseName(f));
            return !PARCEL_LAYER.contains(name) && PARCEL_LAYER.stream().anyMatch(name::startsWith);
        }).toList();
        long formats = parts.stream().map(f -> lower(f).replaceAll("^.*\\.", "")).distinct().count();
        // every file named for a commune of the district (a label layer "ThuaDat_Nhan", "parcels_old" and "parcels_new",
        // "Thuan_An" are not parts of one delivery)
        boolean communes = parts.stream().allMatch(f -> partCommune(f, communeCode) != null);
        return formats == 1 && communes ? parts : List.of();
    }

    /** The commune of the district a part's name gives ("ThuaDat_25456", "thua_dat_xa_binh_minh"), or null. */
    static String partCommune(Path part, CommuneText communes) {
        String rest = baseName(part).replaceFirst("(?i)^(thua[ _-]?dat|thua|parcels?)[ _.-]*", "").replace('_', ' ').strip();
        String code = rest.isEmpty() ? null : communes.code(rest);
        return code != null && communes.known(code) ? code : null;
    }

    /** The batch's source as people know it: the file, or a delivery's files ("ThuaDat_25456.shp +9"). */
    private static String sourceName(Path main, CommuneText communeCode) throws IOException {
        if (!Files.isDirectory(main)) {
            return main.getFileName().toString();
        }
        List<Path> parts = parcelParts(main, communeCode);
        List<Path> files = parts.isEmpty() ? filesIn(main, CAD_FILE) : parts;
        return files.isEmpty() ? main.getFileName().toString()
                : files.getFirst().getFileName() + (files.size() > 1 ? " +" + (files.size() - 1) : "");
    }

    /** A file's name without its extension, NFC (a zip or a Mac writes Vietnamese names decomposed). */
    private static String baseName(Path f) {
        String name = java.text.Normalizer.normalize(f.getFileName().toString(), java.text.Normalizer.Form.NFC);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /**
     * The file to read: the delivery itself, or the one geometry file in its folder; a folder of FAMIS map sheets
     * (.dgn/.dxf, one per sheet) is read as a whole and stands for itself.
     */
    private static Path mainFile(Path delivery, String layer, CommuneText communeCode) throws IOException {
        if (Files.isDirectory(delivery)) {
            List<Path> candidates = filesIn(delivery, GEOMETRY_FILE);
            if (layer != null) {
                // the manifest names the parcels' file (or a GeoPackage's table, when the delivery holds one GeoPackage)
                List<Path> named = filesIn(delivery, NAMED_FILE).stream().filter(f -> baseName(f).equalsIgnoreCase(layer)).toList();
                if (named.size() == 1) {
                    return named.getFirst();
                }
                if (named.isEmpty() && candidates.size() == 1 && lower(candidates.getFirst()).endsWith(".gpkg")) {
                    return candidates.getFirst();
                }
                List<Path> parts = parcelParts(delivery, communeCode);
                if (named.isEmpty() && parts.size() > 1 && parts.stream().allMatch(f -> lower(f).endsWith(".gpkg"))) {
                    return delivery;   // a commune a GeoPackage: the layer is each one's table
                }
                throw new IOException("the manifest's layer '" + layer + "' names " + (named.isEmpty() ? "no file" : named.size() + " files")
                        + " of the delivery (" + candidates.stream().map(f -> delivery.relativize(f).toString()).toList() + ")");
            }
            if (candidates.size() > 1 && candidates.stream().allMatch(f -> lower(f).matches(CAD_FILE))) {
                return delivery;
            }
            if (candidates.size() > 1) {
                // a delivery of several layers (boundaries, roads, labels beside the parcels): the one named as parcels are
                List<Path> parcels = candidates.stream().filter(f -> PARCEL_LAYER.contains(TextKeys.key(baseName(f))))
                        .toList();
                List<Path> parts = parcelParts(delivery, communeCode);
                if (parcels.size() == 1 && parts.size() > 1) {
                    throw new IOException("the delivery holds both " + delivery.relativize(parcels.getFirst()) + " and a file a commune ("
                            + parts.stream().map(f -> f.getFileName().toString()).toList() + "): name the parcels' file in a manifest (\"layer\"), or deliver one of the two");
                }
                if (parcels.size() == 1) {
                    return parcels.getFirst();
                }
                if (parcels.isEmpty() && parts.size() > 1) {
                    return delivery;   // the communes' parcels in files of their own: read as one (open)
                }
            }
            if (candidates.isEmpty()) {
                // an archive inside the archive (a district zipping its zip) is the usual reason
                List<String> inner = filesIn(delivery, ".*\\.(zip|rar|7z)$").stream().map(f -> delivery.relativize(f).toString()).toList();
                throw new IOException("Lô giao nộp không có tệp bản đồ (.gpkg, .shp, .tab, .mif, .geojson hoặc tờ .dgn/.dxf)"
                        + (inner.isEmpty() ? "" : "; trong đó có tệp nén " + inner + ": giải nén rồi nén lại một lần")
                        + " / the delivery holds no map file (.gpkg, .shp, .tab, .mif, .geojson or .dgn/.dxf sheets)"
                        + (inner.isEmpty() ? "" : "; it holds the archive " + inner + ": unpack it and zip its files once"));
            }
            if (candidates.size() != 1) {
                throw new IOException("expected one .gpkg, .shp, .tab, .mif or .geojson (or .dgn/.dxf map sheets) in the delivery, found "
                        + candidates.stream().map(f -> delivery.relativize(f).toString()).toList()
                        + (candidates.isEmpty() ? "" : ": name the parcels' file in a manifest (\"layer\")"));
            }
            return candidates.get(0);
        }
        if (!Files.isRegularFile(delivery)) {
            throw new IOException(delivery + " does not exist");
        }
        return delivery;
    }

    private static List<Path> filesIn(Path dir, String pattern) throws IOException {
        try (var files = Files.walk(dir, 8)) {   // a district's folders: commune, year, format, ...
            return files.filter(Files::isRegularFile).filter(f -> !archiveJunk(dir, f)).filter(f -> lower(f).matches(pattern)).sorted().toList();
        }
    }

    /**
     * What an archiver or an editor leaves beside a delivery's files: macOS's __MACOSX folder and ._ resource forks,
     * Office's lock file of a workbook open while it was zipped ("~$SoMucKe.xlsx").
     */
    static boolean archiveJunk(Path dir, Path f) {
        if (f.getFileName().toString().startsWith("._") || f.getFileName().toString().startsWith("~$")) {
            return true;
        }
        for (Path part : dir.relativize(f)) {
            if (part.toString().equals("__MACOSX")) {
                return true;
            }
        }
        return false;
    }

    private static String lower(Path f) {
        return f.getFileName().toString().toLowerCase(Locale.ROOT);
    }

    /** The reader of a delivery's geometries, joined to the Excel register that lies beside them, if one does. */
    private static DeliveryReader open(Path delivery, Path file, Manifest manifest, CommuneText communeCode) throws IOException {
        DeliveryReader geometries = open(file, manifest, communeCode);
        List<Path> registers = Files.isDirectory(delivery) ? filesIn(delivery, REGISTER_FILE) : List.of();
        if (registers.size() > 1) {
            geometries.close();
            String names = registers.stream().map(r -> delivery.relativize(r).toString()).toList().toString();
            throw new IOException("Lô giao nộp có nhiều sổ Excel " + names + ": chỉ để một / the delivery holds several Excel registers "
                    + names + ": leave one");
        }
        try {
            return registers.isEmpty() ? geometries : new RegisterSheetJoin(geometries, registers.getFirst(), manifest.mapping(), communeCode::code);
        } catch (IOException | RuntimeException e) {
            geometries.close();
            throw e;
        }
    }

    private static DeliveryReader open(Path file, Manifest manifest, CommuneText communeCode) throws IOException {
        if (Files.isDirectory(file)) {
            List<Path> parts = parcelParts(file, communeCode);
            if (parts.size() > 1) {
                List<DeliveryReader> readers = new ArrayList<>();
                try {
                    List<String> communes = new ArrayList<>();
                    for (Path part : parts) {
                        readers.add(layerReader(part, manifest, List.of("parcels", "thua_dat", "thuadat"), "parcel"));
                        communes.add(partCommune(part, communeCode));   // for the file's features without one
                    }
                    return new SeveralFiles(readers, parts.stream().map(p -> p.getFileName().toString()).toList(), communes, manifest.mapping());
                } catch (IOException | RuntimeException e) {
                    for (DeliveryReader r : readers) {
                        try {
                            r.close();
                        } catch (IOException | RuntimeException closing) {
                            e.addSuppressed(closing);
                        }
                    }
                    throw e;
                }
            }
            return new FamisReader(file, filesIn(file, CAD_FILE), communeCode, manifest);
        }
        if (lower(file).matches(CAD_FILE)) {
            return new FamisReader(null, List.of(file), communeCode, manifest);
        }
        return layerReader(file, manifest, List.of("parcels", "thua_dat", "thuadat"), "parcel");
    }

    /**
     * The reader of one layer file (GeoPackage, Shapefile, GeoJSON, MapInfo); in a GeoPackage the table the manifest's
     * {@code layer} names (unless it names the file itself), else the first of {@code layers}, else the only polygon
     * layer. Parcel deliveries and commune boundaries ({@link BoundaryImport}) alike.
     */
    static DeliveryReader layerReader(Path file, Manifest manifest, List<String> layers, String what) throws IOException {
        String name = lower(file);
        if (name.endsWith(".tab") || name.endsWith(".mif")) {
            return new MapInfoReader(file, manifest.encoding());
        }
        if (name.endsWith(".gpkg")) {
            return manifest.layer() == null || baseName(file).equalsIgnoreCase(manifest.layer())
                    ? new GeoPackageReader(file, layers, what) : GeoPackageReader.layer(file, manifest.layer());
        }
        if (name.endsWith(".shp")) {
            return new ShapefileReader(file, manifest.encoding());
        }
        if (name.endsWith(".geojson") || name.endsWith(".json")) {
            return new GeoJsonReader(file);
        }
        throw new IOException("unsupported file " + file.getFileName() + " (GeoPackage, Shapefile, GeoJSON, MapInfo"
                + (what.equals("parcel") ? ", DGN or DXF)" : ")"));
    }

    /**
     * The Excel register lying beside a delivery's geometry file, as a suffix of the batch's checksum ("+r" and 16 hex
     * digits; "" without one): the same map with a corrected register is another delivery (it was refused as the
     * one already published, the register never read). A delivery of several files (FAMIS sheets) counts every file
     * in {@link #checksum} already.
     */
    static String registerChecksum(Path delivery, Path main) throws IOException {
        if (!Files.isDirectory(delivery) || Files.isDirectory(main)) {
            return "";
        }
        List<Path> registers = filesIn(delivery, REGISTER_FILE);
        if (registers.isEmpty()) {
            return "";
        }
        MessageDigest sha = sha256();
        byte[] buffer = new byte[1 << 16];
        for (Path p : registers) {
            digest(sha, p, buffer);
        }
        return "+r" + HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds a file's bytes to {@code sha}. */
    private static void digest(MessageDigest sha, Path file, byte[] buffer) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
    }

    /** SHA-256 over the file and, for a shapefile, its companions. */
    static String checksum(Path main) throws IOException {
        MessageDigest sha = sha256();
        List<Path> parts = new ArrayList<>(Files.isDirectory(main) ? List.of() : List.of(main));
        if (Files.isDirectory(main)) {
            parts.addAll(filesIn(main, ".*"));
        } else if (main.toString().toLowerCase(Locale.ROOT).endsWith(".shp")) {
            String base = main.getFileName().toString().replaceAll("(?i)\\.shp$", "");
            try (var files = Files.list(main.getParent())) {
                files.filter(f -> lower(f).matches(
                        java.util.regex.Pattern.quote(base.toLowerCase(Locale.ROOT)) + "\\.(dbf|shx|prj|cpg)")).sorted().forEach(parts::add);
            }
        }
        byte[] buffer = new byte[1 << 16];
        for (Path p : parts) {
            if (Files.isDirectory(main)) {
                // a delivery of several files: their names count too (a file renamed for another commune is another delivery)
                sha.update(main.relativize(p).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            digest(sha, p, buffer);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The declared CRS, or the district's own TM-3 system with a warning when the delivery declares none. */
    private int sourceSrid(DeliveryReader reader, String districtCode, long batch) {
        int declared = reader.declaredSrid();
        if (declared != 0 && vn.landgis.geo.SupportedCrs.bySrid(declared).isPresent()) {
            return declared;
        }
        Integer assumed = jdbc.queryForObject("SELECT source_srid FROM cadastre.admin_unit_legacy WHERE code = ?", Integer.class, districtCode);
        int srid = assumed == null ? province.storageSrid() : assumed;
        // the district's own system unless the coordinates cannot be in it and can be in another (degrees, UTM)
        var recognised = recognise(where(jdbc, province, districtCode), reader.extent(), srid);
        if (recognised.size() > 1) {
            // the numbers fit several systems: read in the first, and refused until the delivery says which
            String all = recognised.stream().map(c -> "EPSG:" + c.srid() + " (" + c.title() + ")").collect(java.util.stream.Collectors.joining(", "));
            finding(batch, "error", "crs-ambiguous", null, "Tệp không khai báo hệ tọa độ, và khoảng tọa độ hợp với nhiều hệ: " + all
                            + "; hãy khai báo (.prj hoặc srid trong manifest)",
                    "the delivery declares no CRS, and its coordinates fit several: " + all + "; declare it (.prj, or srid in a manifest)");
            jdbc.update("UPDATE staging.import_batch SET source_crs_note = ? WHERE id = ?", "ambiguous: " + all, batch);
            return recognised.getFirst().srid();
        }
        if (recognised.size() == 1 && recognised.getFirst().srid() != srid) {
            var crs = recognised.getFirst();
            finding(batch, "warning", "crs-recognised", null, "Tệp không khai báo hệ tọa độ được hỗ trợ; theo khoảng tọa độ, đọc là EPSG:" + crs.srid()
                            + " (" + crs.title() + "), không phải EPSG:" + srid + " của huyện",
                    "the delivery declares " + (declared == 0 ? "no CRS" : "no supported CRS (EPSG:" + declared + ")") + "; its coordinates read as EPSG:" + crs.srid() + " (" + crs.title()
                            + "), not as the district's EPSG:" + srid);
            jdbc.update("UPDATE staging.import_batch SET source_crs_note = ? WHERE id = ?", "recognised from the coordinates", batch);
            return crs.srid();
        }
        finding(batch, "warning", "crs-assumed", null, "Tệp không khai báo hệ tọa độ được hỗ trợ; giả định EPSG:" + srid + " của huyện",
                "the delivery declares " + (declared == 0 ? "no CRS" : "no supported CRS (EPSG:" + declared + ")") + "; assumed the district's EPSG:" + srid);
        jdbc.update("UPDATE staging.import_batch SET source_crs_note = ? WHERE id = ?", "assumed from the district", batch);
        return srid;
    }

    /**
     * Where a district's deliveries must lie, in WGS 84 (west, south, east, north): the district's outline with about
     * 1 km around it when every one of its communes' boundaries is loaded, else the province's extent.
     */
    static List<Double> where(JdbcTemplate jdbc, vn.landgis.geo.ProvinceProperties province, String district) {
        List<List<Double>> box = jdbc.query("""
                SELECT ST_XMin(e) - 0.01, ST_YMin(e) - 0.01, ST_XMax(e) + 0.01, ST_YMax(e) + 0.01
                FROM (SELECT ST_Transform(ST_Envelope(geom), 4326) e FROM cadastre.admin_unit_legacy d WHERE code = ? AND geom IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM cadastre.admin_unit_legacy c WHERE c.parent_code = d.code AND c.geom IS NULL)) d""",
                (rs, i) -> List.of(rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)), district);
        List<Double> p = province.extentWgs84();
        // the province's extent with the margin outside-province allows (0.1°): a district at its edge fits its own system
        return box.isEmpty() ? List.of(p.get(0) - 0.1, p.get(1) - 0.1, p.get(2) + 0.1, p.get(3) + 0.1) : box.getFirst();
    }

    /**
     * The systems in which a delivery's extent (its corners and centre) lies in {@code box} (WGS 84: west, south, east,
     * north; {@link #where}): the district's own {@code assumed} system alone when it fits; else every one of degrees,
     * the VN-2000 TM-3 systems and UTM that fits, in that order. Empty when the extent is unknown or none fits. UTM 48N
     * on VN-2000 or on WGS 84 and TM-3 105°00′ put the same numbers a few hundred metres apart, and within the
     * province (not the district) the province's two TM-3 systems both fit numbers 25 km apart: more than one means
     * the coordinates cannot tell.
     */
    static List<vn.landgis.geo.SupportedCrs> recognise(List<Double> box, double[] extent, int assumed) {
        if (extent == null) {
            return List.of();
        }
        List<vn.landgis.geo.SupportedCrs> candidates = new ArrayList<>();
        vn.landgis.geo.SupportedCrs.bySrid(assumed).ifPresent(candidates::add);
        for (int srid : new int[] {4326, 9209, 9210, 3405, 32648, 3406, 32649, 5897}) {
            vn.landgis.geo.SupportedCrs.bySrid(srid).filter(c -> !candidates.contains(c)).ifPresent(candidates::add);
        }
        List<vn.landgis.geo.SupportedCrs> fitting = new ArrayList<>();
        for (var crs : candidates) {
            if (fits(box, extent, crs)) {
                if (crs.srid() == assumed) {
                    return List.of(crs);
                }
                fitting.add(crs);
            }
        }
        return fitting;
    }

    /** The staged parcels' extent as delivered ({minX, minY, maxX, maxY}), or null when none has a geometry. */
    private double[] stagedExtent(long batch) {
        return jdbc.query("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(source_geom) AS e FROM "
                + StagingTable.name(batch) + ") x WHERE e IS NOT NULL", rs -> rs.next()
                        ? new double[] {rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)} : null);
    }

    /** Whether an extent's corners and centre, read in {@code crs}, lie in {@code box} (WGS 84: west, south, east, north). */
    static boolean fits(List<Double> box, double[] extent, vn.landgis.geo.SupportedCrs crs) {
        double[][] points = {{extent[0], extent[1]}, {extent[2], extent[3]}, {(extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2}};
        for (double[] p : points) {
            try {
                if (crs.geographic() && (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90)) {
                    return false;
                }
                double[] ll = crs.toWgs84(p[0], p[1]);
                if (!(ll[0] >= box.get(0) && ll[1] >= box.get(1) && ll[0] <= box.get(2) && ll[1] <= box.get(3))) {
                    return false;
                }
            } catch (RuntimeException e) {
                return false;   // no answer from the projection's inverse for such numbers
            }
        }
        return true;
    }

    /**
     * A delivery whose extent lies nowhere near the district in its CRS but would with X and Y exchanged (northing
     * first, as Vietnamese surveying writes X): one error saying so and what to do, beside the parcels'
     * outside-province errors that follow. True when found.
     */
    private java.util.Optional<Integer> swappedFit(double[] extent, int srid, String districtCode) {
        return extent == null ? java.util.Optional.empty() : swappedIn(where(jdbc, province, districtCode), extent, srid);
    }

    /**
     * The system in which an extent lies in {@code box} only with X and Y exchanged: its own {@code srid}, or another
     * that fits (a wrong declaration besides); empty when it fits as it is, or not at all.
     */
    static java.util.Optional<Integer> swappedIn(List<Double> box, double[] extent, int srid) {
        var crs = vn.landgis.geo.SupportedCrs.bySrid(srid);
        if (crs.isEmpty()) {
            return java.util.Optional.empty();
        }
        if (fits(box, extent, crs.get())) {
            return java.util.Optional.empty();
        }
        // exchanged, in its own CRS or (a wrong declaration besides) in another that fits the district
        var fitting = recognise(box, SwappedAxes.swap(extent), srid);
        return fitting.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(fitting.getFirst().srid());
    }

    /** The one error of a file whose X and Y are swapped: it fits the district exchanged, in EPSG:{@code fits}. */
    private void reportSwapped(long batch, int srid, int fits) {
        String inVi = fits == srid ? "" : " theo EPSG:" + fits + " (không phải EPSG:" + srid + " đã đọc: khai báo cả srid)";
        String inEn = fits == srid ? "" : " in EPSG:" + fits + " (not the EPSG:" + srid + " read: declare the srid too)";
        finding(batch, "error", "axes-swapped", null,
                "Tọa độ ghi X (Bắc) trước, Y (Đông) sau: đổi lại, tệp nằm trong huyện" + inVi
                        + "; chọn \"X (Bắc) trước\" trong tùy chọn hoặc ghi \"swapAxes\": true trong manifest",
                "the file's X and Y are swapped (northing first, as Vietnamese surveying writes X): exchanged, it lies in the district" + inEn
                        + "; set \"swapAxes\": true in a manifest to read it the right way round");
    }

    /**
     * Streams the features into staging.parcel through COPY, in chunks; ring defects are repaired and reported. With
     * {@code checks}, the per-parcel checks run on the way and the sheets' coverage is checked on a worker thread:
     * returned, finished (null without checks); when it was given up ({@link SheetCoverage#usable()} false) it still
     * holds the re-check of the transform, and the overlaps and gaps are checked on the staged parcels.
     */
    private SheetCoverage read(DeliveryReader reader, ColumnMapping columns, String defaultCommune, long batch, int srid, FeatureChecks checks,
                               LandUseText landUses, CommuneText communes, DoubleConsumer progress) throws IOException {
        long total = Math.max(1, reader.featureCount());
        Connection connection = DataSourceUtils.getConnection(dataSource);
        Connection findingConnection = null;
        CopyStream parcels = null;
        CopyStream findingRows = null;
        SheetCoverage coverage = null;
        boolean done = false;
        try {
            String sql = "COPY " + StagingTable.name(batch) + " (batch_id, feature_no, commune_code, sheet_no, parcel_no, land_use_raw, legal_area, address, owner, source_geom, rejected,"
                    + " land_use_code, map_scale, geom_area, source_valid, geom, land_use_other) FROM STDIN WITH (FORMAT binary)";
            String findingSql = "COPY staging.finding (batch_id, severity, rule, feature_no, commune_code, sheet_no, parcel_no, message_vi, message_en, details)"
                    + " FROM STDIN WITH (FORMAT csv)";
            // one COPY per table for the whole batch, each on its own connection: PostgreSQL takes the rows in while the
            // reader goes on (a COPY per chunk made the two wait for each other)
            findingConnection = dataSource.getConnection();
            StagingTable.create(jdbc, batch);
            parcels = new CopyStream(connection, sql, true);
            findingRows = new CopyStream(findingConnection, findingSql, false);
            BinaryCopy row = parcels.binary;
            StringBuilder findingCsv = findingRows.rows;
            CopyStream parcelStream = parcels;
            CopyStream findingStream = findingRows;
            List<FeatureChecks.Found> found = new ArrayList<>();
            coverage = checks == null ? null : new SheetCoverage(new org.locationtech.jts.geom.GeometryFactory(), true, checks.transforms());
            SheetCoverage sheets = coverage;
            int[] count = {0};
            int[] withoutCommune = {0};
            List<Object[]> findings = new ArrayList<>();
            IOException[] failure = {null};
            ColumnMapping.Lookup lookup = columns.lookup();
            // the columns features carried: features may differ (those an Excel register joined carry its columns too);
            // gathered when a feature's number of columns differs from the one before it
            Map<String, String> seenColumns = new java.util.LinkedHashMap<>();
            int[] lastColumns = {-1};
            reader.forEach(f -> {
                if (failure[0] != null) {
                    return;
                }
                count[0]++;
                if (f.attributes().size() != lastColumns[0]) {
                    lastColumns[0] = f.attributes().size();
                    f.attributes().forEach(seenColumns::putIfAbsent);
                }
                String commune = communes.read(text(lookup.get(f.attributes(), ColumnMapping.COMMUNE)));
                if (commune != null && defaultCommune != null && !communes.known(commune) && !commune.matches("[0-9.]+")) {
                    commune = null;   // a name not read as one of the district's communes, in a delivery the manifest says is one commune's
                }
                if (commune == null) {
                    withoutCommune[0]++;
                    commune = defaultCommune;
                }
                String sheetRaw = lookup.get(f.attributes(), ColumnMapping.SHEET);
                String parcelRaw = lookup.get(f.attributes(), ColumnMapping.PARCEL);
                Integer sheet = integer(sheetRaw);
                Integer parcel = integer(parcelRaw);
                RingChecks.Result rings;
                try {
                    rings = RingChecks.check(f.polygons());
                } catch (RuntimeException e) {
                    rings = new RingChecks.Result(null, List.of(), true, List.of());
                }
                boolean rejected = rings.empty() || commune == null || sheet == null || parcel == null;
                for (String repair : rings.repairs().stream().distinct().toList()) {
                    findings.add(new Object[] {f.featureNo(), commune, sheet, parcel, repair});
                }
                if (rings.empty() && !rings.repairs().contains("bad-coordinates")) {
                    findings.add(new Object[] {f.featureNo(), commune, sheet, parcel, "no-geometry"});
                }
                if (commune == null || sheet == null || parcel == null) {
                    findings.add(new Object[] {f.featureNo(), commune, sheet, parcel, "missing-key", missingKey(commune, sheetRaw, sheet, parcelRaw, parcel)});
                }
                String deliveredLandUse = text(lookup.get(f.attributes(), ColumnMapping.LAND_USE));
                // "ONT - Đất ở tại nông thôn", or a name alone: staged as its code (one note a value, after the reading)
                String landUseRaw = landUses.read(deliveredLandUse);
                String areaRaw = lookup.get(f.attributes(), ColumnMapping.LEGAL_AREA);
                String legalArea = decimal(areaRaw);
                if (legalArea == null && areaRaw != null && !areaRaw.isBlank()) {
                    found.add(unreadableArea(f.featureNo(), commune, sheet, parcel, areaRaw));   // streamed with the checks' findings
                }
                FeatureChecks.Checked checked = checks == null ? null
                        : checks.check(f.featureNo(), commune, sheet, parcel, landUseRaw, legalArea, rings.polygons(), rejected, found);
                row.row(17);
                row.int8(batch);
                row.int4(f.featureNo());
                row.text(commune);
                row.int4(sheet);
                row.int4(parcel);
                row.text(landUseRaw);
                row.numeric(legalArea == null ? null : new java.math.BigDecimal(legalArea), 1);
                row.text(text(lookup.get(f.attributes(), ColumnMapping.ADDRESS)));
                row.text(text(lookup.get(f.attributes(), ColumnMapping.OWNER)));
                row.ewkb(rings.wkb(), srid);
                row.bool(rejected);
                if (checked == null) {
                    for (int k = 0; k < 6; k++) {
                        row.nul();
                    }
                } else {
                    row.text(checked.landUseCode());
                    row.int4(checked.mapScale());
                    row.numeric(checked.geomArea(), 2);
                    row.bool(checked.valid());
                    row.ewkb(checked.storage(), province.storageSrid());
                    if (checked.coverage() == null && !rings.empty()) {
                        sheets.unusable("feature " + f.featureNo() + ": a geometry the checks could not build");
                    }
                    sheets.add(f.featureNo(), commune, sheet, parcel, checked.coverage());
                    row.textArray(checked.landUseOther());
                }
                for (FeatureChecks.Found x : found) {
                    findingCsv.append(batch).append(',').append(x.severity()).append(',').append(x.rule()).append(',').append(x.featureNo()).append(',')
                            .append(csvText(x.commune())).append(',').append(x.sheet() == null ? "" : x.sheet()).append(',')
                            .append(x.parcel() == null ? "" : x.parcel()).append(',').append(csvText(x.vi())).append(',')
                            .append(csvText(x.en())).append(',').append(csvText(x.details())).append('\n');
                }
                found.clear();
                try {
                    parcelStream.maybeSend();
                    findingStream.maybeSend();
                } catch (java.sql.SQLException e) {
                    failure[0] = new IOException("staging failed: " + e.getMessage(), e);
                }
                if (count[0] % 10_000 == 0) {
                    progress.accept(0.5 * count[0] / total);
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
            parcels.end();
            findingRows.end();
            long attaching = System.nanoTime();
            StagingTable.attach(jdbc, batch);
            log.info("batch {}: staged parcels attached and indexed in {} ms", batch, (System.nanoTime() - attaching) / 1_000_000);
            long waited = System.nanoTime();
            if (coverage != null) {
                coverage.finish();
                log.info("batch {}: waiting for the last sheets' coverage took {} ms ({} of {} sheets proved clean by their edges)", batch,
                        (System.nanoTime() - waited) / 1_000_000, coverage.provedClean(), coverage.sheets());
                if (!coverage.usable()) {
                    log.info("batch {}: coverage not checked while reading ({}): checked on the staged parcels", batch, coverage.unusableReason());
                }
            }
            for (Object[] r : findings) {
                String rule = (String) r[4];
                String[] text = r.length > 5 ? (String[]) r[5] : switch (rule) {
                    case "unclosed-ring" -> new String[] {"warning", "Vòng ranh giới không khép kín; đã khép lại", "a ring was not closed; closed by repeating its first point"};
                    case "duplicate-ring" -> new String[] {"warning", "Vòng ranh giới bị lặp; đã bỏ bản lặp", "a polygon was repeated in the feature; the repeat was dropped"};
                    case "degenerate-ring" -> new String[] {"warning", "Vòng ranh giới dưới 4 điểm; đã bỏ", "a ring of fewer than 4 points was dropped"};
                    case "no-geometry" -> new String[] {"error", "Thửa không có hình học đọc được", "the feature has no readable polygon"};
                    case "bad-coordinates" -> new String[] {"error", "Tọa độ không phải số hữu hạn hoặc quá lớn (trên 1e8)",
                            "a coordinate is not a finite number or is beyond any system (over 1e8)"};
                    default -> new String[] {"error", "Thiếu mã xã, số tờ hoặc số thửa", "commune code, sheet or parcel number missing"};
                };
                jdbc.update("""
                        INSERT INTO staging.finding (batch_id, severity, rule, feature_no, commune_code, sheet_no, parcel_no, location, message_vi, message_en)
                        VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT ST_Transform(ST_PointN(ST_ExteriorRing(ST_GeometryN(source_geom, 1)), 1), ?) FROM staging.parcel WHERE batch_id = ? AND feature_no = ?), ?, ?)""",
                        batch, text[0], rule, r[0], r[1], r[2], r[3], province.storageSrid(), batch, r[0], text[1], text[2]);
            }
            landUses.named().forEach((delivered, n) -> finding(batch, "info", "land-use-named", null,
                    "Loại đất '" + shorten(delivered.strip()) + "' đọc là " + n[0] + " (" + n[1] + " thửa)",
                    "land use '" + shorten(delivered.strip()) + "' read as " + n[0] + " (" + n[1] + " parcels)"));
            communes.named().forEach((delivered, n) -> finding(batch, "info", "commune-named", null,
                    "Xã '" + shorten(delivered) + "' đọc là mã " + n[0] + " (" + n[1] + " thửa)",
                    "commune '" + shorten(delivered) + "' read as code " + n[0] + " (" + n[1] + " parcels)"));
            if (withoutCommune[0] > 0 && defaultCommune != null) {
                finding(batch, "info", "commune-from-manifest", null,
                        withoutCommune[0] + " thửa không có mã xã (hoặc tên xã không đọc được); lấy mã xã " + defaultCommune + " trong manifest",
                        withoutCommune[0] + " parcels carry no commune code (or a name not read as one); the manifest's " + defaultCommune + " given");
            } else if (withoutCommune[0] == count[0] && count[0] > 0) {
                // every feature rejected for the same reason: say once what to do about it
                finding(batch, "error", "no-commune-column", null,
                        "Không đối tượng nào có mã xã: hãy chỉ cột mã xã (columns.commune) hoặc mã xã của cả tệp (commune) trong manifest",
                        "no feature carries a commune code: name its column (columns.commune) or the commune of the whole delivery (commune) in a manifest");
            }
            if (count[0] > 0) {
                missingColumns(batch, columns, seenColumns);
            }
            jdbc.update("UPDATE staging.import_batch SET feature_count = ?, progress = 0.5 WHERE id = ?", count[0], batch);
            done = true;
            return coverage;
        } catch (java.sql.SQLException e) {
            throw new IOException("staging failed: " + e.getMessage(), e);
        } finally {
            if (!done) {
                if (parcels != null) {
                    parcels.cancel();
                }
                if (findingRows != null) {
                    findingRows.cancel();
                }
                if (coverage != null) {
                    coverage.close();
                }
                try {
                    StagingTable.attach(jdbc, batch);   // what was staged stays inspectable with the batch's findings
                } catch (RuntimeException e) {
                    log.warn("batch {}: the staged parcels' table could not be attached: {}", batch, e.getMessage());
                }
            }
            if (findingConnection != null) {
                try {
                    findingConnection.close();
                } catch (java.sql.SQLException e) {
                    log.debug("closing the findings' connection: {}", e.getMessage());
                }
            }
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /**
     * One {@code COPY ... FROM STDIN} kept open for a whole batch: rows are sent in blocks of about 128 KB as they
     * are made, so the heap holds one block and PostgreSQL works in parallel with the reader.
     */
    private static final class CopyStream {

        /** CSV rows, or (binary) {@link #binary}'s. */
        final StringBuilder rows = new StringBuilder(1 << 18);
        final BinaryCopy binary;
        private final org.postgresql.copy.CopyIn in;

        CopyStream(Connection connection, String sql, boolean binary) throws java.sql.SQLException {
            this.in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
            this.binary = binary ? new BinaryCopy() : null;
        }

        void maybeSend() throws java.sql.SQLException {
            if ((binary == null ? rows.length() : binary.size()) >= 1 << 17) {
                send();
            }
        }

        private void send() throws java.sql.SQLException {
            if (binary != null) {
                binary.drain((bytes, length) -> in.writeToCopy(bytes, 0, length));
            } else if (!rows.isEmpty()) {
                byte[] bytes = rows.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                in.writeToCopy(bytes, 0, bytes.length);
                rows.setLength(0);
            }
        }

        void end() throws java.sql.SQLException {
            if (binary != null) {
                binary.end();
            }
            send();
            in.endCopy();
        }

        void cancel() {
            try {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            } catch (java.sql.SQLException e) {
                // the connection is closing anyway
            }
        }
    }

    /** What the reader found (unclosed lines, labels, register rows) as findings, located in the storage CRS. */
    private void readerFindings(List<DeliveryReader.Finding> found, long batch, int srid) {
        jdbc.batchUpdate("""
                INSERT INTO staging.finding (batch_id, severity, rule, commune_code, sheet_no, parcel_no, location, message_vi, message_en)
                VALUES (?, ?, ?, ?, ?, ?, CASE WHEN ?::float8 = 'NaN' THEN NULL ELSE ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), ?), ?) END, ?, ?)""",
                found, 1000, (ps, f) -> {
                    ps.setLong(1, batch);
                    ps.setString(2, f.severity());
                    ps.setString(3, f.rule());
                    ps.setString(4, f.commune());
                    ps.setObject(5, f.sheet());
                    ps.setObject(6, f.parcel());
                    ps.setDouble(7, f.x());
                    ps.setDouble(8, f.x());
                    ps.setDouble(9, f.y());
                    ps.setInt(10, srid);
                    ps.setInt(11, province.storageSrid());
                    ps.setString(12, f.messageVi());
                    ps.setString(13, f.messageEn());
                });
    }

    private static String text(String s) {
        return s == null || s.isBlank() ? null : Normalizer.normalize(s.strip(), Normalizer.Form.NFC);
    }

    private static Integer integer(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            double d = Double.parseDouble(s.strip());
            return d >= 1 && d == Math.rint(d) && d < Integer.MAX_VALUE ? (int) d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The error of a feature without its full key: what is missing, and a value that is there but no whole number
     * (a sheet "12a", a parcel "45/2") as delivered.
     */
    static String[] missingKey(String commune, String sheetRaw, Integer sheet, String parcelRaw, Integer parcel) {
        List<String> vi = new ArrayList<>();
        List<String> en = new ArrayList<>();
        if (commune == null) {
            vi.add("thiếu mã xã");
            en.add("no commune code");
        }
        if (sheet == null) {
            boolean given = sheetRaw != null && !sheetRaw.isBlank();
            vi.add(given ? "số tờ '" + shorten(sheetRaw.strip()) + "' không phải số nguyên dương" : "thiếu số tờ");
            en.add(given ? "sheet number '" + shorten(sheetRaw.strip()) + "' is not a positive whole number" : "no sheet number");
        }
        if (parcel == null) {
            boolean given = parcelRaw != null && !parcelRaw.isBlank();
            vi.add(given ? "số thửa '" + shorten(parcelRaw.strip()) + "' không phải số nguyên dương" : "thiếu số thửa");
            en.add(given ? "parcel number '" + shorten(parcelRaw.strip()) + "' is not a positive whole number" : "no parcel number");
        }
        return new String[] {"error", "Thiếu khóa thửa: " + String.join(", ", vi), "parcel key incomplete: " + String.join(", ", en)};
    }

    /** The warning of a legal area that is no number, or one that reads two ways ("1,234": a thousand, or one?). */
    static FeatureChecks.Found unreadableArea(int featureNo, String commune, Integer sheet, Integer parcel, String raw) {
        String shown = shorten(raw.strip());
        boolean ambiguous = AMBIGUOUS_AREA.matcher(areaText(raw)).matches();
        return new FeatureChecks.Found(featureNo, commune, sheet, parcel, "warning", "unreadable-area",
                ambiguous ? "Diện tích pháp lý '" + shown + "' có thể là nghìn hoặc số thập phân; thửa được nhập không có diện tích pháp lý"
                        : "Diện tích pháp lý '" + shown + "' không đọc được thành số; thửa được nhập không có diện tích pháp lý",
                ambiguous ? "legal area '" + shown + "' reads as thousands or as decimals; the parcel is imported without a legal area"
                        : "legal area '" + shown + "' is not a number; the parcel is imported without a legal area", "{}");
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** "1.234,5" (Vietnamese), "1,234.5" (English), "245,6", "245.6 m²": the number; a lone comma is the decimal one. */
    private static final java.util.regex.Pattern AREA_UNIT = java.util.regex.Pattern.compile("(?i)\\s*(m2|m²|m\\^2)$");
    /** Grouped thousands, with decimals or more than one group ("1.234" and "1,234" alone are decimals: a file's 245.125 stays). */
    private static final java.util.regex.Pattern VN_GROUPED = java.util.regex.Pattern.compile("-?\\d{1,3}((\\.\\d{3})+,\\d+|(\\.\\d{3}){2,})");
    private static final java.util.regex.Pattern EN_GROUPED = java.util.regex.Pattern.compile("-?\\d{1,3}((,\\d{3})+\\.\\d+|(,\\d{3}){2,})");

    private static final java.util.regex.Pattern AMBIGUOUS_AREA = java.util.regex.Pattern.compile("-?\\d{1,3},\\d{3}");

    /** A typed area without its unit and spaces. */
    private static String areaText(String s) {
        return AREA_UNIT.matcher(s.strip()).replaceFirst("").replace(" ", "").replace("\u00a0", "");
    }

    /** A delivered number as PostgreSQL will take it into numeric(14, 1), or null when it cannot. */
    static String decimal(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        if (plainDecimal(s)) {
            // "245.6", as nearly every file's numeric column gives it: no grouping or unit to read (the patterns and
            // the rounding below were a tenth of the reading thread's samples, JFR, 1 M parcels)
            double d = Double.parseDouble(s);
            if (Math.abs(d) < 1e12) {
                return Double.toString(d);
            }
        }
        String v = areaText(s);
        if (AMBIGUOUS_AREA.matcher(v).matches()) {
            return null;   // "1,234": a Vietnamese decimal comma or an English thousands group; areas have one decimal
        } else if (VN_GROUPED.matcher(v).matches()) {
            v = v.replace(".", "").replace(',', '.');
        } else if (EN_GROUPED.matcher(v).matches()) {
            v = v.replace(",", "");
        } else {
            v = v.replace(',', '.');   // "245,6"; "12,3,4" stays unreadable
        }
        try {
            double d = Double.parseDouble(v);
            // NaN, infinities and what numeric(14, 1) cannot hold once rounded to 0.1 m² are as unreadable as "abc"
            return Double.isFinite(d) && new java.math.BigDecimal(Double.toString(d)).setScale(1, java.math.RoundingMode.HALF_UP).abs()
                    .compareTo(MAX_LEGAL_AREA) < 0 ? Double.toString(d) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Digits with at most one point between digits and an optional leading minus: a number as it is, nothing to read. */
    static boolean plainDecimal(String s) {
        int n = s.length();
        int i = n > 0 && s.charAt(0) == '-' ? 1 : 0;
        if (n - i == 0 || n - i > 20) {
            return false;
        }
        int point = -1;
        for (int k = i; k < n; k++) {
            char c = s.charAt(k);
            if (c == '.' && point < 0 && k > i && k < n - 1) {
                point = k;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String csvText(String s) {
        return s == null ? "" : "\"" + s.replace("\"", "\"\"") + "\"";
    }

    /**
     * Says which of our fields no column of the delivery holds while some of its columns go unused (listed, so that a
     * manifest can name the right one): such data would otherwise be left out without a word. No land-use column at
     * all is an error said once (every parcel is then an unknown land use).
     */
    private void missingColumns(long batch, ColumnMapping columns, Map<String, String> attributes) {
        List<String> fields = List.of(ColumnMapping.LAND_USE, ColumnMapping.LEGAL_AREA, ColumnMapping.ADDRESS, ColumnMapping.OWNER);
        Map<String, String[]> names = Map.of(ColumnMapping.LAND_USE, new String[] {"loại đất", "land use"},
                ColumnMapping.LEGAL_AREA, new String[] {"diện tích pháp lý", "legal area"}, ColumnMapping.ADDRESS, new String[] {"địa chỉ", "address"},
                ColumnMapping.OWNER, new String[] {"chủ sử dụng", "owner"});
        List<String> missing = fields.stream().filter(f -> columns.columnOf(attributes, f) == null).toList();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (String field : columns.aliases().keySet()) {
            String c = columns.columnOf(attributes, field);
            if (c != null) {
                used.add(c);
            }
        }
        List<String> unused = attributes.keySet().stream().filter(c -> !used.contains(c))
                .filter(c -> !TextKeys.key(c).matches("fid|objectid|id|gid|shapearea|shapelength|shapeleng|area|perimeter|len|length")).toList();
        String delivered = unused.stream().limit(40).map(ImportService::shorten).collect(java.util.stream.Collectors.joining(", "));
        if (missing.contains(ColumnMapping.LAND_USE)) {
            finding(batch, "error", "no-land-use-column", null,
                    "Không có cột loại đất (mục đích sử dụng)" + (unused.isEmpty() ? "" : "; các cột chưa dùng: " + delivered)
                            + ": ghi tên cột trong manifest (columns.landUse)",
                    "no column holds the land use" + (unused.isEmpty() ? "" : "; columns not used: " + delivered) + ": name it in a manifest (columns.landUse)");
        }
        List<String> others = missing.stream().filter(f -> !f.equals(ColumnMapping.LAND_USE)).toList();
        if (!others.isEmpty() && !unused.isEmpty()) {
            finding(batch, "info", "columns-unused", null,
                    "Không tìm thấy cột " + others.stream().map(f -> names.get(f)[0]).collect(java.util.stream.Collectors.joining(", "))
                            + " mà các cột " + delivered + " không được dùng: nếu cột nào chứa chúng, ghi trong manifest ("
                            + others.stream().map(f -> "columns." + f).collect(java.util.stream.Collectors.joining(", ")) + ")",
                    "no column found for the " + others.stream().map(f -> names.get(f)[1]).collect(java.util.stream.Collectors.joining(", "))
                            + " while the columns " + delivered + " go unused: if one holds them, name it in a manifest ("
                            + others.stream().map(f -> "columns." + f).collect(java.util.stream.Collectors.joining(", ")) + ")");
        }
    }

    private void finding(long batch, String severity, String rule, Integer featureNo, String vi, String en) {
        jdbc.update("INSERT INTO staging.finding (batch_id, severity, rule, feature_no, message_vi, message_en) VALUES (?, ?, ?, ?, ?, ?)",
                batch, severity, rule, featureNo, vi, en);
    }

    // ---------------------------------------------------------------- publishing

    /**
     * One transaction: close the current versions of the delivered map sheets (of the delivered communes, whole, when
     * {@code replaceCommunes}), open the delivered ones.
     */
    private void publish(long batch, String actor, DoubleConsumer progress, boolean replaceCommunes, boolean holders) {
        // visible outside the transaction, so that an observer (or a test that kills the process) sees the phase
        jdbc.update("UPDATE staging.import_batch SET status = 'publishing', progress = 0.9 WHERE id = ?", batch);
        boolean firstLoad = Boolean.TRUE.equals(jdbc.queryForObject("SELECT NOT EXISTS (SELECT 1 FROM cadastre.parcel)", Boolean.class));
        // the batch's new address strings and their trigram index, built on another connection (and core) meanwhile
        AddressText addresses = AddressText.later(dataSource, batch);
        Long published;
        try {
            published = tx.execute(status -> publishRows(batch, actor, progress, firstLoad, addresses, replaceCommunes, holders));
        } finally {
            addresses.discard(jdbc);   // a side table the transaction did not attach
        }
        // after commit: map and tile caches forget what lay under the closed and the opened versions
        List<Envelope> extent = jdbc.query("""
                SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (
                  SELECT ST_Extent(geom) e FROM cadastre.parcel WHERE opened_by = ? OR closed_by = ?) x WHERE e IS NOT NULL""",
                (rs, i) -> new Envelope(rs.getDouble(1), rs.getDouble(3), rs.getDouble(2), rs.getDouble(4)), published, published);
        events.publishEvent(new RegisterChanged(published, extent.isEmpty() ? null : extent.getFirst(), province.storageSrid()));
    }

    /**
     * Says before publishing which current parcels the publish would retire without a successor of the same key in
     * the delivery (merged, renumbered or gone: normal in a corrected sheet, but the officer should see them), per
     * map sheet; a whole sheet retired by a {@code replaceCommunes} delivery is a warning.
     */
    private void reportRetired(long batch, boolean replaceCommunes) {
        boolean registered = Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM cadastre.parcel p JOIN staging.batch_commune c ON c.batch_id = ? AND c.commune_code = p.commune_code
                               WHERE p.valid_to IS NULL)""", Boolean.class, batch));
        if (!registered) {
            return;   // a first load of these communes: nothing to retire
        }
        List<Object[]> sheets = jdbc.query("""
                SELECT p.commune_code, p.sheet_no, count(*),
                       NOT EXISTS (SELECT 1 FROM staging.parcel t WHERE t.batch_id = ? AND t.commune_code = p.commune_code AND t.sheet_no = p.sheet_no)
                FROM cadastre.parcel p
                WHERE p.valid_to IS NULL AND %s
                  AND NOT EXISTS (SELECT 1 FROM staging.parcel s WHERE s.batch_id = ? AND NOT s.rejected
                                  AND (s.commune_code, s.sheet_no, s.parcel_no) = (p.commune_code, p.sheet_no, p.parcel_no))
                GROUP BY 1, 2 ORDER BY 1, 2""".formatted(replaceCommunes ? REPLACED_COMMUNES : REPLACED_SHEETS),
                (rs, i) -> new Object[] {rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getBoolean(4)}, batch, batch, batch);
        long parcels = sheets.stream().mapToLong(r -> (Long) r[2]).sum();
        if (parcels == 0) {
            return;
        }
        long whole = sheets.stream().filter(r -> (Boolean) r[3]).count();
        String list = sheets.stream().limit(20).map(r -> r[0] + "/" + r[1] + " (" + r[2] + ")").collect(java.util.stream.Collectors.joining(", "))
                + (sheets.size() > 20 ? ", …" : "");
        finding(batch, whole == 0 ? "info" : "warning", whole == 0 ? "retired-not-delivered" : "retired-sheets", null,
                "Công bố sẽ đóng " + parcels + " thửa hiện hành không có trong lô giao (" + (whole == 0 ? "" : whole
                        + " tờ không được giao lại, theo replaceCommunes; ") + "theo tờ: " + list + ")",
                "publishing will retire " + parcels + " current parcels the delivery does not hold (" + (whole == 0 ? "" : whole
                        + " sheets not delivered again, as replaceCommunes says; ") + "by sheet: " + list + ")");
    }

    /**
     * With {@code "holders": true}: the delivered parcels whose current version is held by others than the name the map
     * carries. The register keeps its holders (a registered right always; an earlier delivery's name unless this
     * delivery re-versions the parcel), so the officer sees where map and register disagree (đối soát).
     */
    private void reportHoldersThatDiffer(long batch) {
        List<String> differ = jdbc.queryForList("""
                SELECT s.commune_code || '/' || s.sheet_no || '/' || s.parcel_no || ': ' || s.owner || ' ≠ ' || string_agg(pa.full_name, '; ' ORDER BY r.id)
                FROM staging.parcel s
                JOIN cadastre.parcel p ON p.valid_to IS NULL AND (p.commune_code, p.sheet_no, p.parcel_no) = (s.commune_code, s.sheet_no, s.parcel_no)
                JOIN cadastre.land_right r ON r.parcel_version = p.id
                JOIN cadastre.party pa ON pa.id = r.party_id
                WHERE s.batch_id = ? AND NOT s.rejected AND s.owner IS NOT NULL
                GROUP BY s.feature_no, s.commune_code, s.sheet_no, s.parcel_no, s.owner
                HAVING NOT (ARRAY(SELECT cadastre.search_text(n) FROM unnest(cadastre.holder_names(s.owner)) n)
                            <@ array_agg(cadastre.search_text(pa.full_name)))   -- joint holders: each among the register's
                ORDER BY s.feature_no""", String.class, batch);
        if (differ.isEmpty()) {
            return;
        }
        String examples = differ.stream().limit(10).collect(java.util.stream.Collectors.joining("; ")) + (differ.size() > 10 ? "; …" : "");
        finding(batch, "info", "holder-differs", null,
                differ.size() + " thửa có tên chủ trên bản đồ khác người sử dụng trong sổ; người đã đăng ký (GCN) luôn được giữ, tên chỉ do lô trước "
                        + "khai được thay ở các thửa lô này thay đổi (thửa: bản đồ ≠ sổ): " + examples,
                differ.size() + " parcels name another holder than the register's; registered holders always stay, a name only an earlier delivery "
                        + "declared is replaced where this delivery changes the parcel (parcel: map ≠ register): " + examples);
    }

    /**
     * A note for the batch's message on the holder names the delivery carries: those a publish keeps in the batch only
     * (the register's holders come from registration) and how to record them, or, for a dry run with
     * {@code "holders": true}, how many it would record at most. Empty when the delivery names nobody or when a
     * publish recorded them (its message counts them). Not a finding: it is no defect of the delivery.
     */
    private String holdersNote(long batch, boolean declared, boolean dryRun) {
        if (declared && !dryRun) {
            return "";
        }
        long named = jdbc.queryForObject("SELECT count(*) FROM staging.parcel WHERE batch_id = ? AND NOT rejected AND owner IS NOT NULL",
                Long.class, batch);
        if (named == 0) {
            return "";
        }
        return declared
                ? " (công bố sẽ ghi tối đa " + named + " tên chủ sử dụng theo bản đồ, cho các thửa chưa có quyền / publishing would record up to "
                        + named + " holder names as the map names them, where a parcel holds no right)"
                : " (" + named + " tên chủ sử dụng giữ trong lô, không ghi vào sổ; manifest \"holders\": true để ghi / " + named
                        + " holder names kept in the batch, not in the register; the manifest's \"holders\": true records them)";
    }

    /** The current versions a delivery replaces (bound: the batch): those of the map sheets it holds. */
    static final String REPLACED_SHEETS =
            "(p.commune_code, p.sheet_no) IN (SELECT DISTINCT commune_code, sheet_no FROM staging.parcel WHERE batch_id = ? AND NOT rejected)";
    /** As {@link #REPLACED_SHEETS}, for a new survey of whole communes: every sheet of the communes it holds. */
    static final String REPLACED_COMMUNES =
            "p.commune_code IN (SELECT DISTINCT commune_code FROM staging.parcel WHERE batch_id = ? AND NOT rejected)";

    /** The publishing transaction's work: the change it makes. */
    private long publishRows(long batch, String actor, DoubleConsumer progress, boolean firstLoad, AddressText addresses,
                             boolean replaceCommunes, boolean declareHolders) {
        jdbc.queryForObject("SELECT set_config('landgis.audit_bulk', 'on', true)", String.class);
        // the parcels' address strings come with the batch's own partition (AddressText), not row by row
        jdbc.queryForObject("SELECT set_config('landgis.address_bulk', 'on', true)", String.class);
        // into an empty register, the indexes and foreign keys are built once after the rows instead of maintained
        // row by row (PostgreSQL's "Populating a Database"): 1 M parcels publish in a third of the time
        List<String> rebuild = firstLoad ? RegisterRebuild.suspend(jdbc, batch) : List.of();
        if (rebuild.isEmpty()) {
            addresses.begin();   // beside the row-by-row insert, the longest part of such a publish
        }
        long change = jdbc.queryForObject("""
                INSERT INTO cadastre.change (kind, actor, reason, details)
                SELECT 'import', ?, 'Nhập dữ liệu: ' || source_name, jsonb_build_object('batch', id, 'checksum', checksum, 'district', district_code)
                FROM staging.import_batch WHERE id = ? RETURNING id""", Long.class, actor, batch);
        // a parcel that the delivery repeats exactly (same attributes, same geometry: vertex for vertex, or the same
        // vertices from another starting one, as a FAMIS drawing polygonised again gives them) keeps
        // its current version: a corrected re-delivery opens versions only for what it corrects
        // (docs/decisions/2026-12-06-reimport-unchanged-parcels.md)
        jdbc.execute("CREATE TEMP TABLE publish_successor ON COMMIT DROP AS "
                + "SELECT legacy_code, min(new_code) new_code FROM cadastre.commune_succession GROUP BY legacy_code");
        // indexed and analysed: planned from no statistics, the comparison below probed it by a full scan for each of
        // a re-delivery's parcels (1 M parcels: 9.2 s against 5.0 s, EXPLAIN ANALYZE)
        jdbc.execute("CREATE UNIQUE INDEX ON publish_successor (legacy_code)");
        jdbc.execute("ANALYZE publish_successor");
        // a delivery that carries no address at all (a FAMIS drawing of lines and labels, a map without its register)
        // leaves the register's addresses as they are instead of blanking them
        boolean carryAddresses = !firstLoad && !Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM staging.parcel WHERE batch_id = ? AND NOT rejected AND address IS NOT NULL)", Boolean.class, batch));
        jdbc.execute("CREATE TEMP TABLE publish_same (commune_code text, sheet_no int, parcel_no int) ON COMMIT DROP");
        int same = jdbc.update("""
                INSERT INTO publish_same
                SELECT s.commune_code, s.sheet_no, s.parcel_no
                FROM staging.parcel s
                JOIN cadastre.parcel p ON p.valid_to IS NULL AND p.commune_code = s.commune_code AND p.sheet_no = s.sheet_no AND p.parcel_no = s.parcel_no
                LEFT JOIN publish_successor n ON n.legacy_code = s.commune_code
                WHERE s.batch_id = ? AND NOT s.rejected AND p.land_use_code = s.land_use_code AND p.land_use_other IS NOT DISTINCT FROM s.land_use_other
                  AND p.legal_area IS NOT DISTINCT FROM s.legal_area AND p.geom_area = s.geom_area
                  AND %s AND p.new_commune_code IS NOT DISTINCT FROM n.new_code
                  AND (ST_AsEWKB(p.geom) = ST_AsEWKB(s.geom) OR (p.geom ~= s.geom AND ST_NPoints(p.geom) = ST_NPoints(s.geom) AND ST_Equals(p.geom, s.geom)))""".formatted(
                carryAddresses ? "s.address IS NULL" : "p.address IS NOT DISTINCT FROM s.address"), batch);
        jdbc.execute("CREATE UNIQUE INDEX ON publish_same (commune_code, sheet_no, parcel_no)");
        jdbc.execute("ANALYZE publish_same");
        // the closed versions' keys go to a small analysed table: joining the new versions to them through
        // cadastre.parcel (closed_by = change) was planned from statistics that knew no such rows, a nested loop
        // that made a re-import's publish quadratic (minutes at 100 000 parcels)
        jdbc.execute("CREATE TEMP TABLE publish_closed (parcel_id bigint, commune_code text, sheet_no int, parcel_no int, address text) ON COMMIT DROP");
        // what the delivery replaces: the map sheets it holds (a delivery of one sheet leaves the commune's others as
        // they are), or the whole of its communes when its manifest says it is a new survey of them
        int closed = jdbc.update("""
                WITH closed AS (
                    UPDATE cadastre.parcel p SET valid_to = now(), closed_by = ?
                    WHERE p.valid_to IS NULL AND %s
                      AND NOT EXISTS (SELECT 1 FROM publish_same k WHERE (k.commune_code, k.sheet_no, k.parcel_no) = (p.commune_code, p.sheet_no, p.parcel_no))
                    RETURNING parcel_id, commune_code, sheet_no, parcel_no, address)
                INSERT INTO publish_closed SELECT * FROM closed""".formatted(replaceCommunes ? REPLACED_COMMUNES : REPLACED_SHEETS), change, batch);
        jdbc.execute("ANALYZE publish_closed");
        int opened = jdbc.update("""
                INSERT INTO cadastre.parcel (parcel_id, commune_code, new_commune_code, sheet_no, parcel_no, land_use_code, legal_area,
                                             geom_area, address, geom, valid_from, opened_by, land_use_other)
                SELECT %s, s.commune_code, n.new_code,
                       s.sheet_no, s.parcel_no, s.land_use_code, s.legal_area, s.geom_area, %s, s.geom, now(), ?,
                       s.land_use_other
                FROM staging.parcel s
                %s
                LEFT JOIN publish_successor n ON n.legacy_code = s.commune_code
                WHERE s.batch_id = ? AND NOT s.rejected
                  %s""".formatted(
                // the joins to the closed and the unchanged versions only where there are any: into an empty register
                // the anti-join to no row was planned as a nested loop, a quarter of the first load's insert (2.3 of
                // 9.4 s at 1 M parcels, EXPLAIN ANALYZE)
                closed == 0 ? "nextval('cadastre.parcel_id_seq')" : "coalesce(old.parcel_id, nextval('cadastre.parcel_id_seq'))",
                closed > 0 && carryAddresses ? "coalesce(s.address, old.address)" : "s.address",
                closed == 0 ? "" : "LEFT JOIN publish_closed old ON old.commune_code = s.commune_code AND old.sheet_no = s.sheet_no AND old.parcel_no = s.parcel_no",
                same == 0 ? "" : "AND NOT EXISTS (SELECT 1 FROM publish_same k WHERE (k.commune_code, k.sheet_no, k.parcel_no) = (s.commune_code, s.sheet_no, s.parcel_no))"),
                change, batch);
        if (closed > 0) {
            // the rights held on a version continue on the version that replaces it (as the editor's edits do), until
            // a registration says otherwise: a delivery's corrected area must not leave the parcel without its holders
            jdbc.update("""
                    INSERT INTO cadastre.land_right (parcel_version, party_id, right_type, share, certificate_no, certificate_date, term_until,
                                                     declared_in_batch)
                    SELECT n.id, r.party_id, r.right_type, r.share, r.certificate_no, r.certificate_date, r.term_until, r.declared_in_batch
                    FROM publish_closed c
                    JOIN cadastre.parcel o ON o.parcel_id = c.parcel_id AND o.closed_by = ?
                    JOIN cadastre.land_right r ON r.parcel_version = o.id
                    JOIN cadastre.parcel n ON n.opened_by = ? AND n.valid_to IS NULL
                         AND (n.commune_code, n.sheet_no, n.parcel_no) = (c.commune_code, c.sheet_no, c.parcel_no)
                    -- a holder an earlier delivery's map named gives way to the one this delivery names; a registered
                    -- right (declared by no delivery) always continues
                    WHERE r.declared_in_batch IS NULL OR NOT ?
                       OR NOT EXISTS (SELECT 1 FROM staging.parcel s WHERE s.batch_id = ? AND NOT s.rejected AND s.owner IS NOT NULL
                                      AND (s.commune_code, s.sheet_no, s.parcel_no) = (c.commune_code, c.sheet_no, c.parcel_no))
                    ORDER BY n.id, r.id""", change, change, declareHolders, batch);
        }
        int holders = declareHolders ? declareHolders(batch, !rebuild.isEmpty()) : 0;
        progress.accept(rebuild.isEmpty() ? 0.98 : 0.93);
        // a first load's insert runs alone (a side build beside it slowed it by a third); its index builds, one core
        // for most of their time, leave the other to the strings' build
        addresses.begin();
        RegisterRebuild.restore(jdbc, batch, rebuild, done -> progress.accept(0.93 + 0.05 * done));
        long wait = System.nanoTime();
        addresses.attach(jdbc);
        log.info("batch {}: address strings searchable after {} ms of waiting for them", batch, (System.nanoTime() - wait) / 1_000_000);
        jdbc.update("""
                INSERT INTO audit.event (actor, action, target, details)
                VALUES (?, 'import-publish', ?, jsonb_build_object('batch', ?::bigint, 'parcels', ?::int, 'unchanged', ?::int, 'holders', ?::int))""",
                actor, "cadastre.change:" + change, batch, opened, same, holders);
        // the current parcels this publish closed without a successor of the same key: said with the rest (a sheet's
        // parcels whose labels were unreadable left the register with "published 0 parcels, 162 unchanged")
        Integer retired = closed == 0 ? Integer.valueOf(0) : jdbc.queryForObject("""
                SELECT count(*) FROM publish_closed o WHERE NOT EXISTS (
                    SELECT 1 FROM cadastre.parcel n WHERE n.valid_to IS NULL AND n.opened_by = ?
                       AND (n.commune_code, n.sheet_no, n.parcel_no) = (o.commune_code, o.sheet_no, o.parcel_no))""", Integer.class, change);
        jdbc.update("""
                UPDATE staging.import_batch SET status = 'published', published_change = ?, finished_at = now(), progress = 1,
                       message = ? WHERE id = ?""", change, "Đã công bố " + opened + " thửa" + (same > 0 ? ", " + same + " thửa không đổi" : "")
                + (retired > 0 ? ", " + retired + " thửa hết hiệu lực (lô không có)" : "")
                + (holders > 0 ? ", " + holders + " chủ sử dụng theo bản đồ" : "")
                + " / published " + opened + " parcels" + (same > 0 ? ", " + same + " unchanged" : "")
                + (retired > 0 ? ", " + retired + " retired (not in the delivery)" : "")
                + (holders > 0 ? ", " + holders + " holders as the map names them" : "") + holdersNote(batch, declareHolders, false), batch);
        return change;
    }

    /**
     * The holder names the delivery carries (its owner column) become parties holding the current versions of the
     * delivered parcels (those this change opened, and those it found unchanged: a delivery sent again with
     * {@code "holders": true} records the names), where such a version holds no right yet (a right registered on the
     * version it replaces has continued on it and stays the register's word; a holder only an earlier delivery named
     * has not, when this one names one). One party per parcel, never matched to an existing one by name: a name is no
     * identity. Each right says which batch declared it ({@code declared_in_batch}; no certificate). Returns how many.
     */
    private int declareHolders(long batch, boolean firstLoad) {
        if (!Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM staging.parcel WHERE batch_id = ? AND NOT rejected AND owner IS NOT NULL)", Boolean.class, batch))) {
            return 0;
        }
        if (firstLoad) {
            // the register's statistics say it is empty (gathered after its indexes): probing the staged batch's key
            // index once per new version was planned, 1 M probes (6 s), or a merge join sorting both (3 s), where one
            // hash join does (1.5 s)
            jdbc.execute("SET LOCAL enable_nestloop = off");
            jdbc.execute("SET LOCAL enable_mergejoin = off");
        }
        // one statement: the party ids drawn once per holder (a materialised CTE; the identity's sequence named, as
        // pg_get_serial_sequence() per row cost 2.6 s a million), the parties and their rights inserted from it (the
        // rights' key to the parties is checked at the statement's end, the parties in)
        int declared = jdbc.update("""
                WITH holder AS MATERIALIZED (
                    SELECT p.id AS parcel_version, h.name, cadastre.party_kind(h.name) AS kind, round(1.0 / h.of, 4) AS share,
                           nextval('cadastre.party_id_seq'::regclass) AS party_id
                    FROM staging.parcel s
                    JOIN cadastre.parcel p ON p.valid_to IS NULL
                         AND (p.commune_code, p.sheet_no, p.parcel_no) = (s.commune_code, s.sheet_no, s.parcel_no)
                    -- joint holders named together ("Nguyễn Văn An và Trần Thị Bình") are each a party (V26); the
                    -- function only for names with a separator in them
                    CROSS JOIN LATERAL (SELECT n AS name, cardinality(a) AS of FROM (SELECT CASE WHEN s.owner ~* '(\\s(và|cùng)\\s|[,;&+]|\\s-\\s)'
                                            THEN cadastre.holder_names(s.owner) ELSE ARRAY[s.owner] END AS a) x, unnest(x.a) n) h
                    WHERE s.batch_id = ? AND NOT s.rejected AND s.owner IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM cadastre.land_right r WHERE r.parcel_version = p.id)),
                party AS (
                    INSERT INTO cadastre.party (id, kind, full_name) OVERRIDING SYSTEM VALUE SELECT party_id, kind, name FROM holder)
                INSERT INTO cadastre.land_right (parcel_version, party_id, right_type, share, declared_in_batch)
                SELECT parcel_version, party_id, CASE WHEN kind = 'state' THEN 'state_management' ELSE 'land_use' END, share, ? FROM holder""",
                batch, batch);
        if (firstLoad) {
            jdbc.execute("SET LOCAL enable_nestloop = DEFAULT");
            jdbc.execute("SET LOCAL enable_mergejoin = DEFAULT");
        }
        return declared;
    }
}
