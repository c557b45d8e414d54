package vn.landgis.imports;

import java.nio.file.Path;
import java.util.Locale;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code java -jar landgis.jar import --district CODE [--dry-run] PATH}: imports a delivery (a .gpkg, a .shp with
 * its companions, a MapInfo .tab/.mif, a DGN/DXF map sheet, or a folder holding one of these or FAMIS map sheets,
 * with an optional Excel register) with a progress bar, prints the outcome and the findings by rule.
 * Exit code 0 when published, validated (dry run) or already published; 1 when rejected or failed; 2 on usage.
 */
public final class ImportCommand {

    private ImportCommand() {
    }

    public static final String USAGE = "usage: landgis import --district CODE [--manifest FILE] [--dry-run] PATH\n"
            + "       landgis import --manifest PLAN-MANIFEST [--dry-run] PATH   (a manifest of \"kind\": \"plan\")";

    public static int run(ConfigurableApplicationContext context, String district, Path manifest, boolean dryRun, Path path) {
        try {
            if (manifest != null && PlanManifest.isPlan(manifest)) {
                return runPlan(context, PlanManifest.read(manifest), dryRun, path);
            }
        } catch (java.io.IOException e) {
            System.err.println("import: " + e.getMessage());
            return 2;
        }
        if (district == null) {
            System.err.println(USAGE);
            return 2;
        }
        ImportService service = context.getBean(ImportService.class);
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        Path unpacked = null;
        try {
            if (java.nio.file.Files.isRegularFile(path) && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
                // a delivery as districts send it: unpacked as the web upload is (no entry outside the folder, bounded size)
                long maxBytes = context.getEnvironment().getProperty("landgis.imports.max-unpacked-mb", Long.class, 2048L) * 1024 * 1024;
                unpacked = java.nio.file.Files.createTempDirectory("landgis-import-");
                Path zip = path;
                path = SafeUnzip.unzip(() -> java.nio.file.Files.newInputStream(zip), unpacked, maxBytes);
            }
            ImportService.Outcome o = service.run(district, path, manifest, dryRun, System.getProperty("user.name", "cli"), ImportCommand::bar, id -> { });
            System.err.println();
            System.err.printf(Locale.ROOT, "batch %d: %s — %d features, %d accepted, %d rejected, %d errors, %d warnings%n",
                    o.batchId(), o.status(), o.features(), o.accepted(), o.rejected(), o.errors(), o.warnings());
            if (o.message() != null) {
                System.err.println("  " + o.message());
            }
            jdbc.query("SELECT encoding_note, source_srid FROM staging.import_batch WHERE id = ?", rs -> {
                if (rs.getInt(2) != 0) {   // a duplicate is refused unread: no CRS to tell
                    System.err.println("  CRS: EPSG:" + rs.getInt(2) + (rs.getString(1) == null || rs.getString(1).isEmpty() ? "" : "; text: " + rs.getString(1)));
                }
            }, o.batchId());
            jdbc.query("""
                    SELECT g.severity, g.rule, g.n, f.message_vi, f.message_en
                    FROM (SELECT severity, rule, count(*) AS n, min(id) AS first FROM staging.finding WHERE batch_id = ? GROUP BY severity, rule) g
                    JOIN staging.finding f ON f.id = g.first
                    ORDER BY array_position(ARRAY['error', 'warning', 'info'], g.severity), g.rule""",
                    rs -> {
                        // the first finding's two halves (the smallest of each language quoted two different findings)
                        System.err.printf(Locale.ROOT, "  %-7s %-18s %6d  e.g. %s / %s%n", rs.getString(1), rs.getString(2), rs.getInt(3),
                                rs.getString(4), rs.getString(5));
                    }, o.batchId());
            return switch (o.status()) {
                case "published", "validated", "duplicate" -> 0;
                default -> 1;
            };
        } catch (IllegalArgumentException e) {
            System.err.println("\nimport: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("\nimport failed: " + e.getMessage());
            return 1;
        } finally {
            if (unpacked != null) {
                org.springframework.util.FileSystemUtils.deleteRecursively(unpacked.toFile());
            }
        }
    }

    private static int runPlan(ConfigurableApplicationContext context, PlanManifest manifest, boolean dryRun, Path path) {
        try {
            PlanImporter.Result r = context.getBean(PlanImporter.class).run(path, manifest, dryRun, System.getProperty("user.name", "cli"));
            System.err.printf(Locale.ROOT, "plan %s: %s — %d zones, %d lines%n", r.planId() == null ? "-" : r.planId().toString(), r.status(),
                    r.zones(), r.lines());
            for (PlanImporter.Finding f : r.findings()) {
                System.err.printf(Locale.ROOT, "  %-7s %-24s %s%s / %s%n", f.severity(), f.rule(), f.zoneCode() == null ? "" : f.zoneCode() + ": ",
                        f.messageVi(), f.messageEn());
            }
            return r.status().equals("rejected") ? 1 : 0;
        } catch (IllegalArgumentException e) {
            System.err.println("import: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("import failed: " + e.getMessage());
            return 1;
        }
    }

    private static void bar(double fraction) {
        int width = 40;
        int done = (int) Math.round(fraction * width);
        System.err.print("\r[" + "#".repeat(done) + " ".repeat(width - done) + "] " + Math.round(fraction * 100) + "%");
    }
}
