package vn.landgis.support;

import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The shared test database ({@code <name>_test}), migrated once per JVM, for tests that need no Spring context. */
public final class MigratedTestDatabase {

    private static DataSource dataSource;

    private MigratedTestDatabase() {
    }

    public static synchronized DataSource dataSource() {
        if (dataSource == null) {
            DriverManagerDataSource ds = new DriverManagerDataSource(ThrowawayDatabase.url(ThrowawayDatabase.BASE + "_test"),
                    ThrowawayDatabase.USER, ThrowawayDatabase.PASSWORD);
            Flyway.configure().dataSource(ds).placeholders(Map.of("storage_srid", "9210")).load().migrate();
            dataSource = ds;
        }
        return dataSource;
    }
}
