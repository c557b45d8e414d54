package vn.landgis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** A data command's context leaves out health and metrics; the service's keeps everything. */
class DataCommandAutoConfigurationFilterTest {

    private static final String[] CANDIDATES = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
            "org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.jvm.JvmMetricsAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration",
            null};

    private static boolean[] match(MockEnvironment environment) {
        var filter = new DataCommandAutoConfigurationFilter();
        filter.setEnvironment(environment);
        return filter.match(CANDIDATES, null);
    }

    @Test
    void aDataCommandGoesWithoutHealthAndMetrics() {
        assertThat(match(new MockEnvironment().withProperty("landgis.data-command", "true")))
                .containsExactly(true, true, false, false, false, false, true);
    }

    @Test
    void theServiceKeepsEverything() {
        assertThat(match(new MockEnvironment())).containsOnly(true);
    }
}
