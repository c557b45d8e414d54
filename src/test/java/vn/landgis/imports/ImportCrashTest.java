package vn.landgis.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import vn.landgis.generator.GeneratorCommand;
import vn.landgis.geo.VietnameseEncoding;
import vn.landgis.support.MigratedTestDatabase;
import vn.landgis.support.ThrowawayDatabase;

/**
 * A job killed while it publishes leaves the register exactly as it was: the import runs in its own JVM (the
 * CLI), which is killed with SIGKILL once the batch says 'publishing'.
 */
class ImportCrashTest {

    @Test
    void killedWhilePublishingLeavesTheRegisterUnchanged(@TempDir Path dir) throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(MigratedTestDatabase.dataSource());
        var d = ImportServiceTest.district(37, 30_000, Map.of());
        GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
        String count = "SELECT count(*) || '/' || count(*) FILTER (WHERE valid_to IS NULL) || '/' || coalesce(max(id), 0) FROM cadastre.parcel";
        String before = jdbc.queryForObject(count, String.class);
        long lastBatch = jdbc.queryForObject("SELECT coalesce(max(id), 0) FROM staging.import_batch", Long.class);

        Process job = cliImport(dir.resolve("district.gpkg"), ThrowawayDatabase.BASE + "_test", dir.resolve("job.log"));
        boolean killed = killWhilePublishing(jdbc, job, lastBatch);
        job.waitFor(30, TimeUnit.SECONDS);
        assertThat(killed).as("the job reached the publishing phase (see job.log)").isTrue();
        awaitRollback(jdbc);
        assertThat(jdbc.queryForObject(count, String.class)).isEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT status FROM staging.import_batch WHERE id > ? ORDER BY id DESC LIMIT 1", String.class, lastBatch))
                .isEqualTo("publishing");
    }

    /** {@code landgis import --district 703 FILE} in a JVM of its own against {@code database}, its output to {@code log}. */
    static Process cliImport(Path file, String database, Path log) throws java.io.IOException {
        return cliImport(file, database, log, List.of());
    }

    /** As {@link #cliImport(Path, String, Path)}, with the import's own options ({@code --manifest FILE}) before the file. */
    static Process cliImport(Path file, String database, Path log, List<String> options) throws java.io.IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "vn.landgis.LandgisApplication",
                "import", "--district", "703"));
        cmd.addAll(options);
        cmd.addAll(List.of(file.toString(),
                "--spring.datasource.url=" + ThrowawayDatabase.url(database), "--logging.level.root=WARN",
                "--logging.level.vn.landgis.imports=INFO", "--logging.threshold.console=INFO", "--landgis.demo.load-on-start=false"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(new File(log.toString())).start();
    }

    /** SIGKILLs {@code job} once its batch (the first after {@code lastBatch}) says 'publishing'; whether it did. */
    static boolean killWhilePublishing(JdbcTemplate jdbc, Process job, long lastBatch) throws InterruptedException {
        for (int i = 0; i < 1200 && job.isAlive(); i++) {
            String status = jdbc.query("SELECT status FROM staging.import_batch WHERE id > ? ORDER BY id DESC LIMIT 1",
                    rs -> rs.next() ? rs.getString(1) : null, lastBatch);
            if ("publishing".equals(status)) {
                Thread.sleep(150);   // well inside the publishing transaction
                job.destroyForcibly();
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /**
     * PostgreSQL notices the dead connection and rolls its transaction back: at once when the backend waits for the
     * client, after the statement it is running otherwise (an index build of a first load).
     */
    static void awaitRollback(JdbcTemplate jdbc) throws InterruptedException {
        for (int i = 0; i < 300 && jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL", Integer.class) > 0; i++) {
            Thread.sleep(100);
        }
    }
}
