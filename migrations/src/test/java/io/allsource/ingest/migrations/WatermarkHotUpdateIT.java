package io.allsource.ingest.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * V8 against the real database: updated_at moves with a stream's content only, so that a watermark update leaves every
 * indexed column as it was and, with the pages' room, is a HOT update. Every statement runs in one session of the
 * class's own, so that the table's statistics move by what this session did and nothing else.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatermarkHotUpdateIT {

    /**
     * updated_at named: "now()" when it is the time of the transaction that reads it, "as inserted" when it is still
     * the time {@link #insertStreamUpdatedLongAgo()} gave it (only an insert can set it: the trigger does not fire for
     * inserts, and an update that sets it alone is overridden).
     */
    private static final String UPDATED_AT = "CASE WHEN updated_at = now() THEN 'now()'"
            + " WHEN updated_at = '2000-01-01 00:00:00+00' THEN 'as inserted' ELSE updated_at::text END";

    private final TestDatabase database;
    private Connection session;

    WatermarkHotUpdateIT(TestDatabase database) {
        this.database = database;
    }

    @BeforeAll
    void migrateAndOpenTheSession() throws SQLException {
        Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/migration").load().migrate();
        session = database.dataSource().getConnection();
    }

    @AfterAll
    void closeTheSession() throws SQLException {
        session.close();
    }

    @BeforeEach
    void emptyTheStreams() throws SQLException {
        execute("TRUNCATE event_streams CASCADE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"watermark = 2", "watermark = 1, updated_at = now()", "updated_at = now()",
            "current_version = current_version, expected_version = NULL, partition_key = NULL"})
    void anUpdateThatLeavesTheContentAsItWasKeepsUpdatedAt(String assignments) throws SQLException {
        insertStreamUpdatedLongAgo();

        assertThat(update(assignments)).containsExactly("as inserted");
        assertThat(strings("SELECT " + UPDATED_AT + " FROM event_streams")).containsExactly("as inserted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"current_version = 3", "current_version = 3, watermark = 2", "expected_version = 2",
            "partition_key = 'order-7'", "partition_id = 4", "created_at = now()",
            "current_version = 3, updated_at = '1999-01-01 00:00:00+00'"})
    void anUpdateThatChangesTheContentSetsUpdatedAtToItsTransactionsTime(String assignments) throws SQLException {
        insertStreamUpdatedLongAgo();

        assertThat(update(assignments)).containsExactly("now()");
    }

    @Test
    void aWatermarkUpdateOverTwoThousandNewStreamsIsHot() throws SQLException {
        execute("INSERT INTO event_streams (stream_id, partition_id, current_version)"
                + " SELECT 'bench-stream-' || g, g % 32, 1 FROM generate_series(1, 2000) AS g");
        // A backend reports its counters when a transaction ends only once a second has passed since it last did,
        // unless told to: forced here before reading, and in the update's transaction so that its commit reports.
        execute("SELECT pg_stat_force_next_flush()");
        UpdateCounts before = updateCounts();

        int updated;
        session.setAutoCommit(false);
        try (Statement statement = session.createStatement()) {
            updated = statement.executeUpdate("UPDATE event_streams SET watermark = current_version"
                    + " WHERE watermark < current_version");
            statement.execute("SELECT pg_stat_force_next_flush()");
            session.commit();
        } catch (SQLException | RuntimeException e) {
            session.rollback();
            throw e;
        } finally {
            session.setAutoCommit(true);
        }
        UpdateCounts counted = updateCounts().minus(before);

        assertThat(updated).isEqualTo(2_000);
        assertThat(counted.rows()).as("rows updated (n_tup_upd)").isEqualTo(updated);
        assertThat(counted.hot()).as("of them HOT (n_tup_hot_upd)").isGreaterThanOrEqualTo(updated * 9L / 10);
    }

    @Test
    void keepsTheSeedsTriggerAndActiveStreamsIndexAndLeavesHalfOfEachPageForNewVersions() throws SQLException {
        assertThat(strings("SELECT pg_get_triggerdef(oid) FROM pg_trigger"
                + " WHERE tgrelid = 'event_streams'::regclass AND NOT tgisinternal"))
                .containsExactly("CREATE TRIGGER event_stream_update_timestamp BEFORE UPDATE ON public.event_streams"
                        + " FOR EACH ROW EXECUTE FUNCTION event_streams_touch_updated_at()");
        assertThat(strings("SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_stream_active'"))
                .containsExactly("CREATE INDEX idx_stream_active ON public.event_streams USING btree (partition_id,"
                        + " updated_at DESC) WHERE (current_version > 0)");
        assertThat(strings("SELECT unnest(reloptions) FROM pg_class WHERE oid = 'event_streams'::regclass"))
                .containsExactly("fillfactor=50");
    }

    private void insertStreamUpdatedLongAgo() throws SQLException {
        execute("INSERT INTO event_streams (stream_id, partition_id, current_version, updated_at)"
                + " VALUES ('s', 1, 2, '2000-01-01 00:00:00+00')");
    }

    /** Runs the update on stream s; returns its updated_at as the statement left it, named as {@link #UPDATED_AT}. */
    private List<String> update(String assignments) throws SQLException {
        return strings("UPDATE event_streams SET " + assignments + " WHERE stream_id = 's' RETURNING " + UPDATED_AT);
    }

    /** Rows of event_streams updated ({@code n_tup_upd}) and, of them, HOT ({@code n_tup_hot_upd}). */
    private record UpdateCounts(long rows, long hot) {

        UpdateCounts minus(UpdateCounts earlier) {
            return new UpdateCounts(rows - earlier.rows, hot - earlier.hot);
        }
    }

    /** The counts as the shared statistics hold them. */
    private UpdateCounts updateCounts() throws SQLException {
        try (Statement statement = session.createStatement();
                ResultSet row = statement.executeQuery("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
                        + " WHERE relname = 'event_streams'")) {
            row.next();
            return new UpdateCounts(row.getLong(1), row.getLong(2));
        }
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = session.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = session.createStatement()) {
            statement.execute(sql);
        }
    }
}
