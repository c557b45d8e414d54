package vn.landgis.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.landgis.generator.GeneratorCommand;
import vn.landgis.geo.VietnameseEncoding;
import vn.landgis.support.ThrowawayDatabase;

/**
 * The command line's import runs in a JVM of its own while the service keeps serving: its publish is announced on
 * the database's channel (vn.landgis.changes), with the change and the extent it covers, for the service to forget
 * the tiles under it. Checked here from outside, by a connection listening on the channel as the service does.
 */
class CommandLineChangesTest {

    @Test
    void aPublishByTheCommandLineIsAnnouncedToTheService(@TempDir Path dir) throws Exception {
        try (ThrowawayDatabase db = new ThrowawayDatabase()) {
            Flyway.configure().dataSource(db.dataSource()).placeholders(Map.of("storage_srid", "9210")).load().migrate();
            JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
            var d = ImportServiceTest.district(61, 400, Map.of());
            GeneratorCommand.write(d, dir, Set.of("gpkg"), VietnameseEncoding.UTF8, null);
            try (Connection listening = ThrowawayDatabase.connect(db.name()); Statement s = listening.createStatement()) {
                s.execute("LISTEN landgis_changes");
                Process job = ImportCrashTest.cliImport(dir.resolve("district.gpkg"), db.name(), dir.resolve("job.log"));
                assertThat(job.waitFor(180, TimeUnit.SECONDS)).as("the import finished (job.log)").isTrue();
                assertThat(job.exitValue()).as(Files.readString(dir.resolve("job.log"))).isZero();
                List<JsonNode> heard = new ArrayList<>();
                for (int i = 0; i < 20 && heard.isEmpty(); i++) {
                    PGNotification[] n = listening.unwrap(PGConnection.class).getNotifications(250);
                    for (PGNotification one : n == null ? new PGNotification[0] : n) {
                        heard.add(JsonMapper.builder().build().readTree(one.getParameter()));
                    }
                }
                long change = jdbc.queryForObject("SELECT published_change FROM staging.import_batch WHERE status = 'published'", Long.class);
                assertThat(heard).as("announced once").singleElement().satisfies(m -> {
                    assertThat(m.path("kind").asString()).isEqualTo("register");
                    assertThat(m.path("id").asLong()).isEqualTo(change);
                    assertThat(m.path("srid").asInt()).isEqualTo(9210);
                    assertThat(m.path("from").asString()).isNotBlank();
                    // the extent holds every parcel the publish opened
                    double[] e = {m.path("extent").get(0).asDouble(), m.path("extent").get(1).asDouble(),
                            m.path("extent").get(2).asDouble(), m.path("extent").get(3).asDouble()};
                    assertThat(jdbc.queryForObject("""
                            SELECT count(*) FROM cadastre.parcel WHERE opened_by = ?
                            AND NOT ST_Envelope(geom) @ ST_MakeEnvelope(?, ?, ?, ?, 9210)""", Long.class, change, e[0], e[1], e[2], e[3])).isZero();
                    assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE opened_by = ?", Long.class, change)).isEqualTo(d.parcels().size());
                });
            }
        }
    }
}
