package vn.landgis.imports;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import vn.landgis.platform.ApiProblem;

/**
 * {@code /api/imports}: land officers upload a delivery (a zip of a shapefile, a GeoPackage, a MapInfo table or FAMIS
 * DGN/DXF map sheets, with an optional Excel register; or a bare .gpkg);
 * the job runs in the background and {@code GET /api/imports/{id}} follows its status, progress and findings.
 */
@RestController
@RequestMapping("/api/imports")
class ImportController {

    private static final Logger log = LoggerFactory.getLogger(ImportController.class);

    private final ImportService imports;
    private final ImportReport reports;
    private final PlanImporter plans;
    private final BoundaryImport boundaries;
    private final JdbcTemplate jdbc;
    private final ExecutorService jobs = Executors.newVirtualThreadPerTaskExecutor();
    /** Largest delivery once unpacked; a district's GeoPackage of 300 000 parcels is about 120 MB. */
    private final long maxUnpackedBytes;

    ImportController(ImportService imports, ImportReport reports, PlanImporter plans, BoundaryImport boundaries, JdbcTemplate jdbc,
                     @org.springframework.beans.factory.annotation.Value("${landgis.imports.max-unpacked-mb:2048}") long maxUnpackedMb) {
        this.imports = imports;
        this.boundaries = boundaries;
        this.reports = reports;
        this.plans = plans;
        this.jdbc = jdbc;
        this.maxUnpackedBytes = maxUnpackedMb * 1024 * 1024;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize("hasRole('LAND_OFFICER')")
    ResponseEntity<Map<String, Object>> upload(@RequestParam("file") MultipartFile file, @RequestParam String district,
                                               @RequestParam(required = false) MultipartFile manifest,
                                               @RequestParam(defaultValue = "false") boolean dryRun, Authentication auth,
                                               jakarta.servlet.http.HttpServletRequest request) throws Exception {
        // a form field's text, not a file part (the servlet container keeps parts without a file name as parameters)
        String manifestText = request.getParameter("manifest");
        String name = file.getOriginalFilename() == null ? "" : file.getOriginalFilename().toLowerCase(Locale.ROOT);
        if (file.isEmpty()) {
            throw ApiProblem.badRequest("empty-upload", "Tệp tải lên rỗng / the upload is empty");
        }
        Path dir = Files.createTempDirectory("landgis-import-");
        Path delivery;
        try {
            delivery = unpack(file, name, dir, safeName(file.getOriginalFilename(), "delivery.gpkg"));
        } catch (RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
        Path manifestFile = null;
        // the manifest as a file part, or as a form field's text (curl -F 'manifest={"srid":9209}': it was ignored, silently)
        boolean asText = (manifest == null || manifest.isEmpty()) && manifestText != null && !manifestText.isBlank();
        if ((manifest != null && !manifest.isEmpty()) || asText) {
            if (asText ? manifestText.length() > 64 * 1024 : manifest.getSize() > 64 * 1024) {
                deleteQuietly(dir);
                throw ApiProblem.badRequest("bad-manifest", "Tệp manifest quá lớn / the manifest is over 64 KB");
            }
            manifestFile = Files.createTempFile(dir.getParent(), "landgis-manifest-", ".json");
            if (asText) {
                Files.writeString(manifestFile, manifestText);
            } else {
                manifest.transferTo(manifestFile);
            }
            try {
                Manifest.read(manifestFile);
            } catch (IOException e) {
                deleteQuietly(dir);
                Files.deleteIfExists(manifestFile);
                // named as the officer knows it, not as the server's temporary file
                String known = asText || manifest.getOriginalFilename() == null || manifest.getOriginalFilename().isBlank() ? "manifest"
                        : manifest.getOriginalFilename();
                throw ApiProblem.badRequest("bad-manifest", String.valueOf(e.getMessage()).replace(manifestFile.getFileName().toString(), known));
            }
        }
        CompletableFuture<Long> batch = new CompletableFuture<>();
        Path toImport = delivery;
        Path manifestToUse = manifestFile;
        jobs.submit(() -> {
            try {
                imports.run(district, toImport, manifestToUse, dryRun, auth.getName(), p -> { }, batch::complete);
            } catch (Exception e) {
                log.warn("import of {} failed: {}", name, e.getMessage());
                batch.completeExceptionally(e);
            } finally {
                deleteQuietly(dir);
                if (manifestToUse != null) {
                    manifestToUse.toFile().delete();
                }
            }
        });
        long id;
        try {
            id = batch.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw ApiProblem.badRequest("import-refused", e.getCause().getMessage());
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/imports/" + id)).body(status(id));
    }

    /**
     * The uploaded file's own name, kept for the batch and its report when it is a plain one (letters, digits, spaces,
     * dots, dashes, underscores; no folder, at most 100 characters, ending .gpkg); else {@code otherwise}.
     */
    static String safeName(String original, String otherwise) {
        if (original == null) {
            return otherwise;
        }
        String name = original.substring(Math.max(original.lastIndexOf('/'), original.lastIndexOf('\\')) + 1).strip();
        name = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFC);
        return name.length() <= 100 && !name.startsWith(".") && name.toLowerCase(Locale.ROOT).endsWith(".gpkg")
                && name.matches("[\\p{L}\\p{N} ._-]+") ? name : otherwise;
    }

    /** An upload into {@code dir}: a .zip unpacked (safely, within the size limit), a .gpkg saved as {@code gpkgName}; 400 otherwise. */
    private Path unpack(MultipartFile file, String name, Path dir, String gpkgName) {
        return unpack(file, name, dir, gpkgName, maxUnpackedBytes);
    }

    private Path unpack(MultipartFile file, String name, Path dir, String gpkgName, long limit) {
        try {
            if (name.endsWith(".zip")) {
                return SafeUnzip.unzip(file::getInputStream, dir, limit);   // opens the upload itself (twice when its names are not UTF-8)
            }
            if (name.endsWith(".gpkg")) {
                Path gpkg = dir.resolve(gpkgName);
                try (InputStream in = file.getInputStream()) {
                    Files.copy(in, gpkg);
                }
                return gpkg;
            }
        } catch (IOException e) {
            throw ApiProblem.badRequest("bad-archive", e.getMessage());
        }
        throw ApiProblem.badRequest("unsupported-upload", "Chỉ nhận .zip hoặc .gpkg / upload a .zip or a .gpkg");
    }

    /**
     * The province's outline ({@link BoundaryImport#runProvince}: a .gpkg, or a .zip of a Shapefile, GeoJSON
     * or MapInfo table): 200 with its area, 422 with the reason when refused (nothing loaded).
     */
    @PostMapping(path = "/province", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize("hasRole('LAND_OFFICER')")
    ResponseEntity<BoundaryImport.ProvinceOutcome> uploadProvince(@RequestParam("file") MultipartFile file,
                                                                 @RequestParam(required = false) MultipartFile manifest, Authentication auth) throws Exception {
        return ResponseEntity.ok(boundaryLoad(file, manifest, "province.gpkg", (upload, manifestFile) -> boundaries.runProvince(upload, manifestFile, auth.getName())));
    }

    /**
     * A district's commune boundaries ({@link BoundaryImport}: a .gpkg, or a .zip of a Shapefile, GeoJSON or MapInfo
     * table, with an optional manifest): small, loaded while the client waits. 200 with what was loaded, 422 with
     * the reason when refused (nothing loaded).
     */
    @PostMapping(path = "/boundaries", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize("hasRole('LAND_OFFICER')")
    ResponseEntity<BoundaryImport.Outcome> uploadBoundaries(@RequestParam("file") MultipartFile file, @RequestParam String district,
                                                            @RequestParam(required = false) MultipartFile manifest, Authentication auth) throws Exception {
        if (!district.matches("[0-9]{3}")) {
            throw ApiProblem.badRequest("bad-district", "Mã huyện gồm 3 chữ số / the district code has 3 digits");
        }
        return ResponseEntity.ok(boundaryLoad(file, manifest, "communes.gpkg", (upload, manifestFile) -> boundaries.run(district, upload, manifestFile, auth.getName())));
    }

    /** The most a boundary upload may unpack to. */
    static final long BOUNDARIES_MAX_BYTES = 256L * 1024 * 1024;

    private interface BoundaryLoad<T> {
        T load(Path upload, Path manifestFile) throws IOException;
    }

    /** An uploaded boundary file unpacked into a temporary folder (removed after), loaded; refused: 422 with the reason. */
    private <T> T boundaryLoad(MultipartFile file, MultipartFile manifest, String gpkgName, BoundaryLoad<T> load) throws IOException {
        String name = file.getOriginalFilename() == null ? "" : file.getOriginalFilename().toLowerCase(Locale.ROOT);
        if (file.isEmpty()) {
            throw ApiProblem.badRequest("empty-upload", "Tệp tải lên rỗng / the upload is empty");
        }
        Path dir = Files.createTempDirectory("landgis-boundaries-");
        try {
            // boundaries are small (a province's outline, a district's communes: megabytes): a bomb stops early
            Path upload = unpack(file, name, dir, gpkgName, Math.min(maxUnpackedBytes, BOUNDARIES_MAX_BYTES));
            Path manifestFile = null;
            if (manifest != null && !manifest.isEmpty()) {
                if (manifest.getSize() > 64 * 1024) {
                    throw ApiProblem.badRequest("bad-manifest", "Tệp manifest quá lớn / the manifest is over 64 KB");
                }
                manifestFile = dir.resolve("manifest.json.upload");
                manifest.transferTo(manifestFile);
            }
            try {
                return load.load(upload, manifestFile);
            } catch (IOException e) {
                throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "boundaries-refused", e.getMessage());
            }
        } finally {
            deleteQuietly(dir);
        }
    }

    /**
     * A plan (zones, and lines when the manifest names a lines file) with its manifest of kind "plan"; small
     * enough to import while the client waits. 201 when published, 200 when validated (dry run), 422 with the
     * findings when rejected.
     */
    @PostMapping(path = "/plans", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize("hasAnyRole('PLANNER', 'LAND_OFFICER')")
    ResponseEntity<PlanImporter.Result> uploadPlan(@RequestParam("file") MultipartFile file, @RequestParam(required = false) MultipartFile manifest,
                                                   @RequestParam(defaultValue = "false") boolean dryRun, Authentication auth,
                                                   jakarta.servlet.http.HttpServletRequest request) throws Exception {
        // optional in the signature so that who may import is decided first (a caller without the role got "no manifest
        // part"); a file part or a form field's text, as the cadastre import takes it
        String manifestText = request.getParameter("manifest");
        boolean asText = (manifest == null || manifest.isEmpty()) && manifestText != null && !manifestText.isBlank();
        String name = file.getOriginalFilename() == null ? "" : file.getOriginalFilename().toLowerCase(Locale.ROOT);
        if (file.isEmpty()) {
            throw ApiProblem.badRequest("empty-upload", "Tệp tải lên rỗng / the upload is empty");
        }
        if (!asText && (manifest == null || manifest.isEmpty()) || (asText ? manifestText.length() : manifest.getSize()) > 64 * 1024) {
            throw ApiProblem.badRequest("bad-manifest", "Cần tệp manifest (tối đa 64 KB) / a manifest of at most 64 KB is required");
        }
        Path dir = Files.createTempDirectory("landgis-plan-");
        try {
            Path manifestFile = dir.resolve("manifest.json");
            if (asText) {
                Files.writeString(manifestFile, manifestText);
            } else {
                manifest.transferTo(manifestFile);
            }
            PlanManifest m;
            try {
                m = PlanManifest.read(manifestFile);
            } catch (IOException e) {
                throw ApiProblem.badRequest("bad-manifest", e.getMessage());
            }
            Path delivery = Files.createDirectories(dir.resolve("delivery"));
            try {
                if (name.endsWith(".zip")) {
                    SafeUnzip.unzip(file::getInputStream, delivery, maxUnpackedBytes);
                } else if (name.endsWith(".gpkg") || name.endsWith(".geojson") || name.endsWith(".json")) {
                    // one file: the zones, under the name the manifest gives them ("zones": "qh.geojson" was "not in the
                    // delivery", the upload being stored under a name of ours)
                    Path stored = delivery.resolve(name.endsWith(".gpkg") ? "planning_zones.gpkg" : "planning_zones.geojson");
                    if (m.zonesFile() != null) {
                        Path named = delivery.resolve(m.zonesFile()).normalize();
                        if (named.startsWith(delivery) && !named.equals(delivery)) {
                            stored = named;
                            Files.createDirectories(stored.getParent());
                        }
                    }
                    try (InputStream in = file.getInputStream()) {
                        Files.copy(in, stored);
                    }
                } else {
                    throw ApiProblem.badRequest("unsupported-upload", "Chỉ nhận .zip, .gpkg hoặc .geojson / upload a .zip, .gpkg or .geojson");
                }
            } catch (IOException e) {
                throw ApiProblem.badRequest("bad-archive", e.getMessage());
            }
            PlanImporter.Result r;
            try {
                r = plans.run(delivery, m, dryRun, auth.getName());
            } catch (IllegalArgumentException | IOException e) {
                throw ApiProblem.badRequest("plan-refused", e.getMessage());
            } catch (org.springframework.dao.DataAccessException e) {
                log.warn("plan import refused by the database: {}", e.getMostSpecificCause().getMessage());
                throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "plan-refused",
                        "Cơ sở dữ liệu từ chối quy hoạch (hình học hoặc hệ tọa độ không dùng được) / the database refused the plan "
                                + "(unusable geometry or CRS): " + e.getMostSpecificCause().getMessage());
            }
            HttpStatus status = switch (r.status()) {
                case "published" -> HttpStatus.CREATED;
                case "rejected" -> HttpStatus.UNPROCESSABLE_CONTENT;
                default -> HttpStatus.OK;
            };
            return ResponseEntity.status(status).body(r);
        } finally {
            deleteQuietly(dir);
        }
    }

    @GetMapping("/{id:[0-9]+}")
    @PreAuthorize("hasRole('LAND_OFFICER')")
    Map<String, Object> get(@PathVariable long id) {
        return status(id);
    }

    @GetMapping("/{id:[0-9]+}/findings.geojson")
    @PreAuthorize("hasRole('LAND_OFFICER')")
    ResponseEntity<String> findings(@PathVariable long id) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/geo+json")).body(reports.findingsGeoJson(id));
    }

    @GetMapping("/{id:[0-9]+}/report.xlsx")
    @PreAuthorize("hasRole('LAND_OFFICER')")
    ResponseEntity<org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody> report(@PathVariable long id) {
        get(id);   // 404 before the stream starts
        String site = org.springframework.web.servlet.support.ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
                .header("Content-Disposition", "attachment; filename=\"import-" + id + ".xlsx\"")
                .body(out -> reports.xlsx(id, out, site));
    }

    private Map<String, Object> status(long id) {
        var rows = jdbc.queryForList("""
                SELECT b.id, b.district_code AS "districtCode", b.source_name AS "sourceName", b.status, b.dry_run AS "dryRun",
                       b.progress, b.source_srid AS "sourceSrid", b.encoding_note AS "encoding", b.feature_count AS "features",
                       b.accepted_count AS "accepted", b.rejected_count AS "rejected", b.message, b.created_at AS "createdAt",
                       b.finished_at AS "finishedAt"
                FROM staging.import_batch b WHERE b.id = ?""", id);
        if (rows.isEmpty()) {
            throw ApiProblem.notFound("import-not-found", "Không có lô nhập " + id + " / no import batch " + id);
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>(rows.get(0));
        // each rule with its first finding's message: what the rule means and, for most, what to do about it
        out.put("findingsByRule", jdbc.queryForList("""
                SELECT g.severity, g.rule, g.count, e.message_vi AS "exampleVi", e.message_en AS "exampleEn"
                FROM (SELECT severity, rule, count(*) AS count, min(id) AS first FROM staging.finding WHERE batch_id = ? GROUP BY severity, rule) g
                JOIN staging.finding e ON e.id = g.first
                ORDER BY array_position(ARRAY['error', 'warning', 'info'], g.severity), g.rule""", id));
        return out;
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
