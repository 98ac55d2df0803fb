package io.allsource.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestHeaders;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's real entry point in a child JVM whose class path holds no OpenTelemetry jar, as in a module that depends
 * on the worker (the API is an optional dependency): it applies commands, copies their trace headers, and never loads
 * the class that names OpenTelemetry (the JVM's class-loading log says so).
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerWithoutOpenTelemetryIT {

    private final PipelineFixture pipeline;
    private final TestSchemaRegistry registry;

    @TempDir
    Path logs;

    WorkerWithoutOpenTelemetryIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.pipeline = new PipelineFixture(broker, database, registry);
        this.registry = registry;
    }

    @AfterAll
    void close() {
        pipeline.close();
    }

    @Test
    void appliesCommandsAndCopiesTheirTraceHeadersWithNoOpenTelemetryOnTheClassPath() throws Exception {
        List<String> full = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        List<String> withoutOpenTelemetry = full.stream().filter(entry -> !entry.contains("opentelemetry")).toList();
        assertThat(full.size() - withoutOpenTelemetry.size()).as("OpenTelemetry jars left out").isGreaterThan(0);
        Path classes = logs.resolve("classes.log");
        Process worker = WorkerProcesses.jvm(pipeline, registry, "no-otel", pipeline.database.jdbcUrl(), logs)
                .classpath(String.join(File.pathSeparator, withoutOpenTelemetry))
                .jvmOptions("-Xlog:class+load=info:file=" + classes)
                .start();
        String traceparent = TraceContextIT.traceparent();
        AppendCommand command = TraceContextIT.multiStream("no-otel", 2, 1);
        try {
            RecordHeaders headers = new RecordHeaders();
            headers.add(IngestHeaders.TRACEPARENT, traceparent.getBytes(StandardCharsets.US_ASCII));
            pipeline.send(new ProducerRecord<>(pipeline.topics.commands(), null, command.getPartitionKey(), command,
                    headers));
            pipeline.flush();

            ConsumerRecord<byte[], CommandResult> result = pipeline.results(read -> read.stream()
                    .anyMatch(r -> r.value().getCommandId().equals(command.getCommandId()))).stream()
                    .filter(r -> r.value().getCommandId().equals(command.getCommandId())).findFirst().orElseThrow();
            List<ConsumerRecord<byte[], EventRecord>> events = pipeline.events(read -> read.stream()
                    .filter(e -> e.value().getCommandId().equals(command.getCommandId())).count() >= 3);

            assertThat(result.value().getStatus()).isEqualTo(CommandStatus.ACCEPTED);
            assertThat(traceparentOf(result)).isEqualTo(traceparent);
            assertThat(events).filteredOn(e -> e.value().getCommandId().equals(command.getCommandId())).hasSize(3)
                    .allSatisfy(event -> assertThat(traceparentOf(event)).isEqualTo(traceparent));
        } finally {
            WorkerProcesses.stop(worker);
        }
        // one line per class loaded: "[0.1s][info][class,load] <class name> source: <where>"
        List<String> loaded = Files.readAllLines(classes).stream()
                .map(line -> line.replaceFirst("^.*\\[class,load\\] (\\S+) .*$", "$1")).toList();
        assertThat(loaded).as("the worker checked for OpenTelemetry")
                .contains("io.allsource.ingest.trace.Tracing", "io.allsource.ingest.trace.Spans");
        assertThat(loaded).as("and loaded nothing of it (Kafka's own shaded copy aside)")
                .noneMatch(name -> name.startsWith("io.opentelemetry."))
                .doesNotContain("io.allsource.ingest.trace.OpenTelemetrySpans");
        assertThat(Files.readString(logs.resolve("no-otel.log"))).as("started, and stopped cleanly on SIGTERM")
                .contains("no-otel - started", "no-otel - stopped")
                .doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
    }

    private static String traceparentOf(ConsumerRecord<byte[], ?> record) {
        return new String(record.headers().lastHeader(IngestHeaders.TRACEPARENT).value(), StandardCharsets.US_ASCII);
    }
}
