package vn.landgis.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * An empty PostGIS database copied from {@code <name>_template} (scripts/db-up.sh), dropped on close:
 * for tests that need a database nobody else has touched.
 */
public final class ThrowawayDatabase implements AutoCloseable {

    public static final String HOST = env("LANDGIS_DB_HOST", "127.0.0.1");
    public static final String PORT = env("LANDGIS_DB_PORT", "5432");
    public static final String BASE = env("LANDGIS_DB_NAME", "landgis");
    public static final String USER = env("LANDGIS_DB_USER", "landgis");
    public static final String PASSWORD = env("LANDGIS_DB_PASSWORD", "landgis");

    private final String name;

    public ThrowawayDatabase() throws SQLException {
        this.name = BASE + "_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " TEMPLATE " + BASE + "_template");
        }
    }

    public String name() {
        return name;
    }

    public String url() {
        return url(name);
    }

    public DriverManagerDataSource dataSource() {
        return new DriverManagerDataSource(url(), USER, PASSWORD);
    }

    public static String url(String database) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
    }

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), USER, PASSWORD);
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static String env(String key, String fallback) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? fallback : v;
    }
}
