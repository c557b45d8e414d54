package vn.landgis.platform;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.stereotype.Component;

/**
 * The connections of the hot, short, parameterised queries (point and number look-ups, the planning overlay, the
 * placement of a field report): a small pool of its own whose sessions plan each statement once, generically
 * ({@code plan_cache_mode = force_generic_plan}), and reuse that plan on every execution.
 *
 * <p>PostgreSQL's default re-plans a prepared statement for each set of parameters whenever the generic plan's
 * estimate looks worse than the custom plans', which is always so for {@code ST_DWithin(geom, $point, $metres)};
 * for the point look-up that planning took 0.77 ms of its 1.1 ms (bench/lookup.md, 2026-11-22), while the generic
 * plan is the same GiST index scan. The general pool keeps the default, where one-off statements (imports, reports,
 * searches) profit from plans made for their values. The pool's size follows {@link AdmissionProperties#permits()},
 * since the admission filter bounds how many of these queries run at once, with room for the few callers outside it.
 */
@Component
public class HotPathJdbc implements DisposableBean {

    private final HikariDataSource pool;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    HotPathJdbc(DataSourceProperties properties, AdmissionProperties admission) {
        pool = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        pool.setPoolName("hot-path");
        pool.setMaximumPoolSize(admission.permits() + 4);
        pool.setMinimumIdle(Math.min(2, admission.permits()));
        pool.addDataSourceProperty("options", "-c plan_cache_mode=force_generic_plan");
        jdbc = new JdbcTemplate(pool);
        transactions = new TransactionTemplate(new JdbcTransactionManager(pool));
    }

    /** The template over the hot-path pool. Only for statements that are short, parameterised and run often. */
    public JdbcTemplate jdbc() {
        return jdbc;
    }

    /**
     * Transactions on this pool, for a short write that must stay whole (a field report and its submission keys):
     * a plain JDBC transaction, without the JPA session the application's default transaction manager opens.
     */
    public TransactionTemplate transactions() {
        return transactions;
    }

    @Override
    public void destroy() {
        pool.close();
    }
}
