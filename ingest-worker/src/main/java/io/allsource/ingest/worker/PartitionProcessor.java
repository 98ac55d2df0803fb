package io.allsource.ingest.worker;

import io.allsource.ingest.batch.BatchEntry;
import io.allsource.ingest.intake.CommandDecoder;
import io.allsource.ingest.intake.DecodedRecord;
import io.allsource.ingest.publish.PublishException;
import io.allsource.ingest.publish.Publisher;
import io.allsource.ingest.registry.RegistryException;
import io.allsource.ingest.store.BatchOutcome;
import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.PartitionState;
import io.allsource.ingest.store.RoutedResult;
import io.allsource.ingest.store.StoreException;
import io.allsource.ingest.store.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
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
    private final CommandDecoder decoder;
    private final Publisher publisher;
    private final WorkerMetrics metrics;

    PartitionProcessor(String workerId, EventStore store, CommandDecoder decoder, Publisher publisher,
            WorkerMetrics metrics) {
        this.workerId = workerId;
        this.store = store;
        this.decoder = decoder;
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

    /** Applies the partition's next batch in one transaction and publishes what it committed. */
    void applyBatch(OwnedPartition partition, int batchSize) {
        List<ConsumerRecord<byte[], byte[]>> records = partition.nextBatch(batchSize);
        List<BatchEntry> entries = new ArrayList<>(records.size());
        List<ProducerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        try {
            for (ConsumerRecord<byte[], byte[]> record : records) {
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
            retryLater(partition, "decode", e);
            return;
        }
        BatchOutcome outcome;
        long started = System.nanoTime();
        try {
            outcome = store.appendBatch(partition.partition(), partition.epoch(), entries);
        } catch (StoreException e) {
            retryLater(partition, "apply", e);
            return;
        }
        metrics.transaction(System.nanoTime() - started);
        if (outcome instanceof BatchOutcome.Fenced fenced) {
            partition.fenced();
            log.warn("{} - partition {}: fenced by {} under epoch {}; dropping it", workerId, partition.partition(),
                    fenced.currentOwner(), fenced.currentEpoch());
            return;
        }
        BatchOutcome.Committed committed = (BatchOutcome.Committed) outcome;
        partition.applied(records.size(), committed.state().nextOffset(), committed.state().lastSequence());
        partition.backoff().succeed();
        metrics.applied(committed.results());
        publishCommitted(partition, committed);
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

    /** Writes publication progress to the database when it moved; false when the partition turned out fenced. */
    boolean markPublished(OwnedPartition partition) {
        if (!partition.markersBehind() || partition.phase() == OwnedPartition.Phase.FENCED) {
            return true;
        }
        long offset = partition.publishedOffset();
        long sequence = partition.publishedSequence();
        try {
            if (!store.markPublished(partition.partition(), partition.epoch(), offset, sequence)) {
                partition.fenced();
                log.warn("{} - partition {}: fenced while recording publication; dropping it", workerId,
                        partition.partition());
                return false;
            }
            partition.marked(offset, sequence);
        } catch (StoreException e) {
            log.warn("{} - partition {}: could not record publication progress, will try again: {}", workerId,
                    partition.partition(), e.getMessage());
        }
        return true;
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
