package io.allsource.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.batch.BatchEntry;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroDeserializer;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The decoder of the commands topic against the real registry: a record the serde refuses (a string that is not
 * UTF-8, an enum symbol the worker does not know) becomes an undecodable entry with its reason and an unchanged
 * dead-letter copy, while a record of the same newer schema that uses only known symbols is a command.
 */
@ExtendWith(SchemaRegistryExtension.class)
class CommandDecoderIT {

    private static final String TOPIC = "commands";

    private final SchemaRegistryClient registry;
    private final CommandDecoder decoder;
    private final String subject = "decoder-" + UUID.randomUUID() + "-value";

    CommandDecoderIT(TestSchemaRegistry registry) {
        this.registry = new SchemaRegistryClient(RegistrySettings.of(registry.url()));
        this.decoder = new CommandDecoder(new AvroDeserializer<>(this.registry, AppendCommand.class), "dead-letters",
                1_000_000);
    }

    @Test
    void deadLettersAStreamIdThatIsNotUtf8NamingTheFieldAndTheByte() {
        Schema schema = AppendCommand.getClassSchema();
        byte[] value = frame(schema, command(schema, new Utf8(new byte[] {'o', 'r', 'd', 'e', 'r', (byte) 0xff}), "ANY"));

        DecodedRecord decoded = decoder.decode(record(value));

        assertThat(decoded.entry()).isInstanceOfSatisfying(BatchEntry.Undecodable.class, entry -> assertThat(
                entry.error()).startsWith("INVALID_UTF8: appends[0].stream_id is not valid UTF-8").contains("0xff"));
        assertThat(decoded.deadLetter().value()).isEqualTo(value);
        assertThat(new String(decoded.deadLetter().headers().lastHeader(IngestHeaders.ERROR).value(),
                StandardCharsets.UTF_8)).startsWith("INVALID_UTF8");
    }

    @Test
    void decodesKnownSymbolsOfANewerEnumAndDeadLettersTheNewSymbol() {
        Schema newer = new Schema.Parser().parse(AppendCommand.getClassSchema().toString()
                .replace("\"EXACT\"]", "\"EXACT\",\"AT_LEAST\"]"));

        DecodedRecord known = decoder.decode(record(frame(newer, command(newer, new Utf8("order-1"), "ANY"))));
        DecodedRecord unknown = decoder.decode(record(frame(newer, command(newer, new Utf8("order-1"), "AT_LEAST"))));

        assertThat(known.entry()).isInstanceOf(BatchEntry.Decoded.class);
        assertThat(known.deadLetter()).isNull();
        assertThat(unknown.entry()).isInstanceOfSatisfying(BatchEntry.Undecodable.class, entry -> assertThat(
                entry.error()).startsWith("UNKNOWN_ENUM_SYMBOL: appends[0].expected_version.kind is AT_LEAST"));
        assertThat(unknown.deadLetter()).isNotNull();
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
        return new ConsumerRecord<>(TOPIC, 3, 42L, "order-1".getBytes(StandardCharsets.UTF_8), value);
    }

    private static GenericRecord command(Schema schema, Utf8 streamId, String kind) {
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

    /** The record in the wire format, under the id its schema gets in a subject of this test. */
    private byte[] frame(Schema schema, GenericRecord record) {
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
