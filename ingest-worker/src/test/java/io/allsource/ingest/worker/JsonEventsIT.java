package io.allsource.ingest.worker;

import io.allsource.ingest.metrics.WorkerMetrics;
import static io.allsource.ingest.worker.PipelineFixture.command;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.publish.EventsFormat;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** With events-format json-envelope, the worker publishes events as JSON with the Kafka Connect schema envelope. */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonEventsIT {

    private final PipelineFixture pipeline;

    JsonEventsIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.pipeline = new PipelineFixture(broker, database, registry);
    }

    @AfterAll
    void close() {
        pipeline.close();
    }

    @Test
    void publishesEventsAsJsonWithTheConnectSchemaEnvelope() throws Exception {
        try (IngestWorker worker = IngestWorker.start(pipeline.settings("worker-j"), pipeline.store,
                pipeline.registry, ContractSettings.EMBEDDED.withEventsFormat(EventsFormat.JSON_ENVELOPE),
                new WorkerMetrics(new SimpleMeterRegistry()))) {
            AppendCommand command = pipeline.send(command("json-stream", ExpectedVersionKind.NO_STREAM, 0, 2));
            pipeline.flush();

            List<ConsumerRecord<byte[], byte[]>> events = pipeline.readUntil(pipeline.topics.events(), byte[].class,
                    read -> read.size() >= 2, Duration.ofSeconds(60));

            ObjectMapper json = new ObjectMapper();
            JsonNode first = json.readTree(events.get(0).value());
            assertThat(first.path("schema").path("type").asText()).isEqualTo("struct");
            assertThat(first.path("schema").path("fields").findValuesAsText("field"))
                    .contains("event_id", "stream_id", "version", "payload", "metadata", "recorded_at");
            assertThat(first.path("payload").path("stream_id").asText()).isEqualTo("json-stream");
            assertThat(first.path("payload").path("version").asLong()).isEqualTo(1);
            assertThat(first.path("payload").path("command_id").asText()).isEqualTo(command.getCommandId());
            assertThat(json.readTree(events.get(1).value()).path("payload").path("version").asLong()).isEqualTo(2);
        }
    }
}
