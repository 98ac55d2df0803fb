package io.allsource.ingest.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.NewEvent;
import io.allsource.ingest.avro.RejectionReason;
import io.allsource.ingest.avro.StreamAppend;
import io.allsource.ingest.avro.StreamOutcome;
import io.allsource.ingest.registry.RegistryRequestException;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.RegistryUnavailableException;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.UndecodableRecordException.Problem;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SchemaRegistryExtension.class)
class AvroSerdeIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestSchemaRegistry registry;
    private final SchemaRegistryClient client;
    private String topic;

    AvroSerdeIT(TestSchemaRegistry registry) {
        this.registry = registry;
        this.client = new SchemaRegistryClient(RegistrySettings.of(registry.url()));
    }

    @BeforeEach
    void freshTopic() {
        topic = "serde-" + UUID.randomUUID();
    }

    @Test
    void roundTripsAnAppendCommand() {
        AppendCommand command = appendCommand();

        byte[] bytes = AvroSerializer.<AppendCommand>forTopics(client, true).serialize(topic, command);

        assertThat(new AvroDeserializer<>(client, AppendCommand.class).deserialize(topic, bytes)).isEqualTo(command);
    }

    @Test
    void roundTripsACommandResult() {
        CommandResult result = CommandResult.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setStatus(CommandStatus.REJECTED)
                .setReason(RejectionReason.CONCURRENCY_CONFLICT)
                .setMessage("appends[0] stream 'order-1' expected EXACT 3 but is at version 5")
                .setPartition(7)
                .setOffset(12_345L)
                .setStreams(List.of(new StreamOutcome("order-1",
                        new ExpectedVersion(ExpectedVersionKind.EXACT, 3L), 5L, null, null)))
                .setFirstSequence(null)
                .setLastSequence(null)
                .setDuplicate(true)
                .setCommittedAt(Instant.ofEpochMilli(1_760_000_000_123L))
                .build();

        byte[] bytes = AvroSerializer.<CommandResult>forTopics(client, true).serialize(topic, result);

        assertThat(new AvroDeserializer<>(client, CommandResult.class).deserialize(topic, bytes)).isEqualTo(result);
    }

    @Test
    void roundTripsAnEventRecord() {
        EventRecord event = eventRecord();

        byte[] bytes = AvroSerializer.<EventRecord>forTopics(client, true).serialize(topic, event);

        assertThat(new AvroDeserializer<>(client, EventRecord.class).deserialize(topic, bytes)).isEqualTo(event);
    }

    @Test
    void writesTheMagicByteAndTheSchemaIdOfTheTopicsSubject() {
        byte[] bytes = AvroSerializer.<AppendCommand>forTopics(client, true).serialize(topic, appendCommand());

        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt())
                .isEqualTo(client.idOf(topic + "-value", AppendCommand.getClassSchema()));
    }

    @Test
    void refusesASubjectWithoutTheSchemaWhenNotAutoRegistering() {
        AvroSerializer<AppendCommand> serializer = AvroSerializer.forTopics(client, false);

        assertThatThrownBy(() -> serializer.serialize(topic, appendCommand()))
                .isInstanceOfSatisfying(RegistryRequestException.class, e -> assertThat(e.isNotFound()).isTrue())
                .hasMessageContaining(topic + "-value");

        client.register(topic + "-value", AppendCommand.getClassSchema());
        assertThat(serializer.serialize(topic, appendCommand())).isNotEmpty();
    }

    @Test
    void encodesValuesOfAnyTopicUnderAFixedSubject() throws Exception {
        String subject = topic + "-results-value";
        byte[] bytes = AvroSerializer.<CommandResult>forSubject(client, true, subject)
                .serialize("some-reply-topic", acceptedResult());

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(client.idOf(subject, CommandResult.getClassSchema()));
        assertThat(httpGet("/subjects")).doesNotContain("some-reply-topic-value");
    }

    @Test
    void decodesARecordWrittenWithAnOlderSchemaFillingDefaults() throws Exception {
        ObjectNode json = (ObjectNode) JSON.readTree(AppendCommand.getClassSchema().toString());
        ArrayNode fields = (ArrayNode) json.get("fields");
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).get("name").asText().equals("partition_key")) {
                fields.remove(i);
            }
        }
        Schema older = new Schema.Parser().parse(json.toString());
        GenericRecord record = new GenericData.Record(older);
        record.put("command_id", "c-1");
        record.put("tenant_id", "t-1");
        record.put("appends", new GenericData.Array<>(older.getField("appends").schema(), List.of()));
        record.put("issued_at", 1_760_000_000_000L);

        AppendCommand decoded = new AvroDeserializer<>(client, AppendCommand.class)
                .deserialize(topic, writeWithRegisteredSchema(record, older));

        assertThat(decoded.getCommandId()).isEqualTo("c-1");
        assertThat(decoded.getPartitionKey()).isNull();
        assertThat(decoded.getIssuedAt()).isEqualTo(Instant.ofEpochMilli(1_760_000_000_000L));
    }

    @Test
    void decodesARecordWrittenWithANewerSchemaIgnoringItsNewField() throws Exception {
        ObjectNode json = (ObjectNode) JSON.readTree(EventRecord.getClassSchema().toString());
        ((ArrayNode) json.get("fields")).addObject().put("name", "priority").put("type", "int").put("default", 0)
                .put("doc", "a field from the future");
        Schema newer = new Schema.Parser().parse(json.toString());
        EventRecord original = eventRecord();
        GenericRecord record = new GenericData.Record(newer);
        for (Schema.Field field : EventRecord.getClassSchema().getFields()) {
            record.put(field.name(), GenericData.get().deepCopy(field.schema(), toGeneric(original, field)));
        }
        record.put("priority", 9);

        EventRecord decoded = new AvroDeserializer<>(client, EventRecord.class)
                .deserialize(topic, writeWithRegisteredSchema(record, newer));

        assertThat(decoded).isEqualTo(original);
    }

    @Test
    void producesBytesThatPlainAvroDecodesWithTheSchemaFetchedById() throws Exception {
        EventRecord event = eventRecord();
        byte[] bytes = AvroSerializer.<EventRecord>forTopics(client, true).serialize(topic, event);

        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        Schema fetched = new Schema.Parser().parse(JSON.readTree(httpGet("/schemas/ids/" + id)).get("schema").asText());
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(fetched).read(null,
                DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));

        assertThat(decoded.get("event_id").toString()).isEqualTo(event.getEventId());
        assertThat(decoded.get("version")).isEqualTo(event.getVersion());
        assertThat(decoded.get("payload").toString()).isEqualTo(event.getPayload());
        assertThat(decoded.get("recorded_at")).isEqualTo(event.getRecordedAt().toEpochMilli());
    }

    @Test
    void decodesBytesThatPlainAvroWroteUnderAnIdRegisteredOverRawHttp() throws Exception {
        Schema schema = EventRecord.getClassSchema();
        String answer = httpPost("/subjects/" + topic + "-value/versions",
                JSON.createObjectNode().put("schema", schema.toString()).toString());
        int id = JSON.readTree(answer).get("id").asInt();
        EventRecord original = eventRecord();
        GenericRecord record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            record.put(field.name(), toGeneric(original, field));
        }

        EventRecord decoded = new AvroDeserializer<>(client, EventRecord.class)
                .deserialize(topic, frame(id, record, schema));

        assertThat(decoded).isEqualTo(original);
    }

    @Test
    void namesAWrongMagicByte() {
        byte[] bytes = validCommandBytes();
        bytes[0] = 0x01;

        assertUndecodable(bytes, Problem.WRONG_MAGIC_BYTE, "0x01");
    }

    @Test
    void namesAValueTooShortForTheHeader() {
        assertUndecodable(new byte[] {0, 0, 1}, Problem.TOO_SHORT, "3 bytes");
    }

    @Test
    void namesAnUnknownSchemaId() {
        byte[] bytes = validCommandBytes();
        ByteBuffer.wrap(bytes).put(1, (byte) 0x7f);

        assertUndecodable(bytes, Problem.UNKNOWN_SCHEMA_ID, "no schema with id");
    }

    @Test
    void namesATruncatedBody() {
        byte[] bytes = validCommandBytes();

        assertUndecodable(Arrays.copyOf(bytes, bytes.length / 2), Problem.MALFORMED_AVRO, "does not decode",
                "truncated");
    }

    @Test
    void namesBytesLeftAfterTheBody() {
        byte[] bytes = validCommandBytes();

        assertUndecodable(Arrays.copyOf(bytes, bytes.length + 3), Problem.TRAILING_BYTES, "remain");
    }

    @Test
    void namesARecordOfAnotherSchema() {
        byte[] event = AvroSerializer.<EventRecord>forTopics(client, true).serialize(topic, eventRecord());

        assertThatThrownBy(() -> new AvroDeserializer<>(client, AppendCommand.class).deserialize(topic, event))
                .isInstanceOf(UndecodableRecordException.class)
                .message().contains("cannot be read as io.allsource.ingest.avro.AppendCommand", "READER_FIELD_MISSING")
                .hasSizeLessThan(2_000);
    }

    @Test
    void refusesAnAbsurdBlockCountWithoutAllocatingForIt() throws Exception { // Failsafe runs with -Xmx256m
        int id = client.register(topic + "-value", AppendCommand.getClassSchema());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(body, null);
        encoder.writeString("c");
        encoder.writeString("t");
        encoder.writeIndex(0);
        encoder.writeLong(1_000_000_000L); // a block of a billion appends, and no bytes for any of them
        encoder.flush();
        byte[] bytes = ByteBuffer.allocate(5 + body.size()).put((byte) 0).putInt(id).put(body.toByteArray()).array();

        assertUndecodable(bytes, Problem.MALFORMED_AVRO, "does not decode");
    }

    @Test
    void leavesNullValuesNull() {
        assertThat(new AvroDeserializer<>(client, AppendCommand.class).deserialize(topic, null)).isNull();
        assertThat(AvroSerializer.<AppendCommand>forTopics(client, true).serialize(topic, null)).isNull();
    }

    @Test
    void reportsAnUnreachableRegistryAsUnavailableNotAsABadRecord() throws Exception {
        byte[] bytes = validCommandBytes();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SchemaRegistryClient unreachable = new SchemaRegistryClient(RegistrySettings.of("http://127.0.0.1:" + closedPort)
                .withRetries(2, Duration.ofMillis(10), Duration.ofSeconds(2)));

        assertThatThrownBy(() -> new AvroDeserializer<>(unreachable, AppendCommand.class).deserialize(topic, bytes))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("after 2 attempts");
    }

    private void assertUndecodable(byte[] bytes, Problem problem, String... details) {
        assertThatThrownBy(() -> new AvroDeserializer<>(client, AppendCommand.class).deserialize(topic, bytes))
                .isInstanceOfSatisfying(UndecodableRecordException.class,
                        e -> assertThat(e.problem()).isEqualTo(problem))
                .message().contains(details);
    }

    private byte[] validCommandBytes() {
        return AvroSerializer.<AppendCommand>forTopics(client, true).serialize(topic, appendCommand());
    }

    private byte[] writeWithRegisteredSchema(GenericRecord record, Schema schema) throws Exception {
        return frame(client.register(topic + "-value", schema), record, schema);
    }

    private static byte[] frame(int id, GenericRecord record, Schema schema) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(5).put((byte) 0).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** A field of a generated record in the representation plain Avro writes (timestamps as epoch millis). */
    private static Object toGeneric(EventRecord event, Schema.Field field) {
        Object value = event.get(field.pos());
        return value instanceof Instant instant ? instant.toEpochMilli() : value;
    }

    private String httpGet(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(registry.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private String httpPost(String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(registry.url() + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static AppendCommand appendCommand() {
        return AppendCommand.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setTenantId("tenant-1")
                .setPartitionKey(null)
                .setAppends(List.of(new StreamAppend("order-1", new ExpectedVersion(ExpectedVersionKind.NO_STREAM, 0L),
                        List.of(new NewEvent(null, "OrderPlaced", "order-1", "{\"total\": 12.5}", Map.of("source", "web")),
                                new NewEvent(UUID.randomUUID().toString(), "OrderPaid", "order-1", "{}", Map.of())))))
                .setIssuedAt(Instant.ofEpochMilli(1_760_000_000_000L))
                .build();
    }

    private static CommandResult acceptedResult() {
        return CommandResult.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setStatus(CommandStatus.ACCEPTED)
                .setReason(null)
                .setMessage(null)
                .setPartition(1)
                .setOffset(2L)
                .setStreams(List.of(new StreamOutcome("s", new ExpectedVersion(ExpectedVersionKind.ANY, 0L), 3L, 1L, 3L)))
                .setFirstSequence(10L)
                .setLastSequence(12L)
                .setDuplicate(false)
                .setCommittedAt(Instant.ofEpochMilli(1_760_000_000_000L))
                .build();
    }

    private static EventRecord eventRecord() {
        return EventRecord.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setStreamId("order-1")
                .setVersion(3L)
                .setPartition(17)
                .setPartitionSequence(99L)
                .setTenantId("tenant-1")
                .setEventType("OrderShipped")
                .setEntityId("order-1")
                .setPayload("{\"carrier\": \"ups\"}")
                .setMetadata(Map.of("trace", "abc"))
                .setCommandId(UUID.randomUUID().toString())
                .setRecordedAt(Instant.ofEpochMilli(1_760_000_000_456L))
                .build();
    }
}
