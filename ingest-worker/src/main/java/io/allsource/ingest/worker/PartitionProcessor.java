package io.allsource.ingest.worker;

import io.allsource.ingest.failure.FailureClassifier;
import io.allsource.ingest.failure.FailureKind;
import io.allsource.ingest.failure.FailureStreak;
import io.allsource.ingest.failure.Step;
import io.allsource.ingest.metrics.WorkerMetrics;
import io.allsource.ingest.publish.Publisher;
import io.allsource.ingest.store.BatchOutcome;
import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.PartitionState;
import io.allsource.ingest.store.Progress;
import io.allsource.ingest.store.PublicationMark;
import io.allsource.ingest.store.RoutedResult;
import io.allsource.ingest.store.StoredEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of an owned partition's life: claim it (and hold it when its log does not match its stored offsets, see
 * {@link LogCheck}), publish again what was committed but not published, apply a batch and publish what it committed,
 * record publication progress. A step that fails hands its failure to
 * {@link FailureResponse}, which sorts it and acts on it. Nothing is skipped, and the epoch fence makes sure nothing is
 * applied twice. Used by the worker's consumer threads, each for its own partitions.
 */
final class PartitionProcessor implements PartitionSteps {

    private static final Logger log = LoggerFactory.getLogger(PartitionProcessor.class);
    private static final int REPUBLISH_CHUNK = 1_000;

    private final String workerId;
    private final EventStore store;
    private final BatchApplier applier;
    private final Publisher publisher;
    private final WorkerMetrics metrics;
    private final FailureResponse failures;
    private final CommandsLog commandsLog;
    private final HeldPartitions held;
    private final AtomicLong committedBatches = new AtomicLong();

    PartitionProcessor(String workerId, EventStore store, BatchApplier applier, Publisher publisher,
            WorkerMetrics metrics, CommandsLog commandsLog, HeldPartitions held) {
        this.workerId = workerId;
        this.commandsLog = commandsLog;
        this.held = held;
        this.store = store;
        this.applier = applier;
        this.publisher = publisher;
        this.metrics = metrics;
        this.failures = new FailureResponse(workerId, metrics);
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
        if (partition.inFlight() != null) {
            return Stepped.DONE; // what is in flight goes out before what the database holds after it
        }
        Progress published = partition.published();
        Progress committed = partition.committed();
        try {
            List<RoutedResult> results = published.offset() < committed.offset()
                    ? store.readResults(partition.partition(), published.offset(), REPUBLISH_CHUNK) : List.of();
            List<StoredEvent> events = published.sequence() < committed.sequence()
                    ? store.readPartition(partition.partition(), published.sequence() + 1, REPUBLISH_CHUNK)
                    : List.of();
            publisher.publish(partition.partition(), results, events);
            long offset = results.size() < REPUBLISH_CHUNK ? committed.offset()
                    : results.get(results.size() - 1).offset() + 1;
            long sequence = events.size() < REPUBLISH_CHUNK ? committed.sequence()
                    : events.get(events.size() - 1).partitionSequence();
            partition.published(new Progress(offset, sequence));
            metrics.republished(results.size(), events.size());
            succeeded(partition);
            if (!results.isEmpty() || !events.isEmpty()) {
                log.info("{} - partition {}: republished {} results and {} events committed before",
                        workerId, partition.partition(), results.size(), events.size());
            }
            return Stepped.DONE;
        } catch (RuntimeException e) {
            return failed(partition, Step.REPUBLISH, e, 0);
        }
    }

    /**
     * Applies the next batch of each partition, several partitions per transaction, and publishes what each
     * committed. Every partition must be due a batch ({@link OwnedPartition#batchDue}).
     */
    @Override
    public void applyBatches(List<OwnedPartition> partitions, int batchSize) {
        if (partitions.isEmpty()) {
            return;
        }
        List<BatchApplier.Request> requests = new ArrayList<>(partitions.size());
        for (OwnedPartition partition : partitions) {
            requests.add(new BatchApplier.Request(partition.partition(), partition.epoch(), partition.logResetId(),
                    partition.nextBatch(batchSize), partition.refusals(), partition.isNarrowing()));
        }
        long progressBefore = committedBatches.get();
        List<BatchOutcome> outcomes = applier.applyAll(requests);
        for (int i = 0; i < partitions.size(); i++) {
            record(partitions.get(i), requests.get(i).records().size(), outcomes.get(i), progressBefore);
        }
    }

    private void record(OwnedPartition partition, int records, BatchOutcome outcome, long progressBefore) {
        if (outcome instanceof BatchOutcome.Failed failed) {
            failed(partition, failed.step(), failed.cause(), records, progressBefore);
        } else if (outcome instanceof BatchOutcome.Fenced fenced) {
            partition.fenced();
            metrics.fenced();
            log.warn("{} - partition {}: fenced by {} under epoch {}; dropping it", workerId,
                    partition.partition(), fenced.currentOwner(), fenced.currentEpoch());
        } else {
            BatchOutcome.Committed committed = (BatchOutcome.Committed) outcome;
            partition.applied(records, committed.state().committed());
            committedBatches.incrementAndGet();
            succeeded(partition);
            metrics.committed(committed.results());
            publishCommitted(partition, committed);
        }
    }

    private void publishCommitted(OwnedPartition partition, BatchOutcome.Committed committed) {
        if (committed.skipped() > 0) {
            // the skipped commands' results come from the database, in order with the rest
            partition.needsRepublishing();
            return;
        }
        if (partition.inFlight() != null) {
            partition.awaitSend(committed); // sent once the broker has acknowledged the batch before it
            return;
        }
        send(partition, committed);
    }

    private void send(OwnedPartition partition, BatchOutcome.Committed committed) {
        try {
            partition.publishing(new PublicationInFlight(
                    publisher.send(partition.partition(), committed.results(), committed.events()),
                    committed.state().committed()));
        } catch (RuntimeException e) {
            partition.needsRepublishing();
            failed(partition, Step.PUBLISH, e, 0);
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
            metrics.publication(inFlight.publication().elapsedNanos());
            partition.published(inFlight.after());
            BatchOutcome.Committed next = partition.takeAwaitingSend();
            if (next != null) {
                send(partition, next);
            }
            return Stepped.DONE;
        } catch (RuntimeException e) {
            partition.needsRepublishing();
            return failed(partition, Step.PUBLISH, e, 0);
        }
    }

    /**
     * Writes the publication progress of those of {@code partitions} whose progress moved, in one transaction, and
     * drops those found fenced. A transient failure leaves the progress to be written next time.
     */
    @Override
    public void markPublished(Collection<OwnedPartition> partitions) {
        List<OwnedPartition> behind = new ArrayList<>();
        List<PublicationMark> marks = new ArrayList<>();
        for (OwnedPartition partition : partitions) {
            // a partition not claimed under an epoch of its own has no marks to record: trying would only find it
            // fenced again, and a partition being claimed again after a fence would never get to its claim
            boolean stopped = partition.phase() == OwnedPartition.Phase.FENCED
                    || partition.phase() == OwnedPartition.Phase.HELD
                    || partition.phase() == OwnedPartition.Phase.CLAIMING;
            if (partition.markersBehind() && !stopped) {
                behind.add(partition);
                marks.add(PublicationMark.of(partition.partition(), partition.epoch(), partition.published()));
            }
        }
        if (marks.isEmpty()) {
            return;
        }
        try {
            Set<Integer> fenced = store.markPublished(marks);
            for (int i = 0; i < behind.size(); i++) {
                OwnedPartition partition = behind.get(i);
                if (fenced.contains(partition.partition())) {
                    partition.fenced();
                    log.warn("{} - partition {}: fenced while recording publication; dropping it", workerId,
                            partition.partition());
                } else {
                    partition.marked(marks.get(i).published());
                }
            }
        } catch (RuntimeException e) {
            if (FailureClassifier.classify(e) == FailureKind.FATAL) {
                throw failures.fatal(Step.MARK, marks.get(0).partition(), e);
            }
            metrics.failed(Step.MARK, FailureKind.TRANSIENT);
            log.warn("{} - partitions {}: could not record publication progress, will try again: {}", workerId,
                    marks.stream().map(PublicationMark::partition).toList(), e.getMessage());
        }
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
