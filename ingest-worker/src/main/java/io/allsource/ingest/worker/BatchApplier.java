package io.allsource.ingest.worker;

import io.allsource.ingest.batch.BatchEntry;
import io.allsource.ingest.intake.CommandDecoder;
import io.allsource.ingest.intake.DecodedRecord;
import io.allsource.ingest.publish.PublishException;
import io.allsource.ingest.publish.Publisher;
import io.allsource.ingest.registry.RegistryException;
import io.allsource.ingest.store.BatchOutcome;
import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.PartitionBatch;
import io.allsource.ingest.store.StoreException;
import io.allsource.ingest.store.TransientStoreException;
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
 * Decodes and commits the due batches of several partitions at once: a few transactions side by side on a fixed pool
 * of threads, each holding the batches of several partitions. Every commit waits for a flush of PostgreSQL's
 * write-ahead log; one transaction per partition, one after another, would have a consumer holding sixteen partitions
 * wait for sixteen flushes per round.
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
    private final int threads;
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
        this.threads = threads;
        this.executor = Executors.newFixedThreadPool(threads, threadsNamed("ingest-" + workerId + "-apply-"));
    }

    /**
     * Applies every request and returns their outcomes in the same order once all have ended. The requests are
     * dealt into at most as many transactions as there are threads, run side by side: several partitions share a
     * transaction, and so its commit.
     */
    List<Applied> applyAll(List<Request> requests) {
        int groups = Math.min(threads, requests.size());
        if (groups <= 1) {
            return apply(requests);
        }
        List<List<Request>> dealt = new ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
            dealt.add(new ArrayList<>());
        }
        for (int i = 0; i < requests.size(); i++) {
            dealt.get(i % groups).add(requests.get(i));
        }
        List<Future<List<Applied>>> futures = new ArrayList<>(groups);
        for (List<Request> group : dealt) {
            futures.add(executor.submit(() -> apply(group)));
        }
        Applied[] outcomes = new Applied[requests.size()];
        boolean interrupted = false;
        for (int g = 0; g < groups; g++) {
            List<Applied> groupOutcomes = null;
            while (groupOutcomes == null) {
                try {
                    groupOutcomes = futures.get(g).get();
                } catch (InterruptedException e) {
                    // The transactions run on regardless; their outcomes must be known before the caller goes on.
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("apply() returns every failure as an outcome", e.getCause());
                }
            }
            for (int j = 0; j < groupOutcomes.size(); j++) {
                outcomes[g + j * groups] = groupOutcomes.get(j);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return List.of(outcomes);
    }

    /**
     * Decodes the requests' records, copies the undecodable ones to the dead-letter topic, and commits the batches in
     * one transaction. Every failure is an outcome: one no step expects (a defect) is logged with its stack and
     * retried like an outage, so that it holds up only the partitions of its transaction.
     */
    List<Applied> apply(List<Request> requests) {
        try {
            return decodeAndCommit(requests);
        } catch (RuntimeException e) {
            log.error("Batches of partitions {} failed unexpectedly",
                    requests.stream().map(Request::partition).toList(), e);
            return requests.stream().<Applied>map(request -> new Applied.Failed("apply", e)).toList();
        }
    }

    private List<Applied> decodeAndCommit(List<Request> requests) {
        Applied[] outcomes = new Applied[requests.size()];
        List<Integer> decodedIndexes = new ArrayList<>();
        List<PartitionBatch> batches = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            try {
                batches.add(new PartitionBatch(request.partition(), request.epoch(), decode(request, deadLetters)));
                decodedIndexes.add(i);
            } catch (RegistryException e) {
                outcomes[i] = new Applied.Failed("decode", e);
            }
        }
        if (!deadLetters.isEmpty()) {
            try {
                // Before the commit: once committed the bytes are never read again, so a crash in between must
                // repeat the copy rather than lose it.
                publisher.sendDeadLetters(deadLetters);
                metrics.deadLettered(deadLetters.size());
            } catch (PublishException e) {
                Applied failed = new Applied.Failed("dead-letter", e);
                decodedIndexes.forEach(index -> outcomes[index] = failed);
                return List.of(outcomes);
            }
        }
        List<Applied> committed = commit(batches);
        for (int k = 0; k < committed.size(); k++) {
            outcomes[decodedIndexes.get(k)] = committed.get(k);
        }
        return List.of(outcomes);
    }

    /**
     * Commits the batches in one transaction. When that fails for a reason other than an outage, each batch is tried
     * again in a transaction of its own, so that a partition whose batch cannot be written holds up only itself.
     */
    private List<Applied> commit(List<PartitionBatch> batches) {
        if (batches.isEmpty()) {
            return List.of();
        }
        try {
            return applied(batches);
        } catch (TransientStoreException e) {
            return batches.stream().<Applied>map(batch -> new Applied.Failed("apply", e)).toList();
        } catch (RuntimeException e) {
            if (batches.size() == 1) {
                return List.of(failedUnexpectedly(batches, e));
            }
            log.warn("Batches of partitions {} failed together ({}); trying each partition alone",
                    batches.stream().map(PartitionBatch::partition).toList(), e.getMessage());
            List<Applied> alone = new ArrayList<>(batches.size());
            for (PartitionBatch batch : batches) {
                try {
                    alone.add(applied(List.of(batch)).get(0));
                } catch (RuntimeException single) {
                    alone.add(failedUnexpectedly(List.of(batch), single));
                }
            }
            return alone;
        }
    }

    private List<Applied> applied(List<PartitionBatch> batches) {
        long started = System.nanoTime();
        List<BatchOutcome> stored = store.appendBatches(batches);
        metrics.transaction(System.nanoTime() - started);
        return stored.stream().<Applied>map(outcome -> outcome instanceof BatchOutcome.Fenced fenced
                ? new Applied.Fenced(fenced) : new Applied.Committed((BatchOutcome.Committed) outcome)).toList();
    }

    private static Applied failedUnexpectedly(List<PartitionBatch> batches, RuntimeException e) {
        if (!(e instanceof StoreException)) {
            log.error("Batch of partition {} failed unexpectedly", batches.get(0).partition(), e);
        }
        return new Applied.Failed("apply", e);
    }

    private List<BatchEntry> decode(Request request, List<ProducerRecord<byte[], byte[]>> deadLetters) {
        List<BatchEntry> entries = new ArrayList<>(request.records().size());
        List<ProducerRecord<byte[], byte[]>> own = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : request.records()) {
            DecodedRecord decoded = decoder.decode(record);
            entries.add(decoded.entry());
            if (decoded.deadLetter() != null) {
                own.add(decoded.deadLetter());
            }
        }
        deadLetters.addAll(own);
        return entries;
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
