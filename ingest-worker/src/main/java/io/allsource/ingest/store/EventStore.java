package io.allsource.ingest.store;

import io.allsource.ingest.batch.BatchPlanner;
import io.allsource.ingest.batch.PreparedBatch;
import io.allsource.ingest.batch.PreparedCommand;
import io.allsource.ingest.partition.PartitionFunction;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL event store of the worker: applies batches of commands, of one or several partitions, in one
 * transaction, each partition fenced by its owner epoch, and reads streams, partitions and results back.
 *
 * <p>Thread-safety: one partition's batches must come from one thread at a time (its owner); batches of different
 * partitions may run concurrently, and reads may run from any thread.
 */
public final class EventStore {

    private static final Logger log = LoggerFactory.getLogger(EventStore.class);

    /**
     * Attempts of one batch when it collides with another partition's concurrent transaction on a globally unique key
     * (a command id or event id resent under another partition key, or a stream created from two partitions), or
     * finds its cached stream versions stale: the retry reads afresh and decides accordingly.
     */
    private static final int MAX_COLLISION_ATTEMPTS = 3;

    private final DataSource dataSource;
    private final StoreSettings settings;
    private final StoreReads reads;
    private final PublicationMarks publicationMarks;

    /** The events an erase's redacted copies are read in at a time. */
    static final int ERASED_CHUNK = 1_000;
    private final Map<Integer, BatchPlanner> planners = new ConcurrentHashMap<>();
    private final Map<Integer, StreamVersionCache> caches = new ConcurrentHashMap<>();

    public EventStore(DataSource dataSource, StoreSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.reads = new StoreReads(dataSource);
        this.publicationMarks = new PublicationMarks(dataSource);
    }

    /**
     * Makes {@code ownerId} the owner of {@code partition} under a new epoch, which fences every earlier owner, and
     * forgets the partition's cached stream versions. The state returned holds, besides where to resume, the
     * {@linkplain PartitionState#logResetId() log reset id} the batches of the epoch must be checked with.
     */
    public PartitionState claim(int partition, String ownerId) {
        checkPartition(partition);
        PartitionState state = reads.claim(partition, ownerId);
        caches.remove(partition);
        log.info("Partition {} claimed by {} under epoch {}: next offset {}, last sequence {}",
                partition, ownerId, state.ownerEpoch(), state.nextOffset(), state.lastSequence());
        return state;
    }

    /**
     * The id of the commands topic the partition's stored offsets belong to, or empty when none was recorded yet (a
     * partition never claimed, or claimed before the id was kept).
     */
    public Optional<String> storedTopicId(int partition) {
        checkPartition(partition);
        return reads.topicId(partition);
    }

    /**
     * Records, for a partition claimed under {@code epoch} whose stored offsets were found to match the log, the id of
     * the commands topic they belong to, unless another is recorded already and the partition has applied commands.
     */
    public void rememberTopicId(int partition, long epoch, String topicId) {
        checkPartition(partition);
        if (reads.rememberTopicId(partition, epoch, topicId)) {
            log.info("Partition {}: its offsets belong to the commands topic with id {}", partition, topicId);
        }
    }

    /** Forgets what is cached for a partition this process no longer owns. */
    public void release(int partition) {
        caches.remove(partition);
    }

    public Optional<PartitionState> partitionState(int partition) {
        checkPartition(partition);
        return reads.partitionState(partition);
    }

    /**
     * Applies {@code prepared}, consecutive records of one partition in offset order that the check step has seen, in
     * one transaction: each command is accepted or rejected on its own, every outcome is stored, and the partition's
     * next offset and last sequence advance, all only while {@code epoch} is still the partition's epoch. Entries below
     * the stored next offset were applied by an earlier batch and are skipped.
     *
     * @throws TransientStoreException  when the database is unavailable; nothing was written, retry the same batch
     * @throws StoreException           on any other failure; nothing was written
     * @throws IllegalArgumentException when the entries are not in offset order, or a record without a usable
     *                                  command id was keyed for another log than the partition's ({@link
     *                                  io.allsource.ingest.batch.BatchChecker#prepare(List, long)} with the
     *                                  claim's {@link PartitionState#logResetId()}); nothing was written
     */
    public BatchOutcome appendBatch(int partition, long epoch, PreparedBatch prepared) {
        return appendBatches(List.of(new PartitionBatch(partition, epoch, prepared))).get(0);
    }

    /**
     * Applies the batches of several partitions in one transaction, each as {@link #appendBatch} would, so that they
     * share one commit (one flush of the write-ahead log) instead of paying one each. A fenced partition writes
     * nothing and does not hold the others up; any failure writes nothing for any of them.
     *
     * @return the outcomes, in the order of {@code batches}
     * @throws TransientStoreException  when the database is unavailable; nothing was written, retry the same batches
     * @throws StoreException           on any other failure; nothing was written
     * @throws IllegalArgumentException as {@link #appendBatch} does; nothing was written
     */
    public List<BatchOutcome> appendBatches(List<PartitionBatch> batches) {
        Set<Integer> partitions = new HashSet<>();
        for (PartitionBatch batch : batches) {
            checkPartition(batch.partition());
            checkOrder(batch.prepared().commands());
            if (!partitions.add(batch.partition())) {
                throw new IllegalArgumentException("Partition " + batch.partition() + " appears twice in one call");
            }
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return appendOnce(batches);
            } catch (SQLException e) {
                partitions.forEach(caches::remove);
                boolean stale = e instanceof StaleStreamCacheException;
                // Two transactions inserting the same keys in crossing orders deadlock; one of them is chosen to fail.
                boolean collision = stale || SqlFailures.UNIQUE_VIOLATION.equals(e.getSQLState())
                        || SqlFailures.DEADLOCK.equals(e.getSQLState());
                if (!collision || attempt >= MAX_COLLISION_ATTEMPTS) {
                    throw SqlFailures.wrap(describe(batches), e);
                }
                log.info("{}: collided with another partition's commit, attempt #{} out of {}: {}",
                        describe(batches), attempt, MAX_COLLISION_ATTEMPTS, e.getMessage());
            }
        }
    }

    private List<BatchOutcome> appendOnce(List<PartitionBatch> batches) throws SQLException {
        Map<Integer, BatchTransaction.Result> results;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                results = new BatchTransaction(new BatchLookups(connection), new BatchSql(connection),
                        this::plannerOf, this::cacheOf).run(batches);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                SqlFailures.rollbackQuietly(connection, e);
                throw e;
            }
        }
        List<BatchOutcome> outcomes = new ArrayList<>(batches.size());
        for (PartitionBatch batch : batches) {
            BatchTransaction.Result result = results.get(batch.partition());
            if (result instanceof BatchTransaction.Written written) {
                // what was read first, then what the batch wrote over it
                written.loadedOwnStreams().forEach(written.cache()::put);
                written.cache().apply(written.plan().streamWrites());
                written.cache().applyErasures(written.plan().erasures());
                outcomes.add(written.outcome());
            } else {
                caches.remove(batch.partition());
                outcomes.add(fenced((BatchTransaction.Fenced) result));
            }
        }
        return outcomes;
    }

    private BatchPlanner plannerOf(int partition) {
        return planners.computeIfAbsent(partition, BatchPlanner::new);
    }

    private static String describe(List<PartitionBatch> batches) {
        int commands = batches.stream().mapToInt(batch -> batch.prepared().commands().size()).sum();
        List<Integer> partitions = batches.stream().map(PartitionBatch::partition).toList();
        return "Batch of " + commands + " commands on partition" + (partitions.size() == 1 ? " " : "s ")
                + (partitions.size() == 1 ? partitions.get(0).toString() : partitions.toString());
    }

    private static BatchOutcome.Fenced fenced(BatchTransaction.Fenced fenced) {
        int partition = fenced.batch().partition();
        long epoch = fenced.batch().epoch();
        long currentEpoch = fenced.current() == null ? -1 : fenced.current().ownerEpoch();
        String owner = fenced.current() == null ? null : fenced.current().ownerId();
        log.warn("Partition {}: batch under epoch {} fenced, the partition is owned by {} under epoch {}",
                partition, epoch, owner, currentEpoch);
        return new BatchOutcome.Fenced(partition, epoch, currentEpoch, owner);
    }

    private StreamVersionCache cacheOf(int partition, long epoch) {
        return caches.compute(partition, (p, cache) -> cache != null && cache.epoch() == epoch
                ? cache : new StreamVersionCache(partition, epoch, settings.streamCacheCapacity()));
    }

    /**
     * Records that results of offsets below {@code publishedOffset} and events up to {@code publishedSequence} have been
     * published, and moves the watermarks of their streams, in one transaction. Markers never move back.
     *
     * @return false when {@code epoch} is no longer the partition's epoch: nothing was recorded
     */
    public boolean markPublished(int partition, long epoch, long publishedOffset, long publishedSequence) {
        checkPartition(partition);
        return markPublished(List.of(new PublicationMark(partition, epoch, publishedOffset, publishedSequence)))
                .isEmpty();
    }

    /**
     * Records the publication progress of several partitions, and moves the watermarks of their streams, in one
     * transaction. Markers never move back.
     *
     * @return the partitions whose epoch was not the one given: nothing was recorded for them
     */
    public Set<Integer> markPublished(List<PublicationMark> marks) {
        marks.forEach(mark -> checkPartition(mark.partition()));
        return marks.isEmpty() ? Set.of() : publicationMarks.record(marks);
    }

    /** Up to {@code maxCount} events of a stream, from version {@code fromVersion} on, in version order. */
    public List<StoredEvent> readStream(String streamId, long fromVersion, int maxCount) {
        return reads.readStream(streamId, fromVersion, maxCount);
    }

    /**
     * Hands each event of {@code streamId} from version 1 to {@code throughVersion} to {@code each}, in version
     * order, reading {@value #ERASED_CHUNK} at a time: the source of an erase's redacted copies.
     */
    public void forEachEvent(String streamId, long throughVersion, Consumer<StoredEvent> each) {
        long next = 1;
        while (next <= throughVersion) {
            List<StoredEvent> chunk = readStream(streamId, next,
                    (int) Math.min(ERASED_CHUNK, throughVersion - next + 1));
            if (chunk.isEmpty()) {
                return;
            }
            chunk.forEach(each);
            next = chunk.get(chunk.size() - 1).version() + 1;
        }
    }

    /** What the store holds of a stream's life: its version, and whether and how far it was deleted or erased. */
    public Optional<StreamStatus> streamStatus(String streamId) {
        return reads.streamStatus(streamId);
    }

    /** Up to {@code maxCount} events of a partition, from sequence {@code fromSequence} on, in sequence order. */
    public List<StoredEvent> readPartition(int partition, long fromSequence, int maxCount) {
        checkPartition(partition);
        return reads.readPartition(partition, fromSequence, maxCount);
    }

    /**
     * Up to {@code maxCount} results of a partition's deliveries from offset {@code fromOffset} on, in offset order,
     * with their reply routes; a redelivery's result is the stored one flagged duplicate.
     */
    public List<RoutedResult> readResults(int partition, long fromOffset, int maxCount) {
        checkPartition(partition);
        return reads.readResults(partition, fromOffset, maxCount);
    }

    private static void checkPartition(int partition) {
        if (partition < 0 || partition >= PartitionFunction.PARTITION_COUNT) {
            throw new IllegalArgumentException("partition must be in [0, " + PartitionFunction.PARTITION_COUNT
                    + "), got " + partition);
        }
    }

    private static void checkOrder(List<PreparedCommand> commands) {
        for (int i = 1; i < commands.size(); i++) {
            long offset = commands.get(i).entry().offset();
            long previous = commands.get(i - 1).entry().offset();
            if (offset <= previous) {
                throw new IllegalArgumentException("Batch entries must be in increasing offset order: offset "
                        + offset + " follows " + previous);
            }
        }
    }

    /** The guard of a stream update found another version than the cached one. */
    static final class StaleStreamCacheException extends SQLException {
        private static final long serialVersionUID = 1L;

        StaleStreamCacheException(String message) {
            super(message);
        }
    }
}
