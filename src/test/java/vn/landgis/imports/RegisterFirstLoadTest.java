package vn.landgis.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import vn.landgis.generator.GeneratorCommand;
import vn.landgis.geo.VietnameseEncoding;
import vn.landgis.support.ThrowawayDatabase;

/**
 * The first publish into an empty register drops the parcels' secondary indexes and foreign keys and builds them
 * after the rows, all in the publishing transaction ({@link RegisterRebuild}): killed in the middle, the register
 * is empty with its indexes and keys as the migrations made them; finished, it holds the batch with the same
 * indexes and keys, valid; the next delivery publishes row by row.
 */
class RegisterFirstLoadTest {

    /**
     * Every index of cadastre.parcel and of the holders' tables (parties, rights) and every constraint, as the
     * catalogue defines them, with their validity.
     */
    private static final String SCHEMA = """
            SELECT string_agg(d, E'\\n' ORDER BY d) FROM (
              SELECT pg_get_indexdef(indexrelid) || ' valid=' || indisvalid || ' ready=' || indisready AS d
              FROM pg_index WHERE indrelid IN ('cadastre.parcel'::regclass, 'cadastre.party'::regclass, 'cadastre.land_right'::regclass)
              UNION ALL
              SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' validated=' || convalidated
              FROM pg_constraint WHERE conrelid IN ('cadastre.parcel'::regclass, 'cadastre.party'::regclass, 'cadastre.land_right'::regclass)) x""";

    @Test
    void aFirstLoadKilledLeavesTheEmptyRegisterAndItsIndexesAndOneThatFinishesRebuildsThemAll(@TempDir Path dir) throws Exception {
        try (ThrowawayDatabase db = new ThrowawayDatabase()) {
            Flyway.configure().dataSource(db.dataSource()).placeholders(Map.of("storage_srid", "9210")).load().migrate();
            JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
            String schema = jdbc.queryForObject(SCHEMA, String.class);
            assertThat(schema).contains("USING gist", "USING hash", "FOREIGN KEY (land_use_code)", "party_name_trgm_idx", "FOREIGN KEY (party_id)");
            GeneratorCommand.write(ImportServiceTest.district(41, 30_000, Map.of()), dir.resolve("a"), Set.of("gpkg"), VietnameseEncoding.UTF8, null);
            Path first = dir.resolve("a/district.gpkg");
            // the holders the map names recorded too: their parties and rights are built in bulk beside the parcels
            Path holders = dir.resolve("holders.json");
            Files.writeString(holders, "{\"holders\": true}");
            java.util.List<String> options = java.util.List.of("--manifest", holders.toString());

            Process killed = ImportCrashTest.cliImport(first, db.name(), dir.resolve("killed.log"), options);
            assertThat(ImportCrashTest.killWhilePublishing(jdbc, killed, 0)).as("reached publishing (killed.log)").isTrue();
            killed.waitFor(30, TimeUnit.SECONDS);
            ImportCrashTest.awaitRollback(jdbc);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel", Long.class)).isZero();
            assertThat(jdbc.queryForObject(SCHEMA, String.class)).isEqualTo(schema);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.address_text", Long.class)).as("no address string published").isZero();

            assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.party", Long.class)).as("no party made").isZero();
            Process whole = ImportCrashTest.cliImport(first, db.name(), dir.resolve("first.log"), options);
            assertThat(whole.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(whole.exitValue()).as(Files.readString(dir.resolve("first.log"))).isZero();
            assertThat(Files.readString(dir.resolve("first.log"))).contains("first load of an empty register");
            long accepted = jdbc.queryForObject("SELECT accepted_count FROM staging.import_batch WHERE status = 'published'", Long.class);
            assertThat(accepted).isGreaterThan(29_000);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL", Long.class)).isEqualTo(accepted);
            assertThat(jdbc.queryForObject(SCHEMA, String.class)).isEqualTo(schema);
            assertEveryCurrentAddressIsSearchable(jdbc, 2);
            // the holders the delivery names, made in bulk beside the parcels and indexed after them
            assertThat(Files.readString(dir.resolve("first.log"))).containsPattern("first load of an empty register: 1[3-9] indexes");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM cadastre.land_right WHERE declared_in_batch IS NOT NULL", Long.class))
                    .as("the generator names a holder for every parcel").isEqualTo(accepted);
            assertThat(Files.readString(dir.resolve("first.log"))).contains("address strings indexed beside the publish");
            // the statistics were gathered in the same transaction: the planner knows the table is not empty
            assertThat(jdbc.queryForObject("SELECT reltuples FROM pg_class WHERE oid = 'cadastre.parcel'::regclass", Double.class))
                    .isGreaterThan(29_000);

            GeneratorCommand.write(ImportServiceTest.district(42, 2_000, Map.of()), dir.resolve("b"), Set.of("gpkg"), VietnameseEncoding.UTF8, null);
            Process next = ImportCrashTest.cliImport(dir.resolve("b/district.gpkg"), db.name(), dir.resolve("next.log"));
            assertThat(next.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(next.exitValue()).as(Files.readString(dir.resolve("next.log"))).isZero();
            assertThat(Files.readString(dir.resolve("next.log"))).doesNotContain("first load").contains("publishing took");
            assertThat(jdbc.queryForObject(SCHEMA, String.class)).isEqualTo(schema);
            assertEveryCurrentAddressIsSearchable(jdbc, 3);
            // the killed job's side table, if it got that far, is attached to nothing and goes once its batch is over
            jdbc.update("UPDATE staging.import_batch SET status = 'failed' WHERE status = 'publishing'");
            AddressText.dropOrphans(jdbc);
            assertThat(jdbc.queryForObject("""
                    SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'cadastre'::regnamespace AND c.relname LIKE 'address\\_text\\_b%'
                      AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid)""", Long.class)).isZero();
        }
    }

    /**
     * Every current parcel's address is among the search's strings, whose partitions (the register's own and one per
     * publishing batch that brought new strings) are all attached, their indexes the parent's.
     */
    static void assertEveryCurrentAddressIsSearchable(JdbcTemplate jdbc, int partitions) {
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM (SELECT DISTINCT address FROM cadastre.parcel WHERE valid_to IS NULL AND address IS NOT NULL) d
                WHERE NOT EXISTS (SELECT 1 FROM cadastre.address_text a WHERE a.address = d.address)""", Long.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM pg_inherits WHERE inhparent = 'cadastre.address_text'::regclass", Long.class))
                .isEqualTo(partitions);
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM pg_inherits i JOIN pg_index x ON x.indrelid = i.inhrelid
                WHERE i.inhparent = 'cadastre.address_text'::regclass
                  AND NOT EXISTS (SELECT 1 FROM pg_inherits j WHERE j.inhrelid = x.indexrelid)""", Long.class))
                .as("every partition's index is attached to the parent's").isZero();
    }

    @Test
    void aReaderHoldingAReferencedTableMakesTheFirstLoadFallBackToRowByRowInsteadOfWaiting() throws Exception {
        try (ThrowawayDatabase db = new ThrowawayDatabase()) {
            Flyway.configure().dataSource(db.dataSource()).placeholders(Map.of("storage_srid", "9210")).load().migrate();
            JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
            String schema = jdbc.queryForObject(SCHEMA, String.class);
            var connection = new org.springframework.jdbc.datasource.SingleConnectionDataSource(
                    ThrowawayDatabase.url(db.name()), ThrowawayDatabase.USER, ThrowawayDatabase.PASSWORD, true);
            var manager = new org.springframework.jdbc.support.JdbcTransactionManager(connection);
            JdbcTemplate publishing = new JdbcTemplate(manager.getDataSource());
            try (var reader = ThrowawayDatabase.connect(db.name())) {
                reader.setAutoCommit(false);
                // a look-up that has read the land-use list and is still in its transaction
                reader.createStatement().execute("SELECT count(*) FROM cadastre.land_use_type");
                long t0 = System.nanoTime();
                java.util.List<String> rebuild = new org.springframework.transaction.support.TransactionTemplate(manager)
                        .execute(status -> RegisterRebuild.suspend(publishing, 0, "500ms"));
                assertThat(rebuild).as("nothing dropped: the publish goes row by row").isEmpty();
                assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5);
                reader.rollback();
            }
            assertThat(jdbc.queryForObject(SCHEMA, String.class)).isEqualTo(schema);
            // with nobody in the way, the same call takes the locks and drops what it will rebuild
            java.util.List<String> rebuild = new org.springframework.transaction.support.TransactionTemplate(manager).execute(status -> {
                java.util.List<String> r = RegisterRebuild.suspend(publishing, 0, "500ms");
                status.setRollbackOnly();
                return r;
            });
            assertThat(rebuild).anyMatch(r -> r.startsWith("CREATE INDEX")).anyMatch(r -> r.contains("FOREIGN KEY"));
            assertThat(jdbc.queryForObject(SCHEMA, String.class)).isEqualTo(schema);
            connection.destroy();
        }
    }
}
