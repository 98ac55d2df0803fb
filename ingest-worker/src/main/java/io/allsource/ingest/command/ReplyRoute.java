package io.allsource.ingest.command;

import io.allsource.ingest.contract.TraceContext;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Where a command's result goes, from the headers of its record: a reply topic and partition, else the default results
 * topic; and what to echo onto the result: bytes, and the command's trace context. Kept with the stored result so that
 * a republished result takes the same route and echoes the same. The echoed values are bytes, not text, because
 * producers put binary correlation ids (16 raw UUID bytes, say) in headers and must get them back unchanged.
 *
 * @param topic         the {@code ingest-reply-topic} header, or {@code null}
 * @param partition     the {@code ingest-reply-partition} header, or {@code null}
 * @param correlationId the {@code ingest-correlation-id} header's bytes, or {@code null}
 * @param key           the command record's key bytes, which the result record carries too, or {@code null}
 * @param trace         the {@code traceparent} and {@code tracestate} headers of this delivery, copied onto its
 *                      result (and, for the delivery that decided the outcome, onto its events); {@code null} when
 *                      it had no valid {@code traceparent}
 */
public record ReplyRoute(String topic, Integer partition, byte[] correlationId, byte[] key, TraceContext trace) {

    /** No headers and no key: the default results topic, at the command's partition number. */
    public static final ReplyRoute DEFAULT = new ReplyRoute(null, null, null, null, null);

    public ReplyRoute {
        correlationId = correlationId == null ? null : correlationId.clone();
        key = key == null ? null : key.clone();
    }

    /** A route without a trace context. */
    public ReplyRoute(String topic, Integer partition, byte[] correlationId, byte[] key) {
        this(topic, partition, correlationId, key, null);
    }

    /** A route whose correlation id and key are the UTF-8 bytes of the texts given (either may be null). */
    public static ReplyRoute of(String topic, Integer partition, String correlationId, String key) {
        return new ReplyRoute(topic, partition, utf8(correlationId), utf8(key));
    }

    /** The same topic, partition and trace context, echoing {@code correlationId} and {@code key}. */
    public ReplyRoute withEchoes(byte[] correlationId, byte[] key) {
        return new ReplyRoute(topic, partition, correlationId, key, trace);
    }

    /** The same route, carrying {@code trace} (or none, for null). */
    public ReplyRoute withTrace(TraceContext trace) {
        return new ReplyRoute(topic, partition, correlationId, key, trace);
    }

    @Override
    public byte[] correlationId() {
        return correlationId == null ? null : correlationId.clone();
    }

    @Override
    public byte[] key() {
        return key == null ? null : key.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReplyRoute route && Objects.equals(topic, route.topic)
                && Objects.equals(partition, route.partition) && Arrays.equals(correlationId, route.correlationId)
                && Arrays.equals(key, route.key) && Objects.equals(trace, route.trace);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, Arrays.hashCode(correlationId), Arrays.hashCode(key), trace);
    }

    @Override
    public String toString() {
        return "ReplyRoute[topic=" + topic + ", partition=" + partition + ", correlationId=" + hex(correlationId)
                + ", key=" + hex(key) + ", trace=" + trace + "]";
    }

    private static String hex(byte[] bytes) {
        return bytes == null ? "null" : "0x" + HexFormat.of().formatHex(bytes);
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
