package io.allsource.ingest.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.RejectionReason;
import io.allsource.ingest.avro.StreamOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.junit.jupiter.api.Test;

/** The JSON envelope read back by Kafka Connect's own JsonConverter with schemas enabled, as a sink would read it. */
class JsonEnvelopeSerializerTest {

    private static final String TOPIC = "ingest.events.json";

    private final JsonConverter converter = schemaConverter();

    @Test
    void jsonConverterReadsEveryFieldOfAnEventUnchanged() {
        EventRecord event = event(Map.of("trace", "t-1", "größe", "\"quoted\" \\ ünïcode ✓"),
                "{\"items\":[{\"sku\":\"a\",\"qty\":2}],\"note\":\"line\\nbreak\",\"total\":12.5}");

        Struct struct = read(JsonEnvelopeSerializer.forEvents().serialize(TOPIC, event));

        assertThat(struct.getString("event_id")).isEqualTo(event.getEventId());
        assertThat(struct.getString("stream_id")).isEqualTo(event.getStreamId());
        assertThat(struct.getInt64("version")).isEqualTo(event.getVersion());
        assertThat(struct.getInt32("partition")).isEqualTo(event.getPartition());
        assertThat(struct.getInt64("partition_sequence")).isEqualTo(event.getPartitionSequence());
        assertThat(struct.getString("tenant_id")).isEqualTo(event.getTenantId());
        assertThat(struct.getString("event_type")).isEqualTo(event.getEventType());
        assertThat(struct.getString("entity_id")).isEqualTo(event.getEntityId());
        assertThat(struct.getString("payload")).isEqualTo(event.getPayload());
        assertThat(struct.<String, String>getMap("metadata")).isEqualTo(event.getMetadata());
        assertThat(struct.getString("command_id")).isEqualTo(event.getCommandId());
        assertThat((Date) struct.get("recorded_at")).isEqualTo(Date.from(event.getRecordedAt()));
        assertThat(struct.schema().fields()).extracting(Field::name)
                .containsExactlyElementsOf(EventRecord.getClassSchema().getFields().stream()
                        .map(Schema.Field::name).toList());
    }

    @Test
    void theEventSchemaHasTheTypesAnAvroConverterGivesTheSameFields() {
        Struct struct = read(JsonEnvelopeSerializer.forEvents().serialize(TOPIC, event(Map.of(), "{}")));
        org.apache.kafka.connect.data.Schema schema = struct.schema();

        assertThat(schema.name()).isEqualTo("io.allsource.ingest.avro.EventRecord");
        assertThat(schema.field("version").schema().type()).isEqualTo(org.apache.kafka.connect.data.Schema.Type.INT64);
        assertThat(schema.field("partition").schema().type())
                .isEqualTo(org.apache.kafka.connect.data.Schema.Type.INT32);
        assertThat(schema.field("recorded_at").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(schema.field("metadata").schema().type()).isEqualTo(org.apache.kafka.connect.data.Schema.Type.MAP);
        assertThat(schema.field("metadata").schema().keySchema().type())
                .isEqualTo(org.apache.kafka.connect.data.Schema.Type.STRING);
        assertThat(schema.fields()).allSatisfy(field -> assertThat(field.schema().isOptional())
                .as("%s is required in the contract", field.name()).isFalse());
        assertThat(struct.<String, String>getMap("metadata")).isEmpty();
    }

    @Test
    void optionalFieldsEnumsAndArraysOfRecordsReadBack() {
        CommandResult result = CommandResult.newBuilder()
                .setCommandId("0b5e4c1e-8f0e-4b9a-9d55-4f1d2a7c9e01")
                .setStatus(CommandStatus.REJECTED)
                .setReason(RejectionReason.CONCURRENCY_CONFLICT)
                .setMessage(null)
                .setPartition(7)
                .setOffset(42L)
                .setStreams(List.of(new StreamOutcome("order-1",
                        new ExpectedVersion(ExpectedVersionKind.NO_STREAM, 0L), 3L, null, null)))
                .setFirstSequence(null)
                .setLastSequence(null)
                .setDuplicate(false)
                .setCommittedAt(Instant.ofEpochMilli(1_700_000_000_123L))
                .build();

        Struct struct = read(new JsonEnvelopeSerializer<>(CommandResult.class).serialize(TOPIC, result));

        assertThat(struct.getString("status")).isEqualTo("REJECTED");
        assertThat(struct.getString("reason")).isEqualTo("CONCURRENCY_CONFLICT");
        assertThat(struct.get("message")).isNull();
        assertThat(struct.schema().field("message").schema().isOptional()).isTrue();
        assertThat(struct.get("first_sequence")).isNull();
        Struct outcome = struct.<Struct>getArray("streams").get(0);
        assertThat(outcome.getString("stream_id")).isEqualTo("order-1");
        assertThat(outcome.getStruct("expected_version").getString("kind")).isEqualTo("NO_STREAM");
        assertThat(outcome.getInt64("current_version")).isEqualTo(3L);
        assertThat(outcome.get("first_version")).isNull();
        assertThat((Date) struct.get("committed_at")).isEqualTo(new Date(1_700_000_000_123L));
    }

    @Test
    void theEnvelopeCarriesTheSchemaAndThePayloadAsJsonText() {
        byte[] bytes = JsonEnvelopeSerializer.forEvents().serialize(TOPIC, event(Map.of("k", "v"), "{\"a\":1}"));

        String json = new String(bytes, StandardCharsets.UTF_8);

        assertThat(json).startsWith("{\"schema\":{\"type\":\"struct\",\"name\":\"io.allsource.ingest.avro.EventRecord\"")
                .contains("\"payload\":{\"event_id\":\"6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e\"")
                .contains("\"payload\":\"{\\\"a\\\":1}\"")
                .contains("\"metadata\":{\"k\":\"v\"}")
                .contains("\"recorded_at\":1700000000123");
        assertThat(JsonEnvelopeSerializer.forEvents().connectSchemaJson())
                .contains("{\"field\":\"recorded_at\",\"type\":\"int64\",\"name\":\"" + Timestamp.LOGICAL_NAME
                        + "\",\"version\":1,\"optional\":false}");
    }

    @Test
    void aNullValueStaysNullForTombstones() {
        assertThat(JsonEnvelopeSerializer.forEvents().serialize(TOPIC, null)).isNull();
    }

    @Test
    void typesWithoutAFaithfulMappingAreRefusedNamingTheField() {
        Schema withBytes = new Schema.Parser().parse("""
                {"type": "record", "name": "Blob", "namespace": "test", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "content", "type": "bytes"}]}""");
        Schema withDate = new Schema.Parser().parse("""
                {"type": "record", "name": "Day", "namespace": "test", "fields": [
                  {"name": "on", "type": {"type": "int", "logicalType": "date"}}]}""");
        Schema withWideUnion = new Schema.Parser().parse("""
                {"type": "record", "name": "Either", "namespace": "test", "fields": [
                  {"name": "value", "type": ["null", "string", "long"]}]}""");

        assertThatThrownBy(() -> ConnectSchemaMapping.connectSchema(withBytes))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("test.Blob.content has");
        assertThatThrownBy(() -> ConnectSchemaMapping.connectSchema(withDate))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("test.Day.on has the Avro type date");
        assertThatThrownBy(() -> ConnectSchemaMapping.connectSchema(withWideUnion))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("test.Either.value has");
    }

    private Struct read(byte[] bytes) {
        SchemaAndValue read = converter.toConnectData(TOPIC, bytes);
        assertThat(read.value()).isInstanceOf(Struct.class);
        Struct struct = (Struct) read.value();
        struct.validate();
        return struct;
    }

    private static EventRecord event(Map<String, String> metadata, String payload) {
        return EventRecord.newBuilder()
                .setEventId("6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e")
                .setStreamId("order-42")
                .setVersion(3L)
                .setPartition(17)
                .setPartitionSequence(1_234_567_890_123L)
                .setTenantId("tenant-a")
                .setEventType("OrderPaid")
                .setEntityId("order-42")
                .setPayload(payload)
                .setMetadata(new LinkedHashMap<>(metadata))
                .setCommandId("d7c1a2b3-0000-4000-8000-00000000002a")
                .setRecordedAt(Instant.ofEpochMilli(1_700_000_000_123L))
                .build();
    }

    private static JsonConverter schemaConverter() {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "true"), false);
        return converter;
    }
}
