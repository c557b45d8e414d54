package vn.landgis.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/** The reading thread ahead of the checks: order kept, failures on either side stop both, nothing left running. */
class ReadAheadTest {

    /** A reader of {@code n} features that fails at {@code failAt} (0: never) and counts what it read. */
    private static DeliveryReader reader(int n, int failAt, AtomicInteger read) {
        return new DeliveryReader() {
            @Override
            public int declaredSrid() {
                return 0;
            }

            @Override
            public long featureCount() {
                return n;
            }

            @Override
            public void forEach(Consumer<SourceFeature> feature) throws IOException {
                for (int i = 1; i <= n; i++) {
                    if (i == failAt) {
                        throw new IOException("truncated file at feature " + i);
                    }
                    read.incrementAndGet();
                    feature.accept(new SourceFeature(i, Map.of("SoThua", Integer.toString(i)), List.of()));
                }
            }

            @Override
            public void close() {
            }
        };
    }

    private static long readerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("delivery-reader")).count();
    }

    @Test
    void everyFeatureArrivesInFileOrderOnTheCallingThread() throws IOException {
        List<Integer> seen = new ArrayList<>();
        Thread caller = Thread.currentThread();
        ReadAhead.forEach(reader(10_007, 0, new AtomicInteger()), f -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            seen.add(f.featureNo());
        });
        assertThat(seen).hasSize(10_007);
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i)).isEqualTo(i + 1);
        }
    }

    @Test
    void theReadersFailureReachesTheCallerAfterTheFeaturesBeforeIt() {
        List<Integer> seen = new ArrayList<>();
        assertThatThrownBy(() -> ReadAhead.forEach(reader(5_000, 3_000, new AtomicInteger()), f -> seen.add(f.featureNo())))
                .isInstanceOf(IOException.class).hasMessageContaining("feature 3000");
        assertThat(seen).hasSize(2_999);
        assertThat(readerThreads()).isZero();
    }

    @Test
    void aConsumerThatGivesUpStopsTheReaderSoonAfter() {
        AtomicInteger read = new AtomicInteger();
        assertThatThrownBy(() -> ReadAhead.forEach(reader(1_000_000, 0, read), f -> {
            if (f.featureNo() == 100) {
                throw new IllegalStateException("staging failed");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("staging failed");
        assertThat(readerThreads()).isZero();
        // the reader is at most the queued chunks (and the one it was filling) ahead
        assertThat(read.get()).isLessThanOrEqualTo(100 + (ReadAhead.CHUNKS + 2) * ReadAhead.CHUNK);
    }
}
