package io.allsource.ingest.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.batch.BatchChecker;
import io.allsource.ingest.batch.BatchEntry;
import io.allsource.ingest.command.AppendCommand;
import io.allsource.ingest.command.CommandLimits;
import io.allsource.ingest.command.CommandValidator;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.NewEvent;
import io.allsource.ingest.command.ReplyRoute;
import io.allsource.ingest.command.StreamAppend;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.store.BatchOutcome;
import io.allsource.ingest.store.Database;
import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.OffsetResets;
import io.allsource.ingest.store.PartitionState;
import io.allsource.ingest.store.StoreSettings;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hostile records are keyed by the outcome stored at their position in the partition's current log: an outcome an
 * offset reset superseded at the same offset was decided for another record, of a log left behind.
 */
@ExtendWith(PostgresExtension.class)
class HostileOutcomesIT {

    private static final int PARTITION = 6;

    private final TestDatabase database;
    private final String stream = IntStream.range(0, 1_000).mapToObj(i -> "hostile-" + i)
            .filter(id -> PartitionFunction.partitionOf(id) == PARTITION).findFirst().orElseThrow();

    HostileOutcomesIT(TestDatabase database) {
        this.database = database;
    }

    @Test
    void keysAHostileRecordByTheOutcomeOfTheCurrentLogAtItsPositionNotBySupersededOnes() {
        Database.migrate(database.dataSource());
        EventStore store = new EventStore(database.dataSource(), StoreSettings.DEFAULT);
        PartitionState old = store.claim(PARTITION, "chaos-test");
        store.rememberTopicId(PARTITION, old.ownerEpoch(), "old-topic-id");
        append(store, old, command(0, UUID.randomUUID().toString()), command(1, UUID.randomUUID().toString()));
        new OffsetResets(database.dataSource()).reset(PARTITION, 0, "new-topic-id", "alice", "host-a",
                "commands topic recreated");
        String current = UUID.randomUUID().toString();
        append(store, store.claim(PARTITION, "chaos-test"), command(0, current));
        SentLog sent = new SentLog();
        sent.addHostile(HostileKind.BINARY_CORRELATION_ID, PARTITION, 0);
        sent.addHostile(HostileKind.BINARY_CORRELATION_ID, PARTITION, 1);

        List<String> keys = new ArrayList<>();
        HostileOutcomes.history(sent, database.dataSource()).forEach(command -> keys.add(command.commandId()));

        assertThat(keys).containsExactly(current,
                HostileKind.BINARY_CORRELATION_ID.label() + " record at partition " + PARTITION + " offset 1");
    }

    private static void append(EventStore store, PartitionState claimed, BatchEntry... entries) {
        BatchOutcome outcome = store.appendBatch(claimed.partition(), claimed.ownerEpoch(),
                new BatchChecker(claimed.partition(), new CommandValidator(CommandLimits.DEFAULT))
                        .prepare(List.of(entries), claimed.logResetId()));
        assertThat(outcome).isInstanceOf(BatchOutcome.Committed.class);
    }

    private BatchEntry command(long offset, String commandId) {
        return new BatchEntry.Decoded(offset, new AppendCommand(commandId, "tenant-a", null, List.of(
                new StreamAppend(stream, ExpectedVersion.any(), List.of(NewEvent.of("Happened", "e", "{}")))),
                Instant.now()), ReplyRoute.DEFAULT);
    }
}
