package io.allsource.ingest.connect;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.client.ClientSettings;
import io.allsource.ingest.client.IngestClient;
import io.allsource.ingest.metrics.WorkerMetrics;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroDeserializer;
import io.allsource.ingest.store.Database;
import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.StoreSettings;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestTopics;
import io.allsource.ingest.worker.ContractSettings;
import io.allsource.ingest.worker.IngestWorker;
import io.allsource.ingest.worker.WorkerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/**
 * A real ingest worker on the Connect cluster's broker: four fresh topics of 32 partitions under a prefix of its own, a
 * migrated database, the test registry, and a client that sends commands and awaits their results.
 */
final class SinkPipeline implements AutoCloseable {

    private final TestConnectCluster connect;
    private final TestSchemaRegistry registryServer;
    private final SchemaRegistryClient registry;
    private final IngestTopics topics;
    private final IngestWorker worker;
    private final IngestClient client;

    private SinkPipeline(TestConnectCluster connect, TestSchemaRegistry registryServer, IngestTopics topics,
            IngestWorker worker) {
        this.connect = connect;
        this.registryServer = registryServer;
        this.registry = new SchemaRegistryClient(RegistrySettings.of(registryServer.url()));
        this.topics = topics;
        this.worker = worker;
        this.client = new IngestClient(ClientSettings.of(kafka(connect), registry)
                .withTopics(topics)
                .withTimeout(Duration.ofSeconds(60))
                .withAutoRegisterSchemas(true));
    }

    static SinkPipeline start(TestConnectCluster connect, TestDatabase database, TestSchemaRegistry registry) {
        IngestTopics topics = IngestTopics.DEFAULT.withPrefix(KafkaBroker.uniqueName("sink") + ".");
        for (String topic : topics.all()) {
            connect.createTopic(topic, 32);
        }
        Database.migrate(database.dataSource());
        EventStore store = new EventStore(database.dataSource(), StoreSettings.DEFAULT);
        WorkerSettings settings = WorkerSettings.defaults(KafkaBroker.uniqueName("worker"), topics, kafka(connect))
                .withGroupId(KafkaBroker.uniqueName("workers"))
                .withBatching(200, Duration.ofMillis(5))
                .withRetries(Duration.ofMillis(50), Duration.ofSeconds(1));
        IngestWorker worker = IngestWorker.start(settings, store,
                new SchemaRegistryClient(RegistrySettings.of(registry.url())), ContractSettings.EMBEDDED,
                new WorkerMetrics(new SimpleMeterRegistry()));
        return new SinkPipeline(connect, registry, topics, worker);
    }

    IngestClient client() {
        return client;
    }

    IngestTopics topics() {
        return topics;
    }

    /** A registry client of the test's own, beside the worker's and the client's. */
    SchemaRegistryClient registry() {
        return registry;
    }

    String bootstrapServers() {
        return connect.bootstrapServers();
    }

    /** The base of Apicurio's own REST API on the test registry, which Apicurio's converter talks to. */
    String apicurioApiUrl() {
        return registryServer.url().replace("/apis/ccompat/v7", "/apis/registry/v2");
    }

    /**
     * The events topic's records, decoded by the contract's own {@link AvroDeserializer}, in the order of each
     * partition, once {@code count} distinct events are there (publication is at least once): the reference a sink's
     * output is compared with.
     */
    List<ConsumerRecord<String, EventRecord>> publishedEvents(int count) {
        AvroDeserializer<EventRecord> deserializer = new AvroDeserializer<>(registry, EventRecord.class);
        List<ConsumerRecord<String, EventRecord>> read = new ArrayList<>();
        try (KafkaConsumer<String, EventRecord> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connect.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), deserializer)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.events()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Awaitility.await().alias(count + " distinct events on " + topics.events())
                    .atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                        return read.stream().map(record -> record.value().getEventId()).distinct().count() >= count;
                    });
        }
        return read;
    }

    private static Map<String, Object> kafka(TestConnectCluster connect) {
        return Map.of("bootstrap.servers", connect.bootstrapServers());
    }

    @Override
    public void close() {
        client.close();
        worker.close();
    }
}
