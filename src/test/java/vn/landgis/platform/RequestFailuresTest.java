package vn.landgis.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

class RequestFailuresTest {

    /** A client that left mid-answer is told apart from a failure of ours, however deep the cause lies. */
    @Test
    void aClientThatLeftIsToldApartFromAFailure() {
        assertThat(RequestFailures.clientWentAway(new IllegalStateException("writing", new IOException("Broken pipe")))).isTrue();
        assertThat(RequestFailures.clientWentAway(new RuntimeException(new IOException("Connection reset by peer")))).isTrue();
        assertThat(RequestFailures.clientWentAway(new IOException("disk full"))).isFalse();
        assertThat(RequestFailures.clientWentAway(new NullPointerException())).isFalse();
        assertThat(RequestFailures.parametersRefused(new IllegalStateException("x"))).isFalse();
    }
}
