package vn.landgis.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** One computation however many ask at once; at most {@link LandStatistics#CONCURRENT} different ones at a time. */
class LandStatisticsMemoryTest {

    @Test
    void concurrentAsksForOneAnswerComputeItOnceAndDifferentOnesAreBounded() throws Exception {
        LandStatistics statistics = new LandStatistics(null);
        AtomicInteger computations = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<List<String>> answers = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 24; i++) {
            String question = "q" + (i % 6);   // six different questions, four askers each
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                answers.add(statistics.remembered(question, () -> {
                    computations.incrementAndGet();
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    running.decrementAndGet();
                    return List.of("answer to " + question);
                }));
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join(20_000);
        }
        assertThat(answers).hasSize(24);
        assertThat(answers).allSatisfy(a -> assertThat(a).singleElement().asString().startsWith("answer to q"));
        assertThat(computations.get()).isEqualTo(6);
        assertThat(mostAtOnce.get()).isLessThanOrEqualTo(LandStatistics.CONCURRENT);
        // asked again: from memory
        statistics.remembered("q0", () -> {
            computations.incrementAndGet();
            return List.of("again");
        });
        assertThat(computations.get()).isEqualTo(6);
        // until a change
        statistics.on(new vn.landgis.cadastre.RegisterChanged(0, null, 9210));
        assertThat(statistics.remembered("q0", () -> List.of("fresh"))).containsExactly("fresh");
    }
}
