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
 * V9 on a database that V8 wrote to: each stream gets the tenant of its first event, also a stream whose later events
 * another tenant wrote (what the defect of issue 19 allowed); a stream without events gets none; and no stream's
 * updated_at moves, since no content changed through the pipeline.
 */
@ExtendWith(PostgresExtension.class)
class StreamTenantsMigrationIT {

    private static final String LONG_AGO = "2000-01-01 00:00:00+00";

    private final TestDatabase database;
    private long sequence = 1;

    StreamTenantsMigrationIT(TestDatabase database) {
        this.database = database;
    }

    @Test
    void givesEachStreamTheTenantOfItsFirstEventAndLeavesUpdatedAtAlone() throws SQLException {
        flyway().target("8").load().migrate();
        insertStream("acct-1", 2);
        insertEvent("acct-1", 1, "tenant-a");
        insertEvent("acct-1", 2, "tenant-b");
        insertStream("order-7", 1);
        insertEvent("order-7", 1, "tenant-c");
        insertStream("empty", 0);

        flyway().load().migrate();

        assertThat(database.queryForStrings("SELECT stream_id || ':' || COALESCE(tenant_id, 'none') FROM event_streams"
                + " ORDER BY stream_id")).containsExactly("acct-1:tenant-a", "empty:none", "order-7:tenant-c");
        assertThat(database.queryForLong("SELECT count(*) FROM event_streams WHERE updated_at <> '" + LONG_AGO + "'"))
                .isZero();
        assertThat(database.queryForStrings("SELECT tgenabled::text FROM pg_trigger"
                + " WHERE tgname = 'event_stream_update_timestamp'")).as("the trigger is on again")
                .containsExactly("O");
    }

    private FluentConfiguration flyway() {
        return Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/migration");
    }

    private void insertStream(String streamId, long version) throws SQLException {
        database.execute("INSERT INTO event_streams (stream_id, partition_id, current_version, updated_at) VALUES ('"
                + streamId + "', 1, " + version + ", '" + LONG_AGO + "')");
    }

    private void insertEvent(String streamId, long version, String tenant) throws SQLException {
        database.execute("INSERT INTO events (stream_id, version, tenant_id, event_type, entity_id, payload,"
                + " timestamp, partition_id, partition_sequence, event_id, command_id) VALUES ('" + streamId + "', "
                + version + ", '" + tenant + "', 'Happened', 'e', '{}', now(), 1, " + sequence++
                + ", gen_random_uuid(), 'c')");
    }
}
