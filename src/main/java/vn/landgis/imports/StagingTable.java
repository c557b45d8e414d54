package vn.landgis.imports;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A batch's staged parcels live in a table of their own, {@code staging.parcel_b<batch>}, a partition of
 * {@code staging.parcel} (V15). The import COPYs into it while it is bare (no index, no foreign key: each would be
 * maintained row by row, about half of the receiving backend's work for 1 M parcels), then attaches it and builds
 * the b-tree indexes the checks use; the spatial index only when a check joins the batch with itself in SQL (the
 * streaming checks do without). Queries name {@code staging.parcel} with {@code batch_id = ?}: PostgreSQL prunes
 * them to the batch's table.
 *
 * <p>Names are made from the batch's id (a number from the database), never from input.
 */
final class StagingTable {

    private StagingTable() {
    }

    static String name(long batch) {
        return "staging.parcel_b" + batch;
    }

    /**
     * The bare table the COPY fills: the partition's columns and its constraint, nothing else. Unlogged: the staged
     * rows are a job's working copy (the COPY, the SQL checks' rewrites, the findings' updates), written once to the
     * write-ahead log they would cost as much again; a PostgreSQL crash empties them, which loses nothing a job
     * still needs (a job that a crash interrupts has failed, and publishing is one transaction into the logged
     * register), only the staged parcels kept for looking at after a batch finished (its findings and report stay).
     */
    static void create(JdbcTemplate jdbc, long batch) {
        jdbc.execute("CREATE UNLOGGED TABLE " + name(batch) + " (LIKE staging.parcel INCLUDING DEFAULTS INCLUDING CONSTRAINTS, "
                + "CONSTRAINT parcel_b" + batch + "_batch CHECK (batch_id = " + batch + "))");
    }

    /**
     * Makes the filled table the batch's partition (the CHECK spares PostgreSQL the scan that proves the rows belong)
     * and builds its b-tree indexes (which tell the planner the table's size; {@link #analyze} the rest). Idempotent: a table already attached is left as it is.
     */
    static void attach(JdbcTemplate jdbc, long batch) {
        Boolean attached = jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(?) AND inhparent = 'staging.parcel'::regclass)""",
                Boolean.class, name(batch));
        if (Boolean.TRUE.equals(attached)) {
            return;
        }
        jdbc.execute("ALTER TABLE staging.parcel ATTACH PARTITION " + name(batch) + " FOR VALUES IN (" + batch + ")");
        jdbc.execute("CREATE INDEX parcel_b" + batch + "_feature_idx ON " + name(batch) + " (feature_no)");
        jdbc.execute("CREATE INDEX parcel_b" + batch + "_key_idx ON " + name(batch) + " (commune_code, sheet_no, parcel_no)");
    }

    /** Every column of {@code staging.parcel}, in the order {@link #rewrite}'s SELECT gives them. */
    static final String COLUMNS = "batch_id, feature_no, commune_code, sheet_no, parcel_no, land_use_raw, land_use_code, legal_area, geom_area,"
            + " address, owner, map_scale, source_geom, geom, rejected, misplaced, source_valid, land_use_other";

    /**
     * Rewrites the batch's table with computed columns: a new table filled by one {@code INSERT ... SELECT} (the
     * {@link #COLUMNS} from {@code select}, which reads the batch from {@code staging.parcel}), indexed as the old one was, then
     * put in its place (name, partition, indexes' names) in the same transaction. An {@code UPDATE} of every row
     * writes each row a second time and every index entry again: 27 s for 1 M parcels against 18 s this way, the
     * transform and validity included (bench/imports.md). {@code staging.parcel} is locked exclusively for the swap at
     * the end, after at most 5 s of waiting for other jobs that read it. False, and nothing done, for a batch without a
     * table of its own (staged before V15), a column list that no longer matches, a caller inside a transaction, or
     * the lock not had in time: the caller updates in place then.
     */
    static boolean rewrite(JdbcTemplate jdbc, long batch, String select, Object... args) {
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isActualTransactionActive()) {
            return false;   // its own transaction, not the caller's (whose lock on staging.parcel would last to the caller's commit)
        }
        Boolean own = jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(?) AND inhparent = 'staging.parcel'::regclass)
                   AND (SELECT count(*) FROM pg_attribute WHERE attrelid = 'staging.parcel'::regclass AND attnum > 0 AND NOT attisdropped) = ?""",
                Boolean.class, name(batch), COLUMNS.split(",").length);
        if (!Boolean.TRUE.equals(own)) {
            return false;   // staged before V15, or a column this list does not know: the UPDATE in place
        }
        String next = "staging.parcel_r" + batch;
        try {
            swap(jdbc, batch, next, select, args);
            return true;
        } catch (org.springframework.dao.DataAccessException e) {
            // the lock for the swap did not come (other jobs reading staging.parcel): nothing changed, the UPDATE in place
            org.slf4j.LoggerFactory.getLogger(StagingTable.class).info("batch {}: staged parcels updated in place ({})", batch,
                    e.getMostSpecificCause().getMessage());
            return false;
        }
    }

    private static void swap(JdbcTemplate jdbc, long batch, String next, String select, Object... args) {
        new org.springframework.transaction.support.TransactionTemplate(
                new org.springframework.jdbc.support.JdbcTransactionManager(java.util.Objects.requireNonNull(jdbc.getDataSource())))
                .executeWithoutResult(status -> {
                    List<String> indexes = jdbc.queryForList("SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = ?::regclass ORDER BY indexrelid",
                            String.class, name(batch));
                    jdbc.execute("CREATE UNLOGGED TABLE " + next + " (LIKE staging.parcel INCLUDING DEFAULTS INCLUDING CONSTRAINTS, "
                            + "CONSTRAINT parcel_r" + batch + "_batch CHECK (batch_id = " + batch + "))");
                    jdbc.update("INSERT INTO " + next + " (" + COLUMNS + ") " + select, args);
                    java.util.regex.Pattern oldName = java.util.regex.Pattern.compile("parcel_b" + batch + "(?=[_ ])");
                    List<String> renames = new java.util.ArrayList<>();
                    for (String definition : indexes) {
                        // CREATE INDEX parcel_b<batch>_x ON staging.parcel_b<batch> USING ...: the same on the new table, named apart until the swap
                        jdbc.execute(oldName.matcher(definition).replaceAll("parcel_r" + batch));
                        java.util.regex.Matcher index = java.util.regex.Pattern.compile("^CREATE (?:UNIQUE )?INDEX parcel_b" + batch + "(_\\w+) ON ").matcher(definition);
                        if (index.find()) {
                            renames.add("ALTER INDEX staging.parcel_r" + batch + index.group(1) + " RENAME TO parcel_b" + batch + index.group(1));
                        }
                    }
                    jdbc.execute("ANALYZE " + next);
                    // dropping a partition locks staging.parcel exclusively to the commit (milliseconds from here), but
                    // waits for every job reading it, and every later reader would queue behind the wait: bounded
                    jdbc.execute("SET LOCAL lock_timeout = '5s'");
                    jdbc.execute("LOCK TABLE staging.parcel IN ACCESS EXCLUSIVE MODE");
                    jdbc.execute("DROP TABLE " + name(batch));
                    jdbc.execute("ALTER TABLE " + next + " RENAME TO parcel_b" + batch);
                    jdbc.execute("ALTER TABLE " + name(batch) + " RENAME CONSTRAINT parcel_r" + batch + "_batch TO parcel_b" + batch + "_batch");
                    for (String rename : renames) {
                        jdbc.execute(rename);
                    }
                    jdbc.execute("ALTER TABLE staging.parcel ATTACH PARTITION " + name(batch) + " FOR VALUES IN (" + batch + ")");
                });
    }

    /** The planner must know what the COPY (or a repair) brought, or it plans the joins for an empty table. */
    static void analyze(JdbcTemplate jdbc, long batch) {
        jdbc.execute("ANALYZE " + name(batch));
    }

    /** The GiST index of the batch's storage geometries, for the checks that join the batch with itself in SQL. */
    static void spatialIndex(JdbcTemplate jdbc, long batch) {
        jdbc.execute("CREATE INDEX IF NOT EXISTS parcel_b" + batch + "_geom_idx ON " + name(batch) + " USING gist (geom)");
    }

    /**
     * Drops the staged parcels of the batches finished more than {@code days} days ago (their findings, counts and
     * report stay): without it a table is left behind by every delivery and dry run. A table some other job is
     * using is left for the next time (a partition's drop locks {@code staging.parcel} for a moment). How many went.
     */
    static int dropExpired(JdbcTemplate jdbc, org.springframework.transaction.support.TransactionTemplate tx, int days) {
        // a job killed in the middle leaves its batch 'reading', 'validating' or 'publishing' for ever (and, when
        // killed while reading, its table unattached); after two days no job is still at it
        jdbc.update("""
                UPDATE staging.import_batch SET status = 'failed', finished_at = now(),
                       message = 'Bị dừng giữa chừng, sổ địa chính không đổi / abandoned (the job stopped midway), the register is unchanged'
                WHERE status IN ('reading', 'validating', 'publishing') AND created_at < now() - interval '2 days'""");
        List<Long> expired = jdbc.queryForList("""
                SELECT b.id FROM staging.import_batch b
                WHERE b.status IN ('published', 'rejected', 'validated', 'failed', 'duplicate') AND b.finished_at < now() - make_interval(days => ?)
                  AND to_regclass('staging.parcel_b' || b.id) IS NOT NULL ORDER BY b.id""", Long.class, days);
        int dropped = 0;
        for (long batch : expired) {
            try {
                tx.executeWithoutResult(status -> {
                    jdbc.execute("SET LOCAL lock_timeout = '2s'");
                    jdbc.execute("DROP TABLE " + name(batch));
                });
                dropped++;
            } catch (org.springframework.dao.DataAccessException e) {
                org.slf4j.LoggerFactory.getLogger(StagingTable.class).info("staged parcels of batch {} kept for now: {}", batch,
                        e.getMostSpecificCause().getMessage());
            }
        }
        return dropped;
    }
}
