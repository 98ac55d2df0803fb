package io.allsource.ingest.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.avro.RejectionReason;
import io.allsource.ingest.client.IngestClient;
import io.allsource.ingest.client.command.Append;
import io.allsource.ingest.client.command.Command;
import io.allsource.ingest.testing.Backend;
import io.allsource.ingest.topics.IngestTopics;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The tests a service that embeds {@link IngestClient} would write against the testkit's pipeline; each backend runs
 * them through a subclass that registers the extension its way.
 */
abstract class PipelineContract {

    private static final Duration RESULT_WAIT = Duration.ofSeconds(90);
    private static final String TENANT = "tenant-testkit";

    /** The backend the subclass asked for. */
    abstract Backend expectedBackend();

    @Test
    void injectsOnePipelineItsClientAndTopicsIntoEveryParameterOfTheClass(IngestPipeline pipeline,
            IngestClient client, IngestTopics topics) {
        assertThat(pipeline.backend()).isEqualTo(expectedBackend());
        assertThat(client).isSameAs(pipeline.client());
        assertThat(topics).isEqualTo(pipeline.topics());
        assertThat(topics.all()).allSatisfy(topic -> assertThat(topic).startsWith(getClass().getSimpleName()));
        assertThat(pipeline.worker().isReady()).isTrue();
        assertThat(pipeline.bootstrapServers()).isNotBlank();
    }

    @Test
    void anAppendThroughTheInjectedClientIsAccepted(IngestClient client) {
        String stream = "order-" + UUID.randomUUID();

        CommandResult result = resultOf(client.append(Command.of(TENANT).append(Append.to(stream).expectingNoStream()
                .event("OrderPlaced", stream, "{\"total\":10}")
                .event("OrderPaid", stream, "{\"total\":10}"))));

        assertThat(result.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(result.getReason()).isNull();
        assertThat(result.getStreams().get(0).getFirstVersion()).isEqualTo(1L);
        assertThat(result.getStreams().get(0).getLastVersion()).isEqualTo(2L);
    }

    @Test
    void aStaleExpectedVersionIsRejectedWithTheConcurrencyReasonAndTheActualVersion(IngestClient client) {
        String stream = "account-" + UUID.randomUUID();
        resultOf(client.append(Command.of(TENANT).append(Append.to(stream).expectingNoStream()
                .event("Opened", stream, "{}").event("Deposited", stream, "{\"amount\":5}"))));

        CommandResult stale = resultOf(client.append(Command.of(TENANT)
                .append(Append.to(stream).expectingVersion(1).event("Deposited", stream, "{\"amount\":7}"))));

        assertThat(stale.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(stale.getReason()).isEqualTo(RejectionReason.CONCURRENCY_CONFLICT);
        assertThat(stale.getStreams().get(0).getCurrentVersion()).as("the stream's actual version").isEqualTo(2L);
    }

    @Test
    void theAcceptedEventsCanBeReadFromTheEventsTopicInVersionOrder(IngestClient client, IngestPipeline pipeline) {
        String stream = "cart-" + UUID.randomUUID();
        CommandResult result = resultOf(client.append(Command.of(TENANT).append(Append.to(stream).expectingNoStream()
                .event("ItemAdded", stream, "{\"sku\":\"a\"}")
                .event("ItemAdded", stream, "{\"sku\":\"b\"}"))));

        List<EventRecord> events = pipeline.events().awaitEvents(stream, 2);

        assertThat(events).extracting(EventRecord::getVersion).containsExactly(1L, 2L);
        assertThat(events).extracting(EventRecord::getPayload)
                .containsExactly("{\"sku\": \"a\"}", "{\"sku\": \"b\"}");
        assertThat(events).allSatisfy(event -> {
            assertThat(event.getEventType()).isEqualTo("ItemAdded");
            assertThat(event.getTenantId()).isEqualTo(TENANT);
            assertThat(event.getCommandId()).isEqualTo(result.getCommandId());
        });
    }

    @Test
    void theStoredEventsCanBeReadWithTheDatabaseUrlUserAndPassword(IngestClient client, IngestPipeline pipeline)
            throws SQLException {
        String stream = "invoice-" + UUID.randomUUID();
        resultOf(client.append(Command.of(TENANT).append(Append.to(stream).expectingNoStream()
                .event("InvoiceDrafted", stream, "{}"))));
        String plainUrl = pipeline.jdbcUrl().substring(0, pipeline.jdbcUrl().indexOf('?'));

        try (Connection connection = DriverManager.getConnection(plainUrl, pipeline.databaseUser(),
                        pipeline.databasePassword());
                PreparedStatement query = connection.prepareStatement(
                        "SELECT event_type FROM events WHERE stream_id = ? ORDER BY version")) {
            query.setString(1, stream);
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("InvoiceDrafted");
                assertThat(rows.next()).isFalse();
            }
        }
    }

    private static CommandResult resultOf(CompletableFuture<CommandResult> future) {
        return future.orTimeout(RESULT_WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }
}
