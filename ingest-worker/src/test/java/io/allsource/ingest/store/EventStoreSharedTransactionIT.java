package io.allsource.ingest.store;

import static io.allsource.ingest.store.StoreFixtures.append;
import static io.allsource.ingest.store.StoreFixtures.committed;
import static io.allsource.ingest.store.StoreFixtures.entries;
import static io.allsource.ingest.store.StoreFixtures.streamOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.NewEvent;
import io.allsource.ingest.command.RejectionReason;
import io.allsource.ingest.command.StreamAppend;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Batches of several partitions applied in one transaction: one commit, each partition still fenced on its own. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventStoreSharedTransactionIT {

    private final TestDatabase database;
    private EventStore store;

    EventStoreSharedTransactionIT(TestDatabase database) {
        this.database = database;
    }

    @BeforeAll
    void migrate() {
        Database.migrate(database.dataSource());
    }

    @BeforeEach
    void freshStore() throws SQLException {
        store = StoreFixtures.emptiedStore(database);
    }

    @Test
    void appliesTheBatchesOfSeveralPartitionsAndAnswersInTheOrderGiven() {
        long epoch9 = store.claim(9, "worker-a").ownerEpoch();
        long epoch2 = store.claim(2, "worker-a").ownerEpoch();
        String stream9 = streamOf(9, "shared");
        String stream2 = streamOf(2, "shared");

        List<BatchOutcome> outcomes = store.appendBatches(List.of(
                StoreFixtures.batch(9, epoch9, entries(0, append(stream9, ExpectedVersion.noStream(), 2))),
                StoreFixtures.batch(2, epoch2, entries(0, append(stream2, ExpectedVersion.noStream(), 1),
                        append(stream2, ExpectedVersion.exact(1), 1)))));

        assertThat(committed(outcomes.get(0)).state().partition()).isEqualTo(9);
        assertThat(committed(outcomes.get(0)).events()).extracting(StoredEvent::streamId).containsOnly(stream9);
        assertThat(committed(outcomes.get(1)).state().nextOffset()).isEqualTo(2);
        assertThat(committed(outcomes.get(1)).events()).extracting(StoredEvent::version).containsExactly(1L, 2L);
        assertThat(database.queryForLong("SELECT count(*) FROM events")).isEqualTo(4);
        assertThat(database.queryForLong(
                "SELECT count(*) FROM partition_state WHERE NOT verify_partition_gapless(partition_id)")).isZero();
    }

    @Test
    void recordsEachPartitionsAcknowledgedProgressAndMovesItsWatermarksInTheBatchTransaction() {
        long epoch3 = store.claim(3, "worker-a").ownerEpoch();
        long epoch8 = store.claim(8, "worker-a").ownerEpoch();
        String stream3 = streamOf(3, "published");
        String stream8 = streamOf(8, "unpublished");
        BatchOutcome.Committed first = committed(store.appendBatch(3, epoch3, StoreFixtures.checked(3,
                entries(0, append(stream3, ExpectedVersion.noStream(), 2)))));
        committed(store.appendBatch(8, epoch8, StoreFixtures.checked(8,
                entries(0, append(stream8, ExpectedVersion.noStream(), 1)))));

        // partition 3's first batch is acknowledged; partition 8's is not yet (NONE: nothing to record)
        List<BatchOutcome> outcomes = store.appendBatches(List.of(
                new PartitionBatch(3, epoch3, StoreFixtures.checked(3,
                        entries(1, append(stream3, ExpectedVersion.exact(2), 1))), first.state().committed()),
                new PartitionBatch(8, epoch8, StoreFixtures.checked(8,
                        entries(1, append(stream8, ExpectedVersion.exact(1), 1))), Progress.NONE)));

        assertThat(committed(outcomes.get(0)).state().published()).isEqualTo(new Progress(1, 2));
        assertThat(database.queryForLong("SELECT published_sequence FROM partition_state WHERE partition_id = 3"))
                .isEqualTo(2);
        assertThat(database.queryForLong("SELECT watermark FROM event_streams WHERE stream_id = '" + stream3 + "'"))
                .as("the versions published, not the one the batch wrote").isEqualTo(2);
        assertThat(committed(outcomes.get(1)).state().published()).isEqualTo(Progress.NONE);
        assertThat(database.queryForLong("SELECT watermark FROM event_streams WHERE stream_id = '" + stream8 + "'"))
                .isZero();
    }

    @Test
    void writesNothingForAFencedPartitionAndCommitsTheOthers() {
        long stale = store.claim(4, "worker-a").ownerEpoch();
        long newer = store.claim(4, "worker-b").ownerEpoch();
        long epoch5 = store.claim(5, "worker-a").ownerEpoch();

        List<BatchOutcome> outcomes = store.appendBatches(List.of(
                StoreFixtures.batch(4, stale, entries(0, append(streamOf(4, "zombie"), ExpectedVersion.any(), 1))),
                StoreFixtures.batch(5, epoch5, entries(0, append(streamOf(5, "alive"), ExpectedVersion.any(), 1)))));

        assertThat(outcomes.get(0)).isEqualTo(new BatchOutcome.Fenced(4, stale, newer, "worker-b"));
        assertThat(committed(outcomes.get(1)).results()).singleElement()
                .satisfies(result -> assertThat(result.result().isAccepted()).isTrue());
        assertThat(database.queryForLong("SELECT count(*) FROM events WHERE partition_id = 4")).isZero();
        assertThat(database.queryForLong("SELECT next_offset FROM partition_state WHERE partition_id = 4")).isZero();
        assertThat(database.queryForLong("SELECT count(*) FROM events WHERE partition_id = 5")).isEqualTo(1);
    }

    @Test
    void rejectsAnEventIdThatAnEarlierPartitionOfTheSameTransactionTook() {
        long epoch6 = store.claim(6, "worker-a").ownerEpoch();
        long epoch7 = store.claim(7, "worker-a").ownerEpoch();
        NewEvent clash = new NewEvent(UUID.randomUUID().toString(), "Happened", "entity", "{}", Map.of());

        List<BatchOutcome> outcomes = store.appendBatches(List.of(
                StoreFixtures.batch(7, epoch7, entries(0, StoreFixtures.command(UUID.randomUUID().toString(), null,
                        new StreamAppend(streamOf(7, "clash"), ExpectedVersion.any(), List.of(clash))))),
                StoreFixtures.batch(6, epoch6, entries(0, StoreFixtures.command(UUID.randomUUID().toString(), null,
                        new StreamAppend(streamOf(6, "clash"), ExpectedVersion.any(), List.of(clash)))))));

        // partitions are written in ascending order: 6 takes the id, 7 finds it taken
        assertThat(committed(outcomes.get(1)).results().get(0).result().isAccepted()).isTrue();
        assertThat(committed(outcomes.get(0)).results().get(0).result().reason())
                .isEqualTo(RejectionReason.DUPLICATE_EVENT_ID);
        assertThat(database.queryForLong("SELECT count(*) FROM events")).isEqualTo(1);
        assertThat(database.queryForLong("SELECT sum(next_offset) FROM partition_state")).isEqualTo(2);
    }

    @Test
    void answersACommandIdThatAnEarlierPartitionOfTheSameTransactionAppliedAsADuplicate() {
        long epoch6 = store.claim(6, "worker-a").ownerEpoch();
        long epoch7 = store.claim(7, "worker-a").ownerEpoch();
        String commandId = UUID.randomUUID().toString();

        List<BatchOutcome> outcomes = store.appendBatches(List.of(
                StoreFixtures.batch(6, epoch6, entries(0, StoreFixtures.command(commandId, null,
                        new StreamAppend(streamOf(6, "same-id"), ExpectedVersion.any(), StoreFixtures.events(1))))),
                StoreFixtures.batch(7, epoch7, entries(0, StoreFixtures.command(commandId, null,
                        new StreamAppend(streamOf(7, "same-id"), ExpectedVersion.any(), StoreFixtures.events(1)))))));

        assertThat(committed(outcomes.get(0)).results().get(0).result().isAccepted()).isTrue();
        assertThat(committed(outcomes.get(1)).results().get(0).result().duplicate()).isTrue();
        assertThat(database.queryForLong("SELECT count(*) FROM command_results")).isEqualTo(1);
        assertThat(database.queryForLong("SELECT count(*) FROM command_redeliveries WHERE partition_id = 7"))
                .isEqualTo(1);
        assertThat(database.queryForLong("SELECT count(*) FROM events")).isEqualTo(1);
    }

    @Test
    void recordsThePublicationOfSeveralPartitionsAtOnceAndSkipsAFencedOne() {
        long epoch10 = store.claim(10, "worker-a").ownerEpoch();
        long stale = store.claim(11, "worker-a").ownerEpoch();
        String stream10 = streamOf(10, "published");
        String stream11 = streamOf(11, "published");
        store.appendBatches(List.of(
                StoreFixtures.batch(10, epoch10, entries(0, append(stream10, ExpectedVersion.any(), 2))),
                StoreFixtures.batch(11, stale, entries(0, append(stream11, ExpectedVersion.any(), 1)))));
        store.claim(11, "worker-b");

        Set<Integer> fenced = store.markPublished(List.of(new PublicationMark(10, epoch10, 1, 2),
                new PublicationMark(11, stale, 1, 1)));

        assertThat(fenced).containsExactly(11);
        assertThat(database.queryForLong("SELECT published_offset FROM partition_state WHERE partition_id = 10"))
                .isEqualTo(1);
        assertThat(database.queryForLong("SELECT watermark FROM event_streams WHERE stream_id = '" + stream10 + "'"))
                .isEqualTo(2);
        assertThat(database.queryForLong("SELECT published_offset FROM partition_state WHERE partition_id = 11"))
                .isZero();
        assertThat(database.queryForLong("SELECT watermark FROM event_streams WHERE stream_id = '" + stream11 + "'"))
                .isZero();
    }

    @Test
    void refusesTwoBatchesOfOnePartitionInOneCall() {
        long epoch = store.claim(1, "worker-a").ownerEpoch();
        String stream = streamOf(1, "twice");

        assertThatThrownBy(() -> store.appendBatches(List.of(
                StoreFixtures.batch(1, epoch, entries(0, append(stream, ExpectedVersion.any(), 1))),
                StoreFixtures.batch(1, epoch, entries(1, append(stream, ExpectedVersion.any(), 1))))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Partition 1 appears twice");
    }
}
