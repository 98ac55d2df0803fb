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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The database checks after an offset reset that superseded stored outcomes, produced with the worker's own store:
 * five outcomes of an old log (results, a redelivery, an undecodable record's rejection), the commands topic recreated
 * and the partition reset to offset 0, then three outcomes of the new log at the same offsets (one a redelivery of a
 * command id the old log decided). Offsets are accounted in the current log only, so this holds; while two outcomes of
 * the current log at one offset, an offset whose only outcome is a superseded one, and a current outcome beyond the
 * next offset are each still reported.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SupersededOutcomesIT {

    private static final int PARTITION = 5;
    private static final String OFFSETS = OffsetOutcomes.NAME;
    private static final String BEYOND = "no outcome stored at or beyond the next offset";

    private final TestDatabase database;
    private final String stream = IntStream.range(0, 1_000).mapToObj(i -> "superseded-" + i)
            .filter(id -> PartitionFunction.partitionOf(id) == PARTITION).findFirst().orElseThrow();
    private final String decidedInOldLog = UUID.randomUUID().toString();
    private final String decidedInNewLog = UUID.randomUUID().toString();

    SupersededOutcomesIT(TestDatabase database) {
        this.database = database;
    }

    @BeforeAll
    void migrate() {
        Database.migrate(database.dataSource());
    }

    @BeforeEach
    void storeAnOldLogResetItAndStoreANewOneAtTheSameOffsets() throws SQLException {
        database.execute("TRUNCATE events, event_streams, command_redeliveries, command_results, partition_state,"
                + " offset_resets CASCADE");
        EventStore store = new EventStore(database.dataSource(), StoreSettings.DEFAULT);
        PartitionState old = store.claim(PARTITION, "audit-test");
        store.rememberTopicId(PARTITION, old.ownerEpoch(), "old-topic-id");
        String resent = UUID.randomUUID().toString();
        append(store, old, command(0, resent), command(1, decidedInOldLog), undecodable(2),
                command(3, resent), command(4, UUID.randomUUID().toString()));

        new OffsetResets(database.dataSource()).reset(PARTITION, 0, "new-topic-id", "alice", "host-a",
                "commands topic recreated");

        append(store, store.claim(PARTITION, "audit-test"), command(0, decidedInNewLog),
                command(1, decidedInOldLog), undecodable(2));
    }

    @Test
    void countsOnlyTheCurrentLogsOutcomesSoThatAResetReadsAsNeitherDoubledNorBeyondTheNextOffset() {
        List<Check> checks = new StoreInvariants(database.dataSource()).run();

        assertThat(checks).allSatisfy(check -> assertThat(check.holds()).as(check.toString()).isTrue());
        assertThat(check(checks, OFFSETS).checked()).as("offsets 0..2 of the new log").isEqualTo(3);
        assertThat(check(checks, BEYOND).checked()).as("outcomes of the new log").isEqualTo(3);
        assertThat(database.queryForLong("SELECT (SELECT count(*) FROM command_results WHERE superseded_by IS NOT"
                + " NULL) + (SELECT count(*) FROM command_redeliveries WHERE superseded_by IS NOT NULL)"))
                .as("the old log's outcomes stay").isEqualTo(5);
        assertThat(check(checks, "every event belongs to an accepted command").checked())
                .as("the old log's events stay, covered by their superseded results").isEqualTo(4);
    }

    @Test
    void stillReportsTwoOutcomesOfTheCurrentLogAtOneOffset() throws SQLException {
        database.execute("INSERT INTO command_redeliveries (partition_id, command_offset, command_id, received_at)"
                + " VALUES (" + PARTITION + ", 0, '" + decidedInNewLog + "', now())");

        Check offsets = check(new StoreInvariants(database.dataSource()).run(), OFFSETS);

        assertThat(offsets.examples()).containsExactly("partition " + PARTITION + " offset 0 has two outcomes");
    }

    @Test
    void reportsAnOffsetWhoseOnlyOutcomeIsASupersededOneAsHavingNone() throws SQLException {
        database.execute("DELETE FROM command_results WHERE partition_id = " + PARTITION + " AND command_offset = 2"
                + " AND superseded_by IS NULL");

        Check offsets = check(new StoreInvariants(database.dataSource()).run(), OFFSETS);

        assertThat(offsets.examples()).containsExactly("partition " + PARTITION + " offset 2 has no outcome");
    }

    @Test
    void reportsAnOutcomeOfTheCurrentLogBeyondTheNextOffset() throws SQLException {
        database.execute("INSERT INTO command_redeliveries (partition_id, command_offset, command_id, received_at)"
                + " VALUES (" + PARTITION + ", 7, '" + decidedInNewLog + "', now())");

        Check beyond = check(new StoreInvariants(database.dataSource()).run(), BEYOND);

        assertThat(beyond.examples()).containsExactly("partition " + PARTITION + " offset 7");
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

    private static BatchEntry undecodable(long offset) {
        return new BatchEntry.Undecodable(offset, "wrong magic byte 0x01", ReplyRoute.DEFAULT);
    }

    private static Check check(List<Check> checks, String name) {
        return checks.stream().filter(check -> check.name().equals(name)).findFirst().orElseThrow();
    }
}
