package io.allsource.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.NewEvent;
import io.allsource.ingest.avro.RejectionReason;
import io.allsource.ingest.avro.StreamAppend;
import io.allsource.ingest.metrics.WorkerMetrics;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 19's report through the real worker, broker, database and registry: {@code acct-1} created by tenant-a, then
 * an append of tenant-b expecting version 1. Another tenant's command is refused with {@code TENANT_MISMATCH}, writes
 * nothing and is counted, whether the worker has the stream cached (warm) or has just claimed the partition and reads
 * it from the database (cold, after a restart); a multi-stream command mixing an owned and a foreign stream writes
 * nothing at all.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationIT {

    private static final String ACCOUNT = "acct-1";
    /** A stream of tenant-b in acct-1's partition: created with acct-1 as its partition key. */
    private static final String OTHER_ACCOUNT = "acct-b-1";
    private static final String OWNER = "tenant-a";
    private static final String OTHER = "tenant-b";

    private final PipelineFixture pipeline;
    private final TestDatabase database;

    TenantIsolationIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.pipeline = new PipelineFixture(broker, database, registry);
        this.database = database;
    }

    @AfterAll
    void close() {
        pipeline.close();
    }

    @Test
    void refusesAnotherTenantsCommandsWithAWarmAndAColdCacheWritingNothingAndCountingEach() {
        try (IngestWorker worker = pipeline.startWorker(pipeline.settings("worker-warm"))) {
            assertAccepted(apply(command(OWNER, ACCOUNT, append(ACCOUNT, ExpectedVersionKind.NO_STREAM, 0))));
            assertAccepted(apply(command(OTHER, ACCOUNT, append(OTHER_ACCOUNT, ExpectedVersionKind.NO_STREAM, 0))));

            assertRefused(apply(command(OTHER, ACCOUNT, append(ACCOUNT, ExpectedVersionKind.EXACT, 1))), 0, ACCOUNT,
                    OTHER);
            CommandResult owners = apply(command(OWNER, ACCOUNT, append(ACCOUNT, ExpectedVersionKind.EXACT, 1)));
            assertAccepted(owners);
            assertThat(owners.getStreams().get(0).getCurrentVersion()).isEqualTo(2);
            assertRefused(apply(command(OWNER, ACCOUNT, append(ACCOUNT, ExpectedVersionKind.EXACT, 2),
                    append(OTHER_ACCOUNT, ExpectedVersionKind.ANY, 0))), 1, OTHER_ACCOUNT, OWNER);
            assertTenantRefusalsCounted(pipeline.lastWorkerMetrics(), 2);
        }

        try (IngestWorker worker = pipeline.startWorker(pipeline.settings("worker-cold"))) {
            assertRefused(apply(command(OTHER, ACCOUNT, append(OTHER_ACCOUNT, ExpectedVersionKind.EXACT, 1),
                    append(ACCOUNT, ExpectedVersionKind.EXACT, 2))), 1, ACCOUNT, OTHER);
            assertRefused(apply(command(OTHER, ACCOUNT, append(ACCOUNT, ExpectedVersionKind.ANY, 0))), 0, ACCOUNT,
                    OTHER);
            assertAccepted(apply(command(OWNER, ACCOUNT, append(ACCOUNT, ExpectedVersionKind.EXACT, 2))));
            assertAccepted(apply(command(OTHER, ACCOUNT, append(OTHER_ACCOUNT, ExpectedVersionKind.EXACT, 1))));
            assertTenantRefusalsCounted(pipeline.lastWorkerMetrics(), 2);
        }

        assertThat(database.queryForStrings("SELECT stream_id || ' ' || tenant_id || ' ' || current_version"
                + " FROM event_streams ORDER BY stream_id"))
                .containsExactly(ACCOUNT + " " + OWNER + " 3", OTHER_ACCOUNT + " " + OTHER + " 2");
        assertThat(database.queryForStrings("SELECT DISTINCT stream_id || ' ' || tenant_id FROM events"
                + " ORDER BY 1")).containsExactly(ACCOUNT + " " + OWNER, OTHER_ACCOUNT + " " + OTHER);
        assertThat(database.queryForLong("SELECT count(*) FROM command_results WHERE reason = 'TENANT_MISMATCH'"))
                .isEqualTo(4);
        StoreChecks.assertStoreInvariantsHold(database);
    }

    private CommandResult apply(AppendCommand command) {
        pipeline.send(new org.apache.kafka.clients.producer.ProducerRecord<>(pipeline.topics.commands(),
                command.getPartitionKey(), command));
        pipeline.flush();
        return pipeline.results(read -> read.stream().anyMatch(r -> r.value().getCommandId()
                        .equals(command.getCommandId()))).stream().map(ConsumerRecord::value)
                .filter(result -> result.getCommandId().equals(command.getCommandId())).findFirst().orElseThrow();
    }

    private static void assertAccepted(CommandResult result) {
        assertThat(result.getStatus()).as(result.toString()).isEqualTo(CommandStatus.ACCEPTED);
    }

    /**
     * Refused for the stream of the append at {@code foreignIndex}, with the reason a consumer of either schema reads,
     * naming the stream but no version and no tenant of its owner.
     */
    private static void assertRefused(CommandResult result, int foreignIndex, String foreignStream, String sender) {
        assertThat(result.getStatus()).as(result.toString()).isEqualTo(CommandStatus.REJECTED);
        assertThat(result.getReason()).as("the released enum's symbol").isEqualTo(RejectionReason.INVALID_COMMAND);
        assertThat(result.getReasonCode()).isEqualTo("TENANT_MISMATCH");
        assertThat(result.getMessage()).isEqualTo("appends[" + foreignIndex + "].stream_id '" + foreignStream
                + "' belongs to another tenant than '" + sender + "'; a stream is written only by the tenant whose"
                + " command created it");
        assertThat(result.getStreams()).isEmpty();
        assertThat(result.getFirstSequence()).isNull();
    }

    private static void assertTenantRefusalsCounted(WorkerMetrics metrics, double expected) {
        await().alias("tenant refusals counted").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Counter counter = metrics.registry().find("ingest.commands.applied")
                    .tags("outcome", "rejected", "reason", "TENANT_MISMATCH").counter();
            assertThat(counter).isNotNull();
            assertThat(counter.count()).isEqualTo(expected);
        });
    }

    private static AppendCommand command(String tenant, String partitionKey, StreamAppend... appends) {
        return AppendCommand.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setTenantId(tenant)
                .setPartitionKey(partitionKey)
                .setAppends(Arrays.asList(appends))
                .setIssuedAt(Instant.now())
                .build();
    }

    private static StreamAppend append(String stream, ExpectedVersionKind kind, long version) {
        return new StreamAppend(stream, new ExpectedVersion(kind, version),
                List.of(new NewEvent(null, "Happened", stream, "{}", Map.of())));
    }
}
