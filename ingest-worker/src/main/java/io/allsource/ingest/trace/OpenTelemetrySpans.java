package io.allsource.ingest.trace;

import io.allsource.ingest.contract.TraceContext;
import io.allsource.ingest.topics.IngestHeaders;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link Spans} made with OpenTelemetry's API. The only class of the worker that names an OpenTelemetry type:
 * {@link Tracing} loads it by name once the API is known to be on the class path. A command's trace context becomes a
 * link through OpenTelemetry's own W3C propagator, so that the SDK sees it exactly as an instrumented consumer would.
 * Thread-safe.
 */
final class OpenTelemetrySpans implements Spans {

    /** The instrumentation scope of the worker's spans. */
    static final String SCOPE = "io.allsource.ingest.worker";

    private static final AttributeKey<List<Long>> PARTITIONS = AttributeKey.longArrayKey("ingest.partitions");
    private static final AttributeKey<Long> COMMANDS = AttributeKey.longKey("ingest.commands");

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;

    private OpenTelemetrySpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /**
     * The spans of the global OpenTelemetry (which {@link GlobalOpenTelemetry#get()} sets up, autoconfiguring the SDK
     * when that is asked for), or null when it makes none: no SDK is registered. Called by {@link Tracing} by name.
     */
    static Spans ofGlobal() {
        TracerProvider provider = GlobalOpenTelemetry.get().getTracerProvider();
        if (provider == TracerProvider.noop()) {
            return null;
        }
        return new OpenTelemetrySpans(provider.get(SCOPE));
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public Span start(String name, Instant startedAt, Collection<Integer> partitions,
            Collection<TraceContext> links) {
        SpanBuilder builder = tracer.spanBuilder(name).setNoParent()
                .setSpanKind(PUBLISH.equals(name) ? SpanKind.PRODUCER : SpanKind.INTERNAL)
                .setAttribute(PARTITIONS, partitions.stream().map(Integer::longValue).toList())
                .setAttribute(COMMANDS, (long) links.size());
        if (startedAt != null) {
            builder.setStartTimestamp(startedAt);
        }
        Set<TraceContext> distinct = new LinkedHashSet<>(links);
        distinct.remove(null);
        for (TraceContext link : distinct) {
            SpanContext context = spanContextOf(link);
            if (context.isValid()) {
                builder.addLink(context);
            }
        }
        io.opentelemetry.api.trace.Span span = builder.startSpan();
        return failure -> {
            if (failure != null) {
                span.recordException(failure);
                span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
            }
            span.end();
        };
    }

    /** The remote span context a command's headers name, read by OpenTelemetry's W3C propagator. */
    static SpanContext spanContextOf(TraceContext trace) {
        Map<String, String> carrier = trace.tracestate() == null
                ? Map.of(IngestHeaders.TRACEPARENT, trace.traceparent())
                : Map.of(IngestHeaders.TRACEPARENT, trace.traceparent(), IngestHeaders.TRACESTATE, trace.tracestate());
        Context context = W3CTraceContextPropagator.getInstance().extract(Context.root(), carrier, MAP_GETTER);
        return io.opentelemetry.api.trace.Span.fromContext(context).getSpanContext();
    }
}
