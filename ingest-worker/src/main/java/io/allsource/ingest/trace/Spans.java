package io.allsource.ingest.trace;

import io.allsource.ingest.contract.TraceContext;
import java.time.Instant;
import java.util.Collection;

/**
 * Spans of the worker's steps, each linked to the trace contexts of the commands it handled: {@value #DECODE} (a
 * partition's batch decoded), {@value #APPLY} (one batch transaction, of one or more partitions) and {@value #PUBLISH}
 * (a partition's results and events handed to the broker until it acknowledged them, or published again from the
 * database). Made by OpenTelemetry when its API is on the class path and an SDK is registered ({@link Tracing});
 * otherwise {@link #NONE}, which makes nothing and costs nothing: callers gather links only when {@link #enabled()}.
 * Implementations are thread-safe; a span may end on another thread than the one that started it.
 */
public interface Spans {

    /** The span of decoding a partition's batch. */
    String DECODE = "ingest.decode";
    /** The span of one batch transaction. */
    String APPLY = "ingest.apply";
    /** The span of publishing a partition's results and events. */
    String PUBLISH = "ingest.publish";

    /** No spans: every span is {@link Span#NONE}. */
    Spans NONE = new Spans() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public Span start(String name, Instant startedAt, Collection<Integer> partitions,
                Collection<TraceContext> links) {
            return Span.NONE;
        }
    };

    /** Whether spans are made; when false, {@link #start} answers {@link Span#NONE} whatever it is given. */
    boolean enabled();

    /**
     * Starts a span, a root of its own trace, with one link per distinct trace context of {@code links} (nulls
     * skipped; the SDK keeps up to its link limit, 128 by default).
     *
     * @param startedAt  when the step began, or null for now
     * @param partitions the commands topic's partitions the step worked on (attribute {@code ingest.partitions})
     * @param links      the trace contexts of the commands involved (their count is attribute
     *                   {@code ingest.commands})
     */
    Span start(String name, Instant startedAt, Collection<Integer> partitions, Collection<TraceContext> links);

    /** A started span. */
    interface Span {

        /** A span that records nothing. */
        Span NONE = failure -> { };

        /** Ends the span now, with an error status and the exception when {@code failure} is not null. */
        void end(Throwable failure);
    }
}
