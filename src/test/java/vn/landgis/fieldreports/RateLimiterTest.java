package vn.landgis.fieldreports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void aClientIsRefusedAtTheLimitUntilItsWindowEnds() {
        AtomicLong now = new AtomicLong(1_000_000);
        RateLimiter limiter = new RateLimiter(3, 60_000, now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("a")).isNotNull();
        }
        assertThat(limiter.tryAcquire("a")).isNull();
        assertThat(limiter.tryAcquire("b")).isNotNull();
        assertThat(limiter.retryAfterSeconds("a")).isEqualTo(60);
        now.addAndGet(59_999);
        assertThat(limiter.tryAcquire("a")).isNull();
        now.addAndGet(1);
        assertThat(limiter.tryAcquire("a")).isNotNull();
        assertThat(limiter.tryAcquire("a")).isNotNull();
    }

    @Test
    void aSlotGivenBackCanBeTakenAgainButNotIntoANewWindow() {
        AtomicLong now = new AtomicLong(1_000_000);
        RateLimiter limiter = new RateLimiter(2, 60_000, now::get);
        RateLimiter.Slot first = limiter.tryAcquire("a");
        RateLimiter.Slot second = limiter.tryAcquire("a");
        assertThat(limiter.tryAcquire("a")).isNull();
        limiter.release(second);
        assertThat(limiter.tryAcquire("a")).isNotNull();
        assertThat(limiter.tryAcquire("a")).isNull();
        // a slot of the last window given back in the next one frees nothing there
        now.addAndGet(60_000);
        assertThat(limiter.tryAcquire("a")).isNotNull();
        assertThat(limiter.tryAcquire("a")).isNotNull();
        limiter.release(first);
        assertThat(limiter.tryAcquire("a")).isNull();
    }

    @Test
    void parallelRequestsOverTheLimitAdmitExactlyTheLimit() throws Exception {
        RateLimiter limiter = new RateLimiter(5, 60_000, System::currentTimeMillis);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return limiter.tryAcquire("a") != null;
                }));
            }
            start.countDown();
            int admitted = 0;
            for (Future<Boolean> f : results) {
                admitted += f.get() ? 1 : 0;
            }
            assertThat(admitted).isEqualTo(5);
        }
    }

    @Test
    void forwardedForCountsOnlyBehindATrustedProxy() {
        // no trusted proxy (the default): the header is anyone's to forge
        assertThat(ClientAddress.of("198.51.100.7", "203.0.113.9", List.of())).isEqualTo("198.51.100.7");
        // a peer that is not a trusted proxy
        assertThat(ClientAddress.of("198.51.100.7", "203.0.113.9", List.of("10.0.0.1"))).isEqualTo("198.51.100.7");
        // behind the proxy: the rightmost address that is not a proxy; what the client itself wrote on the left is ignored
        assertThat(ClientAddress.of("10.0.0.1", "1.2.3.4, 203.0.113.9", List.of("10.0.0.1"))).isEqualTo("203.0.113.9");
        assertThat(ClientAddress.of("10.0.0.1", "1.2.3.4, 203.0.113.9, 10.0.0.2", List.of("10.0.0.1", "10.0.0.2"))).isEqualTo("203.0.113.9");
        // garbage stops the walk at the last trusted hop
        assertThat(ClientAddress.of("10.0.0.1", "<script>", List.of("10.0.0.1"))).isEqualTo("10.0.0.1");
        assertThat(ClientAddress.of("10.0.0.1", null, List.of("10.0.0.1"))).isEqualTo("10.0.0.1");
    }
}
