package io.allsource.ingest.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * V7 on a database that V6 resets already wrote to: each partition gets as its log reset id the latest reset that
 * superseded any of its outcomes (results or redeliveries), and none when no reset superseded any.
 */
@ExtendWith(PostgresExtension.class)
class LogResetIdMigrationIT {

    private final TestDatabase database;

    LogResetIdMigrationIT(TestDatabase database) {
        this.database = database;
    }

    @Test
    void setsEachPartitionsLogResetIdToTheLatestResetThatSupersededItsOutcomes() throws SQLException {
        flyway().target("6").load().migrate();
        database.execute("INSERT INTO partition_state (partition_id, next_offset) VALUES (1, 3), (2, 9), (3, 4)");
        database.execute("INSERT INTO offset_resets (reset_id, partition_id, from_offset, to_offset, topic_id,"
                + " operator, host, reason) VALUES (11, 1, 2, 0, 't', 'op', 'h', 'recreated'),"
                + " (12, 1, 2, 1, 't', 'op', 'h', 'replayed'), (13, 1, 3, 3, 't', 'op', 'h', 'superseded nothing'),"
                + " (14, 2, 5, 9, 't', 'op', 'h', 'skipped ahead')");
        insertResult("old-0", 1, 0, 11);
        insertResult("old-1", 1, 1, 11);
        insertResult("current-0", 1, 0, null);
        insertResult("replayed-1", 1, 1, null);
        insertResult("kept", 2, 0, null);
        insertResult("never-reset", 3, 0, null);
        database.execute("INSERT INTO command_redeliveries (partition_id, command_offset, command_id, received_at,"
                + " superseded_by) VALUES (1, 1, 'current-0', now(), 12)");

        flyway().load().migrate();

        assertThat(database.queryForStrings("SELECT partition_id || ':' || COALESCE(log_reset_id::text, 'none')"
                + " FROM partition_state ORDER BY partition_id")).containsExactly("1:12", "2:none", "3:none");
    }

    private FluentConfiguration flyway() {
        return Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/migration");
    }

    private void insertResult(String commandId, int partition, long offset, Integer supersededBy)
            throws SQLException {
        database.execute("INSERT INTO command_results (command_id, partition_id, command_offset, status, reason,"
                + " streams, committed_at, superseded_by) VALUES ('" + commandId + "', " + partition + ", " + offset
                + ", 'REJECTED', 'INVALID_COMMAND', '[]', now(), " + supersededBy + ")");
    }
}
