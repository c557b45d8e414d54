package vn.landgis.fieldreports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void aClientIsRefusedAtTheLimitUntilItsWindowEnds() {
        AtomicLong now = new AtomicLong(1_000_000);
        RateLimiter limiter = new RateLimiter(3, 60_000, now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.allowed("a")).isTrue();
            limiter.record("a");
        }
        assertThat(limiter.allowed("a")).isFalse();
        assertThat(limiter.allowed("b")).isTrue();
        assertThat(limiter.retryAfterSeconds("a")).isEqualTo(60);
        now.addAndGet(59_999);
        assertThat(limiter.allowed("a")).isFalse();
        now.addAndGet(1);
        assertThat(limiter.allowed("a")).isTrue();
        limiter.record("a");
        assertThat(limiter.allowed("a")).isTrue();
    }
}
