package io.allsource.ingest.intake;

import io.allsource.ingest.topics.IngestHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the dead-letter copy of an undecodable record: key, value and headers unchanged, plus headers saying why and
 * where it came from. A record can reach the commands topic compressed and still be too large for the worker's
 * producer to copy (5 MB of zeros compresses to a few kilobytes); its copy then holds only the first bytes of the
 * value that fit, with {@code ingest-original-size} and {@code ingest-original-sha256}, and the original headers too
 * when they alone would not fit ({@code ingest-dropped-headers} counts them). Thread-safe.
 */
final class DeadLetters {

    /** Bytes of a record beyond its key, value and headers (batch and record framing), rounded up generously. */
    private static final int FRAMING_BYTES = 512;

    private final String topic;
    private final int maxRecordBytes;

    /**
     * @param maxRecordBytes the largest record the worker's producer may send (below its {@code max.request.size})
     */
    DeadLetters(String topic, int maxRecordBytes) {
        this.topic = topic;
        this.maxRecordBytes = maxRecordBytes;
    }

    ProducerRecord<byte[], byte[]> copyOf(ConsumerRecord<byte[], byte[]> record, String error) {
        Headers headers = new RecordHeaders();
        add(headers, IngestHeaders.ERROR, error);
        add(headers, IngestHeaders.SOURCE_PARTITION, Integer.toString(record.partition()));
        add(headers, IngestHeaders.SOURCE_OFFSET, Long.toString(record.offset()));
        byte[] key = record.key();
        byte[] value = record.value();
        Header[] original = record.headers().toArray();
        long fixed = FRAMING_BYTES + length(key) + sizeOf(headers.toArray());
        if (fixed + sizeOf(original) + length(value) <= maxRecordBytes) {
            return new ProducerRecord<>(topic, record.partition(), key, value, withOriginal(original, headers));
        }
        boolean dropHeaders = fixed + sizeOf(original) > maxRecordBytes / 2;
        if (dropHeaders) {
            add(headers, IngestHeaders.DROPPED_HEADERS, Integer.toString(original.length));
        } else {
            headers = withOriginal(original, headers);
        }
        if (value != null) {
            add(headers, IngestHeaders.ORIGINAL_SIZE, Integer.toString(value.length));
            add(headers, IngestHeaders.ORIGINAL_SHA256, HexFormat.of().formatHex(sha256(value)));
            long room = maxRecordBytes - FRAMING_BYTES - length(key) - sizeOf(headers.toArray());
            value = Arrays.copyOf(value, (int) Math.max(0, Math.min(value.length, room)));
        }
        return new ProducerRecord<>(topic, record.partition(), key, value, headers);
    }

    private static Headers withOriginal(Header[] original, Headers added) {
        Headers headers = new RecordHeaders(original);
        for (Header header : added) {
            headers.add(header);
        }
        return headers;
    }

    private static long sizeOf(Header[] headers) {
        long size = 0;
        for (Header header : headers) {
            size += 10 + header.key().getBytes(StandardCharsets.UTF_8).length + length(header.value());
        }
        return size;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
