package io.allsource.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker tests' store checks after an offset reset that superseded stored outcomes: the old log's outcomes and
 * the new log's at the same offsets are not two outcomes per offset, while two outcomes of the current log are.
 */
@ExtendWith(PostgresExtension.class)
class StoreChecksAfterResetIT {

    private static final int PARTITION = 4;

    private final TestDatabase database;
    private final String stream = IntStream.range(0, 1_000).mapToObj(i -> "checked-" + i)
            .filter(id -> PartitionFunction.partitionOf(id) == PARTITION).findFirst().orElseThrow();

    StoreChecksAfterResetIT(TestDatabase database) {
        this.database = database;
    }

    @Test
    void holdAfterAResetThatSupersededOutcomesAndStillFailOnTwoOutcomesOfTheCurrentLogAtOneOffset()
            throws SQLException {
        Database.migrate(database.dataSource());
        EventStore store = new EventStore(database.dataSource(), StoreSettings.DEFAULT);
        PartitionState old = store.claim(PARTITION, "checks-test");
        store.rememberTopicId(PARTITION, old.ownerEpoch(), "old-topic-id");
        String resent = UUID.randomUUID().toString();
        append(store, old, command(0, resent), undecodable(1), command(2, resent),
                command(3, UUID.randomUUID().toString()));
        new OffsetResets(database.dataSource()).reset(PARTITION, 0, "new-topic-id", "alice", "host-a",
                "commands topic recreated");
        String current = UUID.randomUUID().toString();
        append(store, store.claim(PARTITION, "checks-test"), command(0, current), undecodable(1), command(2, resent));

        StoreChecks.assertStoreInvariantsHold(database);

        database.execute("INSERT INTO command_redeliveries (partition_id, command_offset, command_id, received_at)"
                + " VALUES (" + PARTITION + ", 0, '" + current + "', now())");
        assertThatThrownBy(() -> StoreChecks.assertStoreInvariantsHold(database))
                .isInstanceOf(AssertionError.class).hasMessageContaining(PARTITION + ":0");
    }

    private static void append(EventStore store, PartitionState claimed, BatchEntry... entries) {
        BatchOutcome outcome = store.appendBatch(claimed.partition(), claimed.ownerEpoch(),
                new BatchChecker(claimed.partition(), new CommandValidator(CommandLimits.DEFAULT))
                        .prepare(List.of(entries), claimed.logResetId()));
        assertThat(outcome).isInstanceOf(BatchOutcome.Committed.class);
    }

    /** A command appending one event to the test's stream. */
    private BatchEntry command(long offset, String commandId) {
        return new BatchEntry.Decoded(offset, new AppendCommand(commandId, "tenant-a", null, List.of(
                new StreamAppend(stream, ExpectedVersion.any(), List.of(NewEvent.of("Happened", "e", "{}")))),
                Instant.now()), ReplyRoute.DEFAULT);
    }

    private static BatchEntry undecodable(long offset) {
        return new BatchEntry.Undecodable(offset, "wrong magic byte 0x01", ReplyRoute.DEFAULT);
    }
}
