package io.allsource.ingest.worker;

import io.allsource.ingest.contract.TraceContext;
import io.allsource.ingest.failure.FailureStreak;
import io.allsource.ingest.store.BatchOutcome;
import io.allsource.ingest.store.PartitionState;
import io.allsource.ingest.store.Progress;
import io.allsource.ingest.trace.TraceHeaders;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One commands partition assigned to a consumer thread, and how far the worker has got with it: claimed under which
 * epoch, which fetched records wait to be applied, what is {@linkplain #committed() committed}, published and recorded
 * as published. When a batch fails for a reason that lies in one of its records, the partition narrows its batches
 * (halving them) until one record alone fails; that record is then {@linkplain #refusals() refused} with the reason,
 * so that it gets a rejection and its neighbours commit. Used by its consumer's thread only.
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
        FENCED,
        /**
         * Its log does not match its stored offsets (topic recreated, records deleted before they were applied):
         * nothing is consumed until an operator resets it; the claim is tried again now and then.
         */
        HELD
    }

    private final TopicPartition topicPartition;
    private final Backoff backoff;
    private final FailureStreak streak;
    private final Deque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
    private final Narrowing narrowing = new Narrowing();
    private Phase phase = Phase.CLAIMING;
    private long epoch;
    private long logResetId;
    private long nextFetchOffset;
    private long oldestPendingAtNanos;
    private Progress committed = Progress.NONE;
    private Progress published = Progress.NONE;
    private Progress marked = Progress.NONE;
    /** When the partition was last fenced or held: it is claimed again a recheck interval later. */
    private long stoppedAtNanos;
    private long lastHandedOverNanos = System.nanoTime() - Long.MAX_VALUE / 2;
    /** The batch in a transaction on an apply thread, or null. */
    private BatchInFlight applying;
    private PublicationInFlight inFlight;
    /** A batch committed while the previous one's publication was in flight: sent once that one is acknowledged. */
    private BatchOutcome.Committed awaitingSend;

    OwnedPartition(TopicPartition topicPartition, Backoff backoff, FailureStreak streak) {
        this.topicPartition = topicPartition;
        this.backoff = backoff;
        this.streak = streak;
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

    FailureStreak streak() {
        return streak;
    }

    long epoch() {
        return epoch;
    }

    long logResetId() {
        return logResetId;
    }

    /** Records the claim: the epoch, and the stored progress the partition resumes from. */
    void claimed(PartitionState state) {
        epoch = state.ownerEpoch();
        logResetId = state.logResetId();
        nextFetchOffset = state.nextOffset();
        committed = state.committed();
        published = state.published();
        marked = published;
        applying = null;
        awaitingSend = null;
        pending.clear();
        narrowing.reset();
        phase = isPublished() ? Phase.APPLYING : Phase.REPUBLISHING;
    }

    void fenced() {
        stop(Phase.FENCED);
    }

    /** The claim found the partition's log not matching its stored offsets: nothing is consumed. */
    void held() {
        stop(Phase.HELD);
    }

    /**
     * The consumer found the partition's fetch position outside its log (records deleted by retention while they
     * waited, or the topic truncated or replaced): whatever is held is dropped and the partition is claimed again at
     * once, so that the claim compares the stored offsets with the log and holds it rather than skip anything.
     */
    void logMoved() {
        stop(Phase.CLAIMING);
    }

    private void stop(Phase stopped) {
        phase = stopped;
        applying = null; // its transaction ends on its own; what it committed is published by the next claim
        inFlight = null;
        awaitingSend = null;
        stoppedAtNanos = System.nanoTime();
        pending.clear();
    }

    /**
     * Whether the partition, fenced or held at least {@code recheck} ago and still assigned to this worker by the
     * group, should be claimed again: the group's assignment is what decides ownership, the claim only enforces it;
     * and a held partition resumes once an operator has reset it.
     */
    boolean reclaimDue(Duration recheck) {
        boolean stopped = phase == Phase.FENCED || phase == Phase.HELD;
        if (stopped && System.nanoTime() - stoppedAtNanos >= recheck.toNanos()) {
            phase = Phase.CLAIMING;
            return true;
        }
        return false;
    }

    /** Takes a fetched record, unless it lies before where the partition resumes (fetched before the seek). */
    void add(ConsumerRecord<byte[], byte[]> record) {
        if ((phase != Phase.REPUBLISHING && phase != Phase.APPLYING) || record.offset() < nextFetchOffset) {
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
     * Whether a batch should be applied now: full, lingered long enough, or the worker is stopping; no batch of the
     * partition is in a transaction, and no committed batch waits for its turn to be sent. One batch's transaction may
     * run while the previous batch's publication is in flight (the database works while the broker acknowledges); its
     * publication is sent after that one is acknowledged, so that the partition's records are published in order.
     */
    boolean batchDue(int batchSize, Duration linger, boolean stopping) {
        if (!batchStartable()) {
            return false;
        }
        return stopping || narrowing.isActive() || pending.size() >= batchSize
                || System.nanoTime() - oldestPendingAtNanos >= linger.toNanos();
    }

    /**
     * Whether a batch may start now, due or not: records are pending, the partition is applying and not backing off,
     * none of its batches is in a transaction and no committed batch waits for its turn to be sent.
     */
    boolean batchStartable() {
        return phase == Phase.APPLYING && !pending.isEmpty() && !backoff.isWaiting() && applying == null
                && awaitingSend == null;
    }

    /** How long the oldest pending record has waited since it was fetched (or since the batch before it committed). */
    long oldestPendingNanos() {
        return pending.isEmpty() ? 0 : System.nanoTime() - oldestPendingAtNanos;
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
        int size = narrowing.batchSize(batchSize);
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(Math.min(size, pending.size()));
        for (ConsumerRecord<byte[], byte[]> record : pending) {
            if (batch.size() == size) {
                break;
            }
            batch.add(record);
        }
        return batch;
    }

    /** Whether the partition is narrowing down a failing record: its batches go in transactions of their own. */
    boolean isNarrowing() {
        return narrowing.isActive();
    }

    /**
     * A batch of {@code size} records failed for a reason that lies in a record ({@code alone}: in a transaction of
     * its own): see {@link Narrowing#failed}.
     *
     * @return the offset of the record refused, or -1 when the batch was only narrowed
     */
    long narrow(int size, String reason, boolean alone) {
        long last = pending.isEmpty() ? -1 : nextBatch(size).get(Math.min(size, pending.size()) - 1).offset();
        return narrowing.failed(size, firstPendingOffset(), last, reason, alone);
    }

    /** Offsets of pending records refused by a later step, with why. */
    Map<Long, String> refusals() {
        return narrowing.refusals();
    }

    /** Records a committed batch of {@code count} records, and the partition's stored progress after it. */
    void applied(int count, Progress after) {
        for (int i = 0; i < count; i++) {
            ConsumerRecord<byte[], byte[]> record = pending.poll();
            if (record != null) {
                narrowing.committed(record.offset());
            }
        }
        oldestPendingAtNanos = System.nanoTime();
        committed = after;
        narrowing.advanced(after.offset());
    }

    /** Whether the record at {@code offset} was refused already, so that its rejection is what fails. */
    boolean isRefused(long offset) {
        return narrowing.isRefused(offset);
    }

    /** The trace context of the pending record at {@code offset}, or null when it has none or is not pending. */
    TraceContext traceAt(long offset) {
        for (ConsumerRecord<byte[], byte[]> record : pending) {
            if (record.offset() == offset) {
                return TraceHeaders.read(record.headers());
            }
        }
        return null;
    }

    /** The offset of the oldest pending record, or -1 when none is pending. */
    long firstPendingOffset() {
        return pending.isEmpty() ? -1 : pending.peek().offset();
    }

    /** Records that {@code batch} was handed to an apply thread: no other batch is due until its outcome is known. */
    void applying(BatchInFlight batch) {
        applying = batch;
        lastHandedOverNanos = System.nanoTime();
    }

    /** Whether the partition has nothing to apply and handed no batch over for {@code quiet}. */
    boolean isQuietFor(Duration quiet) {
        return applying == null && pending.isEmpty() && System.nanoTime() - lastHandedOverNanos >= quiet.toNanos();
    }

    /** The batch in a transaction, whose outcome is not recorded yet, or null. */
    BatchInFlight batchInFlight() {
        return applying;
    }

    /** The batch's outcome is being recorded: the partition has none in a transaction any more. */
    void batchAnswered() {
        applying = null;
    }

    /** Records what the broker has acknowledged. */
    void published(Progress progress) {
        published = published.max(progress);
        if (phase == Phase.REPUBLISHING && isPublished()) {
            phase = Phase.APPLYING;
        }
    }

    void publishing(PublicationInFlight publication) {
        inFlight = publication;
    }

    /** The publication the broker has not answered for yet, or null. */
    PublicationInFlight inFlight() {
        return inFlight;
    }

    void publicationAnswered() {
        inFlight = null;
    }

    /** Holds {@code committed} until the publication in flight is acknowledged. */
    void awaitSend(BatchOutcome.Committed committed) {
        awaitingSend = committed;
    }

    /** The committed batch waiting for its turn to be sent, taken from the partition; null when none waits. */
    BatchOutcome.Committed takeAwaitingSend() {
        BatchOutcome.Committed next = awaitingSend;
        awaitingSend = null;
        return next;
    }

    /**
     * Publication fell behind the database: what is committed must be published from there (a batch waiting to be
     * sent included).
     */
    void needsRepublishing() {
        awaitingSend = null;
        if (phase == Phase.APPLYING) {
            phase = Phase.REPUBLISHING;
        }
    }

    boolean isPublished() {
        return published.covers(committed);
    }

    Progress committed() {
        return committed;
    }

    Progress published() {
        return published;
    }

    /** Whether publication progress moved since it was last written to the database. */
    boolean markersBehind() {
        return !marked.covers(published);
    }

    void marked(Progress progress) {
        marked = progress;
    }

    /** Whether the consumer should fetch for this partition: claimed, caught up, not backing off, room in the queue. */
    boolean wantsRecords(int batchSize) {
        return phase == Phase.APPLYING && !backoff.isRetrying() && pending.size() < 2 * batchSize;
    }
}
