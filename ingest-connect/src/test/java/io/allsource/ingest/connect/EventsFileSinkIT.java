package io.allsource.ingest.connect;

import io.allsource.ingest.serde.JsonEnvelopeSerializer;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.connect.EventWorkload.Committed;
import io.allsource.ingest.connect.RepositoryFiles.ConnectorDefinition;
import io.allsource.ingest.connect.SinkFile.SinkLine;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real worker commits a workload, and real Kafka Connect file sinks read its events, configured as the connector
 * configs under {@code connect/} with only the topic, the file and the registry's address changed. Each sink renders
 * what its converter made with {@link RenderValueAsJson}, so that every field can be compared exactly with the events
 * as the contract's own deserializer reads them.
 *
 * <ul>
 *   <li>The Avro events topic through Apicurio's Avro converter, loaded from the plugin folder the Connect image ships
 *       ({@code connect/file-sink-events.json}).
 *   <li>The second format, JSON with the Connect schema envelope, through Connect's {@code JsonConverter}
 *       ({@code connect/file-sink-events-json-envelope.json}), on a copy of every event the Avro worker published
 *       (same partition, key and order) made with {@link JsonEnvelopeSerializer}, the serializer the worker uses with
 *       {@code --events-format json-envelope}: one worker serves both file sinks. {@link EventsJdbcSinkIT} runs a
 *       worker that publishes the JSON envelope itself.
 * </ul>
 */
@ExtendWith({ConnectClusterExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventsFileSinkIT {

    private static final int STREAMS = 12;

    private final TestConnectCluster connect;
    private final SinkPipeline pipeline;
    private final int schemaId;
    private final Committed committed;
    private final List<ConsumerRecord<String, EventRecord>> published;
    private final List<String> connectors = new ArrayList<>();

    @TempDir
    Path sinkDirectory;

    EventsFileSinkIT(TestConnectCluster connect, TestDatabase database, TestSchemaRegistry registry) {
        this.connect = connect;
        this.pipeline = SinkPipeline.start(connect, database, registry);
        this.schemaId = ApicurioIds.registerResolvableOnlyAsContentId(pipeline.registry(), pipeline.apicurioApiUrl(),
                pipeline.topics().events() + "-value", EventRecord.getClassSchema());
        this.committed = EventWorkload.run(pipeline.client(), STREAMS);
        this.published = pipeline.publishedEvents(committed.eventCount());
    }

    @AfterAll
    void close() {
        connectors.forEach(connect::deleteConnector);
        pipeline.close();
    }

    @Test
    void apicurioAvroConverterHandsTheFileSinkEveryCommittedEventIntactAndInStreamOrder() throws Exception {
        assertThat(ApicurioIds.isContentId(pipeline.apicurioApiUrl(), schemaId)).as("wire id as a content id").isTrue();
        assertThat(ApicurioIds.isGlobalId(pipeline.apicurioApiUrl(), schemaId))
                .as("wire id %s as a global id: it must not be one, so that only a content-id lookup can succeed "
                        + "(did another test register EventRecord in this registry first?)", schemaId).isFalse();
        ConnectorDefinition shipped = RepositoryFiles.connector("file-sink-events.json");
        Path file = sinkDirectory.resolve("avro-events.txt");

        start(shipped, Map.of("topics", pipeline.topics().events(), "file", file.toString(),
                "value.converter.apicurio.registry.url", pipeline.apicurioApiUrl()));
        List<SinkLine> lines = SinkFile.awaitLines(file, committed.eventCount(),
                () -> connect.assertNotFailed(shipped.name()));

        SinkAssertions.assertEveryCommittedEventArrivedIntactInStreamOrder(lines, events(), committed);
    }

    @Test
    void jsonConverterHandsTheFileSinkEveryCommittedEventIntactAndInStreamOrder() throws Exception {
        ConnectorDefinition shipped = RepositoryFiles.connector("file-sink-events-json-envelope.json");
        String jsonTopic = pipeline.topics().events() + ".json";
        connect.createTopic(jsonTopic, 32);
        Path file = sinkDirectory.resolve("json-events.txt");

        start(shipped, Map.of("topics", jsonTopic, "file", file.toString()));
        publishAsJsonEnvelopes(jsonTopic);
        List<SinkLine> lines = SinkFile.awaitLines(file, committed.eventCount(),
                () -> connect.assertNotFailed(shipped.name()));

        SinkAssertions.assertEveryCommittedEventArrivedIntactInStreamOrder(lines, events(), committed);
    }

    private void start(ConnectorDefinition shipped, Map<String, String> overrides) throws InterruptedException {
        Map<String, String> config = shipped.configWith(overrides);
        assertThat(config).as("the shipped config, which the test's rendering must not replace")
                .doesNotContainKey("transforms");
        config.put("transforms", "render");
        config.put("transforms.render.type", RenderValueAsJson.class.getName());
        connectors.add(shipped.name());
        connect.startConnector(shipped.name(), config);
    }

    private List<EventRecord> events() {
        return published.stream().map(ConsumerRecord::value).toList();
    }

    private void publishAsJsonEnvelopes(String topic) {
        try (KafkaProducer<String, EventRecord> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), JsonEnvelopeSerializer.forEvents())) {
            for (ConsumerRecord<String, EventRecord> event : published) {
                producer.send(new ProducerRecord<>(topic, event.partition(), event.key(), event.value()));
            }
            producer.flush();
        }
    }
}
