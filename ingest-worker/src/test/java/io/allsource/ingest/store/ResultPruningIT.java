package io.allsource.ingest.store;

import static io.allsource.ingest.store.StoreFixtures.append;
import static io.allsource.ingest.store.StoreFixtures.committed;
import static io.allsource.ingest.store.StoreFixtures.entries;
import static io.allsource.ingest.store.StoreFixtures.streamsOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.allsource.ingest.batch.BatchEntry;
import io.allsource.ingest.command.AppendCommand;
import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.RejectionReason;
import io.allsource.ingest.command.ReplyRoute;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pruning of stored outcomes against a real PostgreSQL: what a step deletes, what it keeps (the unpublished, the
 * recent, a result a later redelivery answers with), the pruned offset and sequence it leaves, and that a pruned
 * command id is new again. Outcomes are made old by moving their timestamps back two hours; the retention is one hour.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResultPruningIT {

    private static final int PARTITION = 5;
    private static final Duration RETENTION = Duration.ofHours(1);

    private final TestDatabase database;
    private EventStore store;
    private ResultPruning pruning;
    private long epoch;

    ResultPruningIT(TestDatabase database) {
        this.database = database;
    }

    @BeforeAll
    void migrate() {
        Database.migrate(database.dataSource());
    }

    @BeforeEach
    void freshStoreAndClaim() throws SQLException {
        store = StoreFixtures.emptiedStore(database);
        pruning = new ResultPruning(database.dataSource());
        epoch = store.claim(PARTITION, "worker-a").ownerEpoch();
    }

    @Test
    void prunesPublishedOutcomesOlderThanTheRetentionAndMovesThePrunedOffsetAndSequence() throws SQLException {
        appendOneEventEach(0, 6);
        publishedUpTo(6);
        age("command_results", "committed_at", "command_offset < 4");

        ResultPruning.Step step = pruning.prune(PARTITION, RETENTION, 500);

        assertThat(step).isEqualTo(new ResultPruning.Step(4, 4, false, false));
        assertThat(offsets("command_results")).containsExactly(4L, 5L);
        assertThat(count("SELECT count(*) FROM events")).as("events are never pruned").isEqualTo(6);
        assertThat(count("SELECT pruned_offset FROM partition_state WHERE partition_id = " + PARTITION)).isEqualTo(4);
        assertThat(count("SELECT pruned_sequence FROM partition_state WHERE partition_id = " + PARTITION))
                .isEqualTo(4);
        assertThat(pruning.prune(PARTITION, RETENTION, 500)).as("nothing more is old enough")
                .isEqualTo(new ResultPruning.Step(0, 4, false, false));
    }

    @Test
    void keepsOutcomesNotYetPublishedHoweverOld() throws SQLException {
        appendOneEventEach(0, 5);
        publishedUpTo(2);
        age("command_results", "committed_at", "true");

        ResultPruning.Step step = pruning.prune(PARTITION, RETENTION, 500);

        assertThat(step.outcomesDeleted()).isEqualTo(2);
        assertThat(step.prunedOffset()).isEqualTo(2);
        assertThat(offsets("command_results")).as("republished after a crash from the stored outcomes")
                .containsExactly(2L, 3L, 4L);
    }

    @Test
    void drainsABacklogInStepsOfTheLimit() throws SQLException {
        appendOneEventEach(0, 10);
        publishedUpTo(10);
        age("command_results", "committed_at", "true");

        List<ResultPruning.Step> steps = new ArrayList<>();
        do {
            steps.add(pruning.prune(PARTITION, RETENTION, 3));
        } while (steps.get(steps.size() - 1).more() && steps.size() < 10);

        assertThat(steps).extracting(ResultPruning.Step::outcomesDeleted).containsExactly(3, 3, 3, 1);
        assertThat(steps).extracting(ResultPruning.Step::prunedOffset).containsExactly(3L, 6L, 9L, 10L);
        assertThat(count("SELECT count(*) FROM command_results")).isZero();
    }

    @Test
    void keepsAResultThatALaterRedeliveryAnswersWithUntilThatRedeliveryIsPrunedToo() throws SQLException {
        List<String> streams = streamsOf(PARTITION, "pinned", 2);
        AppendCommand retried = append(streams.get(0), ExpectedVersion.noStream(), 1);
        committed(StoreFixtures.appendBatch(store, PARTITION, epoch, entries(0, retried,
                append(streams.get(1), ExpectedVersion.noStream(), 1))));
        committed(StoreFixtures.appendBatch(store, PARTITION, epoch, List.of(
                new BatchEntry.Decoded(2, retried, ReplyRoute.DEFAULT))));
        publishedUpTo(3);
        age("command_results", "committed_at", "true");

        ResultPruning.Step first = pruning.prune(PARTITION, RETENTION, 500);

        assertThat(first.prunedOffset()).as("the redelivery at offset 2 is recent").isEqualTo(2);
        assertThat(offsets("command_results")).as("the result the redelivery at offset 2 answers with")
                .containsExactly(0L);
        assertThat(offsets("command_redeliveries")).containsExactly(2L);

        age("command_redeliveries", "received_at", "true");
        ResultPruning.Step second = pruning.prune(PARTITION, RETENTION, 500);

        assertThat(second.outcomesDeleted()).isEqualTo(2);
        assertThat(second.prunedOffset()).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM command_results")).isZero();
        assertThat(count("SELECT count(*) FROM command_redeliveries")).isZero();
    }

    @Test
    void decidesAPrunedCommandIdAgainAndItsDerivedEventIdsStillKeepItsEventsFromBeingWrittenTwice()
            throws SQLException {
        String stream = streamsOf(PARTITION, "reused", 1).get(0);
        AppendCommand command = append(stream, ExpectedVersion.any(), 1);
        committed(StoreFixtures.appendBatch(store, PARTITION, epoch, entries(0, command)));
        publishedUpTo(1);
        age("command_results", "committed_at", "true");
        pruning.prune(PARTITION, RETENTION, 500);

        CommandResult again = committed(StoreFixtures.appendBatch(store, PARTITION, epoch, entries(1, command)))
                .results().get(0).result();

        assertThat(again.duplicate()).as("no stored outcome to answer with").isFalse();
        assertThat(again.reason()).isEqualTo(RejectionReason.DUPLICATE_EVENT_ID);
        assertThat(count("SELECT current_version FROM event_streams WHERE stream_id = '" + stream + "'"))
                .as("written once").isEqualTo(1);
    }

    @Test
    void skipsAPartitionWhoseLockIsHeldInsteadOfWaitingForIt() throws SQLException {
        appendOneEventEach(0, 2);
        publishedUpTo(2);
        age("command_results", "committed_at", "true");
        try (Connection batch = database.dataSource().getConnection()) {
            batch.setAutoCommit(false);
            try (Statement lock = batch.createStatement()) {
                lock.execute("SELECT * FROM partition_state WHERE partition_id = " + PARTITION + " FOR UPDATE");
            }
            Instant started = Instant.now();

            ResultPruning.Step step = pruning.prune(PARTITION, RETENTION, 500);

            assertThat(step.skipped()).isTrue();
            assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(5));
            batch.rollback();
        }
        assertThat(offsets("command_results")).containsExactly(0L, 1L);
    }

    @Test
    void prunesOutcomesAnOffsetResetSupersededOnceTheirEventsAreBelowThePrunedSequence() throws SQLException {
        appendOneEventEach(0, 3);
        PartitionState reset = resetTo(0, "topic-a");
        appendOneEventEach(0, 2, reset);
        publishedUpTo(2);
        age("command_results", "committed_at", "true");

        ResultPruning.Step step = pruning.prune(PARTITION, RETENTION, 500);

        assertThat(step.outcomesDeleted()).as("two of the new log, three superseded").isEqualTo(5);
        assertThat(count("SELECT count(*) FROM command_results")).isZero();
        assertThat(count("SELECT pruned_sequence FROM partition_state WHERE partition_id = " + PARTITION))
                .isEqualTo(5);
    }

    @Test
    void anOffsetResetLowersThePrunedOffsetToWhereTheNewLogStarts() throws SQLException {
        appendOneEventEach(0, 4);
        publishedUpTo(4);
        age("command_results", "committed_at", "true");
        pruning.prune(PARTITION, RETENTION, 500);

        resetTo(2, "topic-a");
        assertThat(count("SELECT pruned_offset FROM partition_state WHERE partition_id = " + PARTITION)).isEqualTo(2);

        resetTo(0, "topic-b");
        assertThat(count("SELECT pruned_offset FROM partition_state WHERE partition_id = " + PARTITION))
                .as("a replaced topic: nothing of the new log is pruned").isZero();
    }

    @Test
    void namesTheOutcomeTablesAUserMayNotDeleteFrom() throws SQLException {
        database.execute("DROP ROLE IF EXISTS pruning_reader; CREATE ROLE pruning_reader;"
                + " GRANT SELECT, INSERT ON command_results, command_redeliveries TO pruning_reader;"
                + " GRANT DELETE ON command_redeliveries TO pruning_reader");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setConnectionInitSql("SET ROLE pruning_reader");
        config.setMaximumPoolSize(1);
        try (HikariDataSource asReader = new HikariDataSource(config)) {
            assertThat(new ResultPruning(asReader).tablesWithoutDelete()).containsExactly("command_results");
        }
        assertThat(pruning.tablesWithoutDelete()).as("the owner").isEmpty();
    }

    private void appendOneEventEach(long firstOffset, int commands) throws SQLException {
        appendOneEventEach(firstOffset, commands, null);
    }

    private void appendOneEventEach(long firstOffset, int commands, PartitionState claimed) {
        List<String> streams = streamsOf(PARTITION, "s" + firstOffset + "-" + System.nanoTime(), commands);
        AppendCommand[] appends = streams.stream().map(stream -> append(stream, ExpectedVersion.noStream(), 1))
                .toArray(AppendCommand[]::new);
        List<BatchEntry> batch = entries(firstOffset, appends);
        if (claimed == null) {
            committed(StoreFixtures.appendBatch(store, PARTITION, epoch, batch));
        } else {
            committed(StoreFixtures.appendBatch(store, claimed, batch.toArray(BatchEntry[]::new)));
            epoch = claimed.ownerEpoch();
        }
    }

    private PartitionState resetTo(long offset, String topicId) {
        new OffsetResets(database.dataSource()).reset(PARTITION, offset, topicId, "tester", "here", "a test");
        return store.claim(PARTITION, "worker-a");
    }

    private void publishedUpTo(long offset) {
        PartitionState state = store.partitionState(PARTITION).orElseThrow();
        assertThat(store.markPublished(PARTITION, state.ownerEpoch(), offset, state.lastSequence())).isTrue();
    }

    private void age(String table, String column, String where) throws SQLException {
        database.execute("UPDATE " + table + " SET " + column + " = " + column + " - interval '2 hours' WHERE "
                + where);
    }

    private List<Long> offsets(String table) {
        return database.queryForStrings("SELECT command_offset FROM " + table + " WHERE partition_id = " + PARTITION
                + " ORDER BY command_offset").stream().map(Long::valueOf).toList();
    }

    private long count(String sql) {
        return database.queryForLong(sql);
    }
}
