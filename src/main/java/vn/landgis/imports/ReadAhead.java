package vn.landgis.imports;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Reads a delivery on a thread of its own, a few chunks ahead of the thread that checks and stages the features:
 * parsing the file (SQLite's rows, the .shp/.dbf records, WKB into rings) and checking them are two stages of a
 * pipeline instead of one thread doing both in turn, so the two cores share them. Features reach the consumer in
 * file order, on the calling thread; at most {@link #CHUNKS} chunks of {@link #CHUNK} features wait (the heap stays
 * bounded). A failure on either side stops both: the reader's is rethrown to the caller, the consumer's stops the
 * reader at its next feature.
 */
final class ReadAhead {

    static final int CHUNK = 256;
    static final int CHUNKS = 8;

    private static final List<SourceFeature> END = List.of();

    /** Thrown inside the reader's callback to unwind it when the consumer has given up. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    private ReadAhead() {
    }

    static void forEach(DeliveryReader reader, Consumer<SourceFeature> consumer) throws IOException {
        BlockingQueue<List<SourceFeature>> queue = new ArrayBlockingQueue<>(CHUNKS);
        Throwable[] failure = {null};
        AtomicBoolean stopped = new AtomicBoolean();
        Thread thread = new Thread(() -> {
            var chunk = new Object() {
                List<SourceFeature> features = new ArrayList<>(CHUNK);
            };
            try {
                reader.forEach(f -> {
                    chunk.features.add(f);
                    if (chunk.features.size() == CHUNK) {
                        put(queue, chunk.features, stopped);
                        chunk.features = new ArrayList<>(CHUNK);
                    }
                });
            } catch (Stopped e) {
                // the consumer gave up; nothing to report from here
            } catch (Throwable e) {
                failure[0] = e;
            }
            try {
                // what was read before the end (or before a failure) reaches the consumer, as without the thread
                if (!chunk.features.isEmpty()) {
                    put(queue, chunk.features, stopped);
                }
            } catch (Stopped e) {
                // the consumer gave up
            } finally {
                put(queue, END, stopped);
            }
        }, "delivery-reader");
        thread.setDaemon(true);
        thread.start();
        boolean finished = false;
        try {
            for (List<SourceFeature> chunk = take(queue); chunk != END; chunk = take(queue)) {
                for (SourceFeature f : chunk) {
                    consumer.accept(f);
                }
            }
            finished = true;
        } finally {
            if (!finished) {
                stopped.set(true);
                queue.clear();   // a reader waiting to put wakes up, sees the stop and unwinds
            }
            join(thread, queue);
        }
        if (failure[0] instanceof IOException e) {
            throw e;
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
    }

    private static void put(BlockingQueue<List<SourceFeature>> queue, List<SourceFeature> chunk, AtomicBoolean stopped) {
        try {
            while (!queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                if (stopped.get()) {
                    if (chunk == END) {
                        return;
                    }
                    throw new Stopped();
                }
            }
            if (stopped.get() && chunk != END) {
                throw new Stopped();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
    }

    private static List<SourceFeature> take(BlockingQueue<List<SourceFeature>> queue) {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the delivery", e);
        }
    }

    /** Waits for the reader thread to end (draining what it still puts, so that it never blocks). */
    private static void join(Thread thread, BlockingQueue<List<SourceFeature>> queue) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            queue.clear();
            try {
                thread.join(100);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
