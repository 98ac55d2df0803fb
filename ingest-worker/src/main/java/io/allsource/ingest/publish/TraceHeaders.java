package io.allsource.ingest.publish;

import io.allsource.ingest.contract.TraceContext;
import io.allsource.ingest.topics.IngestHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The W3C trace headers of a published record: {@code traceparent}, and {@code tracestate} when kept, as US-ASCII
 * text, the values the command carried. Stateless.
 */
final class TraceHeaders {

    private TraceHeaders() {
    }

    /** Headers holding {@code trace}'s, none for null; a record's own, which the producer may change. */
    static Headers of(TraceContext trace) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, trace);
        return headers;
    }

    /** Adds {@code trace}'s headers to {@code headers}; nothing for null. */
    static void add(Headers headers, TraceContext trace) {
        if (trace == null) {
            return;
        }
        headers.add(IngestHeaders.TRACEPARENT, trace.traceparent().getBytes(StandardCharsets.US_ASCII));
        if (trace.tracestate() != null) {
            headers.add(IngestHeaders.TRACESTATE, trace.tracestate().getBytes(StandardCharsets.US_ASCII));
        }
    }
}
