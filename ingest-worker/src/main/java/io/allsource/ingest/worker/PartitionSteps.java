package io.allsource.ingest.worker;

import java.util.Collection;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The steps a consumer takes its owned partitions through: claim, republish, apply batches (decode, check, store),
 * publish, record publication progress. {@link PartitionProcessor} is the worker's; the consumer loop knows only this,
 * so that its polling, hand-out and lifecycle can be tested with Kafka's {@code MockConsumer} and no servers. Every
 * method is called on the consumer's thread.
 */
interface PartitionSteps {

    /** What a step did. */
    enum Stepped {
        /** It did its work, or had none to do. */
        DONE,
        /** It failed and the partition backs off, or it narrowed the partition's batch: try again later. */
        FAILED
    }

    /**
     * Claims the partition under a new epoch; returns the offset to resume from, or -1 when the claim must wait or the
     * partition is {@linkplain OwnedPartition#held() held} (its log does not match its stored offsets).
     *
     * @throws io.allsource.ingest.failure.FatalWorkerException when the claim cannot succeed
     */
    long claim(OwnedPartition partition);

    /** Publishes the next chunk of what was committed but not published. */
    Stepped republish(OwnedPartition partition);

    /**
     * Hands the next batch of each of {@code partitions} to be applied beside the consumer, together: each can start
     * one ({@link OwnedPartition#batchStartable}), due, or lingering and joining those due.
     */
    void startBatches(List<OwnedPartition> partitions, int batchSize);

    /**
     * Records the outcome of the partition's batch once its transaction has ended, and hands what it committed to the
     * producer; {@code wait}s for it when asked.
     */
    Stepped completeBatch(OwnedPartition partition, boolean wait);

    /** Records the outcome of the partition's publication once the broker has answered; {@code wait}s when asked. */
    Stepped completePublication(OwnedPartition partition, boolean wait);

    /** Writes the publication progress of those of {@code partitions} whose progress moved, and waits for it. */
    void markPublished(Collection<OwnedPartition> partitions);

    /**
     * Starts writing the publication progress of those of {@code partitions} whose progress moved, beside the
     * consumer; null when none moved.
     */
    MarksInFlight startMarks(Collection<OwnedPartition> partitions);

    /** Records the outcome of marks started before once they are written; false while they are not. */
    boolean completeMarks(MarksInFlight marks);

    /** Forgets what is cached for a partition this worker no longer owns. */
    void release(OwnedPartition partition);

    /** A counter of the batches committed by the worker, over all partitions. */
    LongSupplier progress();
}
