package io.allsource.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.topics.IngestHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    private static final int LIMIT = 1_000_000;
    private final DeadLetters deadLetters = new DeadLetters("ingest.commands.dlq", LIMIT);

    @Test
    void copiesARecordThatFitsUnchangedWithWhyAndWhere() {
        ConsumerRecord<byte[], byte[]> record = record(bytes("key"), bytes("not avro"), "corr", bytes("c-1"));

        ProducerRecord<byte[], byte[]> copy = deadLetters.copyOf(record, "WRONG_MAGIC_BYTE: 0x6e");

        assertThat(copy.topic()).isEqualTo("ingest.commands.dlq");
        assertThat(copy.partition()).isEqualTo(5);
        assertThat(copy.key()).isEqualTo(bytes("key"));
        assertThat(copy.value()).isEqualTo(bytes("not avro"));
        assertThat(text(copy, "corr")).isEqualTo("c-1");
        assertThat(text(copy, IngestHeaders.ERROR)).isEqualTo("WRONG_MAGIC_BYTE: 0x6e");
        assertThat(text(copy, IngestHeaders.SOURCE_PARTITION)).isEqualTo("5");
        assertThat(text(copy, IngestHeaders.SOURCE_OFFSET)).isEqualTo("42");
        assertThat(copy.headers().lastHeader(IngestHeaders.ORIGINAL_SIZE)).isNull();
    }

    @Test
    void copiesABoundedPrefixOfAValueTooLargeToSendWithItsSizeAndDigest() throws Exception {
        byte[] value = new byte[5_000_000];
        value[0] = 0x01;
        ConsumerRecord<byte[], byte[]> record = record(bytes("key"), value, "corr", bytes("c-1"));

        ProducerRecord<byte[], byte[]> copy = deadLetters.copyOf(record, "WRONG_MAGIC_BYTE: 0x01");

        assertThat(copy.value().length).isLessThan(LIMIT).isGreaterThan(LIMIT - 2_000);
        assertThat(copy.value()).isEqualTo(Arrays.copyOf(value, copy.value().length));
        assertThat(text(copy, IngestHeaders.ORIGINAL_SIZE)).isEqualTo("5000000");
        assertThat(text(copy, IngestHeaders.ORIGINAL_SHA256))
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value)));
        assertThat(text(copy, "corr")).as("the original headers are kept while they fit").isEqualTo("c-1");
        assertThat(size(copy)).isLessThanOrEqualTo(LIMIT);
    }

    @Test
    void dropsOriginalHeadersThatAloneWouldNotFitAndSaysHowMany() {
        ConsumerRecord<byte[], byte[]> record = record(null, bytes("x"), "big", new byte[1_100_000]);

        ProducerRecord<byte[], byte[]> copy = deadLetters.copyOf(record, "WRONG_MAGIC_BYTE");

        assertThat(copy.headers().lastHeader("big")).isNull();
        assertThat(text(copy, IngestHeaders.DROPPED_HEADERS)).isEqualTo("1");
        assertThat(text(copy, IngestHeaders.ORIGINAL_SIZE)).isEqualTo("1");
        assertThat(copy.value()).isEqualTo(bytes("x"));
        assertThat(size(copy)).isLessThanOrEqualTo(LIMIT);
    }

    @Test
    void copiesATombstoneWithoutAValue() {
        ProducerRecord<byte[], byte[]> copy = deadLetters.copyOf(record(bytes("k"), null, "corr", bytes("c")),
                "the record has no value (a tombstone)");

        assertThat(copy.value()).isNull();
        assertThat(copy.headers().lastHeader(IngestHeaders.ORIGINAL_SIZE)).isNull();
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value, String header, byte[] headerValue) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(header, headerValue);
        return new ConsumerRecord<>("ingest.commands", 5, 42, 0L, TimestampType.CREATE_TIME, -1, -1, key, value,
                headers, java.util.Optional.empty());
    }

    private static long size(ProducerRecord<byte[], byte[]> record) {
        long size = (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0
                : record.value().length);
        for (Header header : record.headers()) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }

    private static String text(ProducerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
