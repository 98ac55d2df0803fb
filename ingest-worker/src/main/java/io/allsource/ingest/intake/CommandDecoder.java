package io.allsource.ingest.intake;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.batch.BatchEntry;
import io.allsource.ingest.command.ReplyRoute;
import io.allsource.ingest.registry.RegistryUnavailableException;
import io.allsource.ingest.serde.AvroDeserializer;
import io.allsource.ingest.serde.UndecodableRecordException;
import io.allsource.ingest.topics.IngestHeaders;
import io.allsource.ingest.trace.TraceHeaders;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Turns records of the commands topic into batch entries: the value decoded with the registry, the reply route and
 * the trace context read from the headers. A record whose value or headers cannot be used becomes an
 * {@link BatchEntry.Undecodable} entry with a dead-letter copy: the bytes unchanged (in part when too large to copy
 * whole), plus headers saying why and where it came from. The trace context never makes a record undecodable: a
 * malformed {@code traceparent} is dropped with its {@code tracestate}
 * ({@link io.allsource.ingest.contract.TraceContext#parse(byte[], byte[])}), and an undecodable record's result still
 * carries a valid one. The decode step of the write path.
 *
 * <p>{@link io.allsource.ingest.registry.RegistryUnavailableException} passes through: an unreachable registry is no
 * fault of the record, which must be decoded again later, not dead-lettered. Thread-safe.
 */
public final class CommandDecoder {

    /** Kafka's legal topic names. */
    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    /** The most bytes of a key or correlation id echoed onto a result (a partition key is at most 1,020 bytes). */
    static final int MAX_ECHO_BYTES = 4_096;

    private final AvroDeserializer<AppendCommand> deserializer;
    private final DeadLetters deadLetters;

    /**
     * @param maxRecordBytes the largest dead-letter copy the worker's producer may send; a larger record is copied
     *                       in part (see {@link io.allsource.ingest.topics.IngestHeaders#ORIGINAL_SIZE})
     */
    public CommandDecoder(AvroDeserializer<AppendCommand> deserializer, String deadLetterTopic, int maxRecordBytes) {
        this.deserializer = deserializer;
        this.deadLetters = new DeadLetters(deadLetterTopic, maxRecordBytes);
    }

    public DecodedRecord decode(ConsumerRecord<byte[], byte[]> record) {
        byte[] key = record.key();
        byte[] correlationId = bytes(record.headers(), IngestHeaders.CORRELATION_ID);
        String tooLong = echoTooLong("the record's key", key) != null ? echoTooLong("the record's key", key)
                : echoTooLong("header " + IngestHeaders.CORRELATION_ID, correlationId);
        if (tooLong != null) {
            // The result echoes both: one too long to echo would make the result itself too large to publish.
            ReplyRoute echoing = ReplyRoute.DEFAULT.withEchoes(bounded(correlationId), bounded(key));
            return undecodable(record, echoing, tooLong);
        }
        ReplyRoute route;
        try {
            route = routeOf(record.headers(), key);
        } catch (IllegalArgumentException e) {
            // The result goes to the default results topic, still with the correlation id the producer waits on.
            return undecodable(record, ReplyRoute.DEFAULT.withEchoes(correlationId, key), e.getMessage());
        }
        if (record.value() == null) {
            return undecodable(record, route, "the record has no value (a tombstone)");
        }
        try {
            AppendCommand command = deserializer.deserialize(record.topic(), record.headers(), record.value());
            return new DecodedRecord(new BatchEntry.Decoded(record.offset(), CommandRecords.fromAvro(command), route),
                    null);
        } catch (UndecodableRecordException e) {
            return undecodable(record, route, e.problem() + ": " + e.getMessage());
        }
    }

    /**
     * The entry of a record that a later step refused for good with {@code reason}: a {@link BatchEntry.Refused} when
     * it decodes (so that a resent command id still finds its stored result), else undecodable with a dead-letter
     * copy. Never throws for the record's sake.
     */
    public DecodedRecord refuse(ConsumerRecord<byte[], byte[]> record, String reason) {
        DecodedRecord decoded;
        try {
            decoded = decode(record);
        } catch (RegistryUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            return undecodable(record, ReplyRoute.DEFAULT.withEchoes(bounded(bytes(record.headers(),
                    IngestHeaders.CORRELATION_ID)), bounded(record.key())), reason);
        }
        if (decoded.entry() instanceof BatchEntry.Decoded command) {
            return new DecodedRecord(new BatchEntry.Refused(command, reason), null);
        }
        return decoded;
    }

    private DecodedRecord undecodable(ConsumerRecord<byte[], byte[]> record, ReplyRoute route, String error) {
        return new DecodedRecord(new BatchEntry.Undecodable(record.offset(), error,
                route.withTrace(TraceHeaders.read(record.headers()))), deadLetters.copyOf(record, error));
    }



    /** Why {@code value} cannot be echoed onto a result, or null when it can. */
    private static String echoTooLong(String what, byte[] value) {
        return value != null && value.length > MAX_ECHO_BYTES ? what + " has " + value.length + " bytes, at most "
                + MAX_ECHO_BYTES + " are echoed onto a result" : null;
    }

    private static byte[] bounded(byte[] value) {
        return value == null || value.length > MAX_ECHO_BYTES ? null : value;
    }

    /** The reply route the headers ask for; a malformed header is the record's fault and makes it undecodable. */
    static ReplyRoute routeOf(Headers headers, byte[] key) {
        String topic = text(headers, IngestHeaders.REPLY_TOPIC);
        String partitionText = text(headers, IngestHeaders.REPLY_PARTITION);
        byte[] correlationId = bytes(headers, IngestHeaders.CORRELATION_ID);
        if (topic != null && !TOPIC_NAME.matcher(topic).matches()) {
            throw new IllegalArgumentException("header " + IngestHeaders.REPLY_TOPIC + " '" + shorten(topic)
                    + "' is not a legal topic name");
        }
        Integer partition = null;
        if (partitionText != null) {
            if (topic == null) {
                throw new IllegalArgumentException("header " + IngestHeaders.REPLY_PARTITION + " is set without "
                        + IngestHeaders.REPLY_TOPIC);
            }
            try {
                partition = Integer.parseInt(partitionText.trim());
            } catch (NumberFormatException e) {
                partition = -1;
            }
            if (partition < 0) {
                throw new IllegalArgumentException("header " + IngestHeaders.REPLY_PARTITION + " '"
                        + shorten(partitionText) + "' is not a partition number");
            }
        }
        return new ReplyRoute(topic, partition, correlationId, key, TraceHeaders.read(headers));
    }

    private static String text(Headers headers, String name) {
        byte[] value = bytes(headers, name);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : header.value();
    }

    private static String shorten(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
