package io.allsource.ingest.worker;

import io.allsource.ingest.batch.BatchEntry;
import io.allsource.ingest.intake.CommandDecoder;
import io.allsource.ingest.intake.DecodedRecord;
import io.allsource.ingest.publish.PublishException;
import io.allsource.ingest.publish.Publisher;
import io.allsource.ingest.registry.RegistryException;
import io.allsource.ingest.store.BatchOutcome;
import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes and commits batches of several partitions side by side, one transaction each, on a fixed pool of threads.
 * Each transaction ends in its own fsync; run one after another, a consumer holding sixteen partitions would wait
 * for sixteen of them per round, while PostgreSQL flushes concurrent commits together.
 *
 * <p>It touches nothing of the partitions but their records, numbers and epochs: what a batch's outcome means for
 * its partition is decided by the caller's thread. Thread-safe; shared by the worker's consumers.
 */
final class BatchApplier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatchApplier.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final EventStore store;
    private final CommandDecoder decoder;
    private final Publisher publisher;
    private final WorkerMetrics metrics;
    private final ExecutorService executor;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** One partition's next batch: consecutive records, applied under the epoch the partition was claimed with. */
    record Request(int partition, long epoch, List<ConsumerRecord<byte[], byte[]>> records) {
    }

    /** What became of a batch. */
    sealed interface Applied {

        /** Committed; publish what it carries. */
        record Committed(BatchOutcome.Committed outcome) implements Applied {
        }

        /** Another worker owns the partition now: nothing was written. */
        record Fenced(BatchOutcome.Fenced fenced) implements Applied {
        }

        /** The database, broker or registry failed at {@code step}: nothing was written, try the batch again later. */
        record Failed(String step, RuntimeException cause) implements Applied {
        }
    }

    BatchApplier(String workerId, int threads, EventStore store, CommandDecoder decoder, Publisher publisher,
            WorkerMetrics metrics) {
        this.store = store;
        this.decoder = decoder;
        this.publisher = publisher;
        this.metrics = metrics;
        this.executor = Executors.newFixedThreadPool(threads, threadsNamed("ingest-" + workerId + "-apply-"));
    }

    /**
     * Applies every request, concurrently when there are several, and returns their outcomes in the same order once
     * all have ended.
     */
    List<Applied> applyAll(List<Request> requests) {
        if (requests.size() == 1) {
            return List.of(apply(requests.get(0)));
        }
        List<Future<Applied>> futures = new ArrayList<>(requests.size());
        for (Request request : requests) {
            futures.add(executor.submit(() -> apply(request)));
        }
        List<Applied> outcomes = new ArrayList<>(requests.size());
        boolean interrupted = false;
        for (Future<Applied> future : futures) {
            while (true) {
                try {
                    outcomes.add(future.get());
                    break;
                } catch (InterruptedException e) {
                    // The transactions run on regardless; their outcomes must be known before the caller goes on.
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("apply() returns every failure as an outcome", e.getCause());
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return outcomes;
    }

    /**
     * Decodes the records, copies the undecodable ones to the dead-letter topic, and commits the batch. Every failure
     * is an outcome: one no step expects (a defect) is logged with its stack and retried like an outage, so that it
     * holds up its own partition only.
     */
    Applied apply(Request request) {
        try {
            return decodeAndCommit(request);
        } catch (RuntimeException e) {
            log.error("Partition {}: batch of {} records failed unexpectedly", request.partition(),
                    request.records().size(), e);
            return new Applied.Failed("apply", e);
        }
    }

    private Applied decodeAndCommit(Request request) {
        List<BatchEntry> entries = new ArrayList<>(request.records().size());
        List<ProducerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        try {
            for (ConsumerRecord<byte[], byte[]> record : request.records()) {
                DecodedRecord decoded = decoder.decode(record);
                entries.add(decoded.entry());
                if (decoded.deadLetter() != null) {
                    deadLetters.add(decoded.deadLetter());
                }
            }
            if (!deadLetters.isEmpty()) {
                // Before the commit: once committed the bytes are never read again, so a crash in between must
                // repeat the copy rather than lose it.
                publisher.sendDeadLetters(deadLetters);
                metrics.deadLettered(deadLetters.size());
            }
        } catch (RegistryException | PublishException e) {
            return new Applied.Failed("decode", e);
        }
        long started = System.nanoTime();
        BatchOutcome outcome;
        try {
            outcome = store.appendBatch(request.partition(), request.epoch(), entries);
        } catch (StoreException e) {
            return new Applied.Failed("apply", e);
        }
        metrics.transaction(System.nanoTime() - started);
        return outcome instanceof BatchOutcome.Fenced fenced ? new Applied.Fenced(fenced)
                : new Applied.Committed((BatchOutcome.Committed) outcome);
    }

    /** Waits for the batches in flight to end, then stops the threads. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Batches still running {} after the stop; interrupting them", CLOSE_TIMEOUT);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory threadsNamed(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }
}
