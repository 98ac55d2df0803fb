package io.allsource.ingest.worker;

import io.allsource.ingest.batch.BatchChecker;
import io.allsource.ingest.batch.BatchEntry;
import io.allsource.ingest.command.CommandValidator;
import io.allsource.ingest.contract.TraceContext;
import io.allsource.ingest.failure.FailureClassifier;
import io.allsource.ingest.failure.FailureKind;
import io.allsource.ingest.failure.Step;
import io.allsource.ingest.intake.CommandDecoder;
import io.allsource.ingest.intake.DecodedRecord;
import io.allsource.ingest.metrics.WorkerMetrics;
import io.allsource.ingest.publish.PublishException;
import io.allsource.ingest.publish.Publisher;
import io.allsource.ingest.store.BatchOutcome;
import io.allsource.ingest.store.PartitionBatch;
import io.allsource.ingest.store.Progress;
import io.allsource.ingest.store.StoreException;
import io.allsource.ingest.trace.Spans;
import io.allsource.ingest.trace.TraceHeaders;
import io.allsource.ingest.trace.TraceLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the due batches of partitions through decode, check, plan and store on a fixed pool of threads, beside the
 * consumers: a consumer hands a partition's batch over and goes on polling, and records the outcome when it is there.
 * Each thread runs one transaction after another, each holding every batch queued when it started (of any consumer's
 * partitions), so that the batches that arrived during a transaction share the next one's commit (a flush of
 * PostgreSQL's write-ahead log). A batch that finds no transaction running starts at once; one handed over while a
 * transaction runs waits for it to end, or for the overlap delay, whichever comes first, before a free thread takes
 * it. So below the load one thread keeps up with, transactions follow one another, each holding what arrived during
 * the one before (measured with one consumer: 10 to 17 % fewer transactions at a quarter of the maximum rate, a
 * quarter fewer at half, and a fifth less CPU in PostgreSQL at half), while above it, or behind a slow transaction,
 * the threads overlap. A partition that is narrowing down a failing record gets a transaction of its own.
 *
 * <p>It touches nothing of the partitions but their records, numbers, epochs and refusals: what a batch's outcome
 * means for its partition is decided by the consumer's thread. Thread-safe; shared by the worker's consumers.
 */
final class BatchApplier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatchApplier.class);
    private final BatchStore store;
    private final CommandValidator validator;
    private final Map<Integer, BatchChecker> checkers = new ConcurrentHashMap<>();
    private final Duration closeTimeout;
    private final CommandDecoder decoder;
    private final Publisher publisher;
    private final WorkerMetrics metrics;
    private final Spans spans;
    private final ExecutorService executor;
    private final Deque<Queued> queue = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Duration overlapAfter;
    /** Transactions running; guarded by {@link #queue}. */
    private int running;

    /**
     * One partition's next batch: consecutive records, applied under the epoch the partition was claimed with.
     *
     * @param logResetId the log reset id of that claim ({@link io.allsource.ingest.store.PartitionState#logResetId()}),
     *                   with which records without a usable command id are keyed
     * @param refusals   offsets of records a later step refused for good, with why: they are answered as invalid
     * @param alone      whether the batch must have a transaction of its own
     * @param published  what the broker has acknowledged of the partition, recorded in the batch's transaction
     */
    record Request(int partition, long epoch, long logResetId, List<ConsumerRecord<byte[], byte[]>> records,
            Map<Long, String> refusals, boolean alone, Progress published) {
        Request {
            records = List.copyOf(records);
            refusals = Map.copyOf(refusals);
        }
    }

    /**
     * @param spans        makes a {@value Spans#DECODE} span per partition's batch and an {@value Spans#APPLY} span
     *                     per transaction, linked to the commands' trace contexts
     * @param closeTimeout how long {@link #close} waits for the transactions in flight
     * @param overlapAfter how long queued requests wait for a running transaction before a free thread takes them
     *                     into another (zero: at once)
     */
    BatchApplier(String workerId, int threads, BatchStore store, CommandValidator validator, CommandDecoder decoder,
            Publisher publisher, WorkerMetrics metrics, Spans spans, Duration closeTimeout, Duration overlapAfter) {
        this.store = store;
        this.overlapAfter = overlapAfter;
        this.spans = spans;
        this.validator = validator;
        this.closeTimeout = closeTimeout;
        this.decoder = decoder;
        this.publisher = publisher;
        this.metrics = metrics;
        this.executor = Executors.newFixedThreadPool(threads, WorkerThreads.named("ingest-" + workerId + "-apply-"));
        for (int i = 0; i < threads; i++) {
            executor.execute(this::applyQueued);
        }
    }

    /**
     * Queues the requests and returns their outcomes to come, in the same order. An apply thread that comes free
     * takes every queued request into one transaction (or one request that must be {@linkplain Request#alone()
     * alone}), so that requests queued while the threads were busy share a commit. A request waits for a running
     * transaction at most the overlap delay: no round waits for its slowest transaction.
     *
     * <p>Each future completes normally with the request's outcome; every failure of a step is an outcome, and a
     * future completes exceptionally only with an {@link Error} that ended its transaction.
     *
     * @throws IllegalStateException once the applier is closed
     */
    List<CompletableFuture<BatchOutcome>> submit(List<Request> requests) {
        List<CompletableFuture<BatchOutcome>> futures = new ArrayList<>(requests.size());
        synchronized (queue) {
            if (closed.get()) {
                throw new IllegalStateException("the batch applier is closed");
            }
            for (Request request : requests) {
                Queued queued = new Queued(request, new CompletableFuture<>(), System.nanoTime());
                queue.add(queued);
                futures.add(queued.outcome());
            }
            queue.notifyAll();
        }
        return futures;
    }

    /** A request waiting for an apply thread, and its outcome to come. */
    private record Queued(Request request, CompletableFuture<BatchOutcome> outcome, long queuedAtNanos) {
    }

    /** An apply thread: takes the queued requests and applies them, until the applier is closed and none is left. */
    private void applyQueued() {
        while (true) {
            List<Queued> taken;
            try {
                taken = take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (taken.isEmpty()) {
                return;
            }
            long now = System.nanoTime();
            taken.forEach(queued -> metrics.queued(now - queued.queuedAtNanos()));
            List<BatchOutcome> outcomes;
            try {
                outcomes = apply(taken.stream().map(Queued::request).toList());
            } catch (RuntimeException | Error e) {
                ended();
                // apply() returns every failure of a step as an outcome: this is a defect or the JVM failing; the
                // consumers learn of it through the futures rather than wait for them forever
                log.error("Batches of partitions {} failed outside any step", taken.stream()
                        .map(queued -> queued.request().partition()).toList(), e);
                taken.forEach(queued -> queued.outcome().completeExceptionally(e));
                continue;
            }
            // counted as ended first, so that a thread waiting for this transaction takes the queued requests at once
            ended();
            for (int i = 0; i < taken.size(); i++) {
                taken.get(i).outcome().complete(outcomes.get(i));
            }
        }
    }

    /**
     * The requests for the next transaction, waiting for one: the first queued one alone if it must be, else every
     * queued request that need not be; none once the applier is closed and nothing is queued. While another
     * transaction runs, queued requests are taken only once the oldest has waited {@link #overlapAfter}: until then
     * the running transaction's thread may take them when it ends.
     */
    private List<Queued> take() throws InterruptedException {
        synchronized (queue) {
            while (true) {
                if (queue.isEmpty()) {
                    if (closed.get()) {
                        return List.of();
                    }
                    queue.wait();
                    continue;
                }
                long waitedNanos = System.nanoTime() - queue.peekFirst().queuedAtNanos();
                if (running == 0 || closed.get() || waitedNanos >= overlapAfter.toNanos()) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(queue, overlapAfter.toNanos() - waitedNanos);
            }
            running++;
            if (queue.peekFirst().request().alone()) {
                return List.of(queue.pollFirst());
            }
            List<Queued> shared = new ArrayList<>();
            for (Iterator<Queued> it = queue.iterator(); it.hasNext(); ) {
                Queued queued = it.next();
                if (!queued.request().alone()) {
                    shared.add(queued);
                    it.remove();
                }
            }
            return shared;
        }
    }

    /** Counts a transaction ended, so that a thread waiting for it takes the queued requests now. */
    private void ended() {
        synchronized (queue) {
            running--;
            queue.notifyAll();
        }
    }

    /**
     * Decodes the requests' records, copies the undecodable ones to the dead-letter topic, checks the commands and
     * commits the batches in one transaction. Every failure is an outcome, to be sorted by the caller: one no step
     * expects (a defect) is logged with its stack. Lines about the transaction carry its commands' trace ids
     * ({@link TraceLog#TRACE_IDS}).
     */
    List<BatchOutcome> apply(List<Request> requests) {
        BatchOutcome[] outcomes = new BatchOutcome[requests.size()];
        List<Integer> checkedIndexes = new ArrayList<>();
        List<PartitionBatch> batches = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            Instant started = spans.enabled() ? Instant.now() : null;
            try {
                List<BatchEntry> entries = decode(request, deadLetters);
                if (started != null) {
                    spans.start(Spans.DECODE, started, List.of(request.partition()),
                            entries.stream().map(entry -> entry.route().trace()).toList()).end(null);
                }
                batches.add(new PartitionBatch(request.partition(), request.epoch(),
                        checkerOf(request.partition()).prepare(entries, request.logResetId()), request.published()));
                checkedIndexes.add(i);
            } catch (RuntimeException e) {
                List<TraceContext> traces = tracesOf(request.records());
                if (started != null) {
                    spans.start(Spans.DECODE, started, List.of(request.partition()), traces).end(e);
                }
                try (TraceLog.Scope scope = TraceLog.batch(traces)) {
                    outcomes[i] = failed(Step.DECODE, request.partition(), e, true);
                }
            }
        }
        try (TraceLog.Scope scope = TraceLog.batch(tracesOf(batches))) {
            storeChecked(batches, checkedIndexes, deadLetters, outcomes);
        }
        return List.of(outcomes);
    }

    /** The trace contexts of the commands of {@code batches}, in order (null for a command without one). */
    private static List<TraceContext> tracesOf(List<PartitionBatch> batches) {
        List<TraceContext> traces = new ArrayList<>();
        for (PartitionBatch batch : batches) {
            batch.prepared().commands().forEach(command -> traces.add(command.entry().route().trace()));
        }
        return traces;
    }

    /** The trace contexts of the records' headers. */
    static List<TraceContext> tracesOf(Collection<ConsumerRecord<byte[], byte[]>> records) {
        List<TraceContext> traces = new ArrayList<>(records.size());
        records.forEach(record -> traces.add(TraceHeaders.read(record.headers())));
        return traces;
    }

    /**
     * Copies the dead letters, then commits the checked batches in one transaction under an {@value Spans#APPLY}
     * span; sets the outcomes of the checked requests.
     */
    private void storeChecked(List<PartitionBatch> batches, List<Integer> checkedIndexes,
            List<ProducerRecord<byte[], byte[]>> deadLetters, BatchOutcome[] outcomes) {
        if (!deadLetters.isEmpty()) {
            try {
                // Before the commit: once committed the bytes are never read again, so a crash in between must
                // repeat the copy rather than lose it.
                publisher.sendDeadLetters(deadLetters);
                metrics.deadLettered(deadLetters.size());
            } catch (RuntimeException e) {
                BatchOutcome failed = new BatchOutcome.Failed(Step.DEAD_LETTER, e);
                checkedIndexes.forEach(index -> outcomes[index] = failed);
                return;
            }
        }
        Spans.Span span = batches.isEmpty() || !spans.enabled() ? Spans.Span.NONE
                : spans.start(Spans.APPLY, null, batches.stream().map(PartitionBatch::partition).toList(),
                        tracesOf(batches));
        List<BatchOutcome> committed = commit(batches);
        span.end(committed.stream().filter(BatchOutcome.Failed.class::isInstance).findFirst()
                .map(failed -> (Throwable) ((BatchOutcome.Failed) failed).cause()).orElse(null));
        for (int k = 0; k < committed.size(); k++) {
            outcomes[checkedIndexes.get(k)] = committed.get(k);
        }
    }

    private BatchChecker checkerOf(int partition) {
        return checkers.computeIfAbsent(partition, p -> new BatchChecker(p, validator));
    }

    /**
     * Commits the batches in one transaction. When that fails for a reason other than an outage (even one that looks
     * transient: a trigger's exception, a check that keeps failing), each batch is tried again in a transaction of its
     * own at once, so that a partition whose batch cannot be written holds up only itself, and the others' commits
     * are the progress its failure streak compares with.
     */
    private List<BatchOutcome> commit(List<PartitionBatch> batches) {
        if (batches.isEmpty()) {
            return List.of();
        }
        try {
            return stored(batches);
        } catch (RuntimeException e) {
            if (batches.size() == 1 || FailureClassifier.isOutage(e)) {
                boolean alone = batches.size() == 1;
                return batches.stream().map(batch -> failed(Step.STORE, batch.partition(), e, alone)).toList();
            }
            log.warn("Batches of partitions {} failed together ({}); trying each partition alone",
                    batches.stream().map(PartitionBatch::partition).toList(), e.getMessage());
            List<BatchOutcome> alone = new ArrayList<>(batches.size());
            for (PartitionBatch batch : batches) {
                try {
                    alone.add(stored(List.of(batch)).get(0));
                } catch (RuntimeException single) {
                    alone.add(failed(Step.STORE, batch.partition(), single, true));
                }
            }
            return alone;
        }
    }

    private List<BatchOutcome> stored(List<PartitionBatch> batches) {
        long started = System.nanoTime();
        List<BatchOutcome> stored = store.appendBatches(batches);
        metrics.transaction(batches.size(), System.nanoTime() - started);
        return stored;
    }

    private static BatchOutcome failed(Step step, int partition, RuntimeException e, boolean alone) {
        if (!(e instanceof StoreException || e instanceof PublishException
                || FailureClassifier.classify(e) != FailureKind.TRANSIENT)) {
            log.error("Batch of partition {} failed unexpectedly at {}", partition, step.tag(), e);
        }
        return new BatchOutcome.Failed(step, e, alone);
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

    /** Waits for the batches queued and in flight to end, then stops the threads. */
    @Override
    public void close() {
        synchronized (queue) {
            if (closed.getAndSet(true)) {
                return;
            }
            queue.notifyAll(); // the threads apply what is queued, then end
        }
        WorkerThreads.stop(executor, closeTimeout, "Batches");
    }
}
