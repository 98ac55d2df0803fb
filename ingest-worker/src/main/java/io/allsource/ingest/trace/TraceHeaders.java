package io.allsource.ingest.trace;

import io.allsource.ingest.contract.TraceContext;
import io.allsource.ingest.topics.IngestHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The W3C trace headers of a record, {@code traceparent} and {@code tracestate}, read from a command and written onto
 * its result and events as US-ASCII text: read by {@link TraceContext#parse(byte[], byte[])} (the last header of each
 * name counts), written as kept. Stateless.
 */
public final class TraceHeaders {

    private TraceHeaders() {
    }

    /** The trace context the headers carry, or null when they hold no valid {@code traceparent}. */
    public static TraceContext read(Headers headers) {
        Header traceparent = headers.lastHeader(IngestHeaders.TRACEPARENT);
        if (traceparent == null || traceparent.value() == null) {
            return null;
        }
        Header tracestate = headers.lastHeader(IngestHeaders.TRACESTATE);
        return TraceContext.parse(traceparent.value(), tracestate == null ? null : tracestate.value()).orElse(null);
    }

    /** New headers holding {@code trace}'s, none for null: a record's own, which the producer may add to. */
    public static Headers of(TraceContext trace) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, trace);
        return headers;
    }

    /** Adds {@code trace}'s headers to {@code headers}; nothing for null. */
    public static void add(Headers headers, TraceContext trace) {
        if (trace == null) {
            return;
        }
        headers.add(IngestHeaders.TRACEPARENT, trace.traceparent().getBytes(StandardCharsets.US_ASCII));
        if (trace.tracestate() != null) {
            headers.add(IngestHeaders.TRACESTATE, trace.tracestate().getBytes(StandardCharsets.US_ASCII));
        }
    }
}
