package vn.landgis.fieldreports;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * At most {@code limit} new reports per client per fixed window, in memory (one instance per node). A client is
 * refused while its count in the current window has reached the limit; a count is taken only for a report that
 * was really created, so a client's retries of one report never lock it out. Thread-safe.
 */
final class RateLimiter {

    private record Window(long start, int count) {
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

    /** True when the client may file another report now. */
    boolean allowed(String client) {
        Window w = windows.get(client);
        return w == null || w.start() + windowMillis <= clock.getAsLong() || w.count() < limit;
    }

    /** Counts a report the client filed. */
    void record(String client) {
        long now = clock.getAsLong();
        windows.compute(client, (k, w) -> w == null || w.start() + windowMillis <= now ? new Window(now, 1) : new Window(w.start(), w.count() + 1));
        if (windows.size() > 100_000) {
            windows.values().removeIf(w -> w.start() + windowMillis <= now);
        }
    }

    /** Seconds until the client's window ends (for Retry-After). */
    long retryAfterSeconds(String client) {
        Window w = windows.get(client);
        return w == null ? 0 : Math.max(1, (w.start() + windowMillis - clock.getAsLong() + 999) / 1000);
    }
}
