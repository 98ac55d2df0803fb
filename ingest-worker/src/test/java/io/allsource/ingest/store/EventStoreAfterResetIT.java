package io.allsource.ingest.store;

import static io.allsource.ingest.store.StoreFixtures.append;
import static io.allsource.ingest.store.StoreFixtures.appendBatch;
import static io.allsource.ingest.store.StoreFixtures.committed;
import static io.allsource.ingest.store.StoreFixtures.streamOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.allsource.ingest.batch.BatchEntry;
import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.FallbackKey;
import io.allsource.ingest.command.RejectionReason;
import io.allsource.ingest.command.ReplyRoute;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records without a usable command id after an offset reset: a reset that supersedes stored outcomes starts a log
 * whose offsets are consumed again, and such a record there is keyed with the reset's id, so that it gets a rejection
 * of its own instead of colliding with the old log's record at its offset; a redelivery of an applied record, in any
 * log, is answered from the store without storing anything again.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventStoreAfterResetIT {

    private static final int PARTITION = 9;
    private static final String OLD_TOPIC = "old-topic-id";
    private static final String NEW_TOPIC = "new-topic-id";

    private final TestDatabase database;
    private EventStore store;
    private OffsetResets resets;

    EventStoreAfterResetIT(TestDatabase database) {
        this.database = database;
    }

    @BeforeAll
    void migrate() {
        Database.migrate(database.dataSource());
    }

    @BeforeEach
    void emptyStore() throws SQLException {
        store = StoreFixtures.emptiedStore(database);
        resets = new OffsetResets(database.dataSource());
    }

    @Test
    void rejectsANewUndecodableRecordAtAnOffsetOfTheRecreatedTopicOnItsOwnAndKeepsTheOldRejection() {
        PartitionState old = claimInTopic(OLD_TOPIC);
        committed(appendBatch(store, old, undecodable(0, "old record 0"), undecodable(1, "old record 1")));
        OffsetReset reset = resets.reset(PARTITION, 0, NEW_TOPIC, "alice", "host-a", "commands topic recreated");

        PartitionState renewed = store.claim(PARTITION, "worker-a");
        BatchOutcome.Committed outcome = committed(appendBatch(store, renewed,
                new BatchEntry.Decoded(0, append(streamOf(PARTITION, "after"), ExpectedVersion.any(), 1),
                        ReplyRoute.DEFAULT),
                undecodable(1, "new record 1")));

        String newKey = "invalid:" + PARTITION + ":1:" + reset.resetId();
        assertThat(renewed.logResetId()).isEqualTo(reset.resetId());
        CommandResult rejection = outcome.results().get(1).result();
        assertThat(rejection.commandId()).isEqualTo(newKey);
        assertThat(rejection.duplicate()).isFalse();
        assertThat(rejection.reason()).isEqualTo(RejectionReason.INVALID_COMMAND);
        assertThat(rejection.message()).contains("new record 1").doesNotContain("old");
        assertThat(database.queryForStrings("SELECT command_id || ' | ' || message || ' | '"
                + " || COALESCE(superseded_by::text, 'current') FROM command_results WHERE command_offset = 1"))
                .containsExactlyInAnyOrder(
                        "invalid:" + PARTITION + ":1 | the record could not be decoded: old record 1 | "
                                + reset.resetId(),
                        newKey + " | the record could not be decoded: new record 1 | current");
        assertThat(store.readResults(PARTITION, 0, 10)).extracting(routed -> routed.result().commandId())
                .hasSize(2).last().isEqualTo(newKey);
    }

    @Test
    void answersARedeliveryOfAnAppliedUndecodableRecordFromTheStoreWithoutStoringItAgain() {
        PartitionState claimed = claimInTopic(OLD_TOPIC);
        committed(appendBatch(store, claimed, undecodable(0, "first copy")));

        BatchOutcome.Committed sameEpoch = committed(appendBatch(store, claimed, undecodable(0, "first copy")));
        PartitionState reclaimed = store.claim(PARTITION, "worker-b");
        BatchOutcome.Committed newEpoch = committed(appendBatch(store, reclaimed, undecodable(0, "first copy")));

        assertThat(reclaimed.logResetId()).isEqualTo(FallbackKey.FIRST_LOG);
        for (BatchOutcome.Committed redelivered : List.of(sameEpoch, newEpoch)) {
            assertThat(redelivered.skipped()).isEqualTo(1);
            assertThat(redelivered.results()).isEmpty();
            assertThat(redelivered.state().nextOffset()).isEqualTo(1);
        }
        assertThat(database.queryForStrings("SELECT command_id FROM command_results"))
                .containsExactly("invalid:" + PARTITION + ":0");
        assertThat(store.readResults(PARTITION, 0, 10)).singleElement().satisfies(stored -> {
            assertThat(stored.result().commandId()).isEqualTo("invalid:" + PARTITION + ":0");
            assertThat(stored.result().message()).contains("first copy");
        });
    }

    @Test
    void answersARedeliveryInTheNewLogFromItsOwnRejection() {
        PartitionState old = claimInTopic(OLD_TOPIC);
        committed(appendBatch(store, old, undecodable(0, "old record")));
        OffsetReset reset = resets.reset(PARTITION, 0, NEW_TOPIC, "alice", "host-a", "commands topic recreated");
        PartitionState renewed = store.claim(PARTITION, "worker-a");
        committed(appendBatch(store, renewed, undecodable(0, "new record")));

        BatchOutcome.Committed redelivered = committed(appendBatch(store, store.claim(PARTITION, "worker-b"),
                undecodable(0, "new record")));

        assertThat(redelivered.skipped()).isEqualTo(1);
        assertThat(database.queryForLong("SELECT count(*) FROM command_results")).isEqualTo(2);
        assertThat(store.readResults(PARTITION, 0, 10)).singleElement().satisfies(stored -> {
            assertThat(stored.result().commandId()).isEqualTo("invalid:" + PARTITION + ":0:" + reset.resetId());
            assertThat(stored.result().message()).contains("new record");
        });
    }

    @Test
    void keysWithTheLatestResetThatSupersededOutcomesAndKeepsItThroughOneThatSupersededNone() {
        PartitionState first = claimInTopic(OLD_TOPIC);
        committed(appendBatch(store, first, undecodable(0, "a"), undecodable(1, "b"), undecodable(2, "c")));
        OffsetReset back = resets.reset(PARTITION, 1, OLD_TOPIC, "alice", "host-a", "replay offsets 1 and 2");
        PartitionState replaying = store.claim(PARTITION, "worker-a");
        committed(appendBatch(store, replaying, undecodable(1, "b again"), undecodable(2, "c again")));
        OffsetReset forward = resets.reset(PARTITION, 10, OLD_TOPIC, "alice", "host-a", "skip offsets 3 to 9");
        PartitionState skipped = store.claim(PARTITION, "worker-a");

        BatchOutcome.Committed outcome = committed(appendBatch(store, skipped, undecodable(10, "d")));

        assertThat(replaying.logResetId()).isEqualTo(back.resetId());
        assertThat(skipped.logResetId()).as("reset #%d superseded nothing", forward.resetId())
                .isEqualTo(back.resetId());
        assertThat(outcome.results()).singleElement().extracting(routed -> routed.result().commandId())
                .isEqualTo("invalid:" + PARTITION + ":10:" + back.resetId());
        assertThat(database.queryForStrings("SELECT command_id FROM command_results WHERE superseded_by IS NULL"
                + " ORDER BY command_offset")).containsExactly("invalid:" + PARTITION + ":0",
                "invalid:" + PARTITION + ":1:" + back.resetId(), "invalid:" + PARTITION + ":2:" + back.resetId(),
                "invalid:" + PARTITION + ":10:" + back.resetId());
    }

    @Test
    void refusesABatchCheckedForAnotherLogThanTheClaimsAndWritesNothing() {
        PartitionState old = claimInTopic(OLD_TOPIC);
        committed(appendBatch(store, old, undecodable(0, "old record")));
        OffsetReset reset = resets.reset(PARTITION, 0, NEW_TOPIC, "alice", "host-a", "commands topic recreated");
        long epoch = store.claim(PARTITION, "worker-a").ownerEpoch();

        assertThatIllegalArgumentException().isThrownBy(() -> StoreFixtures.appendBatch(store, PARTITION, epoch,
                        List.of(undecodable(0, "new record"))))
                .withMessageContaining("invalid:" + PARTITION + ":0:" + reset.resetId());
        assertThat(store.partitionState(PARTITION)).get().extracting(PartitionState::nextOffset).isEqualTo(0L);
        assertThat(database.queryForLong("SELECT count(*) FROM command_results")).isEqualTo(1);
    }

    /** Claims the partition and records that its offsets belong to the topic with id {@code topicId}. */
    private PartitionState claimInTopic(String topicId) {
        PartitionState claimed = store.claim(PARTITION, "worker-a");
        store.rememberTopicId(PARTITION, claimed.ownerEpoch(), topicId);
        return claimed;
    }

    private static BatchEntry undecodable(long offset, String error) {
        return new BatchEntry.Undecodable(offset, error, ReplyRoute.DEFAULT);
    }
}
