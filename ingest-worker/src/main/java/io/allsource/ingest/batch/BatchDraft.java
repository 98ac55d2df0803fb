package io.allsource.ingest.batch;

import io.allsource.ingest.command.AppendCommand;
import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.NewEvent;
import io.allsource.ingest.command.RejectionReason;
import io.allsource.ingest.command.StreamAppend;
import io.allsource.ingest.command.StreamOperation;
import io.allsource.ingest.command.StreamOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The state of a batch while {@link BatchPlanner} decides it: stream versions and event ids as the earlier commands of
 * the batch left them, the results decided so far, and the rows to write. Used by one thread, for one batch.
 */
final class BatchDraft {

    private final int partition;
    private final KnownState known;
    private final Instant now;
    private long lastSequence;

    private final Map<String, StreamState> streams = new HashMap<>();
    private final Map<String, StreamWrite> streamWrites = new LinkedHashMap<>();
    private final Map<String, StoredResult> resultsOfBatch = new HashMap<>();
    private final Set<UUID> eventIdsOfBatch = new HashSet<>();
    private final List<PlannedCommand> commands = new ArrayList<>();
    private final List<PlannedEvent> events = new ArrayList<>();
    private final List<StreamErasure> erasures = new ArrayList<>();

    BatchDraft(int partition, KnownState known, long lastSequence, Instant now) {
        this.partition = partition;
        this.known = known;
        this.lastSequence = lastSequence;
        this.now = now;
    }

    /**
     * If the command's id already has a result, stored or earlier in this batch, answers it with that result, saying
     * so in its message when this delivery's content differs from the one that decided it.
     */
    boolean redeliverIfKnown(PreparedCommand command) {
        StoredResult earlier = resultsOfBatch.get(command.resultKey());
        if (earlier == null) {
            earlier = known.storedResults().get(command.resultKey());
        }
        if (earlier == null) {
            return false;
        }
        commands.add(new PlannedCommand.Redelivered(command.entry(), command.resultKey(),
                earlier.answer(command.fingerprint()), command.fingerprint()));
        return true;
    }

    void reject(PreparedCommand command, RejectionReason reason, String message, List<StreamOutcome> outcomes) {
        CommandResult result = CommandResult.rejected(command.resultKey(), reason, message, partition,
                command.entry().offset(), outcomes, now);
        record(command, result);
    }

    /**
     * Why one of the command's streams may not be written by the command's tenant, if one may not: the first stream
     * that belongs to another tenant, named with its index and id but not its tenant, which is another tenant's
     * business.
     */
    Optional<String> foreignTenant(AppendCommand command) {
        for (int i = 0; i < command.targets().size(); i++) {
            String streamId = command.targets().get(i).streamId();
            StreamState state = stateOf(streamId);
            if (state != null && !state.admits(command.tenantId())) {
                return Optional.of(command.targetField(i) + ".stream_id " + BatchPlanner.quote(streamId)
                        + " belongs to another tenant than " + BatchPlanner.quote(command.tenantId())
                        + "; a stream is written only by the tenant whose command created it");
            }
        }
        return Optional.empty();
    }

    /** Why one of the command's streams may not be written from this partition, if one may not. */
    Optional<String> foreignStream(AppendCommand command) {
        for (int i = 0; i < command.targets().size(); i++) {
            StreamState state = stateOf(command.targets().get(i).streamId());
            if (state != null && state.partition() != partition) {
                return Optional.of(command.targetField(i) + ".stream_id "
                        + BatchPlanner.quote(command.targets().get(i).streamId())
                        + " lives in partition " + state.partition() + ", the command's partition key "
                        + BatchPlanner.quote(command.effectivePartitionKey()) + " maps to partition " + partition);
            }
        }
        return Optional.empty();
    }

    /** Every expected version the streams do not meet, with their actual versions, if any. */
    Optional<String> versionConflict(AppendCommand command) {
        List<String> conflicts = new ArrayList<>();
        for (int i = 0; i < command.targets().size(); i++) {
            StreamAppend append = command.targets().get(i);
            long current = currentVersion(append.streamId());
            if (!append.expectedVersion().admits(current)) {
                conflicts.add(command.targetField(i) + " stream " + BatchPlanner.quote(append.streamId()) + " expected "
                        + append.expectedVersion() + " but is at version " + current);
            }
        }
        return conflicts.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", conflicts));
    }

    /**
     * Why one of the command's streams cannot be touched because it was deleted, if one cannot: the message names the
     * stream and the version it was deleted at.
     */
    Optional<String> deletedStream(AppendCommand command) {
        for (int i = 0; i < command.targets().size(); i++) {
            String streamId = command.targets().get(i).streamId();
            StreamState state = stateOf(streamId);
            if (state != null && state.deletedAtVersion() != null) {
                return Optional.of(command.targetField(i) + ".stream_id " + BatchPlanner.quote(streamId)
                        + " was deleted at version " + state.deletedAtVersion()
                        + "; a deleted stream is never written again");
            }
        }
        return Optional.empty();
    }

    /** The current version of the stream of the command's stream operation (0: no stream). */
    long operationVersion(AppendCommand command) {
        return currentVersion(command.operation().streamId());
    }

    /**
     * Accepts a delete or erase of a stream at version {@code version} (more than 0): the stream's events 1..version
     * are redacted in the batch's transaction, and a delete marks the stream deleted at that version.
     */
    void acceptOperation(PreparedCommand.Valid command, long version) {
        AppendCommand append = command.entry().command();
        StreamOperation operation = append.operation();
        boolean delete = operation.kind() == StreamOperation.Kind.DELETE;
        StreamState prior = stateOf(operation.streamId());
        erasures.add(new StreamErasure(operation.streamId(), prior.tenantId() == null ? append.tenantId()
                : prior.tenantId(), version, delete));
        streams.put(operation.streamId(), new StreamState(partition, version, prior.tenantId(),
                delete ? Long.valueOf(version) : prior.deletedAtVersion()));
        List<StreamOutcome> outcomes = List.of(new StreamOutcome(operation.streamId(), operation.expectedVersion(),
                version, null, null));
        record(command, new CommandResult(command.resultKey(), CommandResult.Status.ACCEPTED, null, null, partition,
                command.entry().offset(), outcomes, null, null, false, now, operation.kind()));
    }

    /** Why one of the command's event ids cannot be used, if one cannot. */
    Optional<String> takenEventId(PreparedCommand.Valid command) {
        Set<UUID> ofCommand = new HashSet<>();
        int index = 0;
        for (int i = 0; i < command.entry().command().appends().size(); i++) {
            List<NewEvent> appendEvents = command.entry().command().appends().get(i).events();
            for (int j = 0; j < appendEvents.size(); j++) {
                UUID id = command.eventIds().get(index++);
                String field = "appends[" + i + "].events[" + j + "].event_id " + id;
                if (!ofCommand.add(id)) {
                    return Optional.of(field + " is used twice in the command");
                }
                if (eventIdsOfBatch.contains(id) || known.takenEventIds().contains(id)) {
                    return Optional.of(field + " already belongs to a stored event");
                }
            }
        }
        return Optional.empty();
    }

    /** Each append's stream with its current version, as reported on a rejection. */
    List<StreamOutcome> currentOutcomes(AppendCommand command) {
        return command.targets().stream()
                .map(append -> StreamOutcome.rejected(append.streamId(), append.expectedVersion(),
                        currentVersion(append.streamId())))
                .toList();
    }

    void accept(PreparedCommand.Valid command) {
        AppendCommand append = command.entry().command();
        long firstSequence = lastSequence + 1;
        List<StreamOutcome> outcomes = new ArrayList<>(append.appends().size());
        int index = 0;
        for (StreamAppend streamAppend : append.appends()) {
            long prior = currentVersion(streamAppend.streamId());
            long version = prior;
            for (NewEvent event : streamAppend.events()) {
                version++;
                lastSequence++;
                UUID eventId = command.eventIds().get(index++);
                eventIdsOfBatch.add(eventId);
                events.add(new PlannedEvent(eventId, streamAppend.streamId(), version, lastSequence,
                        append.tenantId(), event.eventType(), event.entityId(), event.payload(),
                        new TreeMap<>(event.metadata()), append.commandId()));
            }
            recordStreamWrite(streamAppend, append, prior, version);
            outcomes.add(new StreamOutcome(streamAppend.streamId(), streamAppend.expectedVersion(), version,
                    prior + 1, version));
        }
        record(command, CommandResult.accepted(command.resultKey(), partition, command.entry().offset(), outcomes,
                firstSequence, lastSequence, now));
    }

    private void recordStreamWrite(StreamAppend append, AppendCommand command, long prior, long version) {
        String streamId = append.streamId();
        StreamWrite earlier = streamWrites.get(streamId);
        boolean created = earlier != null ? earlier.created() : stateOf(streamId) == null;
        long firstPrior = earlier != null ? earlier.priorVersion() : prior;
        String key = earlier != null ? earlier.partitionKey() : command.effectivePartitionKey();
        // the command passed the tenant check: the stream is its tenant's, or had no owner and is taken now
        String tenant = command.tenantId();
        streamWrites.put(streamId, new StreamWrite(streamId, created, key, tenant, firstPrior, version,
                append.expectedVersion()));
        streams.put(streamId, new StreamState(partition, version, tenant, null));
    }

    private void record(PreparedCommand command, CommandResult result) {
        resultsOfBatch.put(command.resultKey(), new StoredResult(result, command.fingerprint()));
        commands.add(new PlannedCommand.Decided(command.entry(), command.resultKey(), result, command.fingerprint()));
    }

    private StreamState stateOf(String streamId) {
        StreamState state = streams.get(streamId);
        return state != null ? state : known.streams().get(streamId);
    }

    private long currentVersion(String streamId) {
        StreamState state = stateOf(streamId);
        return state == null ? 0 : state.currentVersion();
    }

    BatchPlan toPlan(long nextOffset) {
        return new BatchPlan(commands, events, new ArrayList<>(streamWrites.values()), erasures, lastSequence,
                nextOffset);
    }
}
