package io.allsource.ingest.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeedSchemaIT {

    private final TestDatabase database;

    SeedSchemaIT(TestDatabase database) {
        this.database = database;
    }

    @BeforeAll
    void migrateTheEmptyDatabase() {
        int applied = Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/migration").load()
                .migrate().migrationsExecuted;
        assertThat(applied).isGreaterThanOrEqualTo(2);
    }

    @BeforeEach
    void emptyTheTables() throws SQLException {
        execute("TRUNCATE events, event_streams, command_redeliveries, command_results, partition_state CASCADE");
    }

    @Test
    void createsEverySeedObject() throws SQLException {
        assertThat(strings("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                + " AND table_type = 'BASE TABLE'"))
                .contains("event_streams", "events", "partition_state", "command_results", "command_redeliveries");
        assertThat(strings("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"))
                .contains("idx_events_stream_version", "idx_events_tenant", "idx_events_entity", "idx_events_type",
                        "idx_events_timestamp", "idx_stream_partition", "idx_stream_active");
        assertThat(strings("SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_stream_active'"))
                .singleElement().asString().contains("WHERE (current_version > 0)");
        assertThat(strings("SELECT table_name FROM information_schema.views WHERE table_schema = 'public'"))
                .contains("partition_stats", "stream_health");
        assertThat(strings("SELECT routine_name FROM information_schema.routines WHERE routine_schema = 'public'"))
                .contains("verify_stream_gapless", "verify_partition_gapless");
        assertThat(strings("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"))
                .contains("event_stream_update_timestamp");
    }

    @Test
    void partitionStatsSummarisesStreamsPerPartition() throws SQLException {
        insertStream("a", 3, 2);
        insertStream("b", 3, 4);
        insertStream("c", 7, 1);

        assertThat(strings("SELECT partition_id || ':' || stream_count || ':' || total_events || ':'"
                + " || max_events_in_stream || ':' || round(avg_events_per_stream, 1)"
                + " FROM partition_stats ORDER BY partition_id"))
                .containsExactly("3:2:6:4:3.0", "7:1:1:1:1.0");
    }

    @Test
    void streamHealthShowsUnpublishedEventsAsGaps() throws SQLException {
        insertStream("healthy", 1, 2);
        insertStream("behind", 1, 3);
        insertStream("empty", 1, 0);
        execute("UPDATE event_streams SET watermark = current_version WHERE stream_id = 'healthy'");
        execute("UPDATE event_streams SET watermark = 1 WHERE stream_id = 'behind'");

        assertThat(strings("SELECT stream_id || ':' || gap_size || ':' || health_status FROM stream_health"
                + " ORDER BY stream_id"))
                .containsExactly("behind:2:HAS_GAPS", "empty:0:EMPTY", "healthy:0:HEALTHY");
    }

    @Test
    void verifyStreamGaplessIsTrueUntilAVersionIsMissing() throws SQLException {
        insertStream("s", 1, 3);

        assertThat(gapless("s")).isTrue();

        execute("DELETE FROM events WHERE stream_id = 's' AND version = 2");
        assertThat(gapless("s")).isFalse();
    }

    @Test
    void verifyStreamGaplessIsFalseWhenCurrentVersionOutrunsTheEvents() throws SQLException {
        insertStream("s", 1, 2);
        execute("UPDATE event_streams SET current_version = 3 WHERE stream_id = 's'");

        assertThat(gapless("s")).isFalse();
    }

    @Test
    void verifyStreamGaplessIsNullForAnUnknownStream() throws SQLException {
        assertThat(strings("SELECT verify_stream_gapless('nobody')::text")).containsExactly((String) null);
    }

    @Test
    void verifyPartitionGaplessChecksSequencesAgainstPartitionState() throws SQLException {
        insertStream("s", 5, 3);
        execute("INSERT INTO partition_state (partition_id, owner_epoch, last_sequence, next_offset)"
                + " VALUES (5, 1, 3, 3)");
        assertThat(strings("SELECT verify_partition_gapless(5)::text")).containsExactly("true");

        execute("DELETE FROM events WHERE partition_sequence = 2 AND partition_id = 5");
        assertThat(strings("SELECT verify_partition_gapless(5)::text")).containsExactly("false");
    }

    /** Since V8 a watermark update leaves updated_at as it was: WatermarkHotUpdateIT has those cases. */
    @Test
    void triggerOwnsUpdatedAtAndSetsItToTheTimeOfTheUpdateThatMovesAStreamsVersion() throws SQLException {
        insertStream("s", 1, 1);
        execute("UPDATE event_streams SET updated_at = '2000-01-01T00:00:00Z' WHERE stream_id = 's'");
        Timestamp before = timestamp("SELECT updated_at FROM event_streams WHERE stream_id = 's'");

        List<String> movedToNow = strings("UPDATE event_streams SET current_version = 2 WHERE stream_id = 's'"
                + " RETURNING (updated_at = now())::text");

        assertThat(before.toInstant().toString()).doesNotStartWith("2000");
        assertThat(movedToNow).containsExactly("true");
    }

    @Test
    void enforcesTheSeedsChecks() throws SQLException {
        insertStream("s", 1, 2);

        assertThatThrownBy(() -> execute("UPDATE event_streams SET watermark = 3 WHERE stream_id = 's'"))
                .hasMessageContaining("event_streams_watermark_check");
        assertThatThrownBy(() -> insertStream("p", 32, 0)).hasMessageContaining("event_streams_partition_check");
        assertThatThrownBy(() -> insertEvent("s", 0, 1, 90)).hasMessageContaining("events_version_check");
        assertThatThrownBy(() -> insertEvent("s", 2, 1, 91)).hasMessageContaining("events_stream_version_unique");
    }

    @Test
    void enforcesOnePartitionSequenceAndOneEventIdPerEvent() throws SQLException {
        insertStream("s", 1, 1);
        insertStream("t", 1, 0);

        assertThatThrownBy(() -> insertEvent("t", 1, 1, 92)).hasMessageContaining("events_partition_sequence_unique");
        execute("INSERT INTO events (stream_id, version, tenant_id, event_type, entity_id, payload, timestamp,"
                + " partition_id, partition_sequence, event_id, command_id) SELECT 't', 1, 't', 'e', 'x', '{}', now(),"
                + " 1, 50, event_id, 'c' FROM events WHERE stream_id = 's'"
                + " ON CONFLICT DO NOTHING");
        assertThat(strings("SELECT count(*)::text FROM events WHERE stream_id = 't'")).containsExactly("0");
    }

    @Test
    void keepsAcceptedResultsWithoutReasonAndRejectedWithOne() {
        assertThatThrownBy(() -> execute("INSERT INTO command_results (command_id, partition_id, command_offset,"
                + " status, reason, streams, committed_at) VALUES ('c', 1, 0, 'ACCEPTED', 'WRONG_PARTITION', '[]', now())"))
                .hasMessageContaining("command_results_reason_check");
    }

    private void insertStream(String streamId, int partition, int events) throws SQLException {
        execute("INSERT INTO event_streams (stream_id, partition_id, current_version) VALUES ('" + streamId + "', "
                + partition + ", " + events + ")");
        for (int version = 1; version <= events; version++) {
            insertEvent(streamId, version, nextSequence(partition), Math.abs((streamId + version).hashCode()));
        }
    }

    private int nextSequence(int partition) throws SQLException {
        return Integer.parseInt(strings("SELECT (COALESCE(MAX(partition_sequence), 0) + 1)::text FROM events"
                + " WHERE partition_id = " + partition).get(0));
    }

    private void insertEvent(String streamId, long version, long sequence, int idSeed) throws SQLException {
        int partition = Integer.parseInt(strings("SELECT partition_id::text FROM event_streams WHERE stream_id = '"
                + streamId + "'").get(0));
        execute("INSERT INTO events (stream_id, version, tenant_id, event_type, entity_id, payload, metadata,"
                + " timestamp, partition_id, partition_sequence, event_id, command_id) VALUES ('" + streamId + "', "
                + version + ", 'tenant', 'Happened', 'entity', '{\"n\": " + version + "}', '{}', now(), " + partition
                + ", " + sequence + ", md5('" + idSeed + "')::uuid, 'command')");
    }

    private boolean gapless(String streamId) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT verify_stream_gapless(?)")) {
            statement.setString(1, streamId);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    private Timestamp timestamp(String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getTimestamp(1);
        }
    }

    private List<String> strings(String sql) {
        return database.queryForStrings(sql);
    }

    private void execute(String sql) throws SQLException {
        database.execute(sql);
    }
}
