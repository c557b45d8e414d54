package vn.landgis.imports;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The first publish into an empty register builds {@code cadastre.parcel}'s secondary indexes and checks its foreign
 * keys once, after the rows are in, instead of maintaining them row by row: PostgreSQL's advice for populating a
 * database ("remove indexes", "remove foreign key constraints"). Measured on 1 040 705 parcels
 * (bench/imports.md): the publishing insert with ten indexes and four foreign keys checked per row takes about 53 s;
 * the same rows into the bare table 4.5 s, the ten index builds 13.6 s, the four keys' checks 0.9 s. The parties and
 * rights an import makes from the holder names a delivery carries ({@code cadastre.party}, {@code cadastre.land_right})
 * are treated the same way when they are empty too (their trigram index on names costs as much row by row).
 *
 * <p>All of it happens inside the publishing transaction, so a crash or a kill at any moment leaves the register,
 * its indexes and its keys as they were (PostgreSQL's DDL is transactional). The table is locked exclusively for
 * the transaction, and so are the tables its foreign keys refer to (the change log, the old and new administrative
 * units, the land-use list: dropping a foreign key takes that lock): readers of any of them wait for the publish
 * (about 20 s at 1 M parcels) instead of seeing an empty register, which is why only a register that holds no
 * version at all (the province's first load) takes this path. The statements that rebuild come from
 * the catalogue ({@code pg_get_indexdef}, {@code pg_get_constraintdef}), so they stay those of the migrations. The
 * primary key stays (other tables' keys refer to it; an identity's index is appended to in order anyway).
 *
 * <p>Where the locks cannot all be had within {@link #LOCK_TIMEOUT} (or PostgreSQL breaks a deadlock by aborting
 * this request), or the role may not drop the indexes (a deployment whose migrations run as another owner), the
 * publish goes on row by row: slower, never wrong.
 */
final class RegisterRebuild {

    private static final Logger log = LoggerFactory.getLogger(RegisterRebuild.class);
    /** The register's parcels, and the parties and rights an import makes from a delivery's holder names. */
    static final String[] TABLES = {"cadastre.parcel", "cadastre.party", "cadastre.land_right"};
    static final String LOCK_TIMEOUT = "10s";

    private RegisterRebuild() {
    }

    /**
     * Within the publishing transaction: locks {@code cadastre.parcel} and the holders' tables ({@link #TABLES}); if the
     * register is still empty, drops the secondary indexes and foreign keys of it and of those of the holders' tables
     * that are empty too, and returns the statements that make them again, in order. Returns an empty list, and
     * the table untouched, when the register is no longer empty or the drop is not possible.
     */
    static List<String> suspend(JdbcTemplate jdbc, long batch) {
        return suspend(jdbc, batch, LOCK_TIMEOUT);
    }

    /** As {@link #suspend(JdbcTemplate, long)}, waiting at most {@code lockTimeout} (PostgreSQL's syntax) for the locks. */
    static List<String> suspend(JdbcTemplate jdbc, long batch, String lockTimeout) {
        if (!lockTimeout.matches("[0-9]{1,5}(ms|s)")) {
            throw new IllegalArgumentException("lock timeout " + lockTimeout);
        }
        jdbc.execute("SAVEPOINT register_rebuild");
        try {
            // dropping a foreign key locks the table it refers to exclusively as well: every lock the rebuild needs
            // is taken here, at once, in the catalogue's order and within the timeout (a reader holding one of them
            // and waiting for another makes a deadlock PostgreSQL breaks; either way this falls back below)
            List<String> referenced = jdbc.queryForList("""
                    SELECT DISTINCT confrelid::regclass::text FROM pg_constraint
                    WHERE conrelid = ANY (?::regclass[]) AND contype = 'f' AND NOT confrelid = ANY (?::regclass[]) ORDER BY 1""",
                    String.class, TABLES, TABLES);
            jdbc.execute("SET LOCAL lock_timeout = '" + lockTimeout + "'");
            jdbc.execute("LOCK TABLE " + String.join(", ", TABLES) + referenced.stream().map(t -> ", " + t).collect(java.util.stream.Collectors.joining())
                    + " IN ACCESS EXCLUSIVE MODE");
            jdbc.execute("SET LOCAL lock_timeout = DEFAULT");
            if (Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM cadastre.parcel)", Boolean.class))) {
                // another import published first while this one waited for the lock
                jdbc.execute("ROLLBACK TO SAVEPOINT register_rebuild");
                return List.of();
            }
            List<String> restore = new ArrayList<>();
            List<String> drop = new ArrayList<>();
            int indexes = 0;
            int keys = 0;
            for (String table : TABLES) {
                // the holders' tables too, when they are as empty as the register (parties made by another way are
                // kept: their indexes then stay maintained row by row)
                if (!table.equals("cadastre.parcel")
                        && Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM " + table + ")", Boolean.class))) {
                    continue;
                }
                // the indexes that back no constraint: every one but the primary key's
                for (Map<String, Object> index : jdbc.queryForList("""
                        SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
                        FROM pg_index i
                        WHERE i.indrelid = ?::regclass
                          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
                        ORDER BY i.indexrelid""", table)) {
                    drop.add("DROP INDEX " + index.get("name"));
                    restore.add((String) index.get("def"));
                    indexes++;
                }
                List<String> add = new ArrayList<>();
                List<String> dropKeys = new ArrayList<>();
                for (Map<String, Object> key : jdbc.queryForList("""
                        SELECT quote_ident(conname) AS name, pg_get_constraintdef(oid) AS def
                        FROM pg_constraint WHERE conrelid = ?::regclass AND contype = 'f' ORDER BY oid""", table)) {
                    dropKeys.add("DROP CONSTRAINT " + key.get("name"));
                    add.add("ADD CONSTRAINT " + key.get("name") + " " + key.get("def"));
                }
                if (!dropKeys.isEmpty()) {
                    drop.add("ALTER TABLE " + table + " " + String.join(", ", dropKeys));
                    restore.add("ALTER TABLE " + table + " " + String.join(", ", add));   // one pass of the table per key
                    keys += add.size();
                }
                restore.add("ANALYZE " + table);   // the planner thought it empty
            }
            for (String statement : drop) {
                jdbc.execute(statement);
            }
            jdbc.execute("RELEASE SAVEPOINT register_rebuild");
            log.info("batch {}: first load of an empty register: {} indexes and {} foreign keys built after the rows", batch,
                    indexes, keys);
            return restore;
        } catch (DataAccessException e) {
            jdbc.execute("ROLLBACK TO SAVEPOINT register_rebuild");
            log.warn("batch {}: the register's indexes stay maintained row by row ({})", batch, e.getMostSpecificCause().getMessage());
            return List.of();
        }
    }

    /**
     * Builds what {@link #suspend} dropped and gathers each table's statistics (the planner thought it empty);
     * {@code progress} hears the share of the statements done.
     */
    static void restore(JdbcTemplate jdbc, long batch, List<String> statements, java.util.function.DoubleConsumer progress) {
        if (statements.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        jdbc.execute("SET LOCAL maintenance_work_mem = '256MB'");
        for (int i = 0; i < statements.size(); i++) {
            jdbc.execute(statements.get(i));
            progress.accept((i + 1.0) / statements.size());
        }
        log.info("batch {}: register indexes and keys built, statistics gathered in {} ms", batch, (System.nanoTime() - t0) / 1_000_000);
    }
}
