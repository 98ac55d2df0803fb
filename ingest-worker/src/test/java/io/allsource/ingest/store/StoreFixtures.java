package io.allsource.ingest.store;

import io.allsource.ingest.batch.BatchChecker;
import io.allsource.ingest.batch.BatchEntry;
import io.allsource.ingest.batch.PreparedBatch;
import io.allsource.ingest.command.AppendCommand;
import io.allsource.ingest.command.CommandLimits;
import io.allsource.ingest.command.CommandValidator;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.NewEvent;
import io.allsource.ingest.command.ReplyRoute;
import io.allsource.ingest.command.StreamAppend;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.testing.TestDatabase;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/** Commands and stream ids for store tests. */
final class StoreFixtures {

    private StoreFixtures() {
    }

    /** {@code count} stream ids, all mapping to {@code partition}, starting with {@code prefix}. */
    static List<String> streamsOf(int partition, String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; ids.size() < count; i++) {
            String id = prefix + "-" + i;
            if (PartitionFunction.partitionOf(id) == partition) {
                ids.add(id);
            }
        }
        return ids;
    }

    static String streamOf(int partition, String prefix) {
        return streamsOf(partition, prefix, 1).get(0);
    }

    static AppendCommand append(String streamId, ExpectedVersion expected, int events) {
        return command(UUID.randomUUID().toString(), null, new StreamAppend(streamId, expected, events(events)));
    }

    /** A command of {@code tenant} appending {@code events} events to {@code streamId}. */
    static AppendCommand appendOf(String tenant, String streamId, ExpectedVersion expected, int events) {
        return new AppendCommand(UUID.randomUUID().toString(), tenant, null,
                List.of(new StreamAppend(streamId, expected, events(events))), Instant.now());
    }

    static AppendCommand command(String commandId, String partitionKey, StreamAppend... appends) {
        return new AppendCommand(commandId, "tenant-1", partitionKey, List.of(appends), Instant.now());
    }

    static List<NewEvent> events(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> NewEvent.of("Happened", "entity-" + i, "{\"n\": " + i + "}"))
                .toList();
    }

    /** Checks {@code entries} as the worker does before the store, then appends them as one batch. */
    static BatchOutcome appendBatch(EventStore store, int partition, long epoch, List<BatchEntry> entries) {
        return store.appendBatch(partition, epoch, checked(partition, entries));
    }

    /** {@code entries} checked as the worker does before the store, as a partition's batch. */
    static PartitionBatch batch(int partition, long epoch, List<BatchEntry> entries) {
        return new PartitionBatch(partition, epoch, checked(partition, entries));
    }

    static PreparedBatch checked(int partition, List<BatchEntry> entries) {
        return new BatchChecker(partition, new CommandValidator(CommandLimits.DEFAULT)).prepare(entries);
    }

    /**
     * Checks {@code entries} as the worker does for the claim {@code claimed} (keying records without a usable command
     * id with its log reset id), then appends them as one batch under its epoch.
     */
    static BatchOutcome appendBatch(EventStore store, PartitionState claimed, BatchEntry... entries) {
        return store.appendBatch(claimed.partition(), claimed.ownerEpoch(),
                new BatchChecker(claimed.partition(), new CommandValidator(CommandLimits.DEFAULT))
                        .prepare(List.of(entries), claimed.logResetId()));
    }

    /** Entries at consecutive offsets from {@code firstOffset}, with the default reply route. */
    static List<BatchEntry> entries(long firstOffset, AppendCommand... commands) {
        List<BatchEntry> entries = new ArrayList<>();
        for (int i = 0; i < commands.length; i++) {
            entries.add(new BatchEntry.Decoded(firstOffset + i, commands[i], ReplyRoute.DEFAULT));
        }
        return entries;
    }

    /** Empties every table the store writes, and returns a store with nothing cached, on the migrated database. */
    static EventStore emptiedStore(TestDatabase database) throws SQLException {
        database.execute("TRUNCATE events, event_streams, command_redeliveries, command_results, partition_state,"
                + " offset_resets CASCADE");
        return new EventStore(database.dataSource(), StoreSettings.DEFAULT);
    }

    static BatchOutcome.Committed committed(BatchOutcome outcome) {
        if (outcome instanceof BatchOutcome.Committed committed) {
            return committed;
        }
        throw new AssertionError("Expected a committed batch, got " + outcome);
    }
}
