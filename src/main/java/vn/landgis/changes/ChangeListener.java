package vn.landgis.changes;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import javax.sql.DataSource;

import org.locationtech.jts.geom.Envelope;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import com.zaxxer.hikari.HikariDataSource;

import vn.landgis.cadastre.AdminBoundariesChanged;
import vn.landgis.cadastre.RegisterChanged;
import vn.landgis.geo.ProvinceProperties;
import vn.landgis.planning.PlansChanged;

/**
 * Hears the changes other processes announce ({@link ChangeBroadcast}: the command line's imports, another instance
 * of the service) and publishes them here as the same events. It runs in the web service only (a command's short
 * life has no cache worth keeping), on a thread and a database connection of its own (not one of the pool's:
 * {@code LISTEN} holds its connection for good), named {@value #APPLICATION_NAME} in {@code pg_stat_activity}.
 *
 * <p>When the connection breaks (a restart of PostgreSQL, a network cut) it connects again, waiting a little longer
 * each time up to {@link #MAX_BACKOFF_MS}, and then forgets every cached tile, statistic and outline of the province:
 * the announcements made while it was away are not kept by PostgreSQL.
 */
@Component
@ConditionalOnWebApplication
@ConditionalOnProperty(name = "landgis.changes.listen", havingValue = "true", matchIfMissing = true)
class ChangeListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChangeListener.class);
    static final String APPLICATION_NAME = "landgis-change-listener";
    static final long MAX_BACKOFF_MS = 30_000;
    /** How long one wait for notifications lasts: the longest a stop waits for the thread. */
    private static final int POLL_MS = 500;

    private final DataSource dataSource;
    private final ApplicationEventPublisher events;
    private final ProvinceProperties province;
    private volatile boolean running;
    private volatile Thread thread;
    private volatile Connection connection;

    ChangeListener(DataSource dataSource, ApplicationEventPublisher events, ProvinceProperties province) {
        this.dataSource = dataSource;
        this.events = events;
        this.province = province;
    }

    @Override
    public void start() {
        running = true;
        Thread t = new Thread(this::listen, "change-listener");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(3 * POLL_MS + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(connection);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        long backoff = 250;
        boolean missedSome = false;
        while (running) {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                connection = c;
                s.execute("LISTEN " + ChangeMessage.CHANNEL);
                log.info("listening for changes made by other processes (channel {})", ChangeMessage.CHANNEL);
                if (missedSome) {
                    forgetEverything();
                }
                backoff = 250;
                missedSome = true;   // from here on, a broken connection may have missed announcements
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] heard = pg.getNotifications(POLL_MS);
                    if (heard != null) {
                        for (PGNotification n : heard) {
                            hear(n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                log.warn("change listener: {}; connecting again in {} ms", e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            } finally {
                connection = null;
            }
        }
    }

    /** Publishes here what another process announced; its own announcements and what is no event pass by. */
    void hear(String payload) {
        var heard = ChangeMessage.decode(payload);
        if (heard.isEmpty()) {
            log.warn("change listener: not a change announcement, ignored: {}", payload == null ? null
                    : payload.substring(0, Math.min(200, payload.length())));
            return;
        }
        if (heard.get().from().equals(ChangeBroadcast.SELF)) {
            return;
        }
        log.debug("change from another process: {}", heard.get().event());
        try {
            ChangeBroadcast.relaying(() -> events.publishEvent(heard.get().event()));
        } catch (RuntimeException e) {
            log.warn("change listener: a listener failed on {}: {}", heard.get().event(), e.toString());
        }
    }

    /** After a broken connection: every change event, over the whole province (in WGS 84). */
    private void forgetEverything() {
        List<Double> x = province.extentWgs84();
        Envelope all = x == null || x.size() != 4 ? new Envelope(102, 110, 8, 24) : new Envelope(x.get(0), x.get(2), x.get(1), x.get(3));
        log.info("change listener: connected again; forgetting every cached map of the province (changes made meanwhile are not known)");
        for (Object event : List.of(new RegisterChanged(0, all, 4326), new AdminBoundariesChanged(all, 4326), new PlansChanged(0, all, 4326))) {
            ChangeBroadcast.relaying(() -> events.publishEvent(event));
        }
    }

    /** A connection of its own: the pool's settings when it is Hikari's, else one from the data source. */
    private Connection connect() throws SQLException {
        if (dataSource.isWrapperFor(HikariDataSource.class)) {
            HikariDataSource hikari = dataSource.unwrap(HikariDataSource.class);
            Properties p = new Properties();
            hikari.getDataSourceProperties().forEach(p::put);
            if (hikari.getUsername() != null) {
                p.setProperty("user", hikari.getUsername());
            }
            if (hikari.getPassword() != null) {
                p.setProperty("password", hikari.getPassword());
            }
            p.setProperty("ApplicationName", APPLICATION_NAME);
            // a half-open connection (the network cut without a reset) is noticed by the keep-alive
            p.setProperty("tcpKeepAlive", "true");
            return DriverManager.getConnection(hikari.getJdbcUrl(), p);
        }
        Connection c = dataSource.getConnection();
        c.setAutoCommit(true);
        return c;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
    }
}
