package io.allsource.ingest.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.contract.TraceContext;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the worker's spans are chosen and what they hold, with OpenTelemetry's API and SDK on the class path. */
class TracingTest {

    private static final TraceContext CALLER = new TraceContext(
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");

    @BeforeEach
    @AfterEach
    void forgetTheGlobalOpenTelemetry() {
        GlobalOpenTelemetry.resetForTest();
    }

    @Test
    void makesNoSpansWhenNoSdkIsRegistered() {
        assertThat(Tracing.openTelemetryApiPresent()).isTrue();
        Spans spans = Tracing.spans();

        assertThat(spans).isSameAs(Spans.NONE);
        assertThat(spans.enabled()).isFalse();
        assertThat(spans.start(Spans.APPLY, null, List.of(1), List.of(CALLER))).isSameAs(Spans.Span.NONE);
    }

    @Test
    void makesSpansLinkedToEachCommandsContextWhenAnSdkIsRegistered() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).buildAndRegisterGlobal();
        TraceContext other = new TraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00", null);

        Spans spans = Tracing.spans();
        Instant started = Instant.now().minusMillis(50);
        spans.start(Spans.DECODE, started, List.of(7), Arrays.asList(CALLER, null, other, CALLER)).end(null);
        spans.start(Spans.PUBLISH, null, List.of(7, 9), List.of(other)).end(new IllegalStateException("refused"));

        assertThat(spans.enabled()).isTrue();
        List<SpanData> finished = exporter.getFinishedSpanItems();
        assertThat(finished).extracting(SpanData::getName).containsExactly(Spans.DECODE, Spans.PUBLISH);
        SpanData decode = finished.get(0);
        assertThat(decode.getParentSpanContext().isValid()).as("a root of its own").isFalse();
        assertThat(decode.getStartEpochNanos()).isEqualTo(started.getEpochSecond() * 1_000_000_000L
                + started.getNano());
        assertThat(decode.getAttributes().get(AttributeKey.longArrayKey("ingest.partitions"))).containsExactly(7L);
        assertThat(decode.getAttributes().get(AttributeKey.longKey("ingest.commands"))).isEqualTo(4L);
        assertThat(decode.getLinks()).extracting(link -> link.getSpanContext().getTraceId())
                .containsExactly(CALLER.traceId(), other.traceId());
        LinkData caller = decode.getLinks().get(0);
        assertThat(caller.getSpanContext().getSpanId()).isEqualTo(CALLER.spanId());
        assertThat(caller.getSpanContext().isRemote()).isTrue();
        assertThat(caller.getSpanContext().isSampled()).isTrue();
        assertThat(caller.getSpanContext().getTraceState().get("congo")).isEqualTo("t61rcWkgMzE");
        assertThat(decode.getLinks().get(1).getSpanContext().isSampled()).isFalse();
        SpanData publish = finished.get(1);
        assertThat(publish.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(publish.getEvents()).extracting(event -> event.getName()).containsExactly("exception");
    }
}
