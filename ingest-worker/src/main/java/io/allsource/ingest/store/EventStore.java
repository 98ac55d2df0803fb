package io.allsource.ingest.store;

import io.allsource.ingest.batch.BatchEntry;
import io.allsource.ingest.batch.BatchPlan;
import io.allsource.ingest.batch.BatchPlanner;
import io.allsource.ingest.batch.KnownState;
import io.allsource.ingest.batch.PlannedCommand;
import io.allsource.ingest.batch.PlannedEvent;
import io.allsource.ingest.batch.PreparedBatch;
import io.allsource.ingest.batch.StreamState;
import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.CommandValidator;
import io.allsource.ingest.partition.PartitionFunction;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL event store of the worker: applies a batch of one partition's commands in one transaction, fenced by
 * the partition's owner epoch, and reads streams, partitions and results back.
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
    private final Map<Integer, BatchPlanner> planners = new ConcurrentHashMap<>();
    private final Map<Integer, StreamVersionCache> caches = new ConcurrentHashMap<>();

    public EventStore(DataSource dataSource, StoreSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.reads = new StoreReads(dataSource);
    }

    /**
     * Makes {@code ownerId} the owner of {@code partition} under a new epoch, which fences every earlier owner, and
     * forgets the partition's cached stream versions.
     */
    public PartitionState claim(int partition, String ownerId) {
        checkPartition(partition);
        PartitionState state = reads.claim(partition, ownerId);
        caches.remove(partition);
        log.info("Partition {} claimed by {} under epoch {}: next offset {}, last sequence {}",
                partition, ownerId, state.ownerEpoch(), state.nextOffset(), state.lastSequence());
        return state;
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
     * Applies {@code entries}, consecutive records of one partition in offset order, in one transaction: each command
     * is accepted or rejected on its own, every outcome is stored, and the partition's next offset and last sequence
     * advance, all only while {@code epoch} is still the partition's epoch. Entries below the stored next offset were
     * applied by an earlier batch and are skipped.
     *
     * @throws TransientStoreException when the database is unavailable; nothing was written, retry the same batch
     * @throws StoreException          on any other failure; nothing was written
     */
    public BatchOutcome appendBatch(int partition, long epoch, List<BatchEntry> entries) {
        checkPartition(partition);
        checkOrder(entries);
        for (int attempt = 1; ; attempt++) {
            try {
                return appendOnce(partition, epoch, entries);
            } catch (SQLException e) {
                caches.remove(partition);
                boolean stale = e instanceof StaleStreamCacheException;
                boolean collision = stale || SqlFailures.UNIQUE_VIOLATION.equals(e.getSQLState());
                if (!collision || attempt >= MAX_COLLISION_ATTEMPTS) {
                    throw SqlFailures.wrap("Batch of " + entries.size() + " commands on partition " + partition, e);
                }
                log.info("Partition {}: batch collided with another partition's commit, attempt #{} out of {}: {}",
                        partition, attempt, MAX_COLLISION_ATTEMPTS, e.getMessage());
            }
        }
    }

    private BatchOutcome appendOnce(int partition, long epoch, List<BatchEntry> entries) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                BatchSql sql = new BatchSql(connection, partition);
                Optional<BatchSql.LockedPartition> locked = sql.lockPartition(epoch);
                if (locked.isEmpty()) {
                    connection.rollback();
                    caches.remove(partition);
                    return fenced(partition, epoch);
                }
                StreamVersionCache cache = cacheOf(partition, epoch);
                Applied applied = apply(sql, cache, locked.get(), epoch, entries);
                connection.commit();
                // What was read first, then what the batch wrote over it: the other order caches the version a
                // stream had before the batch, and the next command would be decided against it.
                applied.loadedOwnStreams().forEach(cache::put);
                cache.apply(applied.plan().streamWrites());
                return applied.outcome();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    private Applied apply(BatchSql sql, StreamVersionCache cache, BatchSql.LockedPartition locked, long epoch,
            List<BatchEntry> entries) throws SQLException {
        PartitionState before = locked.state();
        List<BatchEntry> fresh = entries.stream().filter(entry -> entry.offset() >= before.nextOffset()).toList();
        int skipped = entries.size() - fresh.size();
        if (skipped > 0) {
            log.warn("Partition {}: skipping {} commands below the stored next offset {}, applied before",
                    before.partition(), skipped, before.nextOffset());
        }
        if (fresh.isEmpty()) {
            BatchPlan nothing = new BatchPlan(List.of(), List.of(), List.of(), before.lastSequence(), before.nextOffset());
            return new Applied(nothing, Map.of(), new BatchOutcome.Committed(List.of(), List.of(), before, skipped));
        }
        BatchPlanner planner = planners.computeIfAbsent(before.partition(),
                p -> new BatchPlanner(p, new CommandValidator(settings.limits())));
        PreparedBatch prepared = planner.prepare(fresh);
        Map<String, StreamState> streams = new HashMap<>();
        Map<String, Long> cached = cache.find(prepared.streamIds());
        cached.forEach((streamId, version) -> streams.put(streamId, new StreamState(before.partition(), version)));
        Map<String, StreamState> loaded = sql.streams(prepared.streamIds().stream()
                .filter(streamId -> !cached.containsKey(streamId)).toList());
        streams.putAll(loaded);
        KnownState known = new KnownState(sql.storedResults(prepared.resultKeys()),
                sql.takenEventIds(prepared.eventIds()), streams);
        BatchPlan plan = planner.plan(prepared, known, before.lastSequence(), locked.batchTime());

        if (!sql.writeStreams(plan.streamWrites(), locked.batchTime())) {
            throw new StaleStreamCacheException("a stream was not at the version cached for it");
        }
        Map<UUID, String> payloads = sql.insertEvents(plan.events(), locked.batchTime());
        sql.insertResults(decided(plan), locked.batchTime());
        sql.insertRedeliveries(redelivered(plan), locked.batchTime());
        sql.advancePartition(epoch, plan.nextOffset(), plan.lastSequence());

        PartitionState after = new PartitionState(before.partition(), epoch, before.ownerId(), plan.nextOffset(),
                plan.lastSequence(), before.publishedOffset(), before.publishedSequence());
        Map<String, Long> loadedOwn = new HashMap<>();
        loaded.forEach((streamId, state) -> {
            if (state.partition() == before.partition()) {
                loadedOwn.put(streamId, state.currentVersion());
            }
        });
        BatchOutcome.Committed outcome = new BatchOutcome.Committed(routedResults(plan),
                storedEvents(plan, payloads, before.partition(), locked), after, skipped);
        return new Applied(plan, loadedOwn, outcome);
    }

    /** A batch written but not yet committed, with what the cache learns once it is. */
    private record Applied(BatchPlan plan, Map<String, Long> loadedOwnStreams, BatchOutcome.Committed outcome) {
    }

    private static List<PlannedCommand.Decided> decided(BatchPlan plan) {
        List<PlannedCommand.Decided> decided = new ArrayList<>();
        for (PlannedCommand command : plan.commands()) {
            if (command instanceof PlannedCommand.Decided d) {
                decided.add(d);
            }
        }
        return decided;
    }

    private static List<PlannedCommand.Redelivered> redelivered(BatchPlan plan) {
        List<PlannedCommand.Redelivered> redelivered = new ArrayList<>();
        for (PlannedCommand command : plan.commands()) {
            if (command instanceof PlannedCommand.Redelivered r) {
                redelivered.add(r);
            }
        }
        return redelivered;
    }

    private static List<RoutedResult> routedResults(BatchPlan plan) {
        List<RoutedResult> results = new ArrayList<>(plan.commands().size());
        for (PlannedCommand command : plan.commands()) {
            CommandResult result = command.result();
            results.add(new RoutedResult(command.entry().offset(), result, command.entry().route()));
        }
        return results;
    }

    private static List<StoredEvent> storedEvents(BatchPlan plan, Map<UUID, String> payloads, int partition,
            BatchSql.LockedPartition locked) {
        List<StoredEvent> events = new ArrayList<>(plan.events().size());
        for (PlannedEvent event : plan.events()) {
            events.add(new StoredEvent(event.eventId(), event.streamId(), event.version(), partition,
                    event.partitionSequence(), event.tenantId(), event.eventType(), event.entityId(),
                    payloads.get(event.eventId()), event.metadata(), event.commandId(), locked.batchTime()));
        }
        return events;
    }

    private BatchOutcome.Fenced fenced(int partition, long epoch) {
        Optional<PartitionState> current = reads.partitionState(partition);
        long currentEpoch = current.map(PartitionState::ownerEpoch).orElse(-1L);
        String owner = current.map(PartitionState::ownerId).orElse(null);
        log.warn("Partition {}: batch under epoch {} fenced, the partition is owned by {} under epoch {}",
                partition, epoch, owner, currentEpoch);
        return new BatchOutcome.Fenced(partition, epoch, currentEpoch, owner);
    }

    private StreamVersionCache cacheOf(int partition, long epoch) {
        return caches.compute(partition, (p, cache) -> cache != null && cache.epoch() == epoch
                ? cache : new StreamVersionCache(epoch, settings.streamCacheCapacity()));
    }

    /**
     * Records that results of offsets below {@code publishedOffset} and events up to {@code publishedSequence} have been
     * published, and moves the watermarks of their streams, in one transaction. Markers never move back.
     *
     * @return false when {@code epoch} is no longer the partition's epoch: nothing was recorded
     */
    public boolean markPublished(int partition, long epoch, long publishedOffset, long publishedSequence) {
        checkPartition(partition);
        return reads.markPublished(partition, epoch, publishedOffset, publishedSequence);
    }

    /** Up to {@code maxCount} events of a stream, from version {@code fromVersion} on, in version order. */
    public List<StoredEvent> readStream(String streamId, long fromVersion, int maxCount) {
        return reads.readStream(streamId, fromVersion, maxCount);
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

    private static void checkOrder(List<BatchEntry> entries) {
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).offset() <= entries.get(i - 1).offset()) {
                throw new IllegalArgumentException("Batch entries must be in increasing offset order: offset "
                        + entries.get(i).offset() + " follows " + entries.get(i - 1).offset());
            }
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** The guard of a stream update found another version than the cached one. */
    private static final class StaleStreamCacheException extends SQLException {
        private static final long serialVersionUID = 1L;

        StaleStreamCacheException(String message) {
            super(message);
        }
    }
}
