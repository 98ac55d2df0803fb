package io.allsource.ingest.store;

import static io.allsource.ingest.store.StoreFixtures.append;
import static io.allsource.ingest.store.StoreFixtures.committed;
import static io.allsource.ingest.store.StoreFixtures.entries;
import static io.allsource.ingest.store.StoreFixtures.streamOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.command.AppendCommand;
import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.RejectionReason;
import io.allsource.ingest.command.StreamAppend;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Batches racing other transactions: a claim by a new owner, and batches of other partitions that take the same
 * globally unique keys. Each race is made deterministic by holding the contested lock in a transaction of the test's
 * own until the batch is seen waiting on it.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventStoreRacesIT {

    private static final int PARTITION = 9;
    private static final int OTHER_PARTITION = 10;

    private final TestDatabase database;
    private EventStore store;
    private long epoch;

    EventStoreRacesIT(TestDatabase database) {
        this.database = database;
    }

    @BeforeAll
    void migrate() {
        Database.migrate(database.dataSource());
    }

    @BeforeEach
    void freshStore() throws SQLException {
        store = StoreFixtures.emptiedStore(database);
        epoch = store.claim(PARTITION, "worker-a").ownerEpoch();
    }

    @Test
    void fencesABatchWhoseOwnerIsReplacedWhileItWaitsForThePartitionLock() throws Exception {
        String stream = streamOf(PARTITION, "race");
        CompletableFuture<BatchOutcome> batch;
        try (Connection claimer = database.dataSource().getConnection()) {
            claimer.setAutoCommit(false);
            execute(claimer, "SELECT * FROM partition_state WHERE partition_id = " + PARTITION + " FOR UPDATE");

            batch = CompletableFuture.supplyAsync(() -> StoreFixtures.appendBatch(store, PARTITION, epoch,
                    entries(0, append(stream, ExpectedVersion.any(), 1))));
            awaitBlockedOnALock();

            execute(claimer, "UPDATE partition_state SET owner_epoch = owner_epoch + 1, owner_id = 'worker-b'"
                    + " WHERE partition_id = " + PARTITION);
            claimer.commit();
        }

        assertThat(batch.get()).isInstanceOf(BatchOutcome.Fenced.class);
        assertThat(store.readStream(stream, 1, 10)).isEmpty();
    }

    @Test
    void answersACommandIdThatAnotherPartitionCommitsFirstAsARedelivery() throws Exception {
        String commandId = UUID.randomUUID().toString();
        String stream = streamOf(PARTITION, "retry");
        CompletableFuture<BatchOutcome> batch;
        try (Connection other = database.dataSource().getConnection()) {
            other.setAutoCommit(false);
            execute(other, "INSERT INTO command_results (command_id, partition_id, command_offset, status, streams,"
                    + " committed_at) VALUES ('" + commandId + "', " + OTHER_PARTITION + ", 0, 'ACCEPTED', '[]', now())");

            batch = CompletableFuture.supplyAsync(() -> StoreFixtures.appendBatch(store, PARTITION, epoch, entries(0,
                    StoreFixtures.command(commandId, null, new StreamAppend(stream, ExpectedVersion.any(),
                            StoreFixtures.events(1))))));
            awaitBlockedOnALock();
            other.commit();
        }

        CommandResult result = committed(batch.get()).results().get(0).result();
        assertThat(result.duplicate()).isTrue();
        assertThat(result.partition()).isEqualTo(OTHER_PARTITION);
        assertThat(store.readStream(stream, 1, 10)).isEmpty();
    }

    @Test
    void rejectsAStreamThatAnotherPartitionCreatesFirst() throws Exception {
        String stream = streamOf(OTHER_PARTITION, "contested");
        String key = streamOf(PARTITION, "key");
        CompletableFuture<BatchOutcome> batch;
        try (Connection other = database.dataSource().getConnection()) {
            other.setAutoCommit(false);
            execute(other, "INSERT INTO event_streams (stream_id, partition_id, current_version) VALUES ('" + stream
                    + "', " + OTHER_PARTITION + ", 0)");

            AppendCommand command = StoreFixtures.command(UUID.randomUUID().toString(), key,
                    new StreamAppend(stream, ExpectedVersion.noStream(), StoreFixtures.events(1)));
            batch = CompletableFuture.supplyAsync(() -> StoreFixtures.appendBatch(store, PARTITION, epoch, entries(0, command)));
            awaitBlockedOnALock();
            other.commit();
        }

        CommandResult result = committed(batch.get()).results().get(0).result();
        assertThat(result.reason()).isEqualTo(RejectionReason.WRONG_PARTITION);
        assertThat(result.message()).contains("lives in partition " + OTHER_PARTITION);
    }

    private void awaitBlockedOnALock() {
        await().alias("a batch transaction waiting on a lock held by the test")
                .atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND wait_event_type = 'Lock'") > 0);
    }

    private long count(String sql) {
        return database.queryForLong(sql);
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
