package io.allsource.ingest.worker;

import io.allsource.ingest.contract.TraceContext;
import io.allsource.ingest.failure.FailureStreak;
import io.allsource.ingest.failure.Step;
import io.allsource.ingest.failure.WorkerAccess;
import io.allsource.ingest.metrics.WorkerMetrics;
import io.allsource.ingest.publish.Publisher;
import io.allsource.ingest.store.BatchOutcome;
import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.PartitionState;
import io.allsource.ingest.store.Progress;
import io.allsource.ingest.store.RoutedResult;
import io.allsource.ingest.store.StoredEvent;
import io.allsource.ingest.trace.Spans;
import io.allsource.ingest.trace.TraceLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of an owned partition's life: claim it (and hold it when its log does not match its stored offsets, see
 * {@link LogCheck}), publish again what was committed but not published, hand a batch to the apply threads and record
 * its outcome, publish what it committed, record publication progress (by the {@link PublicationMarker}). A step that
 * fails hands its failure to {@link FailureResponse}, which sorts it and acts on it. Nothing is skipped, and the epoch
 * fence makes sure nothing is applied twice. Used by the worker's consumer threads, each for its own partitions.
 */
final class PartitionProcessor implements PartitionSteps {

    private static final Logger log = LoggerFactory.getLogger(PartitionProcessor.class);
    private static final int REPUBLISH_CHUNK = 1_000;

    private final String workerId;
    private final EventStore store;
    private final BatchApplier applier;
    private final PublicationMarker marker;
    private final Duration shutdownTimeout;
    private final Duration markInterval;
    private final Publisher publisher;
    private final WorkerMetrics metrics;
    private final FailureResponse failures;
    private final CommandsLog commandsLog;
    private final HeldPartitions held;
    private final Spans spans;
    private final AtomicLong committedBatches = new AtomicLong();

    /**
     * @param shutdownTimeout how long a consumer waits for a partition's batch in a transaction when it stops or gives
     *                        the partition up
     * @param markInterval    how often publication progress is written: a partition that handed no batch over for
     *                        that long has its progress written by the marker
     * @param spans           makes a {@value Spans#PUBLISH} span per publication, linked to its commands
     */
    PartitionProcessor(String workerId, EventStore store, BatchApplier applier, PublicationMarker marker,
            Publisher publisher, WorkerMetrics metrics, CommandsLog commandsLog, HeldPartitions held,
            WorkerAccess access, Spans spans, Duration shutdownTimeout, Duration markInterval) {
        this.spans = spans;
        this.markInterval = markInterval;
        this.marker = marker;
        this.shutdownTimeout = shutdownTimeout;
        this.workerId = workerId;
        this.commandsLog = commandsLog;
        this.held = held;
        this.store = store;
        this.applier = applier;
        this.publisher = publisher;
        this.metrics = metrics;
        this.failures = new FailureResponse(workerId, metrics, access);
    }

    /** Batches committed by the worker so far, over all partitions: what {@link FailureStreak} calls progress. */
    @Override
    public LongSupplier progress() {
        return committedBatches::get;
    }

    /**
     * Claims the partition under a new epoch and compares its stored offsets with its log; returns the offset to resume
     * from, or -1 when the claim must wait or the partition is held (its log does not match: see {@link LogCheck}). A
     * claim that finds them matching remembers the topic's id (the first ever, or one that applied nothing before).
     */
    @Override
    public long claim(OwnedPartition partition) {
        int number = partition.partition();
        try {
            PartitionState state = store.claim(number, workerId);
            LogRange log = commandsLog.range(number);
            String storedTopicId = store.storedTopicId(number).orElse(null);
            Optional<String> mismatch = LogCheck.mismatch(storedTopicId, state.nextOffset(), log);
            if (mismatch.isPresent()) {
                partition.held();
                held.hold(number, mismatch.get());
                succeeded(partition);
                return -1;
            }
            if (!log.topicId().equals(storedTopicId)) {
                store.rememberTopicId(number, state.ownerEpoch(), log.topicId());
            }
            held.release(number, true);
            partition.claimed(state);
            succeeded(partition);
            return state.nextOffset();
        } catch (RuntimeException e) {
            failed(partition, Step.CLAIM, e, 0);
            return -1;
        }
    }

    /** Publishes the next chunk of what was committed but not published. */
    @Override
    public Stepped republish(OwnedPartition partition) {
        if (partition.inFlight() != null || partition.batchInFlight() != null) {
            // what is in flight goes out before what the database holds after it; a batch in a transaction is
            // published from the database once it has committed
            return Stepped.DONE;
        }
        Progress published = partition.published();
        Progress committed = partition.committed();
        try {
            List<RoutedResult> results = published.offset() < committed.offset()
                    ? store.readResults(partition.partition(), published.offset(), REPUBLISH_CHUNK) : List.of();
            List<StoredEvent> events = published.sequence() < committed.sequence()
                    ? store.readPartition(partition.partition(), published.sequence() + 1, REPUBLISH_CHUNK)
                    : List.of();
            List<TraceContext> traces = tracesOf(results, events);
            Spans.Span span = spans.enabled() && !(results.isEmpty() && events.isEmpty())
                    ? spans.start(Spans.PUBLISH, null, List.of(partition.partition()), traces) : Spans.Span.NONE;
            try {
                publisher.publish(partition.partition(), results, events);
                span.end(null);
            } catch (RuntimeException e) {
                span.end(e);
                throw e;
            }
            long offset = results.size() < REPUBLISH_CHUNK ? committed.offset()
                    : results.get(results.size() - 1).offset() + 1;
            long sequence = events.size() < REPUBLISH_CHUNK ? committed.sequence()
                    : events.get(events.size() - 1).partitionSequence();
            partition.published(new Progress(offset, sequence));
            metrics.republished(results.size(), events.size());
            succeeded(partition);
            if (!results.isEmpty() || !events.isEmpty()) {
                try (TraceLog.Scope scope = TraceLog.batch(traces)) {
                    log.info("{} - partition {}: republished {} results and {} events committed before",
                            workerId, partition.partition(), results.size(), events.size());
                }
            }
            return Stepped.DONE;
        } catch (RuntimeException e) {
            return failed(partition, Step.REPUBLISH, e, 0);
        }
    }

    /**
     * Hands the next batch of each partition to the apply threads, without waiting for them; {@link #completeBatch}
     * records each outcome. Every partition must be able to start one ({@link OwnedPartition#batchStartable}): due,
     * or lingering and joining the due ones.
     */
    @Override
    public void startBatches(List<OwnedPartition> partitions, int batchSize) {
        if (partitions.isEmpty()) {
            return;
        }
        List<BatchApplier.Request> requests = new ArrayList<>(partitions.size());
        for (OwnedPartition partition : partitions) {
            metrics.dwelled(partition.oldestPendingNanos());
            requests.add(new BatchApplier.Request(partition.partition(), partition.epoch(), partition.logResetId(),
                    partition.nextBatch(batchSize), partition.refusals(), partition.isNarrowing(),
                    partition.published()));
        }
        long progressBefore = committedBatches.get();
        List<CompletableFuture<BatchOutcome>> outcomes = applier.submit(requests);
        for (int i = 0; i < partitions.size(); i++) {
            partitions.get(i).applying(new BatchInFlight(outcomes.get(i), requests.get(i).records().size(),
                    progressBefore, requests.get(i).records()));
        }
    }

    /**
     * Records the outcome of the partition's batch in a transaction once it is there, without waiting for it;
     * {@code wait} waits up to the shutdown timeout (used when stopping or giving the partition up).
     *
     * @throws io.allsource.ingest.failure.FatalWorkerException when the transaction ended with an {@link Error}, or
     *                                                          its failure is fatal
     */
    @Override
    public Stepped completeBatch(OwnedPartition partition, boolean wait) {
        BatchInFlight batch = partition.batchInFlight();
        if (batch == null || (!wait && !batch.outcome().isDone())) {
            return Stepped.DONE;
        }
        BatchOutcome outcome;
        try {
            outcome = batch.outcome().get(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("{} - partition {}: its batch is still in a transaction after {}; not waiting longer", workerId,
                    partition.partition(), shutdownTimeout);
            return Stepped.DONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Stepped.DONE;
        } catch (ExecutionException e) {
            partition.batchAnswered();
            try (TraceLog.Scope scope = TraceLog.batch(BatchApplier.tracesOf(batch.taken()))) {
                if (e.getCause() instanceof RuntimeException failure) {
                    return failed(partition, Step.STORE, failure, batch.records(), batch.progressBefore());
                }
                throw failures.fatal(Step.STORE, partition.partition(), new IllegalStateException(
                        "the batch's transaction ended with " + e.getCause(), e.getCause()));
            }
        }
        partition.batchAnswered();
        if (outcome instanceof BatchOutcome.Committed committed) {
            recordCommitted(partition, batch.records(), committed);
            return Stepped.DONE;
        }
        // lines about a batch that did not commit carry its commands' trace ids
        try (TraceLog.Scope scope = TraceLog.batch(BatchApplier.tracesOf(batch.taken()))) {
            return recordNotCommitted(partition, batch.records(), outcome, batch.progressBefore());
        }
    }

    private Stepped recordNotCommitted(OwnedPartition partition, int records, BatchOutcome outcome,
            long progressBefore) {
        if (outcome instanceof BatchOutcome.Failed failed) {
            return failures.failed(partition, failed.step(), failed.cause(), records, progressBefore,
                    failed.alone());
        }
        BatchOutcome.Fenced fenced = (BatchOutcome.Fenced) outcome;
        partition.fenced();
        metrics.fenced();
        log.warn("{} - partition {}: fenced by {} under epoch {}; dropping it", workerId,
                partition.partition(), fenced.currentOwner(), fenced.currentEpoch());
        return Stepped.DONE;
    }

    private void recordCommitted(OwnedPartition partition, int records, BatchOutcome.Committed committed) {
        partition.applied(records, committed.state().committed());
        partition.marked(committed.state().published());
        committedBatches.incrementAndGet();
        succeeded(partition);
        metrics.committed(committed.results());
        logOutcomes(partition.partition(), committed.results());
        publishCommitted(partition, committed);
    }

    /** At DEBUG, one line per command of a committed batch, carrying the command's trace id. */
    private void logOutcomes(int partition, List<RoutedResult> results) {
        if (!log.isDebugEnabled()) {
            return;
        }
        for (RoutedResult routed : results) {
            try (TraceLog.Scope scope = TraceLog.command(routed.route().trace())) {
                log.debug("{} - partition {}: offset {}: command {} {}{}{}", workerId, partition, routed.offset(),
                        routed.result().commandId(), routed.result().status(),
                        routed.result().reason() == null ? "" : " " + routed.result().reason(),
                        routed.result().duplicate() ? " (duplicate)" : "");
            }
        }
    }

    /** The trace contexts of the results' deliveries and of the events' commands. */
    private static List<TraceContext> tracesOf(List<RoutedResult> results, List<StoredEvent> events) {
        List<TraceContext> traces = new ArrayList<>(results.size() + events.size());
        results.forEach(result -> traces.add(result.route().trace()));
        events.forEach(event -> traces.add(event.trace()));
        return traces;
    }

    private void publishCommitted(OwnedPartition partition, BatchOutcome.Committed committed) {
        if (committed.skipped() > 0) {
            // the skipped commands' results come from the database, in order with the rest
            partition.needsRepublishing();
            return;
        }
        if (partition.phase() == OwnedPartition.Phase.REPUBLISHING) {
            return; // publication fell behind while the batch was in its transaction: it goes out from the database
        }
        if (partition.inFlight() != null) {
            partition.awaitSend(committed); // sent once the broker has acknowledged the batch before it
            return;
        }
        send(partition, committed);
    }

    private void send(OwnedPartition partition, BatchOutcome.Committed committed) {
        Spans.Span span = spans.enabled()
                ? spans.start(Spans.PUBLISH, null, List.of(partition.partition()),
                        tracesOf(committed.results(), committed.events()))
                : Spans.Span.NONE;
        try {
            partition.publishing(new PublicationInFlight(
                    publisher.send(partition.partition(), committed.results(), committed.events()),
                    committed.state().committed(), span, committed.results()));
        } catch (RuntimeException e) {
            span.end(e);
            partition.needsRepublishing();
            try (TraceLog.Scope scope = TraceLog.batch(tracesOf(committed.results(), List.of()))) {
                failed(partition, Step.PUBLISH, e, 0);
            }
        }
    }

    /**
     * Records the outcome of the partition's publication once the broker has answered, without waiting for it;
     * {@code wait} waits up to the publish timeout (used when stopping).
     */
    @Override
    public Stepped completePublication(OwnedPartition partition, boolean wait) {
        PublicationInFlight inFlight = partition.inFlight();
        if (inFlight == null || (!wait && !inFlight.publication().isDone())) {
            return Stepped.DONE;
        }
        partition.publicationAnswered();
        try {
            publisher.awaitAll(inFlight.publication());
            inFlight.span().end(null);
            metrics.publication(inFlight.publication().elapsedNanos());
            partition.published(inFlight.after());
            BatchOutcome.Committed next = partition.takeAwaitingSend();
            if (next != null) {
                send(partition, next);
            }
            return Stepped.DONE;
        } catch (RuntimeException e) {
            inFlight.span().end(e);
            partition.needsRepublishing();
            try (TraceLog.Scope scope = TraceLog.batch(tracesOf(inFlight.results(), List.of()))) {
                return failed(partition, Step.PUBLISH, e, 0);
            }
        }
    }

    /**
     * Writes the publication progress of those of {@code partitions} whose progress moved and waits for it (used when
     * a partition is given up or the worker stops): see {@link PublicationMarker#markNow}.
     */
    @Override
    public void markPublished(Collection<OwnedPartition> partitions) {
        marker.markNow(partitions);
    }

    /** Starts writing idle partitions' publication progress on the marker's thread: see {@link PublicationMarker}. */
    @Override
    public MarksInFlight startMarks(Collection<OwnedPartition> partitions) {
        return marker.start(partitions, markInterval);
    }

    @Override
    public boolean completeMarks(MarksInFlight marks) {
        return marker.complete(marks);
    }

    /** Forgets what the store caches for a partition this worker no longer owns. */
    @Override
    public void release(OwnedPartition partition) {
        store.release(partition.partition());
        held.release(partition.partition(), false);
    }

    private static void succeeded(OwnedPartition partition) {
        partition.backoff().succeed();
        partition.streak().reset();
    }

    private Stepped failed(OwnedPartition partition, Step step, RuntimeException e, int records) {
        return failures.failed(partition, step, e, records, committedBatches.get());
    }

    private Stepped failed(OwnedPartition partition, Step step, RuntimeException e, int records,
            long progressBefore) {
        return failures.failed(partition, step, e, records, progressBefore);
    }
}
