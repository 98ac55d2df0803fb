package io.allsource.ingest.audit;

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
import io.allsource.ingest.store.PartitionState;
import io.allsource.ingest.store.ResultPruning;
import io.allsource.ingest.store.StoreSettings;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The database checks after outcomes were pruned, written with the worker's own store: six commands at offsets 0..5,
 * the first four pruned, then a command at offset 6 that uses the first command's id again with fresh event ids (its
 * outcome was pruned, so it is new). Offsets below the pruned offset are not accounted for and the old events of the
 * reused id are not taken for a command applied twice; an offset above the pruned offset without an outcome is still
 * reported.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrunedOutcomesIT {

    private static final int PARTITION = 9;
    private static final String OFFSETS = OffsetOutcomes.NAME;

    private final TestDatabase database;
    private final String stream = IntStream.range(0, 1_000).mapToObj(i -> "pruned-" + i)
            .filter(id -> PartitionFunction.partitionOf(id) == PARTITION).findFirst().orElseThrow();
    private final String reused = UUID.randomUUID().toString();

    PrunedOutcomesIT(TestDatabase database) {
        this.database = database;
    }

    @BeforeAll
    void migrate() {
        Database.migrate(database.dataSource());
    }

    @BeforeEach
    void storeSixOutcomesPruneFourAndReuseAPrunedCommandId() throws SQLException {
        database.execute("TRUNCATE events, event_streams, command_redeliveries, command_results, partition_state,"
                + " offset_resets CASCADE");
        EventStore store = new EventStore(database.dataSource(), StoreSettings.DEFAULT);
        PartitionState claimed = store.claim(PARTITION, "audit-test");
        append(store, claimed, command(0, reused), command(1, UUID.randomUUID().toString()),
                command(2, UUID.randomUUID().toString()), command(3, UUID.randomUUID().toString()),
                command(4, UUID.randomUUID().toString()), command(5, UUID.randomUUID().toString()));
        assertThat(store.markPublished(PARTITION, claimed.ownerEpoch(), 6, 6)).isTrue();
        database.execute("UPDATE command_results SET committed_at = committed_at - interval '2 hours'"
                + " WHERE command_offset < 4");
        ResultPruning.Step step = new ResultPruning(database.dataSource()).prune(PARTITION, Duration.ofHours(1), 100);
        assertThat(step.prunedOffset()).isEqualTo(4);

        append(store, claimed, command(6, reused));
    }

    @Test
    void accountsForTheOffsetsFromThePrunedOffsetOnAndTakesAReusedCommandIdForNoDoubleApplication() {
        List<Check> checks = new StoreInvariants(database.dataSource()).run();

        assertThat(checks).allSatisfy(check -> assertThat(check.holds()).as(check.toString()).isTrue());
        assertThat(check(checks, OFFSETS).checked()).as("offsets 4..6").isEqualTo(3);
        assertThat(database.queryForLong("SELECT count(*) FROM events WHERE command_id = '" + reused + "'"))
                .as("the pruned command's event and the new one's").isEqualTo(2);
    }

    @Test
    void stillReportsAnOffsetAboveThePrunedOffsetWithoutAnOutcome() throws SQLException {
        database.execute("DELETE FROM command_results WHERE partition_id = " + PARTITION + " AND command_offset = 5");

        Check offsets = check(new StoreInvariants(database.dataSource()).run(), OFFSETS);

        assertThat(offsets.examples()).containsExactly("partition " + PARTITION + " offset 5 has no outcome");
    }

    @Test
    void stillReportsAnEventAboveThePrunedSequenceWithoutItsResult() throws SQLException {
        database.execute("DELETE FROM command_results WHERE partition_id = " + PARTITION + " AND command_offset = 4");

        Check events = check(new StoreInvariants(database.dataSource()).run(),
                "every event belongs to an accepted command");

        assertThat(events.violations()).isEqualTo(1);
    }

    private static void append(EventStore store, PartitionState claimed, BatchEntry... entries) {
        BatchOutcome outcome = store.appendBatch(claimed.partition(), claimed.ownerEpoch(),
                new BatchChecker(claimed.partition(), new CommandValidator(CommandLimits.DEFAULT))
                        .prepare(List.of(entries), claimed.logResetId()));
        assertThat(outcome).isInstanceOf(BatchOutcome.Committed.class);
    }

    /** A command of one event with an id of its own (not derived from the command id). */
    private BatchEntry command(long offset, String commandId) {
        NewEvent event = new NewEvent(UUID.randomUUID().toString(), "Happened", "e", "{}", Map.of());
        return new BatchEntry.Decoded(offset, new AppendCommand(commandId, "tenant-a", null, List.of(
                new StreamAppend(stream, ExpectedVersion.any(), List.of(event))), Instant.now()), ReplyRoute.DEFAULT);
    }

    private static Check check(List<Check> checks, String name) {
        return checks.stream().filter(check -> check.name().equals(name)).findFirst().orElseThrow();
    }
}
