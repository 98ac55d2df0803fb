package io.allsource.ingest.intake;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Commands written the way a producer with another version of the contract writes them: generic records of a given
 * writer schema (the contract's, or a newer one with an enum symbol the worker does not know), framed in the wire
 * format under the id the schema gets in a subject. For tests of the decode step.
 */
public final class EvolvedCommands {

    /** The contract's {@code AppendCommand} with one more {@code ExpectedVersion.kind} symbol, {@code AT_LEAST}. */
    public static final Schema WITH_AT_LEAST = new Schema.Parser().parse(AppendCommand.getClassSchema().toString()
            .replace("\"EXACT\"]", "\"EXACT\",\"AT_LEAST\"]"));

    private EvolvedCommands() {
    }

    /** A command of one event appended to {@code streamId} with the expected-version kind {@code kind}. */
    public static GenericRecord command(Schema schema, Utf8 streamId, String kind) {
        Schema append = schema.getField("appends").schema().getElementType();
        Schema expectedSchema = append.getField("expected_version").schema();
        Schema eventSchema = append.getField("events").schema().getElementType();
        GenericRecord expected = new GenericData.Record(expectedSchema);
        expected.put("kind", new GenericData.EnumSymbol(expectedSchema.getField("kind").schema(), kind));
        expected.put("version", 0L);
        GenericRecord event = new GenericData.Record(eventSchema);
        event.put("event_type", "Happened");
        event.put("entity_id", "order-1");
        event.put("payload", "{}");
        event.put("metadata", Map.of());
        GenericRecord streamAppend = new GenericData.Record(append);
        streamAppend.put("stream_id", streamId);
        streamAppend.put("expected_version", expected);
        streamAppend.put("events", List.of(event));
        GenericRecord command = new GenericData.Record(schema);
        command.put("command_id", UUID.randomUUID().toString());
        command.put("tenant_id", "tenant-1");
        command.put("appends", List.of(streamAppend));
        command.put("issued_at", 1_760_000_000_000L);
        return command;
    }

    /** {@code record} in the wire format, under the id {@code schema} gets in {@code subject}. */
    public static byte[] frame(SchemaRegistryClient registry, String subject, Schema schema, GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(ByteBuffer.allocate(5).put((byte) 0).putInt(registry.register(subject, schema)).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
