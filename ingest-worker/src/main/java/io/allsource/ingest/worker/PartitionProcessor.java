package io.allsource.ingest.worker;

import io.allsource.ingest.publish.PublishException;
import io.allsource.ingest.publish.Publisher;
import io.allsource.ingest.store.BatchOutcome;
import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.PartitionState;
import io.allsource.ingest.store.PublicationMark;
import io.allsource.ingest.store.RoutedResult;
import io.allsource.ingest.store.StoreException;
import io.allsource.ingest.store.StoredEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one owned partition's life: claim it, publish again what was committed but not published, apply a
 * batch and publish what it committed, record publication progress. A step that meets an unavailable database, broker
 * or registry leaves everything as it was and starts the partition's back-off; the same step is tried again when it
 * ends. Nothing is skipped, and the epoch fence makes sure nothing is applied twice. Used by one consumer thread.
 */
final class PartitionProcessor {

    private static final Logger log = LoggerFactory.getLogger(PartitionProcessor.class);
    private static final int REPUBLISH_CHUNK = 1_000;

    private final String workerId;
    private final EventStore store;
    private final BatchApplier applier;
    private final Publisher publisher;
    private final WorkerMetrics metrics;

    PartitionProcessor(String workerId, EventStore store, BatchApplier applier, Publisher publisher,
            WorkerMetrics metrics) {
        this.workerId = workerId;
        this.store = store;
        this.applier = applier;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /** Claims the partition under a new epoch; returns the offset to resume from, or -1 when the claim must wait. */
    long claim(OwnedPartition partition) {
        try {
            PartitionState state = store.claim(partition.partition(), workerId);
            partition.claimed(state.ownerEpoch(), state.nextOffset(), state.lastSequence(), state.publishedOffset(),
                    state.publishedSequence());
            partition.backoff().succeed();
            return state.nextOffset();
        } catch (StoreException e) {
            retryLater(partition, "claim", e);
            return -1;
        }
    }

    /** Publishes the next chunk of what was committed but not published; true once everything is published. */
    boolean republish(OwnedPartition partition) {
        try {
            List<RoutedResult> results = partition.publishedOffset() < partition.committedNextOffset()
                    ? store.readResults(partition.partition(), partition.publishedOffset(), REPUBLISH_CHUNK)
                    : List.of();
            List<StoredEvent> events = partition.publishedSequence() < partition.committedLastSequence()
                    ? store.readPartition(partition.partition(), partition.publishedSequence() + 1, REPUBLISH_CHUNK)
                    : List.of();
            publisher.publish(partition.partition(), results, events);
            long offset = results.size() < REPUBLISH_CHUNK ? partition.committedNextOffset()
                    : results.get(results.size() - 1).offset() + 1;
            long sequence = events.size() < REPUBLISH_CHUNK ? partition.committedLastSequence()
                    : events.get(events.size() - 1).partitionSequence();
            partition.published(offset, sequence);
            metrics.republished(results.size(), events.size());
            partition.backoff().succeed();
            if (!results.isEmpty() || !events.isEmpty()) {
                log.info("{} - partition {}: republished {} results and {} events committed before",
                        workerId, partition.partition(), results.size(), events.size());
            }
            return partition.isPublished();
        } catch (StoreException | PublishException e) {
            retryLater(partition, "republish", e);
            return false;
        }
    }

    /**
     * Applies the next batch of each partition, several partitions per transaction, and publishes what each
     * committed. Every partition must be due a batch ({@link OwnedPartition#batchDue}).
     */
    void applyBatches(List<OwnedPartition> partitions, int batchSize) {
        if (partitions.isEmpty()) {
            return;
        }
        List<BatchApplier.Request> requests = new ArrayList<>(partitions.size());
        for (OwnedPartition partition : partitions) {
            requests.add(new BatchApplier.Request(partition.partition(), partition.epoch(),
                    partition.nextBatch(batchSize)));
        }
        List<BatchApplier.Applied> outcomes = applier.applyAll(requests);
        for (int i = 0; i < partitions.size(); i++) {
            record(partitions.get(i), requests.get(i).records().size(), outcomes.get(i));
        }
    }

    private void record(OwnedPartition partition, int records, BatchApplier.Applied applied) {
        if (applied instanceof BatchApplier.Applied.Failed failed) {
            retryLater(partition, failed.step(), failed.cause());
        } else if (applied instanceof BatchApplier.Applied.Fenced fenced) {
            partition.fenced();
            metrics.fenced();
            log.warn("{} - partition {}: fenced by {} under epoch {}; dropping it", workerId, partition.partition(),
                    fenced.fenced().currentOwner(), fenced.fenced().currentEpoch());
        } else if (applied instanceof BatchApplier.Applied.Committed committed) {
            BatchOutcome.Committed outcome = committed.outcome();
            partition.applied(records, outcome.state().nextOffset(), outcome.state().lastSequence());
            partition.backoff().succeed();
            metrics.applied(outcome.results());
            publishCommitted(partition, outcome);
        }
    }

    private void publishCommitted(OwnedPartition partition, BatchOutcome.Committed committed) {
        if (committed.skipped() > 0) {
            // the skipped commands' results come from the database, in order with the rest
            partition.needsRepublishing();
            return;
        }
        try {
            partition.publishing(new OwnedPartition.InFlight(
                    publisher.send(partition.partition(), committed.results(), committed.events()),
                    committed.state().nextOffset(), committed.state().lastSequence()));
        } catch (PublishException e) {
            partition.needsRepublishing();
            retryLater(partition, "publish", e);
        }
    }

    /**
     * Records the outcome of the partition's publication once the broker has answered, without waiting for it;
     * {@code wait} waits up to the publish timeout (used when stopping).
     */
    void completePublication(OwnedPartition partition, boolean wait) {
        OwnedPartition.InFlight inFlight = partition.inFlight();
        if (inFlight == null || (!wait && !inFlight.publication().isDone())) {
            return;
        }
        partition.publicationAnswered();
        try {
            publisher.awaitAll(inFlight.publication(), "partition " + partition.partition());
            metrics.publication(inFlight.publication().elapsedNanos());
            partition.published(inFlight.nextOffset(), inFlight.lastSequence());
        } catch (PublishException e) {
            partition.needsRepublishing();
            retryLater(partition, "publish", e);
        }
    }

    /**
     * Writes the publication progress of those of {@code partitions} whose progress moved, in one transaction, and
     * drops those found fenced. A failure leaves the progress to be written next time.
     */
    void markPublished(Collection<OwnedPartition> partitions) {
        List<OwnedPartition> behind = new ArrayList<>();
        List<PublicationMark> marks = new ArrayList<>();
        for (OwnedPartition partition : partitions) {
            if (partition.markersBehind() && partition.phase() != OwnedPartition.Phase.FENCED) {
                behind.add(partition);
                marks.add(new PublicationMark(partition.partition(), partition.epoch(), partition.publishedOffset(),
                        partition.publishedSequence()));
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
                    partition.marked(marks.get(i).publishedOffset(), marks.get(i).publishedSequence());
                }
            }
        } catch (StoreException e) {
            log.warn("{} - partitions {}: could not record publication progress, will try again: {}", workerId,
                    marks.stream().map(PublicationMark::partition).toList(), e.getMessage());
        }
    }

    /** Forgets what the store caches for a partition this worker no longer owns. */
    void release(OwnedPartition partition) {
        store.release(partition.partition());
    }

    private void retryLater(OwnedPartition partition, String step, RuntimeException e) {
        int attempt = partition.backoff().fail();
        metrics.retried(step);
        log.warn("{} - partition {}: {} failed, attempt #{}, retrying in {} ms: {}", workerId, partition.partition(),
                step, attempt, partition.backoff().currentPause().toMillis(), e.getMessage());
    }
}
