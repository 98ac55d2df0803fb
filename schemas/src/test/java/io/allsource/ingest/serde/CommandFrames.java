package io.allsource.ingest.serde;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.registry.FakeRegistry;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Commands built by hand as generic records of any writer schema shaped like the contract's {@code AppendCommand},
 * with strings given as raw bytes (a {@link Utf8} is written as it holds, valid UTF-8 or not), framed in the wire
 * format under a schema id that a {@link FakeRegistry} serves.
 */
final class CommandFrames {

    static final long ISSUED_AT = 1_760_000_000_000L;

    private final Schema schema;

    CommandFrames(Schema schema) {
        this.schema = schema;
    }

    /** A client of {@code registry} that tries once. */
    static SchemaRegistryClient client(FakeRegistry registry) {
        return new SchemaRegistryClient(RegistrySettings.of(registry.url())
                .withRetries(1, Duration.ofMillis(10), Duration.ofSeconds(2)));
    }

    /** A string of the ASCII {@code text} followed by {@code tail}, bytes given as ints. */
    static Utf8 raw(String text, int... tail) {
        byte[] head = text.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + tail.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        for (int i = 0; i < tail.length; i++) {
            bytes[head.length + i] = (byte) tail[i];
        }
        return new Utf8(bytes);
    }

    static Utf8 text(String text) {
        return new Utf8(text);
    }

    /** The contract's schema with {@code symbols} as the symbols of {@code ExpectedVersionKind}. */
    static Schema withKinds(String... symbols) {
        String contract = AppendCommand.getClassSchema().toString();
        String original = "\"symbols\":[\"ANY\",\"NO_STREAM\",\"STREAM_EXISTS\",\"EXACT\"]";
        if (!contract.contains(original)) {
            throw new IllegalStateException("The contract's ExpectedVersionKind changed: " + contract);
        }
        String replaced = contract.replace(original, "\"symbols\":[\"" + String.join("\",\"", symbols) + "\"]");
        return new Schema.Parser().parse(replaced);
    }

    /** The contract's schema with the string field {@code field} (of any record) of type {@code type} instead. */
    static Schema withFieldType(String field, String type) {
        String contract = AppendCommand.getClassSchema().toString();
        String original = "\"name\":\"" + field + "\",\"type\":{\"type\":\"string\",\"avro.java.string\":\"String\"}";
        if (!contract.contains(original)) {
            throw new IllegalStateException("The contract has no string field " + field + ": " + contract);
        }
        return new Schema.Parser().parse(contract.replace(original, "\"name\":\"" + field + "\",\"type\":" + type));
    }

    GenericRecord command(CharSequence tenant, CharSequence partitionKey, GenericRecord... appends) {
        GenericRecord command = new GenericData.Record(schema);
        command.put("command_id", text("6f1c2a4e-8f4b-4c1e-9d7a-2b5e0c3d9a10"));
        command.put("tenant_id", tenant);
        command.put("partition_key", partitionKey);
        command.put("appends", new GenericData.Array<>(schema.getField("appends").schema(), List.of(appends)));
        command.put("issued_at", ISSUED_AT);
        return command;
    }

    GenericRecord append(Object streamId, String kind, long version, GenericRecord event) {
        Schema append = appendSchema();
        Schema expectedSchema = append.getField("expected_version").schema();
        GenericRecord expected = new GenericData.Record(expectedSchema);
        expected.put("kind", new GenericData.EnumSymbol(expectedSchema.getField("kind").schema(), kind));
        expected.put("version", version);
        GenericRecord record = new GenericData.Record(append);
        record.put("stream_id", streamId);
        record.put("expected_version", expected);
        record.put("events", new GenericData.Array<>(append.getField("events").schema(), List.of(event)));
        return record;
    }

    GenericRecord event(Map<CharSequence, CharSequence> metadata) {
        GenericRecord event = new GenericData.Record(appendSchema().getField("events").schema().getElementType());
        event.put("event_id", null);
        event.put("event_type", text("OrderPlaced"));
        event.put("entity_id", text("order-1"));
        event.put("payload", text("{\"total\": 12.5}"));
        event.put("metadata", metadata);
        return event;
    }

    /** The record in the wire format under {@code schemaId}. */
    byte[] frame(int schemaId, GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(ByteBuffer.allocate(WireFormat.HEADER_SIZE).put(WireFormat.MAGIC_BYTE).putInt(schemaId).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new RawKeysWriter(schema).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes map keys as they are held: Avro's own writer turns each key into a {@link String} first. */
    private static final class RawKeysWriter extends GenericDatumWriter<GenericRecord> {

        RawKeysWriter(Schema schema) {
            super(schema);
        }

        @Override
        protected void writeMap(Schema schema, Object datum, Encoder out) throws IOException {
            Map<?, ?> map = (Map<?, ?>) datum;
            out.writeMapStart();
            out.setItemCount(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.startItem();
                out.writeString((CharSequence) entry.getKey());
                write(schema.getValueType(), entry.getValue(), out);
            }
            out.writeMapEnd();
        }
    }

    private Schema appendSchema() {
        return schema.getField("appends").schema().getElementType();
    }
}
