package io.allsource.ingest.trace;

import io.allsource.ingest.contract.TraceContext;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.MDC;

/**
 * The trace ids of the commands a log line is about, in SLF4J's MDC for the line's thread: {@value #TRACE_ID} holds
 * one command's trace id on a line about that command; {@value #TRACE_IDS} the distinct trace ids of a batch's
 * commands on a line about the batch, comma-separated, at most {@value #MAX_TRACE_IDS} followed by {@code +N} for the
 * N more. A key is set only while a scope is open, and only when there is an id to show. Each scope is for the thread
 * that opened it; close it on that thread (try-with-resources).
 */
public final class TraceLog {

    /** The MDC key of a line about one command: its 32-hex-digit trace id. */
    public static final String TRACE_ID = "trace_id";
    /** The MDC key of a line about a batch: its commands' distinct trace ids, bounded. */
    public static final String TRACE_IDS = "trace_ids";
    /** The most trace ids {@value #TRACE_IDS} lists. */
    public static final int MAX_TRACE_IDS = 10;

    private static final Scope NONE = () -> { };

    private TraceLog() {
    }

    /** The MDC of a line, open until closed; closing puts back what the key held before. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Sets {@value #TRACE_ID} to {@code trace}'s trace id until closed; nothing for null. */
    public static Scope command(TraceContext trace) {
        return trace == null ? NONE : put(TRACE_ID, trace.traceId());
    }

    /** Sets {@value #TRACE_IDS} to the distinct trace ids of {@code traces} (nulls skipped) until closed. */
    public static Scope batch(Iterable<TraceContext> traces) {
        String ids = idsOf(traces);
        return ids == null ? NONE : put(TRACE_IDS, ids);
    }

    /** The value {@value #TRACE_IDS} takes for {@code traces}, or null when none has a trace context. */
    static String idsOf(Iterable<TraceContext> traces) {
        Set<String> ids = new LinkedHashSet<>();
        for (TraceContext trace : traces) {
            if (trace != null) {
                ids.add(trace.traceId());
            }
        }
        if (ids.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        int shown = 0;
        for (String id : ids) {
            if (shown == MAX_TRACE_IDS) {
                return text.append(",+").append(ids.size() - MAX_TRACE_IDS).toString();
            }
            text.append(shown++ == 0 ? "" : ",").append(id);
        }
        return text.toString();
    }

    private static Scope put(String key, String value) {
        String before = MDC.get(key);
        MDC.put(key, value);
        return () -> {
            if (before == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, before);
            }
        };
    }
}
