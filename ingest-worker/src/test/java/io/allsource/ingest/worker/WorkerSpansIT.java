package io.allsource.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestHeaders;
import io.allsource.ingest.trace.Spans;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A worker with an OpenTelemetry SDK registered (the in-memory exporter of {@code opentelemetry-sdk-testing}): its
 * decode, apply and publish spans, each linked to the trace and span id of the command it handled, also when the
 * command's results and events are published again from the database.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerSpansIT {

    private final PipelineFixture pipeline;
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private OpenTelemetrySdk sdk;

    WorkerSpansIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.pipeline = new PipelineFixture(broker, database, registry);
    }

    @BeforeAll
    void registerTheSdk() {
        GlobalOpenTelemetry.resetForTest(); // workers of earlier test classes of this JVM found none
        sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).buildAndRegisterGlobal();
    }

    @AfterAll
    void close() {
        sdk.close();
        GlobalOpenTelemetry.resetForTest();
        pipeline.close();
    }

    @Test
    void makesDecodeApplyAndPublishSpansLinkedToTheCommandsContext() throws Exception {
        String traceparent = TraceContextIT.traceparent();
        String traceId = traceparent.substring(3, 35);
        String spanId = traceparent.substring(36, 52);
        AppendCommand command = TraceContextIT.multiStream("spans", 2, 1);
        try (IngestWorker worker = pipeline.startWorker(pipeline.settings("spans"))) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(IngestHeaders.TRACEPARENT, traceparent.getBytes(StandardCharsets.US_ASCII));
            headers.add(IngestHeaders.TRACESTATE, "vendor=x".getBytes(StandardCharsets.US_ASCII));
            pipeline.send(new ProducerRecord<>(pipeline.topics.commands(), null, command.getPartitionKey(), command,
                    headers));
            pipeline.flush();
            pipeline.results(read -> read.stream().map(r -> r.value().getCommandId())
                    .anyMatch(command.getCommandId()::equals));

            await().alias("a span of each step linked to the command").atMost(Duration.ofSeconds(30))
                    .until(() -> List.of(Spans.DECODE, Spans.APPLY, Spans.PUBLISH).stream()
                            .allMatch(name -> !linkedTo(name, traceId).isEmpty()));
        }
        for (String name : List.of(Spans.DECODE, Spans.APPLY, Spans.PUBLISH)) {
            SpanData span = linkedTo(name, traceId).get(0);
            assertThat(span.getLinks()).as(name).anySatisfy(link -> {
                assertThat(link.getSpanContext().getTraceId()).isEqualTo(traceId);
                assertThat(link.getSpanContext().getSpanId()).isEqualTo(spanId);
                assertThat(link.getSpanContext().isSampled()).isTrue();
                assertThat(link.getSpanContext().getTraceState().get("vendor")).isEqualTo("x");
            });
            assertThat(span.getTraceId()).as("%s is a trace of the worker's own", name).isNotEqualTo(traceId);
            assertThat(span.getAttributes().get(AttributeKey.longArrayKey("ingest.partitions")))
                    .contains((long) PartitionFunction.partitionOf(command.getPartitionKey()));
            assertThat(span.hasEnded()).isTrue();
        }

        exporter.reset();
        pipeline.database.execute("UPDATE partition_state SET published_offset = 0, published_sequence = 0");
        try (IngestWorker restarted = pipeline.startWorker(pipeline.settings("spans-republish"))) {
            await().alias("the republication's publish span linked to the command").atMost(Duration.ofSeconds(30))
                    .until(() -> !linkedTo(Spans.PUBLISH, traceId).isEmpty());
        }
        assertThat(linkedTo(Spans.DECODE, traceId)).as("nothing decoded again").isEmpty();
    }

    private List<SpanData> linkedTo(String name, String traceId) {
        return exporter.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name))
                .filter(span -> span.getLinks().stream()
                        .anyMatch(link -> link.getSpanContext().getTraceId().equals(traceId)))
                .toList();
    }
}
