package io.allsource.ingest.store;

import static io.allsource.ingest.store.StoreFixtures.append;
import static io.allsource.ingest.store.StoreFixtures.command;
import static io.allsource.ingest.store.StoreFixtures.committed;
import static io.allsource.ingest.store.StoreFixtures.entries;
import static io.allsource.ingest.store.StoreFixtures.events;
import static io.allsource.ingest.store.StoreFixtures.streamOf;
import static io.allsource.ingest.store.StoreFixtures.streamsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.batch.BatchEntry;
import io.allsource.ingest.command.AppendCommand;
import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.EventIds;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.NewEvent;
import io.allsource.ingest.command.RejectionReason;
import io.allsource.ingest.command.ReplyRoute;
import io.allsource.ingest.command.StreamAppend;
import io.allsource.ingest.command.StreamOutcome;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventStoreIT {

    private static final int PARTITION = 3;

    private final TestDatabase database;
    private EventStore store;
    private long epoch;

    EventStoreIT(TestDatabase database) {
        this.database = database;
    }

    @BeforeAll
    void migrate() {
        Database.migrate(database.dataSource());
    }

    @BeforeEach
    void freshStoreAndClaim() throws SQLException {
        store = StoreFixtures.emptiedStore(database);
        epoch = store.claim(PARTITION, "worker-a").ownerEpoch();
    }

    @Test
    void rejectsTheSecondOfTwoConflictingAppendsInOneBatchWithTheActualVersion() {
        String stream = streamOf(PARTITION, "order");

        BatchOutcome.Committed outcome = committed(StoreFixtures.appendBatch(store, PARTITION, epoch, entries(0,
                append(stream, ExpectedVersion.exact(0), 2),
                append(stream, ExpectedVersion.exact(0), 1))));

        CommandResult first = outcome.results().get(0).result();
        CommandResult second = outcome.results().get(1).result();
        assertThat(first.isAccepted()).isTrue();
        assertThat(first.streams()).containsExactly(new StreamOutcome(stream, ExpectedVersion.exact(0), 2, 1L, 2L));
        assertThat(second.reason()).isEqualTo(RejectionReason.CONCURRENCY_CONFLICT);
        assertThat(second.streams()).singleElement().extracting(StreamOutcome::currentVersion).isEqualTo(2L);
        assertThat(second.message()).contains(stream, "EXACT 0", "version 2");
        assertThat(store.readStream(stream, 1, 100)).extracting(StoredEvent::version).containsExactly(1L, 2L);
        assertThat(outcome.state().nextOffset()).isEqualTo(2);
    }

    @Test
    void appliesACommandOfThreeStreamsAtomically() {
        List<String> streams = streamsOf(PARTITION, "account", 3);
        String key = streams.get(0);

        CommandResult result = committed(StoreFixtures.appendBatch(store, PARTITION, epoch, entries(0, command(uuid(), key,
                new StreamAppend(streams.get(0), ExpectedVersion.noStream(), events(1)),
                new StreamAppend(streams.get(1), ExpectedVersion.any(), events(2)),
                new StreamAppend(streams.get(2), ExpectedVersion.noStream(), events(3)))))).results().get(0).result();

        assertThat(result.isAccepted()).isTrue();
        assertThat(result.firstSequence()).isEqualTo(1L);
        assertThat(result.lastSequence()).isEqualTo(6L);
        assertThat(result.streams()).extracting(StreamOutcome::lastVersion).containsExactly(1L, 2L, 3L);
        assertThat(store.readPartition(PARTITION, 1, 100)).extracting(StoredEvent::streamId)
                .containsExactly(streams.get(0), streams.get(1), streams.get(1),
                        streams.get(2), streams.get(2), streams.get(2));
    }

    @Test
    void rollsBackEveryStreamOfACommandWhenOneExpectedVersionIsStale() throws SQLException {
        List<String> streams = streamsOf(PARTITION, "ledger", 3);
        StoreFixtures.appendBatch(store, PARTITION, epoch, entries(0, append(streams.get(1), ExpectedVersion.noStream(), 2)));

        CommandResult result = committed(StoreFixtures.appendBatch(store, PARTITION, epoch, entries(1, command(uuid(), streams.get(0),
                new StreamAppend(streams.get(0), ExpectedVersion.noStream(), events(1)),
                new StreamAppend(streams.get(1), ExpectedVersion.exact(1), events(1)),
                new StreamAppend(streams.get(2), ExpectedVersion.any(), events(1)))))).results().get(0).result();

        assertThat(result.reason()).isEqualTo(RejectionReason.CONCURRENCY_CONFLICT);
        assertThat(result.streams()).extracting(StreamOutcome::currentVersion).containsExactly(0L, 2L, 0L);
        assertThat(result.message()).contains("appends[1]", streams.get(1), "EXACT 1", "version 2");
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM event_streams")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM command_results WHERE status = 'REJECTED'")).isEqualTo(1);
        assertThat(store.partitionState(PARTITION).orElseThrow().lastSequence()).isEqualTo(2);
    }

    @Test
    void answersAResentCommandIdWithTheStoredResultAndWritesNothing() throws SQLException {
        String stream = streamOf(PARTITION, "cart");
        AppendCommand command = append(stream, ExpectedVersion.noStream(), 2);
        CommandResult original = committed(StoreFixtures.appendBatch(store, PARTITION, epoch, entries(0, command)))
                .results().get(0).result();

        BatchOutcome.Committed again = committed(StoreFixtures.appendBatch(store, PARTITION, epoch, List.of(
                new BatchEntry.Decoded(1, command, ReplyRoute.of("replies", 4, "corr-2", "key-2")))));

        RoutedResult redelivered = again.results().get(0);
        assertThat(redelivered.result()).isEqualTo(original.asDuplicate());
        assertThat(redelivered.offset()).isEqualTo(1);
        assertThat(again.events()).isEmpty();
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM command_results")).isEqualTo(1);
        assertThat(store.partitionState(PARTITION).orElseThrow().nextOffset()).isEqualTo(2);
        assertThat(store.readResults(PARTITION, 0, 10))
                .extracting(RoutedResult::offset, r -> r.result().duplicate(), RoutedResult::route)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0L, false, ReplyRoute.DEFAULT),
                        org.assertj.core.groups.Tuple.tuple(1L, true, ReplyRoute.of("replies", 4, "corr-2", "key-2")));
    }

    @Test
    void writesNothingUnderAStaleEpoch() throws SQLException {
        String stream = streamOf(PARTITION, "fenced");
        long newer = store.claim(PARTITION, "worker-b").ownerEpoch();

        BatchOutcome outcome = StoreFixtures.appendBatch(store, PARTITION, epoch, entries(0, append(stream, ExpectedVersion.any(), 1)));

        assertThat(outcome).isEqualTo(new BatchOutcome.Fenced(PARTITION, epoch, newer, "worker-b"));
        assertThat(count("SELECT count(*) FROM events")).isZero();
        assertThat(count("SELECT count(*) FROM command_results")).isZero();
        assertThat(store.partitionState(PARTITION).orElseThrow().nextOffset()).isZero();
        assertThat(store.markPublished(PARTITION, epoch, 0, 0)).isFalse();
    }

    @Test
    void isFencedOnAPartitionNeverClaimed() {
        BatchOutcome outcome = StoreFixtures.appendBatch(store, PARTITION + 1, 1,
                entries(0, append(streamOf(PARTITION + 1, "x"), ExpectedVersion.any(), 1)));

        assertThat(outcome).isEqualTo(new BatchOutcome.Fenced(PARTITION + 1, 1, -1, null));
    }

    @Test
    void keepsPartitionSequencesGaplessAcrossBatchesAndRejections() throws SQLException {
        List<String> streams = streamsOf(PARTITION, "seq", 4);
        long offset = 0;
        for (int batch = 0; batch < 5; batch++) {
            List<AppendCommand> commands = new ArrayList<>();
            for (String stream : streams) {
                commands.add(append(stream, ExpectedVersion.any(), 1 + batch % 3));
                commands.add(append(stream, ExpectedVersion.noStream(), 1)); // rejected after the first batch
            }
            BatchOutcome.Committed outcome = committed(StoreFixtures.appendBatch(store, PARTITION, epoch,
                    entries(offset, commands.toArray(AppendCommand[]::new))));
            offset += commands.size();
            assertThat(outcome.state().nextOffset()).isEqualTo(offset);
        }

        long last = store.partitionState(PARTITION).orElseThrow().lastSequence();
        assertThat(store.readPartition(PARTITION, 1, 10_000)).extracting(StoredEvent::partitionSequence)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, last).boxed().toList());
        assertThat(count("SELECT count(*) FROM command_results")).isEqualTo(offset);
        assertThat(bool("SELECT verify_partition_gapless(" + PARTITION + ")")).isTrue();
        for (String stream : streams) {
            assertThat(bool("SELECT verify_stream_gapless('" + stream + "')")).as(stream).isTrue();
        }
    }

    @Test
    void rejectsAnEventIdThatAStoredEventAlreadyHas() {
        String stream = streamOf(PARTITION, "dup");
        String eventId = uuid();
        NewEvent event = new NewEvent(eventId, "Happened", "e", "{}", Map.of());
        StoreFixtures.appendBatch(store, PARTITION, epoch, entries(0, command(uuid(), null,
                new StreamAppend(stream, ExpectedVersion.any(), List.of(event)))));

        CommandResult result = committed(StoreFixtures.appendBatch(store, PARTITION, epoch, entries(1, command(uuid(), null,
                new StreamAppend(stream, ExpectedVersion.any(), List.of(event)))))).results().get(0).result();

        assertThat(result.reason()).isEqualTo(RejectionReason.DUPLICATE_EVENT_ID);
        assertThat(result.message()).contains("appends[0].events[0].event_id " + eventId);
        assertThat(store.readStream(stream, 1, 10)).hasSize(1);
    }

    @Test
    void rejectsInvalidJsonNamingTheFieldAndAppliesTheRestOfTheBatch() {
        String stream = streamOf(PARTITION, "json");
        AppendCommand broken = command(uuid(), null, new StreamAppend(stream, ExpectedVersion.any(), List.of(
                NewEvent.of("Ok", "e", "{}"), NewEvent.of("Broken", "e", "{\"a\": "))));

        BatchOutcome.Committed outcome = committed(StoreFixtures.appendBatch(store, PARTITION, epoch,
                entries(0, broken, append(stream, ExpectedVersion.noStream(), 1))));

        assertThat(outcome.results().get(0).result().reason()).isEqualTo(RejectionReason.INVALID_COMMAND);
        assertThat(outcome.results().get(0).result().message()).startsWith("appends[0].events[1].payload");
        assertThat(outcome.results().get(1).result().isAccepted()).isTrue();
    }

    @Test
    void storesAnUndecodableRecordsResultUnderItsOffset() throws SQLException {
        BatchOutcome.Committed outcome = committed(StoreFixtures.appendBatch(store, PARTITION, epoch, List.of(
                new BatchEntry.Undecodable(7, "wrong magic byte 0x01", new ReplyRoute(null, null, new byte[] {'c', 0, (byte) 0xff, (byte) 0x80}, new byte[] {'k'})))));

        CommandResult result = outcome.results().get(0).result();
        assertThat(result.commandId()).isEqualTo("invalid:" + PARTITION + ":7");
        assertThat(result.reason()).isEqualTo(RejectionReason.INVALID_COMMAND);
        assertThat(result.message()).contains("wrong magic byte 0x01");
        assertThat(store.readResults(PARTITION, 7, 1)).singleElement()
                .satisfies(stored -> assertThat(stored.route().correlationId())
                        .containsExactly('c', 0, (byte) 0xff, (byte) 0x80));
        assertThat(outcome.state().nextOffset()).isEqualTo(8);
    }

    @Test
    void rejectsAnAppendToAStreamThatLivesInAnotherPartition() throws SQLException {
        int other = (PARTITION + 1) % 32;
        long otherEpoch = store.claim(other, "worker-a").ownerEpoch();
        String stream = streamOf(other, "elsewhere");
        StoreFixtures.appendBatch(store, other, otherEpoch, entries(0, append(stream, ExpectedVersion.any(), 1)));
        String key = streamOf(PARTITION, "here");

        CommandResult result = committed(StoreFixtures.appendBatch(store, PARTITION, epoch, entries(0, command(uuid(), key,
                new StreamAppend(stream, ExpectedVersion.any(), events(1)))))).results().get(0).result();

        assertThat(result.reason()).isEqualTo(RejectionReason.WRONG_PARTITION);
        assertThat(result.message()).contains(stream, "lives in partition " + other);
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(1);
    }

    @Test
    void skipsEntriesBelowTheStoredNextOffset() throws SQLException {
        String stream = streamOf(PARTITION, "replay");
        AppendCommand first = append(stream, ExpectedVersion.any(), 1);
        AppendCommand second = append(stream, ExpectedVersion.any(), 1);
        StoreFixtures.appendBatch(store, PARTITION, epoch, entries(0, first));

        BatchOutcome.Committed outcome = committed(StoreFixtures.appendBatch(store, PARTITION, epoch, entries(0, first, second)));

        assertThat(outcome.skipped()).isEqualTo(1);
        assertThat(outcome.results()).extracting(RoutedResult::offset).containsExactly(1L);
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM command_redeliveries")).isZero();
    }

    @Test
    void reloadsStreamVersionsAfterAnotherOwnerWroteThePartition() {
        String stream = streamOf(PARTITION, "moved");
        StoreFixtures.appendBatch(store, PARTITION, epoch, entries(0, append(stream, ExpectedVersion.any(), 1)));
        EventStore otherWorker = new EventStore(database.dataSource(), StoreSettings.DEFAULT);
        long otherEpoch = otherWorker.claim(PARTITION, "worker-b").ownerEpoch();
        StoreFixtures.appendBatch(otherWorker, PARTITION, otherEpoch, entries(1, append(stream, ExpectedVersion.exact(1), 2)));

        long mine = store.claim(PARTITION, "worker-a").ownerEpoch();
        CommandResult result = committed(StoreFixtures.appendBatch(store, PARTITION, mine,
                entries(2, append(stream, ExpectedVersion.exact(3), 1)))).results().get(0).result();

        assertThat(result.isAccepted()).as(result.message()).isTrue();
        assertThat(result.streams().get(0).lastVersion()).isEqualTo(4L);
    }

    @Test
    void returnsPayloadsAsTheDatabaseStoresThemSoThatRepublicationIsIdentical() {
        String stream = streamOf(PARTITION, "normal");
        AppendCommand command = command(uuid(), null, new StreamAppend(stream, ExpectedVersion.any(), List.of(
                new NewEvent(null, "T", "e", "{ \"b\" :1,\"a\":[1, 2.50, \"it's \\\"q\\\" \\\\ ünï\"] }",
                        Map.of("z", "last", "a", "first, with 'quotes' and \"doubles\"")))));

        StoredEvent published = committed(StoreFixtures.appendBatch(store, PARTITION, epoch, entries(0, command))).events().get(0);

        StoredEvent reread = store.readStream(stream, 1, 1).get(0);
        assertThat(published).isEqualTo(reread);
        assertThat(published.payload()).isEqualTo("{\"a\": [1, 2.50, \"it's \\\"q\\\" \\\\ ünï\"], \"b\": 1}");
        assertThat(published.metadata()).containsExactly(Map.entry("a", "first, with 'quotes' and \"doubles\""),
                Map.entry("z", "last"));
        assertThat(published.eventId()).isEqualTo(EventIds.derive(UUID.fromString(command.commandId()), 0));
    }

    @Test
    void marksPublicationAndMovesWatermarksInBulk() throws SQLException {
        List<String> streams = streamsOf(PARTITION, "pub", 2);
        BatchOutcome.Committed outcome = committed(StoreFixtures.appendBatch(store, PARTITION, epoch, entries(0,
                append(streams.get(0), ExpectedVersion.any(), 2),
                append(streams.get(1), ExpectedVersion.any(), 3),
                append(streams.get(0), ExpectedVersion.any(), 1))));
        assertThat(count("SELECT count(*) FROM stream_health WHERE health_status = 'HAS_GAPS'")).isEqualTo(2);

        assertThat(store.markPublished(PARTITION, epoch, 2, 5)).isTrue();

        assertThat(count("SELECT watermark FROM event_streams WHERE stream_id = '" + streams.get(0) + "'"))
                .isEqualTo(2);
        assertThat(count("SELECT watermark FROM event_streams WHERE stream_id = '" + streams.get(1) + "'"))
                .isEqualTo(3);
        assertThat(store.markPublished(PARTITION, epoch, outcome.state().nextOffset(),
                outcome.state().lastSequence())).isTrue();
        assertThat(count("SELECT count(*) FROM stream_health WHERE health_status = 'HEALTHY'")).isEqualTo(2);
        PartitionState state = store.partitionState(PARTITION).orElseThrow();
        assertThat(state.publishedOffset()).isEqualTo(3);
        assertThat(state.publishedSequence()).isEqualTo(6);
    }

    @Test
    void refusesBatchesOutOfOffsetOrder() {
        String stream = streamOf(PARTITION, "order");
        List<BatchEntry> backwards = new ArrayList<>(entries(5, append(stream, ExpectedVersion.any(), 1)));
        backwards.addAll(entries(4, append(stream, ExpectedVersion.any(), 1)));

        assertThatThrownBy(() -> StoreFixtures.appendBatch(store, PARTITION, epoch, backwards))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset 4 follows 5");
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }

    private long count(String sql) {
        return database.queryForLong(sql);
    }

    private boolean bool(String sql) {
        return "t".equals(database.queryForStrings(sql).get(0));
    }

    private void execute(String sql) throws SQLException {
        database.execute(sql);
    }
}
