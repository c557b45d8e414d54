package vn.landgis.imports;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A batch's new address strings for the address search (V18): the strings its parcels carry that
 * {@code cadastre.address_text} does not hold yet, with their search keys and the partitioned indexes (trigram GIN,
 * hash), built into {@code cadastre.address_text_b<batch>} on a connection of its own while the publishing
 * transaction inserts the parcels (a first load: while it builds the register's indexes, see {@link #later}), then
 * attached by that transaction as the batch's partition: the strings become
 * searchable at the commit that publishes their parcels, and the GIN is built once, beside the publish, over the
 * distinct strings instead of row by row (or rebuilt) over every parcel.
 *
 * <p>Nothing is lost if the side build fails or is late: {@link #attach} then adds the missing strings inside the
 * publishing transaction (slower, never wrong). The build is one transaction of its own (a failure or a dead JVM
 * leaves no table); a table left unattached after it committed (a publish that failed, a job killed while
 * publishing) holds nothing anyone reads; {@link #dropOrphans} removes those of finished batches. Names are made from the batch's id
 * (a number from the database), never from input.
 */
final class AddressText {

    private static final Logger log = LoggerFactory.getLogger(AddressText.class);

    private final long batch;
    private final DataSource dataSource;
    private final CompletableFuture<Integer> built = new CompletableFuture<>();
    private boolean started;

    private AddressText(DataSource dataSource, long batch) {
        this.dataSource = dataSource;
        this.batch = batch;
    }

    /** The distinct address strings of a batch's accepted parcels (its id bound) that no partition holds yet. */
    private static final String NEW_STRINGS = "SELECT n.address FROM (SELECT DISTINCT s.address FROM staging.parcel s"
            + " WHERE s.batch_id = ? AND NOT s.rejected AND s.address IS NOT NULL) n"
            + " WHERE NOT EXISTS (SELECT 1 FROM cadastre.address_text a WHERE a.address = n.address)";

    static String name(long batch) {
        return "cadastre.address_text_b" + batch;
    }

    /**
     * Starts building the batch's partition on its own thread and connection (autocommit: the table is committed
     * but unattached, so no search sees it). The strings are those of the batch's accepted staged parcels.
     */
    static AddressText start(DataSource dataSource, long batch) {
        AddressText strings = later(dataSource, batch);
        strings.begin();
        return strings;
    }

    /**
     * The batch's partition, to be built from {@link #begin} on: the publish of a first load starts it once its
     * rows are in, so that the build takes the core its index builds leave idle instead of slowing its insert.
     */
    static AddressText later(DataSource dataSource, long batch) {
        return new AddressText(dataSource, batch);
    }

    /** Starts the side build, once; {@link #attach} and {@link #discard} start it if no one did. */
    synchronized void begin() {
        if (started) {
            return;
        }
        started = true;
        Thread.ofPlatform().name("address-text-b" + batch).daemon().start(() -> {
            try {
                JdbcTemplate jdbc = new JdbcTemplate(dataSource);
                // one transaction: a build that fails or a JVM that dies leaves no table behind
                built.complete(new org.springframework.transaction.support.TransactionTemplate(
                        new org.springframework.jdbc.support.JdbcTransactionManager(dataSource)).execute(status -> build(jdbc, batch)));
            } catch (Throwable e) {
                built.completeExceptionally(e);
            }
        });
    }

    /** The build itself, inside a transaction: how many strings the partition holds (0: no table is left). */
    static int build(JdbcTemplate jdbc, long batch) {
        long t0 = System.nanoTime();
        String table = name(batch);
        // the publish waits for this build: a lock that does not come (a DDL queued on the parent, itself behind a
        // search that waits for the publish's locks) must end it, and the publish then adds the strings itself
        jdbc.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
        jdbc.execute("DROP TABLE IF EXISTS " + table);
        jdbc.execute("CREATE TABLE " + table + " (LIKE cadastre.address_text, CONSTRAINT address_text_b" + batch
                + "_part CHECK (part = " + batch + "))");
        // the search key of each string once, not of each parcel that repeats it
        int strings = jdbc.update("INSERT INTO " + table + " (part, address, key) SELECT ?, d.address, cadastre.search_text(d.address) FROM ("
                + NEW_STRINGS + ") d", batch, batch);
        if (strings == 0) {
            jdbc.execute("DROP TABLE " + table);
            return 0;
        }
        jdbc.execute("SET LOCAL maintenance_work_mem = '256MB'");
        // the parent's partitioned indexes as the catalogue defines them, so that the attach adopts them (a
        // definition that differed would be built again inside the publishing transaction)
        for (String definition : jdbc.queryForList("""
                SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'cadastre.address_text'::regclass ORDER BY indexrelid""",
                String.class)) {
            jdbc.execute(indexOn(definition, table));
        }
        jdbc.execute("ANALYZE " + table);
        log.info("batch {}: {} new address strings indexed beside the publish in {} ms", batch, strings, (System.nanoTime() - t0) / 1_000_000);
        return strings;
    }

    /** How long the side build and the attach wait for a lock before the publish adds the strings itself. */
    static final String LOCK_TIMEOUT = "10s";

    /**
     * A partitioned index's definition ({@code CREATE INDEX name ON ONLY parent USING ...}) made the same index of
     * {@code table}, named by PostgreSQL.
     */
    static String indexOn(String definition, String table) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^CREATE (UNIQUE )?INDEX \\S+ ON ONLY cadastre\\.address_text (USING .*)$")
                .matcher(definition);
        if (!m.matches()) {
            throw new IllegalStateException("unexpected index of cadastre.address_text: " + definition);
        }
        return "CREATE " + (m.group(1) == null ? "" : m.group(1)) + "INDEX ON " + table + " " + m.group(2);
    }

    /**
     * Inside the publishing transaction, after its parcels are in: waits for the side build and attaches its
     * partition; where the build failed or the attach cannot be done (a lock that does not come within
     * {@link #LOCK_TIMEOUT}, a role that does not own the parent), adds the batch's missing strings to the
     * register's own partition here. {@link #discard} drops a table left unattached.
     */
    void attach(JdbcTemplate jdbc) {
        begin();
        Integer strings;
        try {
            strings = built.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the address strings were being indexed", e);
        } catch (ExecutionException e) {
            addHere(jdbc, e.getCause());
            return;
        }
        if (strings == 0) {
            return;
        }
        jdbc.execute("SAVEPOINT address_text_attach");
        try {
            jdbc.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
            // SHARE UPDATE EXCLUSIVE on the parent: searches go on; the CHECK spares the scan of the new rows
            jdbc.execute("ALTER TABLE cadastre.address_text ATTACH PARTITION " + name(batch) + " FOR VALUES IN (" + batch + ")");
            jdbc.execute("SET LOCAL lock_timeout = DEFAULT");
            jdbc.execute("RELEASE SAVEPOINT address_text_attach");
        } catch (DataAccessException e) {
            jdbc.execute("ROLLBACK TO SAVEPOINT address_text_attach");
            addHere(jdbc, e);
        }
    }

    private void addHere(JdbcTemplate jdbc, Throwable why) {
        log.warn("batch {}: address strings indexed inside the publish instead ({})", batch,
                why instanceof DataAccessException d ? d.getMostSpecificCause().getMessage() : String.valueOf(why));
        jdbc.update("INSERT INTO cadastre.address_text (part, address, key) SELECT 0, d.address, cadastre.search_text(d.address) FROM ("
                + NEW_STRINGS + ") d", batch);
    }

    /**
     * After the publishing transaction, committed or not: a side table it did not attach goes (best effort;
     * {@link #dropOrphans} is the net).
     */
    void discard(JdbcTemplate jdbc) {
        synchronized (this) {
            if (!started) {
                return;   // never built: nothing to drop
            }
        }
        try {
            built.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // nothing was built to drop, or a half-built table the sweep removes
        }
        try {
            dropIfUnattached(jdbc, batch);
        } catch (DataAccessException e) {
            log.info("batch {}: unattached address strings left for the sweep: {}", batch, e.getMostSpecificCause().getMessage());
        }
    }

    private static void dropIfUnattached(JdbcTemplate jdbc, long batch) {
        Boolean attached = jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(?))",
                Boolean.class, name(batch));
        if (!Boolean.TRUE.equals(attached)) {
            jdbc.execute("DROP TABLE IF EXISTS " + name(batch));
        }
    }

    /**
     * Drops the unattached side tables of batches no job works on any more (a publish that failed, a job killed
     * while publishing once its batch is marked abandoned). How many went.
     */
    static int dropOrphans(JdbcTemplate jdbc) {
        List<Long> orphans = jdbc.queryForList("""
                SELECT b.id FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN staging.import_batch b ON c.relname = 'address_text_b' || b.id
                WHERE n.nspname = 'cadastre' AND c.relkind = 'r' AND b.status NOT IN ('reading', 'validating', 'publishing')
                  AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid) ORDER BY b.id""", Long.class);
        for (long batch : orphans) {
            jdbc.execute("DROP TABLE IF EXISTS " + name(batch));
        }
        return orphans.size();
    }
}
