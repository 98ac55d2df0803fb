package io.allsource.ingest.batch;

import io.allsource.ingest.command.AppendCommand;
import io.allsource.ingest.command.CommandFingerprint;
import io.allsource.ingest.command.CommandLimits;
import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.CommandValidator;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.NewEvent;
import io.allsource.ingest.command.ReplyRoute;
import io.allsource.ingest.command.StreamAppend;
import io.allsource.ingest.command.StreamOperation;
import io.allsource.ingest.partition.PartitionFunction;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Small factories for the batch planner tests: commands, entries, known state, and ids placed in a partition. */
final class PlannerFixture {

    /** The partition every planner of these tests plans for. */
    static final int PARTITION = 7;
    static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
    static final String TENANT = "tenant-1";

    private PlannerFixture() {
    }

    static BatchPlanner planner() {
        return new BatchPlanner(PARTITION);
    }

    static BatchChecker checker() {
        return new BatchChecker(PARTITION, new CommandValidator(CommandLimits.DEFAULT));
    }

    /** Checks and plans {@code entries} in one go, as the worker and the store do. */
    static BatchPlan plan(KnownState known, long lastSequence, BatchEntry... entries) {
        return planner().plan(checker().prepare(List.of(entries)), known, lastSequence, NOW);
    }

    static BatchPlan plan(BatchEntry... entries) {
        return plan(known().build(), 0, entries);
    }

    /** The {@code nth} (from 0) of the ids {@code prefix-<i>} that the partition function maps to {@code partition}. */
    static String idIn(String prefix, int partition, int nth) {
        int found = 0;
        for (int i = 0; ; i++) {
            String id = prefix + "-" + i;
            if (PartitionFunction.partitionOf(id) == partition && found++ == nth) {
                return id;
            }
        }
    }

    /** The {@code nth} (from 0) of the ids {@code prefix-<i>} that the partition function maps elsewhere. */
    static String idOutside(String prefix, int partition, int nth) {
        int found = 0;
        for (int i = 0; ; i++) {
            String id = prefix + "-" + i;
            if (PartitionFunction.partitionOf(id) != partition && found++ == nth) {
                return id;
            }
        }
    }

    /** A stream id of the tested partition. */
    static String stream(int nth) {
        return idIn("stream", PARTITION, nth);
    }

    static String commandId(int n) {
        return String.format("00000000-0000-4000-8000-%012d", n);
    }

    static BatchEntry decoded(long offset, AppendCommand command) {
        return new BatchEntry.Decoded(offset, command, ReplyRoute.DEFAULT);
    }

    static BatchEntry undecodable(long offset, String error) {
        return new BatchEntry.Undecodable(offset, error, ReplyRoute.DEFAULT);
    }

    /** A command without a partition key: it is placed by the stream id of its first append. */
    static AppendCommand command(String commandId, StreamAppend... appends) {
        return new AppendCommand(commandId, TENANT, null, List.of(appends), NOW.minusSeconds(1));
    }

    /** A command of {@code tenant}, placed by the stream id of its first append. */
    static AppendCommand commandOf(String tenant, String commandId, StreamAppend... appends) {
        return new AppendCommand(commandId, tenant, null, List.of(appends), NOW.minusSeconds(1));
    }

    static AppendCommand keyedCommand(String commandId, String partitionKey, StreamAppend... appends) {
        return new AppendCommand(commandId, TENANT, partitionKey, List.of(appends), NOW.minusSeconds(1));
    }

    /** A delete or erase of {@code streamId} by {@code tenant}. */
    static AppendCommand operation(String tenant, String commandId, StreamOperation.Kind kind, String streamId,
            ExpectedVersion expected) {
        return new AppendCommand(commandId, tenant, null, List.of(), NOW.minusSeconds(1),
                new StreamOperation(streamId, kind, expected));
    }

    static StreamAppend append(String streamId, ExpectedVersion expected, NewEvent... events) {
        return new StreamAppend(streamId, expected, List.of(events));
    }

    /** An event whose id is derived from the command id and its index. */
    static NewEvent event() {
        return NewEvent.of("Placed", "entity-1", "{\"total\":12}");
    }

    static NewEvent eventWithId(UUID eventId) {
        return new NewEvent(eventId.toString(), "Placed", "entity-1", "{}", Map.of());
    }

    static NewEvent[] events(int count) {
        NewEvent[] events = new NewEvent[count];
        for (int i = 0; i < count; i++) {
            events[i] = event();
        }
        return events;
    }

    static CommandResult resultAt(BatchPlan plan, int index) {
        return plan.commands().get(index).result();
    }

    static Known known() {
        return new Known();
    }

    /** Builds the {@link KnownState} the store would have read. */
    static final class Known {
        private final Map<String, StoredResult> storedResults = new HashMap<>();
        private final Set<UUID> takenEventIds = new HashSet<>();
        private final Map<String, StreamState> streams = new HashMap<>();

        /** A stream of {@link #TENANT}, the tenant of the fixture's commands. */
        Known stream(String streamId, int partition, long currentVersion) {
            return stream(streamId, partition, currentVersion, TENANT);
        }

        /** A stream of {@code tenant}; {@code null} for a stream with no owner on record. */
        Known stream(String streamId, int partition, long currentVersion, String tenant) {
            streams.put(streamId, new StreamState(partition, currentVersion, tenant));
            return this;
        }

        /** A result stored before fingerprints were kept: later deliveries get it without a content check. */
        Known storedResult(CommandResult result) {
            return storedResult(result, null);
        }

        Known storedResult(CommandResult result, CommandFingerprint fingerprint) {
            storedResults.put(result.commandId(), new StoredResult(result, fingerprint));
            return this;
        }

        Known takenEventId(UUID eventId) {
            takenEventIds.add(eventId);
            return this;
        }

        /** A stream of {@link #TENANT} deleted at {@code currentVersion}. */
        Known deletedStream(String streamId, int partition, long currentVersion) {
            streams.put(streamId, new StreamState(partition, currentVersion, TENANT, currentVersion));
            return this;
        }

        KnownState build() {
            return new KnownState(storedResults, takenEventIds, streams);
        }
    }
}
