package vn.landgis.fieldreports;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * At most {@code limit} new reports per client per fixed window, in memory (one instance per node). A request
 * reserves its slot before any work ({@link #tryAcquire}, one atomic step, so parallel requests cannot all pass a
 * check made before any of them counted) and gives it back ({@link #release}) when it filed nothing new (refused,
 * a retry or duplicate of a report already filed), so a client's retries of one report never lock it out.
 * Thread-safe.
 */
final class RateLimiter {

    private record Window(long start, int count) {
    }

    /** A reserved slot: the client and the window it was counted in. */
    record Slot(String client, long window) {
    }

    private final int limit;
    private final long windowMillis;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    RateLimiter(int limit, long windowMillis, LongSupplier clock) {
        this.limit = limit;
        this.windowMillis = windowMillis;
        this.clock = clock;
    }

    /** Counts one report of the client now if it is under its limit: its slot, or null when the client is over it. */
    Slot tryAcquire(String client) {
        long now = clock.getAsLong();
        Slot[] slot = new Slot[1];
        windows.compute(client, (k, w) -> {
            if (w == null || w.start() + windowMillis <= now) {
                slot[0] = new Slot(client, now);
                return new Window(now, 1);
            }
            if (w.count() < limit) {
                slot[0] = new Slot(client, w.start());
                return new Window(w.start(), w.count() + 1);
            }
            return w;
        });
        if (windows.size() > 100_000) {
            windows.values().removeIf(w -> w.start() + windowMillis <= now);
        }
        return slot[0];
    }

    /** Gives a slot back (the request filed nothing new); a slot of a window already over is gone anyway. */
    void release(Slot slot) {
        windows.computeIfPresent(slot.client(), (k, w) -> w.start() == slot.window() && w.count() > 0 ? new Window(w.start(), w.count() - 1) : w);
    }

    /** Seconds until the client's window ends (for Retry-After). */
    long retryAfterSeconds(String client) {
        Window w = windows.get(client);
        return w == null ? 0 : Math.max(1, (w.start() + windowMillis - clock.getAsLong() + 999) / 1000);
    }
}
