package io.allsource.ingest.worker;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One commands partition assigned to a consumer thread, and how far the worker has got with it: claimed under which
 * epoch, which fetched records wait to be applied, what is committed and what is published. Used by its consumer's
 * thread only.
 */
final class OwnedPartition {

    /** Where the partition is in its life with this worker. */
    enum Phase {
        /** Assigned; not yet claimed in the database, so nothing may be applied. */
        CLAIMING,
        /** Claimed; committed results or events wait to be published again before anything new is applied. */
        REPUBLISHING,
        /** Claimed and caught up: fetched commands are applied. */
        APPLYING,
        /** Another worker claimed it: nothing is applied until the group takes it away. */
        FENCED
    }

    private final TopicPartition topicPartition;
    private final Backoff backoff;
    private final Deque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
    private Phase phase = Phase.CLAIMING;
    private long epoch;
    private long nextFetchOffset;
    private long oldestPendingAtNanos;
    private long committedNextOffset;
    private long committedLastSequence;
    private long publishedOffset;
    private long publishedSequence;
    private long markedOffset;
    private long markedSequence;
    private long fencedAtNanos;
    private InFlight inFlight;

    /** A committed batch handed to the producer, and the progress it makes once the broker acknowledges it. */
    record InFlight(io.allsource.ingest.publish.Publication publication, long nextOffset, long lastSequence) {
    }

    OwnedPartition(TopicPartition topicPartition, Duration retryInitial, Duration retryMax) {
        this.topicPartition = topicPartition;
        this.backoff = new Backoff(retryInitial, retryMax);
    }

    TopicPartition topicPartition() {
        return topicPartition;
    }

    int partition() {
        return topicPartition.partition();
    }

    Phase phase() {
        return phase;
    }

    Backoff backoff() {
        return backoff;
    }

    long epoch() {
        return epoch;
    }

    /** Records the claim: the epoch, and the stored progress the partition resumes from. */
    void claimed(long claimedEpoch, long nextOffset, long lastSequence, long storedPublishedOffset,
            long storedPublishedSequence) {
        epoch = claimedEpoch;
        nextFetchOffset = nextOffset;
        committedNextOffset = nextOffset;
        committedLastSequence = lastSequence;
        publishedOffset = storedPublishedOffset;
        publishedSequence = storedPublishedSequence;
        markedOffset = storedPublishedOffset;
        markedSequence = storedPublishedSequence;
        pending.clear();
        phase = isPublished() ? Phase.APPLYING : Phase.REPUBLISHING;
    }

    void fenced() {
        phase = Phase.FENCED;
        inFlight = null;
        fencedAtNanos = System.nanoTime();
        pending.clear();
    }

    /**
     * Whether the partition, fenced at least {@code recheck} ago and still assigned to this worker by the group, should
     * be claimed again: the group's assignment is what decides ownership, the claim only enforces it.
     */
    boolean reclaimDue(Duration recheck) {
        if (phase == Phase.FENCED && System.nanoTime() - fencedAtNanos >= recheck.toNanos()) {
            phase = Phase.CLAIMING;
            return true;
        }
        return false;
    }

    /** Takes a fetched record, unless it lies before where the partition resumes (fetched before the seek). */
    void add(ConsumerRecord<byte[], byte[]> record) {
        if (phase == Phase.FENCED || phase == Phase.CLAIMING || record.offset() < nextFetchOffset) {
            return;
        }
        if (pending.isEmpty()) {
            oldestPendingAtNanos = System.nanoTime();
        }
        pending.add(record);
        nextFetchOffset = record.offset() + 1;
    }

    int pendingCount() {
        return pending.size();
    }

    /**
     * Whether a batch should be applied now: full, lingered long enough, or the worker is stopping; and the previous
     * batch's publication acknowledged, so that the partition's records are published in order.
     */
    boolean batchDue(int batchSize, Duration linger, boolean stopping) {
        if (phase != Phase.APPLYING || pending.isEmpty() || backoff.isWaiting() || inFlight != null) {
            return false;
        }
        return stopping || pending.size() >= batchSize || System.nanoTime() - oldestPendingAtNanos >= linger.toNanos();
    }

    /** How long until the oldest pending record has lingered enough. */
    Duration lingerRemaining(Duration linger) {
        if (pending.isEmpty()) {
            return linger;
        }
        return Duration.ofNanos(Math.max(0, linger.toNanos() - (System.nanoTime() - oldestPendingAtNanos)));
    }

    /** The next batch, oldest first, left pending until {@link #applied} says it committed. */
    List<ConsumerRecord<byte[], byte[]>> nextBatch(int batchSize) {
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(Math.min(batchSize, pending.size()));
        for (ConsumerRecord<byte[], byte[]> record : pending) {
            if (batch.size() == batchSize) {
                break;
            }
            batch.add(record);
        }
        return batch;
    }

    /** Records a committed batch of {@code count} records, and the partition's stored progress after it. */
    void applied(int count, long nextOffset, long lastSequence) {
        for (int i = 0; i < count; i++) {
            pending.poll();
        }
        oldestPendingAtNanos = System.nanoTime();
        committedNextOffset = nextOffset;
        committedLastSequence = lastSequence;
    }

    /** Records that results below {@code offset} and events up to {@code sequence} are published. */
    void published(long offset, long sequence) {
        publishedOffset = Math.max(publishedOffset, offset);
        publishedSequence = Math.max(publishedSequence, sequence);
        if (phase == Phase.REPUBLISHING && isPublished()) {
            phase = Phase.APPLYING;
        }
    }

    void publishing(InFlight publication) {
        inFlight = publication;
    }

    /** The publication the broker has not answered for yet, or null. */
    InFlight inFlight() {
        return inFlight;
    }

    void publicationAnswered() {
        inFlight = null;
    }

    /** Publication fell behind the database: what is committed must be published from there. */
    void needsRepublishing() {
        if (phase == Phase.APPLYING) {
            phase = Phase.REPUBLISHING;
        }
    }

    boolean isPublished() {
        return publishedOffset >= committedNextOffset && publishedSequence >= committedLastSequence;
    }

    long committedNextOffset() {
        return committedNextOffset;
    }

    long committedLastSequence() {
        return committedLastSequence;
    }

    long publishedOffset() {
        return publishedOffset;
    }

    long publishedSequence() {
        return publishedSequence;
    }

    /** Whether publication progress moved since it was last written to the database. */
    boolean markersBehind() {
        return publishedOffset > markedOffset || publishedSequence > markedSequence;
    }

    void marked(long offset, long sequence) {
        markedOffset = offset;
        markedSequence = sequence;
    }

    /** Whether the consumer should fetch for this partition: claimed, caught up, not backing off, room in the queue. */
    boolean wantsRecords(int batchSize) {
        return phase == Phase.APPLYING && !backoff.isRetrying() && pending.size() < 2 * batchSize;
    }
}
