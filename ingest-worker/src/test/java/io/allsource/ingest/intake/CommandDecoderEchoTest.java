package io.allsource.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.batch.BatchEntry;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroDeserializer;
import io.allsource.ingest.topics.IngestHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A result echoes the command record's key and correlation id; one too long to echo would make the result too large
 * to publish, so such a record is answered as undecodable, without that echo, before its value is even read.
 */
class CommandDecoderEchoTest {

    private final CommandDecoder decoder = new CommandDecoder(new AvroDeserializer<>(new SchemaRegistryClient(
            RegistrySettings.of("http://127.0.0.1:9")), AppendCommand.class), "dead-letters", 1_000_000);

    @Test
    void answersARecordWhoseKeyIsTooLongToEchoWithoutTheKey() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("commands", 3, 42L, new byte[5_000],
                "not read".getBytes(StandardCharsets.UTF_8));
        record.headers().add(IngestHeaders.CORRELATION_ID, "c-1".getBytes(StandardCharsets.UTF_8));

        DecodedRecord decoded = decoder.decode(record);

        assertThat(decoded.entry()).isInstanceOfSatisfying(BatchEntry.Undecodable.class, entry -> {
            assertThat(entry.error()).isEqualTo("the record's key has 5000 bytes, at most 4096 are echoed onto a"
                    + " result");
            assertThat(entry.route().key()).isNull();
            assertThat(entry.route().correlationId()).isEqualTo("c-1".getBytes(StandardCharsets.UTF_8));
        });
        assertThat(decoded.deadLetter()).isNotNull();
    }

    @Test
    void answersARecordWhoseCorrelationIdIsTooLongToEchoWithoutIt() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("commands", 3, 43L,
                "order-1".getBytes(StandardCharsets.UTF_8), new byte[] {0});
        record.headers().add(IngestHeaders.CORRELATION_ID, new byte[4_097]);

        DecodedRecord decoded = decoder.decode(record);

        assertThat(decoded.entry()).isInstanceOfSatisfying(BatchEntry.Undecodable.class, entry -> {
            assertThat(entry.error()).startsWith("header ingest-correlation-id has 4097 bytes");
            assertThat(entry.route().correlationId()).isNull();
            assertThat(entry.route().key()).isEqualTo("order-1".getBytes(StandardCharsets.UTF_8));
        });
    }
}
