package io.allsource.ingest.store;

import static io.allsource.ingest.store.StoreFixtures.command;
import static io.allsource.ingest.store.StoreFixtures.committed;
import static io.allsource.ingest.store.StoreFixtures.entries;
import static io.allsource.ingest.store.StoreFixtures.events;
import static io.allsource.ingest.store.StoreFixtures.streamOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.command.AppendCommand;
import io.allsource.ingest.command.CommandFingerprint;
import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.StreamAppend;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store keeps each delivery's content fingerprint, so that a command id replayed with other content is told so
 * in the batch that answers it and again when its result is republished after a crash.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventStoreReplayedContentIT {

    private static final int PARTITION = 5;

    private final TestDatabase database;
    private EventStore store;
    private long epoch;

    EventStoreReplayedContentIT(TestDatabase database) {
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
    void storesTheFingerprintOfTheDecidingDeliveryAndOfEachRedelivery() {
        String stream = streamOf(PARTITION, "fp");
        String id = UUID.randomUUID().toString();
        AppendCommand original = command(id, null, new StreamAppend(stream, ExpectedVersion.noStream(), events(1)));
        AppendCommand changed = command(id, null, new StreamAppend(stream, ExpectedVersion.any(), events(2)));

        committed(StoreFixtures.appendBatch(store, PARTITION, epoch, entries(0, original, changed)));

        assertThat(database.queryForStrings("SELECT content_fingerprint FROM command_results WHERE command_id = '"
                + id + "'")).containsExactly(CommandFingerprint.of(original).hex());
        assertThat(database.queryForStrings("SELECT content_fingerprint FROM command_redeliveries WHERE command_id = '"
                + id + "'")).containsExactly(CommandFingerprint.of(changed).hex());
    }

    @Test
    void answersAReplayWithOtherContentInALaterBatchAndRepublishesTheSameAnswer() {
        String stream = streamOf(PARTITION, "later");
        String id = UUID.randomUUID().toString();
        AppendCommand original = command(id, null, new StreamAppend(stream, ExpectedVersion.noStream(), events(1)));
        AppendCommand faithful = command(id, null, new StreamAppend(stream, ExpectedVersion.noStream(), events(1)));
        AppendCommand changed = command(id, null, new StreamAppend(stream, ExpectedVersion.exact(1), events(3)));
        CommandResult first = committed(StoreFixtures.appendBatch(store, PARTITION, epoch, entries(0, original))).results().get(0)
                .result();

        List<RoutedResult> answered = committed(StoreFixtures.appendBatch(store, PARTITION, epoch, entries(1, faithful, changed)))
                .results();

        CommandResult faithfulAnswer = answered.get(0).result();
        CommandResult changedAnswer = answered.get(1).result();
        assertThat(faithfulAnswer.duplicate()).isTrue();
        assertThat(faithfulAnswer.message()).isNull();
        assertThat(changedAnswer.duplicate()).isTrue();
        assertThat(changedAnswer.isAccepted()).isTrue();
        assertThat(changedAnswer.offset()).isZero();
        assertThat(changedAnswer.message()).isEqualTo("command_id " + id
                + " was already applied with different content; this is its stored result");
        assertThat(store.readStream(stream, 1, 10)).hasSize(1);
        assertThat(store.readResults(PARTITION, 0, 10)).extracting(RoutedResult::result)
                .containsExactly(first, faithfulAnswer, changedAnswer);
    }

    @Test
    void answersResultsStoredWithoutAFingerprintWithoutAContentCheck() throws SQLException {
        String stream = streamOf(PARTITION, "old");
        String id = UUID.randomUUID().toString();
        committed(StoreFixtures.appendBatch(store, PARTITION, epoch, entries(0,
                command(id, null, new StreamAppend(stream, ExpectedVersion.noStream(), events(1))))));
        database.execute("UPDATE command_results SET content_fingerprint = NULL");

        CommandResult answer = committed(StoreFixtures.appendBatch(store, PARTITION, epoch, entries(1,
                command(id, null, new StreamAppend(stream, ExpectedVersion.any(), events(2)))))).results().get(0)
                .result();

        assertThat(answer.duplicate()).isTrue();
        assertThat(answer.message()).isNull();
        assertThat(store.readResults(PARTITION, 1, 1)).singleElement().extracting(RoutedResult::result)
                .isEqualTo(answer);
    }
}
