package vn.landgis.changes;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Envelope;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;

import vn.landgis.cadastre.RegisterChanged;
import vn.landgis.support.ThrowawayDatabase;
import vn.landgis.tiles.TileCache;
import vn.landgis.tiles.TileGrid;
import vn.landgis.tiles.TileService;

/**
 * Changes told across processes through PostgreSQL's NOTIFY: what this service announces, what it hears from another
 * process (a plain connection of the test's own, as the command line's import would be), what it refuses to hear,
 * and a listener whose connection is cut. The tile cache's generation (one more per eviction) shows what was heard.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChangesAcrossProcessesTest {

    static final String DATABASE = ThrowawayDatabase.BASE + "_test";

    @Autowired
    ApplicationEventPublisher events;
    @Autowired
    TileService tiles;
    @Autowired
    JdbcTemplate jdbc;

    /** A tile of zoom 17 over a current parcel of the demo district (EPSG:3857 x/y), and the parcel's storage extent. */
    record Place(long x, long y, Envelope extent) {
    }

    Place place(String order) {
        return jdbc.queryForObject("""
                SELECT ST_X(c), ST_Y(c), ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g)
                FROM (SELECT ST_Transform(ST_PointOnSurface(geom), 3857) c, geom g FROM cadastre.parcel WHERE valid_to IS NULL ORDER BY %s LIMIT 1) p"""
                .formatted(order), (rs, i) -> {
            double span = TileGrid.span(17);
            return new Place((long) Math.floor((rs.getDouble(1) + TileGrid.HALF) / span), (long) Math.floor((TileGrid.HALF - rs.getDouble(2)) / span),
                    new Envelope(rs.getDouble(3), rs.getDouble(5), rs.getDouble(4), rs.getDouble(6)));
        });
    }

    TileCache.Key cached(Place p, String layer) {
        TileCache.Key key = new TileCache.Key(layer, "-", "all", "mvt", 17, p.x(), p.y());
        tiles.cache().put(key, TileCache.Tile.of(new byte[] {1, 2, 3}), tiles.cache().generation());
        assertThat(tiles.cache().get(key)).isPresent();
        return key;
    }

    static void notify(String payload) throws SQLException {
        try (Connection c = ThrowawayDatabase.connect(DATABASE); PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            s.setString(1, ChangeMessage.CHANNEL);
            s.setString(2, payload);
            s.execute();
        }
    }

    static String registerChanged(String from, long change, Envelope e) {
        return "{\"from\":\"%s\",\"kind\":\"register\",\"id\":%d,\"srid\":9210,\"extent\":[%s,%s,%s,%s]}"
                .formatted(from, change, e.getMinX(), e.getMinY(), e.getMaxX(), e.getMaxY());
    }

    static boolean within(long millis, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    @Test
    void aChangeHereIsAnnouncedToTheOtherProcesses() throws Exception {
        Envelope extent = new Envelope(560_000.5, 560_100.25, 1_220_000, 1_220_050.75);
        try (Connection listening = ThrowawayDatabase.connect(DATABASE); Statement s = listening.createStatement()) {
            s.execute("LISTEN " + ChangeMessage.CHANNEL);
            events.publishEvent(new RegisterChanged(424_242, extent, 9210));
            List<ChangeMessage.Heard> heard = new ArrayList<>();
            assertThat(within(10_000, () -> {
                try {
                    PGNotification[] n = listening.unwrap(PGConnection.class).getNotifications(100);
                    for (PGNotification one : n == null ? new PGNotification[0] : n) {
                        ChangeMessage.decode(one.getParameter()).ifPresent(heard::add);
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                return heard.stream().anyMatch(h -> h.event().equals(new RegisterChanged(424_242, extent, 9210)));
            })).as("announced: %s", heard).isTrue();
            assertThat(heard).filteredOn(h -> h.event().equals(new RegisterChanged(424_242, extent, 9210)))
                    .singleElement().extracting(ChangeMessage.Heard::from).isEqualTo(ChangeBroadcast.SELF);
        }
    }

    @Test
    void aChangeAnnouncedElsewhereEvictsTheTilesUnderItHereAndNoOthers() throws Exception {
        Place near = place("id");
        Place far = place("ST_Distance(geom, (SELECT geom FROM cadastre.parcel WHERE valid_to IS NULL ORDER BY id LIMIT 1)) DESC");
        TileCache.Key nearTile = cached(near, "parcels");
        TileCache.Key farTile = cached(far, "parcels");
        notify(registerChanged("another-process", 7, near.extent()));
        assertThat(within(10_000, () -> tiles.cache().get(nearTile).isEmpty())).as("the tile under the change is evicted").isTrue();
        assertThat(tiles.cache().get(farTile)).as("a tile elsewhere stays cached").isPresent();
    }

    @Test
    void ownAnnouncementsAndWhatWasHeardAreNotPublishedTwice() throws Exception {
        Place p = place("id DESC");
        long before = tiles.cache().generation();
        // here: evicts once at once; its own announcement, heard back, must not evict again
        events.publishEvent(new RegisterChanged(1, new Envelope(0, 1, 0, 1), 9210));
        assertThat(tiles.cache().generation()).isEqualTo(before + 1);
        // a marker from elsewhere, sent after the announcement: once it is heard, the announcement was heard before it
        TileCache.Key marker = cached(p, "parcels");
        notify(registerChanged("another-process", 8, p.extent()));
        assertThat(within(10_000, () -> tiles.cache().get(marker).isEmpty())).isTrue();
        Thread.sleep(1_000);   // and nothing heard twice after it (what is heard here is not announced again)
        assertThat(tiles.cache().generation()).isEqualTo(before + 2);
    }

    @Test
    void whatIsNoAnnouncementIsPassedOverAndTheListenerGoesOn() throws Exception {
        Place p = place("id");
        TileCache.Key key = cached(p, "parcels");
        long before = tiles.cache().generation();
        for (String junk : new String[] {"", "not json", "{\"from\":\"x\",\"kind\":\"register\",\"id\":1,\"srid\":1234,\"extent\":[0,0,1,1]}",
                "{\"from\":\"x\",\"kind\":\"register\",\"id\":\"1 OR 1=1\",\"srid\":9210}", "[]"}) {
            notify(junk);
        }
        notify(registerChanged("another-process", 9, p.extent()));
        assertThat(within(10_000, () -> tiles.cache().get(key).isEmpty())).as("the good announcement after the junk is heard").isTrue();
        assertThat(tiles.cache().generation()).as("only the good one evicted").isEqualTo(before + 1);
    }

    @Test
    void aListenerWhoseConnectionIsCutConnectsAgainAndForgetsTheProvince() throws Exception {
        Place p = place("id");
        TileCache.Key key = cached(p, "communes");
        // every listener of the test database (this context's and any other cached context's)
        assertThat(jdbc.queryForObject("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND application_name = ?", Integer.class, ChangeListener.APPLICATION_NAME)).isPositive();
        assertThat(within(15_000, () -> tiles.cache().get(key).isEmpty())).as("everything forgotten once connected again").isTrue();
        assertThat(within(15_000, () -> jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND application_name = ?", Integer.class, ChangeListener.APPLICATION_NAME) > 0)).isTrue();
        // and it hears again
        TileCache.Key again = cached(p, "parcels");
        notify(registerChanged("another-process", 10, p.extent()));
        assertThat(within(10_000, () -> tiles.cache().get(again).isEmpty())).isTrue();
    }
}
