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
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
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
        Schema newer = EvolvedCommands.WITH_AT_LEAST;

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
        return EvolvedCommands.command(schema, streamId, kind);
    }

    private byte[] frame(Schema schema, GenericRecord record) {
        return EvolvedCommands.frame(registry, subject, schema, record);
    }
}
