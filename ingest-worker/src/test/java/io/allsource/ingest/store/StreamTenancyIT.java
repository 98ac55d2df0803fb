package io.allsource.ingest.store;

import static io.allsource.ingest.store.StoreFixtures.appendOf;
import static io.allsource.ingest.store.StoreFixtures.committed;
import static io.allsource.ingest.store.StoreFixtures.entries;
import static io.allsource.ingest.store.StoreFixtures.streamOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.command.AppendCommand;
import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.RejectionReason;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store records each stream's tenant and refuses other tenants' commands whether the stream's state comes from the
 * per-partition cache or from the database, also for rows without a tenant (written before V9 or by a tool) and when
 * the row's tenant changed behind the cache.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamTenancyIT {

    private static final int PARTITION = 13;
    private static final String OWNER = "tenant-a";
    private static final String OTHER = "tenant-b";

    private final TestDatabase database;
    private EventStore store;
    private long epoch;
    private long offset;

    StreamTenancyIT(TestDatabase database) {
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
        offset = 0;
    }

    @Test
    void recordsTheCreatorsTenantAndRefusesTheSecondTenantOfOneBatch() {
        String stream = streamOf(PARTITION, "acct");

        List<CommandResult> results = apply(appendOf(OWNER, stream, ExpectedVersion.noStream(), 1),
                appendOf(OTHER, stream, ExpectedVersion.exact(1), 1));

        assertThat(results.get(0).isAccepted()).isTrue();
        assertThat(results.get(1).reason()).isEqualTo(RejectionReason.TENANT_MISMATCH);
        assertThat(tenantOf(stream)).isEqualTo(OWNER);
        assertThat(database.queryForStrings("SELECT DISTINCT tenant_id FROM events")).containsExactly(OWNER);
        assertThat(database.queryForStrings("SELECT reason FROM command_results WHERE status = 'REJECTED'"))
                .containsExactly("TENANT_MISMATCH");
    }

    @Test
    void refusesAnotherTenantFromTheCacheAndAfterANewClaimFromTheDatabase() {
        String stream = streamOf(PARTITION, "acct");
        apply(appendOf(OWNER, stream, ExpectedVersion.noStream(), 1));

        assertThat(apply(appendOf(OTHER, stream, ExpectedVersion.any(), 1)).get(0).reason())
                .as("warm cache").isEqualTo(RejectionReason.TENANT_MISMATCH);
        epoch = store.claim(PARTITION, "worker-b").ownerEpoch();
        assertThat(apply(appendOf(OTHER, stream, ExpectedVersion.any(), 1)).get(0).reason())
                .as("cold cache").isEqualTo(RejectionReason.TENANT_MISMATCH);
        assertThat(apply(appendOf(OWNER, stream, ExpectedVersion.exact(1), 1)).get(0).isAccepted()).isTrue();
        assertThat(database.queryForLong("SELECT count(*) FROM events WHERE tenant_id = '" + OTHER + "'")).isZero();
    }

    @Test
    void takesTheTenantOfTheFirstEventForARowWithoutOneAndWritesItBack() throws SQLException {
        String stream = streamOf(PARTITION, "legacy");
        apply(appendOf(OWNER, stream, ExpectedVersion.noStream(), 2));
        database.execute("UPDATE event_streams SET tenant_id = NULL WHERE stream_id = '" + stream + "'");
        epoch = store.claim(PARTITION, "worker-b").ownerEpoch();

        assertThat(apply(appendOf(OTHER, stream, ExpectedVersion.any(), 1)).get(0).reason())
                .isEqualTo(RejectionReason.TENANT_MISMATCH);
        assertThat(apply(appendOf(OWNER, stream, ExpectedVersion.exact(2), 1)).get(0).isAccepted()).isTrue();
        assertThat(tenantOf(stream)).isEqualTo(OWNER);
    }

    @Test
    void letsTheFirstTenantTakeAStreamWithNeitherATenantNorEvents() throws SQLException {
        String stream = streamOf(PARTITION, "empty");
        database.execute("INSERT INTO event_streams (stream_id, partition_id, current_version) VALUES ('" + stream
                + "', " + PARTITION + ", 0)");

        List<CommandResult> results = apply(appendOf(OTHER, stream, ExpectedVersion.any(), 1),
                appendOf(OWNER, stream, ExpectedVersion.any(), 1));

        assertThat(results.get(0).isAccepted()).isTrue();
        assertThat(results.get(1).reason()).isEqualTo(RejectionReason.TENANT_MISMATCH);
        assertThat(tenantOf(stream)).isEqualTo(OTHER);
    }

    @Test
    void refusesTheOwnerOnceTheRowsTenantChangedBehindTheCache() throws SQLException {
        String stream = streamOf(PARTITION, "moved");
        apply(appendOf(OWNER, stream, ExpectedVersion.noStream(), 1));
        database.execute("UPDATE event_streams SET tenant_id = '" + OTHER + "' WHERE stream_id = '" + stream + "'");

        CommandResult result = apply(appendOf(OWNER, stream, ExpectedVersion.exact(1), 1)).get(0);

        assertThat(result.reason()).as("the guarded update fails, the retry reads the row afresh")
                .isEqualTo(RejectionReason.TENANT_MISMATCH);
        assertThat(database.queryForLong("SELECT current_version FROM event_streams WHERE stream_id = '" + stream
                + "'")).isEqualTo(1);
    }

    private List<CommandResult> apply(AppendCommand... commands) {
        BatchOutcome.Committed outcome = committed(StoreFixtures.appendBatch(store, PARTITION, epoch,
                entries(offset, commands)));
        offset += commands.length;
        return outcome.results().stream().map(RoutedResult::result).toList();
    }

    private String tenantOf(String stream) {
        return database.queryForStrings("SELECT tenant_id FROM event_streams WHERE stream_id = '" + stream + "'")
                .get(0);
    }
}
