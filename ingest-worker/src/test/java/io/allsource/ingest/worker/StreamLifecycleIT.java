package io.allsource.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.NewEvent;
import io.allsource.ingest.avro.RejectionReason;
import io.allsource.ingest.avro.StreamAppend;
import io.allsource.ingest.avro.StreamOperation;
import io.allsource.ingest.avro.StreamOperationKind;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.store.RedactionMarker;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deletes and erases through the real worker, broker, database and registry: expected versions as for appends, appends
 * after a delete refused with {@code STREAM_DELETED}, another tenant refused, a retried command answered with its first
 * result; an erase of 1,000 events keeps every gapless check and publishes one redacted copy per event and one
 * tombstone, again after a crash between its commit and its publication; and a consumer holding the schemas of before
 * reads what it publishes.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamLifecycleIT {

    private static final String TENANT = "tenant-1";

    private final PipelineFixture pipeline;
    private final TestDatabase database;

    StreamLifecycleIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.pipeline = new PipelineFixture(broker, database, registry);
        this.database = database;
    }

    @AfterAll
    void close() {
        pipeline.close();
    }

    @Test
    void deletesAtTheExpectedVersionAndRefusesEveryLaterAppendNamingTheVersion() throws Exception {
        String stream = "lifecycle-delete";
        try (IngestWorker worker = pipeline.startWorker(pipeline.settings("worker-delete"))) {
            assertThat(apply(append(TENANT, stream, ExpectedVersionKind.NO_STREAM, 0, 3)).getStatus())
                    .isEqualTo(CommandStatus.ACCEPTED);

            CommandResult stale = apply(operation(TENANT, stream, StreamOperationKind.DELETE, 2));
            assertThat(stale.getReason()).isEqualTo(RejectionReason.CONCURRENCY_CONFLICT);
            assertThat(stale.getStreams().get(0).getCurrentVersion()).isEqualTo(3);
            CommandResult foreign = apply(operation("tenant-2", stream, StreamOperationKind.DELETE, 3));
            assertThat(foreign.getReasonCode()).isEqualTo("TENANT_MISMATCH");

            AppendCommand delete = operation(TENANT, stream, StreamOperationKind.DELETE, 3);
            CommandResult deleted = apply(delete);
            assertThat(deleted.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
            assertThat(deleted.getStreams().get(0).getCurrentVersion()).isEqualTo(3);

            CommandResult refused = apply(append(TENANT, stream, ExpectedVersionKind.ANY, 0, 1));
            assertThat(refused.getStatus()).isEqualTo(CommandStatus.REJECTED);
            assertThat(refused.getReason()).isEqualTo(RejectionReason.INVALID_COMMAND);
            assertThat(refused.getReasonCode()).isEqualTo("STREAM_DELETED");
            assertThat(refused.getMessage()).isEqualTo("appends[0].stream_id '" + stream
                    + "' was deleted at version 3; a deleted stream is never written again");
            assertThat(apply(append(TENANT, stream, ExpectedVersionKind.NO_STREAM, 0, 1)).getReasonCode())
                    .as("the id is never used again, not even as a new stream").isEqualTo("STREAM_DELETED");

            CommandResult retried = apply(delete);
            assertThat(retried.getDuplicate()).isTrue();
            assertThat(retried.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
            assertThat(retried.getCommittedAt()).isEqualTo(deleted.getCommittedAt());
        }
        assertThat(pipeline.store.streamStatus(stream).orElseThrow().describe())
                .startsWith("stream '" + stream + "' was deleted at version 3");
        assertThat(database.queryForStrings("SELECT DISTINCT payload::text || ' ' || entity_id || ' ' || erased"
                + " || ' ' || metadata::text FROM events WHERE stream_id = '" + stream + "'"))
                .containsExactly(RedactionMarker.PAYLOAD + " erased true {}");
        assertThat(database.queryForLong("SELECT count(*) FROM events WHERE stream_id = '" + stream + "'"))
                .isEqualTo(3);
        StoreChecks.assertStoreInvariantsHold(database);
    }

    @Test
    void erasesAThousandEventsKeepingTheGaplessChecksAndPublishesOneCopyEachAndATombstoneAgainAfterACrash()
            throws Exception {
        String stream = "lifecycle-erase";
        int partition = PartitionFunction.partitionOf(stream);
        AppendCommand erase = operation(TENANT, stream, StreamOperationKind.ERASE, 1_000);
        long eraseOffset;
        try (IngestWorker worker = pipeline.startWorker(pipeline.settings("worker-erase"))) {
            for (int i = 0; i < 10; i++) {
                assertThat(apply(append(TENANT, stream, ExpectedVersionKind.EXACT, i * 100L, 100)).getStatus())
                        .isEqualTo(CommandStatus.ACCEPTED);
            }
            assertThat(apply(operation(TENANT, stream, StreamOperationKind.ERASE, 999)).getReason())
                    .isEqualTo(RejectionReason.CONCURRENCY_CONFLICT);
            CommandResult erased = apply(erase);
            assertThat(erased.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
            eraseOffset = erased.getOffset();

            assertCopies(stream, 1, 1);
            await().alias("stream healthy after the erase").atMost(Duration.ofSeconds(30)).until(() ->
                    database.queryForStrings("SELECT health_status FROM stream_health WHERE stream_id = '" + stream
                            + "'").equals(List.of("HEALTHY")));
        }
        assertThat(database.queryForStrings("SELECT verify_stream_gapless('" + stream + "')::text"))
                .containsExactly("true");
        assertThat(database.queryForLong("SELECT count(*) FROM events WHERE stream_id = '" + stream
                + "' AND erased AND payload::text = '" + RedactionMarker.PAYLOAD + "'")).isEqualTo(1_000);
        StoreChecks.assertStoreInvariantsHold(database);

        // As if the worker had died between the erase's commit and its publication.
        database.execute("UPDATE partition_state SET published_offset = " + eraseOffset
                + " WHERE partition_id = " + partition);
        try (IngestWorker restarted = pipeline.startWorker(pipeline.settings("worker-erase-2"))) {
            assertCopies(stream, 2, 2);
        }
        StoreChecks.assertStoreInvariantsHold(database);
    }

    @Test
    void aConsumerWithTheSchemasOfBeforeReadsTheNewResultsAndTheRedactedCopies() throws Exception {
        String stream = "lifecycle-old-consumer";
        try (IngestWorker worker = pipeline.startWorker(pipeline.settings("worker-old-consumer"))) {
            apply(append(TENANT, stream, ExpectedVersionKind.NO_STREAM, 0, 2));
            apply(operation(TENANT, stream, StreamOperationKind.DELETE, 2));
            apply(append(TENANT, stream, ExpectedVersionKind.ANY, 0, 1));
        }
        Schema previousEvent = without(EventRecord.getClassSchema(), "erased");
        Schema previousResult = CommandResult.getClassSchema();
        List<ConsumerRecord<byte[], byte[]>> events = rawRecords(pipeline.topics.events(), stream, 5);
        List<GenericRecord> redacted = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : events) {
            if (record.value() != null) {
                GenericRecord event = decode(record.value(), previousEvent);
                if (event.get("payload").toString().equals(RedactionMarker.PAYLOAD)) {
                    redacted.add(event);
                }
            }
        }
        assertThat(redacted).extracting(event -> event.get("version")).containsExactly(1L, 2L);
        assertThat(redacted).allSatisfy(event -> assertThat(event.get("entity_id")).hasToString("erased"));
        List<String> codes = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : rawRecords(pipeline.topics.results(), stream, 3)) {
            GenericRecord result = decode(record.value(), previousResult);
            codes.add(result.get("status") + "/" + result.get("reason") + "/" + result.get("reason_code"));
        }
        assertThat(codes).containsExactly("ACCEPTED/null/null", "ACCEPTED/null/null",
                "REJECTED/INVALID_COMMAND/STREAM_DELETED");
    }

    /** The stream's redacted copies on the events topic: {@code each} per version 1..1000, and the tombstones. */
    private void assertCopies(String stream, int each, int tombstones) {
        byte[] key = stream.getBytes(StandardCharsets.UTF_8);
        List<ConsumerRecord<byte[], byte[]>> read = pipeline.readUntil(pipeline.topics.events(), byte[].class,
                records -> records.stream().filter(r -> Arrays.equals(r.key(), key) && r.value() == null).count()
                        >= tombstones, Duration.ofSeconds(90));
        List<ConsumerRecord<byte[], byte[]>> ofStream = read.stream().filter(r -> Arrays.equals(r.key(), key))
                .toList();
        assertThat(ofStream.stream().filter(r -> r.value() == null).count()).isEqualTo(tombstones);
        List<Long> redactedVersions = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : ofStream) {
            if (record.value() != null) {
                GenericRecord event = decode(record.value(), EventRecord.getClassSchema());
                if (Boolean.TRUE.equals(event.get("erased"))) {
                    assertThat(event.get("payload")).hasToString(RedactionMarker.PAYLOAD);
                    redactedVersions.add((Long) event.get("version"));
                }
            }
        }
        assertThat(redactedVersions).hasSize(1_000 * each);
        assertThat(redactedVersions.stream().distinct().count()).isEqualTo(1_000);
        assertThat(ofStream.get(ofStream.size() - 1).value()).as("the tombstone comes last").isNull();
    }

    private List<ConsumerRecord<byte[], byte[]>> rawRecords(String topic, String stream, int atLeast) {
        byte[] key = stream.getBytes(StandardCharsets.UTF_8);
        return pipeline.readUntil(topic, byte[].class, records -> records.stream()
                .filter(r -> Arrays.equals(r.key(), key)).count() >= atLeast, Duration.ofSeconds(60)).stream()
                .filter(r -> Arrays.equals(r.key(), key)).toList();
    }

    /** Decodes a value of the wire format with the writer's schema from the registry, read as {@code reader}. */
    private GenericRecord decode(byte[] value, Schema reader) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        assertThat(buffer.get()).isZero();
        Schema writer = pipeline.registry.schemaById(buffer.getInt());
        try {
            return new GenericDatumReader<GenericRecord>(writer, reader).read(null, DecoderFactory.get()
                    .binaryDecoder(value, 5, value.length - 5, null));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code schema} as it was before {@code field} was added: a consumer of the previous release holds this one. */
    private static Schema without(Schema schema, String field) {
        List<Schema.Field> fields = schema.getFields().stream().filter(f -> !f.name().equals(field))
                .map(f -> new Schema.Field(f, f.schema())).toList();
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    private CommandResult apply(AppendCommand command) {
        String key = command.getStreamOperation() != null ? command.getStreamOperation().getStreamId()
                : command.getAppends().get(0).getStreamId();
        pipeline.send(new ProducerRecord<>(pipeline.topics.commands(), key, command));
        pipeline.flush();
        List<CommandResult> matching = pipeline.results(read -> read.stream()
                        .filter(r -> r.value().getCommandId().equals(command.getCommandId())).count()
                        > countSeen(command.getCommandId()))
                .stream().map(ConsumerRecord::value).filter(r -> r.getCommandId().equals(command.getCommandId()))
                .toList();
        seen.merge(command.getCommandId(), 1, Integer::sum);
        return matching.get(matching.size() - 1);
    }

    private final Map<String, Integer> seen = new java.util.concurrent.ConcurrentHashMap<>();

    private long countSeen(String commandId) {
        return seen.getOrDefault(commandId, 0);
    }

    private static AppendCommand append(String tenant, String stream, ExpectedVersionKind kind, long version,
            int events) {
        List<NewEvent> newEvents = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            newEvents.add(new NewEvent(null, "Happened", "person-" + i, "{\"name\": \"Ada\", \"i\": " + i + "}",
                    Map.of("ip", "10.0.0." + i)));
        }
        return AppendCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setTenantId(tenant)
                .setAppends(List.of(new StreamAppend(stream, new ExpectedVersion(kind, version), newEvents)))
                .setIssuedAt(Instant.now()).build();
    }

    private static AppendCommand operation(String tenant, String stream, StreamOperationKind kind, long version) {
        return AppendCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setTenantId(tenant)
                .setAppends(List.of()).setIssuedAt(Instant.now())
                .setStreamOperation(StreamOperation.newBuilder().setStreamId(stream).setOperation(kind)
                        .setExpectedVersion(new ExpectedVersion(ExpectedVersionKind.EXACT, version)).build())
                .build();
    }
}
