package io.allsource.ingest.worker;

import io.allsource.ingest.batch.BatchChecker;
import io.allsource.ingest.batch.BatchEntry;
import io.allsource.ingest.command.CommandValidator;
import io.allsource.ingest.failure.FailureClassifier;
import io.allsource.ingest.failure.FailureKind;
import io.allsource.ingest.failure.Step;
import io.allsource.ingest.intake.CommandDecoder;
import io.allsource.ingest.intake.DecodedRecord;
import io.allsource.ingest.metrics.WorkerMetrics;
import io.allsource.ingest.publish.PublishException;
import io.allsource.ingest.publish.Publisher;
import io.allsource.ingest.store.BatchOutcome;
import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.PartitionBatch;
import io.allsource.ingest.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * Takes the due batches of several partitions through decode, check, plan and store at once: a few transactions side by
 * side on a fixed pool of threads, each holding the batches of several partitions. Every commit waits for a flush of
 * PostgreSQL's write-ahead log; one transaction per partition, one after another, would have a consumer holding sixteen
 * partitions wait for sixteen flushes per round. A partition that is narrowing down a failing record gets a
 * transaction of its own.
 *
 * <p>It touches nothing of the partitions but their records, numbers, epochs and refusals: what a batch's outcome
 * means for its partition is decided by the caller's thread. Thread-safe; shared by the worker's consumers.
 */
final class BatchApplier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatchApplier.class);
    private final EventStore store;
    private final CommandValidator validator;
    private final Map<Integer, BatchChecker> checkers = new ConcurrentHashMap<>();
    private final Duration closeTimeout;
    private final CommandDecoder decoder;
    private final Publisher publisher;
    private final WorkerMetrics metrics;
    private final int threads;
    private final ExecutorService executor;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * One partition's next batch: consecutive records, applied under the epoch the partition was claimed with.
     *
     * @param logResetId the log reset id of that claim ({@link io.allsource.ingest.store.PartitionState#logResetId()}),
     *                   with which records without a usable command id are keyed
     * @param refusals   offsets of records a later step refused for good, with why: they are answered as invalid
     * @param alone      whether the batch must have a transaction of its own
     */
    record Request(int partition, long epoch, long logResetId, List<ConsumerRecord<byte[], byte[]>> records,
            Map<Long, String> refusals, boolean alone) {
        Request {
            records = List.copyOf(records);
            refusals = Map.copyOf(refusals);
        }
    }

    /**
     * @param closeTimeout how long {@link #close} waits for the transactions in flight
     */
    BatchApplier(String workerId, int threads, EventStore store, CommandValidator validator, CommandDecoder decoder,
            Publisher publisher, WorkerMetrics metrics, Duration closeTimeout) {
        this.store = store;
        this.validator = validator;
        this.closeTimeout = closeTimeout;
        this.decoder = decoder;
        this.publisher = publisher;
        this.metrics = metrics;
        this.threads = threads;
        this.executor = Executors.newFixedThreadPool(threads, threadsNamed("ingest-" + workerId + "-apply-"));
    }

    /**
     * Applies every request and returns their outcomes in the same order once all have ended. The requests are
     * dealt into at most as many transactions as there are threads, run side by side: several partitions share a
     * transaction, and so its commit; a request that must be {@linkplain Request#alone() alone} gets its own.
     */
    List<BatchOutcome> applyAll(List<Request> requests) {
        List<List<Integer>> groups = deal(requests, threads);
        if (groups.size() == 1) {
            return apply(requests);
        }
        List<Future<List<BatchOutcome>>> futures = new ArrayList<>(groups.size());
        for (List<Integer> group : groups) {
            List<Request> members = group.stream().map(requests::get).toList();
            futures.add(executor.submit(() -> apply(members)));
        }
        BatchOutcome[] outcomes = new BatchOutcome[requests.size()];
        boolean interrupted = false;
        for (int g = 0; g < groups.size(); g++) {
            List<BatchOutcome> groupOutcomes = null;
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
                outcomes[groups.get(g).get(j)] = groupOutcomes.get(j);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return List.of(outcomes);
    }

    /**
     * Indexes of the requests per transaction: those {@linkplain Request#alone() alone} one each, the others dealt
     * round robin into at most {@code threads} transactions.
     */
    static List<List<Integer>> deal(List<Request> requests, int threads) {
        List<List<Integer>> groups = new ArrayList<>();
        List<Integer> shared = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).alone()) {
                groups.add(List.of(i));
            } else {
                shared.add(i);
            }
        }
        int sharedGroups = Math.min(threads, shared.size());
        for (int g = 0; g < sharedGroups; g++) {
            List<Integer> group = new ArrayList<>();
            for (int k = g; k < shared.size(); k += sharedGroups) {
                group.add(shared.get(k));
            }
            groups.add(group);
        }
        return groups;
    }

    /**
     * Decodes the requests' records, copies the undecodable ones to the dead-letter topic, checks the commands and
     * commits the batches in one transaction. Every failure is an outcome, to be sorted by the caller: one no step
     * expects (a defect) is logged with its stack.
     */
    List<BatchOutcome> apply(List<Request> requests) {
        BatchOutcome[] outcomes = new BatchOutcome[requests.size()];
        List<Integer> checkedIndexes = new ArrayList<>();
        List<PartitionBatch> batches = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            try {
                List<BatchEntry> entries = decode(request, deadLetters);
                batches.add(new PartitionBatch(request.partition(), request.epoch(),
                        checkerOf(request.partition()).prepare(entries, request.logResetId())));
                checkedIndexes.add(i);
            } catch (RuntimeException e) {
                outcomes[i] = failed(Step.DECODE, request.partition(), e);
            }
        }
        if (!deadLetters.isEmpty()) {
            try {
                // Before the commit: once committed the bytes are never read again, so a crash in between must
                // repeat the copy rather than lose it.
                publisher.sendDeadLetters(deadLetters);
                metrics.deadLettered(deadLetters.size());
            } catch (RuntimeException e) {
                BatchOutcome failed = new BatchOutcome.Failed(Step.DEAD_LETTER, e);
                checkedIndexes.forEach(index -> outcomes[index] = failed);
                return List.of(outcomes);
            }
        }
        List<BatchOutcome> committed = commit(batches);
        for (int k = 0; k < committed.size(); k++) {
            outcomes[checkedIndexes.get(k)] = committed.get(k);
        }
        return List.of(outcomes);
    }

    private BatchChecker checkerOf(int partition) {
        return checkers.computeIfAbsent(partition, p -> new BatchChecker(p, validator));
    }

    /**
     * Commits the batches in one transaction. When that fails for a reason other than an outage, each batch is tried
     * again in a transaction of its own, so that a partition whose batch cannot be written holds up only itself.
     */
    private List<BatchOutcome> commit(List<PartitionBatch> batches) {
        if (batches.isEmpty()) {
            return List.of();
        }
        try {
            return stored(batches);
        } catch (RuntimeException e) {
            if (batches.size() == 1 || FailureClassifier.classify(e) == FailureKind.TRANSIENT) {
                return batches.stream().map(batch -> failed(Step.STORE, batch.partition(), e)).toList();
            }
            log.warn("Batches of partitions {} failed together ({}); trying each partition alone",
                    batches.stream().map(PartitionBatch::partition).toList(), e.getMessage());
            List<BatchOutcome> alone = new ArrayList<>(batches.size());
            for (PartitionBatch batch : batches) {
                try {
                    alone.add(stored(List.of(batch)).get(0));
                } catch (RuntimeException single) {
                    alone.add(failed(Step.STORE, batch.partition(), single));
                }
            }
            return alone;
        }
    }

    private List<BatchOutcome> stored(List<PartitionBatch> batches) {
        long started = System.nanoTime();
        List<BatchOutcome> stored = store.appendBatches(batches);
        metrics.transaction(System.nanoTime() - started);
        return stored;
    }

    private static BatchOutcome failed(Step step, int partition, RuntimeException e) {
        if (!(e instanceof StoreException || e instanceof PublishException
                || FailureClassifier.classify(e) != FailureKind.TRANSIENT)) {
            log.error("Batch of partition {} failed unexpectedly at {}", partition, step.tag(), e);
        }
        return new BatchOutcome.Failed(step, e);
    }

    /** The request's records as entries: decoded, undecodable (with a dead-letter copy), or refused. */
    private List<BatchEntry> decode(Request request, List<ProducerRecord<byte[], byte[]>> deadLetters) {
        List<BatchEntry> entries = new ArrayList<>(request.records().size());
        List<ProducerRecord<byte[], byte[]>> own = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : request.records()) {
            String refusal = request.refusals().get(record.offset());
            DecodedRecord decoded = refusal == null ? decoder.decode(record) : decoder.refuse(record, refusal);
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
            if (!executor.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Batches still running {} after the stop; interrupting them", closeTimeout);
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
