package io.allsource.ingest.store;

import io.allsource.ingest.batch.BatchPlan;
import io.allsource.ingest.batch.BatchPlanner;
import io.allsource.ingest.batch.KnownState;
import io.allsource.ingest.batch.PlannedCommand;
import io.allsource.ingest.batch.PlannedEvent;
import io.allsource.ingest.batch.PreparedBatch;
import io.allsource.ingest.batch.PreparedCommand;
import io.allsource.ingest.batch.StoredResult;
import io.allsource.ingest.batch.StreamErasure;
import io.allsource.ingest.batch.StreamState;
import io.allsource.ingest.batch.StreamWrite;
import io.allsource.ingest.command.FallbackKey;
import io.allsource.ingest.contract.TraceContext;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work of one batch transaction over the batches of several partitions, with a fixed number of statements and
 * two round trips whatever their number: lock the partitions (the fence) and look up stored results, taken event ids
 * and uncached streams for all of them at once; plan each partition in memory; then write streams, events, results,
 * redeliveries, the partitions' progress and the published streams' watermarks, one statement each. The caller
 * commits, the third round trip.
 *
 * <p>Partitions are planned in ascending order, each seeing what the ones before it wrote (a result key, an event id,
 * a stream), exactly as if they had been applied one after another. Used once, on the caller's thread.
 */
final class BatchTransaction {

    private static final Logger log = LoggerFactory.getLogger(BatchTransaction.class);

    private final BatchLookups lookups;
    private final BatchSql sql;
    private final IntFunction<BatchPlanner> planners;
    private final CacheSource caches;

    /** The stream version cache of a partition, for the epoch it is written under. */
    interface CacheSource {
        StreamVersionCache cacheOf(int partition, long epoch);
    }

    /** What became of one partition's batch. */
    sealed interface Result {
    }

    /** Nothing written: {@code current} is the partition's row (null when never claimed), under another epoch. */
    record Fenced(PartitionBatch batch, PartitionState current) implements Result {
    }

    /** Written; what its cache learns once the transaction commits, and the outcome for the caller. */
    record Written(StreamVersionCache cache, BatchPlan plan, Map<String, StreamState> loadedOwnStreams,
            BatchOutcome.Committed outcome) implements Result {
    }

    /** A partition past the fence: its state before the batch, and its commands checked and their keys known. */
    private record Work(PartitionBatch batch, PartitionState before, int skipped, BatchPlanner planner,
            PreparedBatch prepared, StreamVersionCache cache, Map<String, StreamState> cached) {
    }

    BatchTransaction(BatchLookups lookups, BatchSql sql, IntFunction<BatchPlanner> planners, CacheSource caches) {
        this.lookups = lookups;
        this.sql = sql;
        this.planners = planners;
        this.caches = caches;
    }

    /** Applies the batches; the results are keyed by partition. Throws when anything failed: roll back then. */
    Map<Integer, Result> run(List<PartitionBatch> batches) throws SQLException {
        List<Cached> ordered = new ArrayList<>(batches.size());
        Set<String> resultKeys = new LinkedHashSet<>();
        Set<UUID> eventIds = new LinkedHashSet<>();
        Set<String> uncached = new LinkedHashSet<>();
        for (PartitionBatch batch : batches.stream().sorted(Comparator.comparingInt(PartitionBatch::partition))
                .toList()) {
            PreparedBatch prepared = batch.prepared();
            StreamVersionCache cache = caches.cacheOf(batch.partition(), batch.epoch());
            Map<String, StreamState> cached = cache.find(prepared.streamIds());
            ordered.add(new Cached(batch, cache, cached));
            resultKeys.addAll(prepared.resultKeys());
            eventIds.addAll(prepared.eventIds());
            prepared.streamIds().stream().filter(id -> !cached.containsKey(id)).forEach(uncached::add);
        }
        BatchLookups.Found found = lookups.lookUp(ordered.stream().map(c -> c.batch().partition()).toList(),
                resultKeys, eventIds, uncached);
        Map<Integer, Result> results = new HashMap<>();
        List<Work> work = new ArrayList<>();
        for (Cached c : ordered) {
            PartitionState state = found.partitions().get(c.batch().partition());
            if (state == null || state.ownerEpoch() != c.batch().epoch()) {
                results.put(c.batch().partition(), new Fenced(c.batch(), state));
            } else {
                work.add(fresh(c, state));
            }
        }
        if (!work.isEmpty()) {
            write(plan(work, found), found.batchTime()).forEach(results::put);
        }
        return results;
    }

    /** A partition's batch, with its stream version cache and what that holds of the batch's streams. */
    private record Cached(PartitionBatch batch, StreamVersionCache cache, Map<String, StreamState> cached) {
    }

    /** The batch's commands not applied before: those at or beyond the stored next offset. */
    private Work fresh(Cached c, PartitionState before) {
        PreparedBatch prepared = c.batch().prepared();
        List<PreparedCommand> fresh = prepared.commands().stream()
                .filter(command -> command.entry().offset() >= before.nextOffset()).toList();
        fresh.forEach(command -> checkFallbackKey(command, before));
        int skipped = prepared.commands().size() - fresh.size();
        if (skipped > 0) {
            log.warn("Partition {}: skipping {} commands below the stored next offset {}, applied before",
                    before.partition(), skipped, before.nextOffset());
        }
        PreparedBatch freshBatch = skipped == 0 ? prepared : new PreparedBatch(fresh);
        return new Work(c.batch(), before, skipped, planners.apply(c.batch().partition()), freshBatch, c.cache(),
                c.cached());
    }

    /**
     * Refuses a record without a usable command id keyed for another log than the partition's: the check step keys it
     * with the log reset id of the claim, which the epoch fence makes the locked row's, so a mismatch is a defect of
     * the caller and would store an outcome under another log's key.
     */
    private static void checkFallbackKey(PreparedCommand command, PartitionState before) {
        if (command instanceof PreparedCommand.Unreadable) {
            String expected = FallbackKey.of(before.partition(), command.entry().offset(), before.logResetId());
            if (!expected.equals(command.resultKey())) {
                throw new IllegalArgumentException("Partition " + before.partition() + ": the record at offset "
                        + command.entry().offset() + " is keyed " + command.resultKey() + ", its log's key is "
                        + expected + "; the batch was checked for another log reset id than "
                        + before.logResetId());
            }
        }
    }

    /** A partition's plan, with the streams of its own that were read rather than cached. */
    private record Planned(Work work, BatchPlan plan, Map<String, StreamState> loadedOwnStreams) {
    }

    private List<Planned> plan(List<Work> work, BatchLookups.Found found) {
        Instant batchTime = found.batchTime();
        Map<String, StoredResult> stored = new HashMap<>(found.storedResults());
        Set<UUID> taken = new HashSet<>(found.takenEventIds());
        Map<String, StreamState> loaded = found.streams();
        Map<String, StreamState> streams = new HashMap<>(loaded);
        List<Planned> planned = new ArrayList<>(work.size());
        for (Work w : work) {
            BatchPlan plan = w.prepared().commands().isEmpty()
                    ? new BatchPlan(List.of(), List.of(), List.of(), w.before().lastSequence(), w.before().nextOffset())
                    : w.planner().plan(w.prepared(), knownTo(w, stored, taken, streams), w.before().lastSequence(),
                            batchTime);
            Map<String, StreamState> loadedOwn = new HashMap<>();
            for (String streamId : w.prepared().streamIds()) {
                StreamState state = loaded.get(streamId);
                if (state != null && state.partition() == w.batch().partition() && !w.cached().containsKey(streamId)) {
                    loadedOwn.put(streamId, state);
                }
            }
            planned.add(new Planned(w, plan, loadedOwn));
            makeVisible(w.batch().partition(), plan, stored, taken, streams);
        }
        return planned;
    }

    /** What the database holds about a partition's keys, as it stands after the partitions planned before it. */
    private static KnownState knownTo(Work w, Map<String, StoredResult> stored, Set<UUID> taken,
            Map<String, StreamState> streams) {
        Map<String, StoredResult> results = new HashMap<>();
        for (String key : w.prepared().resultKeys()) {
            StoredResult result = stored.get(key);
            if (result != null) {
                results.put(key, result);
            }
        }
        Set<UUID> takenIds = new HashSet<>();
        for (UUID id : w.prepared().eventIds()) {
            if (taken.contains(id)) {
                takenIds.add(id);
            }
        }
        Map<String, StreamState> states = new HashMap<>();
        for (String streamId : w.prepared().streamIds()) {
            StreamState cached = w.cached().get(streamId);
            StreamState state = cached != null ? cached : streams.get(streamId);
            if (state != null) {
                states.put(streamId, state);
            }
        }
        return new KnownState(results, takenIds, states);
    }

    /** What a partition's plan writes becomes what the database holds for the partitions planned after it. */
    private static void makeVisible(int partition, BatchPlan plan, Map<String, StoredResult> stored,
            Set<UUID> taken, Map<String, StreamState> streams) {
        for (PlannedCommand command : plan.commands()) {
            if (command instanceof PlannedCommand.Decided decided) {
                stored.put(decided.resultKey(), new StoredResult(decided.result(), decided.fingerprint()));
            }
        }
        for (PlannedEvent event : plan.events()) {
            taken.add(event.eventId());
        }
        for (StreamWrite write : plan.streamWrites()) {
            streams.put(write.streamId(), new StreamState(partition, write.newVersion(), write.tenantId()));
        }
        for (StreamErasure erasure : plan.erasures()) {
            StreamState state = streams.get(erasure.streamId());
            if (erasure.delete() && state != null) {
                streams.put(erasure.streamId(), new StreamState(partition, state.currentVersion(), state.tenantId(),
                        erasure.throughVersion()));
            }
        }
    }

    private Map<Integer, Result> write(List<Planned> planned, Instant batchTime) throws SQLException {
        List<BatchSql.Row<StreamWrite>> streamWrites = new ArrayList<>();
        List<BatchSql.Row<PlannedEvent>> events = new ArrayList<>();
        List<BatchSql.Row<StreamErasure>> erasures = new ArrayList<>();
        List<BatchSql.Row<PlannedCommand.Decided>> decided = new ArrayList<>();
        List<BatchSql.Row<PlannedCommand.Redelivered>> redelivered = new ArrayList<>();
        List<PartitionState> advances = new ArrayList<>();
        for (Planned p : planned) {
            int partition = p.work().batch().partition();
            p.plan().streamWrites().forEach(write -> streamWrites.add(new BatchSql.Row<>(partition, write)));
            p.plan().events().forEach(event -> events.add(new BatchSql.Row<>(partition, event)));
            p.plan().erasures().forEach(erasure -> erasures.add(new BatchSql.Row<>(partition, erasure)));
            for (PlannedCommand command : p.plan().commands()) {
                if (command instanceof PlannedCommand.Decided d) {
                    decided.add(new BatchSql.Row<>(partition, d));
                } else if (command instanceof PlannedCommand.Redelivered r) {
                    redelivered.add(new BatchSql.Row<>(partition, r));
                }
            }
            PartitionState before = p.work().before();
            Progress published = before.published().max(p.work().batch().published());
            advances.add(new PartitionState(partition, before.ownerEpoch(), before.ownerId(), p.plan().nextOffset(),
                    p.plan().lastSequence(), published.offset(), published.sequence(), before.logResetId()));
        }
        sql.writeStreams(streamWrites, batchTime);
        Map<UUID, String> payloads = sql.insertEvents(events, batchTime);
        sql.eraseStreams(erasures);
        sql.insertResults(decided, batchTime);
        sql.insertRedeliveries(redelivered, batchTime);
        sql.advancePartitions(advances);
        advanceWatermarks(planned, advances);
        sql.send();
        Map<Integer, Result> written = new HashMap<>();
        for (int i = 0; i < planned.size(); i++) {
            Planned p = planned.get(i);
            BatchOutcome.Committed outcome = new BatchOutcome.Committed(routedResults(p.plan()),
                    storedEvents(p.plan(), payloads, advances.get(i).partition(), batchTime), advances.get(i),
                    p.work().skipped());
            written.put(advances.get(i).partition(),
                    new Written(p.work().cache(), p.plan(), p.loadedOwnStreams(), outcome));
        }
        return written;
    }

    /** Moves the watermarks of the streams whose events were published since the partitions' last record of it. */
    private void advanceWatermarks(List<Planned> planned, List<PartitionState> advances) throws SQLException {
        List<PublicationMarks.Range> published = new ArrayList<>();
        for (int i = 0; i < planned.size(); i++) {
            long before = planned.get(i).work().before().publishedSequence();
            long after = advances.get(i).publishedSequence();
            if (after > before) {
                published.add(new PublicationMarks.Range(advances.get(i).partition(), before, after));
            }
        }
        sql.advanceWatermarks(published);
    }

    private static List<RoutedResult> routedResults(BatchPlan plan) {
        List<RoutedResult> results = new ArrayList<>(plan.commands().size());
        for (PlannedCommand command : plan.commands()) {
            results.add(new RoutedResult(command.entry().offset(), command.result(), command.entry().route()));
        }
        return results;
    }

    /** The events written, each with the trace context of the delivery that decided its command. */
    private static List<StoredEvent> storedEvents(BatchPlan plan, Map<UUID, String> payloads, int partition,
            Instant batchTime) {
        List<StoredEvent> events = new ArrayList<>(plan.events().size());
        if (plan.events().isEmpty()) {
            return events;
        }
        Map<String, TraceContext> traces = new HashMap<>();
        for (PlannedCommand command : plan.commands()) {
            TraceContext trace = command.entry().route().trace();
            if (trace != null && command instanceof PlannedCommand.Decided decided && decided.result().isAccepted()) {
                traces.put(decided.result().commandId(), trace);
            }
        }
        for (PlannedEvent event : plan.events()) {
            events.add(new StoredEvent(event.eventId(), event.streamId(), event.version(), partition,
                    event.partitionSequence(), event.tenantId(), event.eventType(), event.entityId(),
                    payloads.get(event.eventId()), event.metadata(), event.commandId(), batchTime,
                    traces.get(event.commandId())));
        }
        return events;
    }
}
