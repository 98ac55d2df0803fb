package io.allsource.ingest.store;

import static io.allsource.ingest.store.StoreFixtures.append;
import static io.allsource.ingest.store.StoreFixtures.committed;
import static io.allsource.ingest.store.StoreFixtures.entries;
import static io.allsource.ingest.store.StoreFixtures.streamOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The per-partition cache of stream versions holds what the database holds after each batch, also for a stream the
 * batch had to read from the database before it wrote it: a stale version there would decide the next command against
 * the wrong current version, and a command that is only checked (rejected) writes nothing that could catch it.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamVersionCacheIT {

    private static final int PARTITION = 11;

    private final TestDatabase database;
    private EventStore store;
    private long epoch;

    StreamVersionCacheIT(TestDatabase database) {
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
    void decidesTheNextBatchAgainstTheVersionWrittenToAStreamItFirstReadFromTheDatabase() {
        String stream = streamOf(PARTITION, "cached");
        committed(StoreFixtures.appendBatch(store, PARTITION, epoch, entries(0, append(stream, ExpectedVersion.noStream(), 1))));
        epoch = store.claim(PARTITION, "worker-b").ownerEpoch(); // a new owner: nothing cached, the stream is read
        committed(StoreFixtures.appendBatch(store, PARTITION, epoch, entries(1, append(stream, ExpectedVersion.exact(1), 1))));

        CommandResult next = committed(StoreFixtures.appendBatch(store, PARTITION, epoch,
                entries(2, append(stream, ExpectedVersion.exact(2), 1)))).results().get(0).result();

        assertThat(next.isAccepted()).as(next.toString()).isTrue();
        assertThat(next.streams().get(0).lastVersion()).isEqualTo(3L);
    }

    @Test
    void reportsTheActualVersionOnAConflictAfterAStreamWasReadAndWritten() {
        String stream = streamOf(PARTITION, "conflict");
        committed(StoreFixtures.appendBatch(store, PARTITION, epoch, entries(0, append(stream, ExpectedVersion.noStream(), 1))));
        epoch = store.claim(PARTITION, "worker-b").ownerEpoch();
        committed(StoreFixtures.appendBatch(store, PARTITION, epoch, entries(1, append(stream, ExpectedVersion.any(), 2))));

        CommandResult next = committed(StoreFixtures.appendBatch(store, PARTITION, epoch,
                entries(2, append(stream, ExpectedVersion.exact(7), 1)))).results().get(0).result();

        assertThat(next.message()).contains("expected EXACT 7 but is at version 3");
        assertThat(next.streams().get(0).currentVersion()).isEqualTo(3L);
    }
}
