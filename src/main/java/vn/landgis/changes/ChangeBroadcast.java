package vn.landgis.changes;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import vn.landgis.cadastre.AdminBoundariesChanged;
import vn.landgis.cadastre.RegisterChanged;
import vn.landgis.fieldreports.ReportStatusChanged;
import vn.landgis.fieldreports.ReportSubmitted;
import vn.landgis.planning.PlansChanged;

/**
 * Announces this process's change events to the other processes on the database ({@code pg_notify} on
 * {@value ChangeMessage#CHANNEL}). The events come after their commit, so the announcement goes at once; one that
 * cannot be sent (the database gone meanwhile) is logged and lost, the change itself stands: the other processes'
 * caches then forget it only when they expire or the listener reconnects. Events that {@link ChangeListener} heard
 * from elsewhere and publishes here are not announced again.
 */
@Component
class ChangeBroadcast {

    private static final Logger log = LoggerFactory.getLogger(ChangeBroadcast.class);
    /** This process, so that its own listener passes over what it announced itself. */
    static final String SELF = UUID.randomUUID().toString();
    /** Set while {@link ChangeListener} publishes an event heard from another process. */
    private static final ThreadLocal<Boolean> RELAYING = ThreadLocal.withInitial(() -> false);

    private final JdbcTemplate jdbc;

    ChangeBroadcast(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Runs {@code publish} (an event heard from another process) without announcing it again. */
    static void relaying(Runnable publish) {
        RELAYING.set(true);
        try {
            publish.run();
        } finally {
            RELAYING.set(false);
        }
    }

    @EventListener
    void on(RegisterChanged event) {
        announce(event);
    }

    @EventListener
    void on(AdminBoundariesChanged event) {
        announce(event);
    }

    @EventListener
    void on(PlansChanged event) {
        announce(event);
    }

    @EventListener
    void on(ReportSubmitted event) {
        announce(event);
    }

    @EventListener
    void on(ReportStatusChanged event) {
        announce(event);
    }

    private void announce(Object event) {
        if (RELAYING.get()) {
            return;
        }
        ChangeMessage.encode(SELF, event).ifPresent(payload -> {
            try {
                jdbc.query("SELECT pg_notify(?, ?)", rs -> null, ChangeMessage.CHANNEL, payload);
            } catch (DataAccessException e) {
                log.warn("could not tell other processes of {}: {}", event, e.getMostSpecificCause().getMessage());
            }
        });
    }
}
