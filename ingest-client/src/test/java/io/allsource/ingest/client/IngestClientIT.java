package io.allsource.ingest.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.RejectionReason;
import io.allsource.ingest.avro.StreamOperationKind;
import io.allsource.ingest.avro.StreamOutcome;
import io.allsource.ingest.client.command.Append;
import io.allsource.ingest.client.command.Command;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.RedactionMarker;
import io.allsource.ingest.store.StoreSettings;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client against a real worker, broker, database and registry: one client for the whole class, as in a service.
 * Appends, and deletes and erases of streams with their results and reason codes.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestClientIT {

    private static final Duration RESULT_WAIT = Duration.ofSeconds(90);
    private static final String TENANT = "tenant-client-it";

    private final TestPipeline pipeline;
    private final IngestClient client;
    private final EventStore store;

    IngestClientIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.pipeline = TestPipeline.withWorker(broker, database, registry);
        this.client = new IngestClient(pipeline.clientSettings(Duration.ofSeconds(60)));
        this.store = new EventStore(database.dataSource(), StoreSettings.DEFAULT);
    }

    @AfterAll
    void close() {
        client.close();
        pipeline.close();
    }

    @Test
    void anAcceptedAppendReturnsTheNewVersions() {
        String stream = uniqueStream("order");

        CommandResult created = resultOf(client.append(Command.of(TENANT)
                .append(Append.to(stream).expectingNoStream()
                        .event("OrderPlaced", stream, "{\"total\":10}")
                        .event("OrderPaid", stream, "{\"total\":10}").metadata("trace", "t-1"))));
        CommandResult continued = resultOf(client.append(Command.of(TENANT)
                .append(Append.to(stream).expectingVersion(2).event("OrderShipped", stream, "{}"))));

        assertThat(created.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(created.getReason()).isNull();
        assertThat(created.getDuplicate()).isFalse();
        assertThat(created.getPartition()).isEqualTo(PartitionFunction.partitionOf(stream));
        assertVersions(created.getStreams().get(0), stream, 1, 2);
        assertThat(continued.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        assertVersions(continued.getStreams().get(0), stream, 3, 3);
        assertThat(continued.getFirstSequence()).isGreaterThan(created.getLastSequence());
    }

    @Test
    void noStreamOnAnExistingStreamIsRejectedWithItsActualVersion() {
        String stream = uniqueStream("account");
        resultOf(client.append(Command.of(TENANT).append(Append.to(stream).expectingNoStream()
                .event("Opened", stream, "{}").event("Deposited", stream, "{\"amount\":5}")
                .event("Deposited", stream, "{\"amount\":7}"))));

        CommandResult conflict = resultOf(client.append(Command.of(TENANT)
                .append(Append.to(stream).expectingNoStream().event("Opened", stream, "{}"))));

        assertThat(conflict.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(conflict.getReason()).isEqualTo(RejectionReason.CONCURRENCY_CONFLICT);
        StreamOutcome outcome = conflict.getStreams().get(0);
        assertThat(outcome.getStreamId()).isEqualTo(stream);
        assertThat(outcome.getCurrentVersion()).as("the stream's actual version").isEqualTo(3L);
        assertThat(outcome.getFirstVersion()).isNull();
        assertThat(conflict.getFirstSequence()).isNull();
    }

    @Test
    void retryingAnAcceptedCommandReturnsItsStoredResultAsDuplicateAndWritesNothing() {
        String stream = uniqueStream("cart");
        AppendCommand command = Command.of(TENANT)
                .append(Append.to(stream).expectingNoStream().event("ItemAdded", stream, "{\"sku\":\"a\"}"))
                .build();
        CommandResult first = resultOf(client.append(command));

        CommandResult retried = resultOf(client.retry(command));
        CommandResult next = resultOf(client.append(Command.of(TENANT)
                .append(Append.to(stream).event("ItemAdded", stream, "{\"sku\":\"b\"}"))));

        assertThat(first.getDuplicate()).isFalse();
        assertThat(retried.getCommandId()).isEqualTo(command.getCommandId());
        assertThat(retried.getDuplicate()).isTrue();
        assertThat(retried.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(retried.getStreams()).isEqualTo(first.getStreams());
        assertThat(retried.getOffset()).as("the offset of the first delivery").isEqualTo(first.getOffset());
        assertThat(retried.getFirstSequence()).isEqualTo(first.getFirstSequence());
        assertVersions(next.getStreams().get(0), stream, 2, 2);
    }

    @Test
    void aMultiStreamCommandUnderOnePartitionKeyIsAppliedAtomically() {
        String customer = uniqueStream("customer");
        String order = uniqueStream("order");
        String invoice = uniqueStream("invoice");

        CommandResult result = resultOf(client.append(Command.of(TENANT).partitionKey(customer)
                .append(Append.to(order).expectingNoStream().event("OrderPlaced", order, "{}"))
                .append(Append.to(invoice).expectingNoStream()
                        .event("InvoiceDrafted", invoice, "{}")
                        .event("InvoiceSent", invoice, "{}"))));

        assertThat(result.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(result.getPartition()).isEqualTo(PartitionFunction.partitionOf(customer));
        assertThat(result.getStreams()).extracting(StreamOutcome::getStreamId).containsExactly(order, invoice);
        assertVersions(result.getStreams().get(0), order, 1, 1);
        assertVersions(result.getStreams().get(1), invoice, 1, 2);
        assertThat(result.getLastSequence() - result.getFirstSequence()).as("three events").isEqualTo(2L);
    }

    @Test
    void manyThreadsSharingOneClientEachGetTheirOwnCommandsResults() throws Exception {
        int threads = 8;
        int appendsPerThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Sent>>> perThread = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String streamPrefix = uniqueStream("thread-" + t);
                perThread.add(pool.submit(() -> appendMany(streamPrefix, appendsPerThread)));
            }
            List<Sent> sent = new ArrayList<>();
            for (Future<List<Sent>> appends : perThread) {
                sent.addAll(appends.get(RESULT_WAIT.toSeconds(), TimeUnit.SECONDS));
            }
            CompletableFuture.allOf(sent.stream().map(Sent::result).toArray(CompletableFuture[]::new))
                    .get(RESULT_WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(sent).hasSize(threads * appendsPerThread);
            assertThat(sent).allSatisfy(one -> {
                CommandResult result = one.result().join();
                assertThat(result.getCommandId()).isEqualTo(one.command().getCommandId());
                assertThat(result.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
                assertThat(result.getStreams().get(0).getStreamId())
                        .isEqualTo(one.command().getAppends().get(0).getStreamId());
            });
            assertThat(client.pendingCount()).as("no future left waiting").isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eraseAndDeleteThroughTheClientCheckTheExpectedVersionAndAnswerWithTheStreamsVersion() {
        String stream = uniqueStream("person");
        resultOf(client.append(Command.of(TENANT).append(Append.to(stream).expectingNoStream()
                .event("SignedUp", stream, "{\"email\":\"ada@example.com\"}")
                .event("Moved", stream, "{\"city\":\"Leeds\"}").event("Moved", stream, "{\"city\":\"York\"}"))));

        CommandResult stale = resultOf(client.erase(TENANT, stream, null, exact(2)));
        CommandResult erased = resultOf(client.erase(TENANT, stream, null, exact(3)));
        CommandResult appended = resultOf(client.append(Command.of(TENANT)
                .append(Append.to(stream).expectingVersion(3).event("Moved", stream, "{}"))));
        AppendCommand delete = IngestClient.streamOperation(TENANT, stream, null, StreamOperationKind.DELETE,
                exact(4));
        CommandResult deleted = resultOf(client.append(delete));
        CommandResult retried = resultOf(client.retry(delete));

        assertThat(stale.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(stale.getReason()).isEqualTo(RejectionReason.CONCURRENCY_CONFLICT);
        assertThat(stale.getStreams().get(0).getCurrentVersion()).as("the actual version").isEqualTo(3L);
        assertThat(erased.getStatus()).as(erased.getMessage()).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(erased.getStreams()).singleElement().satisfies(outcome -> {
            assertThat(outcome.getStreamId()).isEqualTo(stream);
            assertThat(outcome.getCurrentVersion()).as("the version erased through").isEqualTo(3L);
            assertThat(outcome.getFirstVersion()).as("no event written").isNull();
        });
        assertThat(erased.getFirstSequence()).isNull();
        assertThat(appended.getStatus()).as("appends go on after an erase").isEqualTo(CommandStatus.ACCEPTED);
        assertThat(deleted.getStatus()).as(deleted.getMessage()).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(deleted.getStreams().get(0).getCurrentVersion()).isEqualTo(4L);
        assertThat(retried.getDuplicate()).isTrue();
        assertThat(retried.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(store.streamStatus(stream)).hasValueSatisfying(status -> {
            assertThat(status.deletedAtVersion()).isEqualTo(4L);
            assertThat(status.erasedThroughVersion()).isEqualTo(4L);
        });
        assertThat(store.readStream(stream, 1, 10)).hasSize(4).allSatisfy(event -> {
            assertThat(event.erased()).isTrue();
            assertThat(event.payload()).isEqualTo(RedactionMarker.PAYLOAD).doesNotContain("ada@example.com");
            assertThat(event.entityId()).isEqualTo(RedactionMarker.ENTITY_ID);
            assertThat(event.metadata()).isEmpty();
        });
    }

    @Test
    void aDeletedStreamRefusesAppendsAndOperationsWithStreamDeletedNamingItsVersion() {
        String stream = uniqueStream("closed");
        resultOf(client.append(Command.of(TENANT).append(Append.to(stream).expectingNoStream()
                .event("Opened", stream, "{}"))));
        assertThat(resultOf(client.delete(TENANT, stream, null, exact(1))).getStatus())
                .isEqualTo(CommandStatus.ACCEPTED);

        CommandResult append = resultOf(client.append(Command.of(TENANT)
                .append(Append.to(stream).expectingNoStream().event("Opened", stream, "{}"))));
        CommandResult erase = resultOf(client.erase(TENANT, stream, null, ExpectedVersion.newBuilder()
                .setKind(ExpectedVersionKind.ANY).setVersion(0L).build()));
        CommandResult deleteAgain = resultOf(client.delete(TENANT, stream, null, exact(1)));

        assertThat(List.of(append, erase, deleteAgain)).allSatisfy(result -> {
            assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
            assertThat(result.getReason()).as("the enum's permanent refusal")
                    .isEqualTo(RejectionReason.INVALID_COMMAND);
            assertThat(result.getReasonCode()).isEqualTo("STREAM_DELETED");
            assertThat(result.getMessage()).contains("'" + stream + "' was deleted at version 1");
        });
    }

    @Test
    void anOperationOnAStreamNeverWrittenIsStreamNotFoundAndOneOfAnotherTenantTenantMismatch() {
        String owned = uniqueStream("owned");
        String key = uniqueStream("group");
        resultOf(client.append(Command.of(TENANT).partitionKey(key).append(Append.to(owned).expectingNoStream()
                .event("Opened", owned, "{}"))));

        CommandResult unknown = resultOf(client.erase(TENANT, uniqueStream("nothing"), null, exact(0)));
        CommandResult foreign = resultOf(client.delete("another-tenant", owned, key, exact(1)));
        CommandResult byKey = resultOf(client.delete(TENANT, owned, key, exact(1)));

        assertThat(unknown.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(unknown.getReasonCode()).isEqualTo("STREAM_NOT_FOUND");
        assertThat(foreign.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(foreign.getReasonCode()).isEqualTo("TENANT_MISMATCH");
        assertThat(byKey.getStatus()).as("placed by its partition key: %s", byKey.getMessage())
                .isEqualTo(CommandStatus.ACCEPTED);
        assertThat(byKey.getPartition()).isEqualTo(PartitionFunction.partitionOf(key));
    }

    private static ExpectedVersion exact(long version) {
        return ExpectedVersion.newBuilder().setKind(ExpectedVersionKind.EXACT).setVersion(version).build();
    }

    private List<Sent> appendMany(String streamPrefix, int count) {
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String stream = streamPrefix + "-" + i;
            AppendCommand command = Command.of(TENANT)
                    .append(Append.to(stream).expectingNoStream().event("Happened", stream, "{\"i\":" + i + "}"))
                    .build();
            sent.add(new Sent(command, client.append(command)));
        }
        return sent;
    }

    /** A command and the future of its result. */
    private record Sent(AppendCommand command, CompletableFuture<CommandResult> result) {
    }

    private static CommandResult resultOf(CompletableFuture<CommandResult> future) {
        return future.orTimeout(RESULT_WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    private static void assertVersions(StreamOutcome outcome, String stream, long first, long last) {
        assertThat(outcome.getStreamId()).isEqualTo(stream);
        assertThat(outcome.getFirstVersion()).isEqualTo(first);
        assertThat(outcome.getLastVersion()).isEqualTo(last);
        assertThat(outcome.getCurrentVersion()).isEqualTo(last);
    }

    private static String uniqueStream(String kind) {
        return kind + "-" + UUID.randomUUID();
    }
}
