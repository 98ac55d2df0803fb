package io.allsource.ingest.connect;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.publish.EventsFormat;
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
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
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
    private final TestDatabase database;
    private final WorkerSettings settings;
    private final ContractSettings contract;
    private final IngestClient client;
    private IngestWorker worker;

    private SinkPipeline(TestConnectCluster connect, TestSchemaRegistry registryServer, IngestTopics topics,
            TestDatabase database, WorkerSettings settings, ContractSettings contract) {
        this.connect = connect;
        this.registryServer = registryServer;
        this.registry = new SchemaRegistryClient(RegistrySettings.of(registryServer.url()));
        this.topics = topics;
        this.database = database;
        this.settings = settings;
        this.contract = contract;
        this.worker = startWorker();
        this.client = new IngestClient(ClientSettings.of(kafka(connect), registry)
                .withTopics(topics)
                .withTimeout(Duration.ofSeconds(60))
                .withAutoRegisterSchemas(true));
    }

    /** A worker publishing events in Avro, the contract's default. */
    static SinkPipeline start(TestConnectCluster connect, TestDatabase database, TestSchemaRegistry registry) {
        return start(connect, database, registry, EventsFormat.AVRO);
    }

    static SinkPipeline start(TestConnectCluster connect, TestDatabase database, TestSchemaRegistry registry,
            EventsFormat eventsFormat) {
        IngestTopics topics = IngestTopics.DEFAULT.withPrefix(KafkaBroker.uniqueName("sink") + ".");
        for (String topic : topics.all()) {
            connect.createTopic(topic, 32);
        }
        Database.migrate(database.dataSource());
        WorkerSettings settings = WorkerSettings.defaults(KafkaBroker.uniqueName("worker"), topics, kafka(connect))
                .withGroupId(KafkaBroker.uniqueName("workers"))
                .withBatching(200, Duration.ofMillis(5))
                .withRetries(Duration.ofMillis(50), Duration.ofSeconds(1));
        return new SinkPipeline(connect, registry, topics, database, settings,
                ContractSettings.EMBEDDED.withEventsFormat(eventsFormat));
    }

    private IngestWorker startWorker() {
        return IngestWorker.start(settings, new EventStore(database.dataSource(), StoreSettings.DEFAULT),
                new SchemaRegistryClient(RegistrySettings.of(registryServer.url())), contract,
                new WorkerMetrics(new SimpleMeterRegistry()));
    }

    /**
     * Stops the worker and starts another as after a crash between commit and publication: the stored publication
     * progress is set back to nothing published, so the new worker publishes every committed result and event again
     * when it claims the partitions (as {@code WorkerRecoveryIT} does in the worker's own tests).
     */
    void restartAfterCrash() throws SQLException {
        worker.close();
        database.execute("UPDATE partition_state SET published_offset = 0, published_sequence = 0");
        worker = startWorker();
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
        return publishedEvents(count, count);
    }

    /**
     * The events topic's records in the order of each partition, Avro-decoded, once {@code distinct} distinct events
     * and {@code records} records in all are there (after {@link #restartAfterCrash()}, each event twice).
     */
    List<ConsumerRecord<String, EventRecord>> publishedEvents(int distinct, int records) {
        return published(distinct, records, new AvroDeserializer<>(registry, EventRecord.class),
                EventRecord::getEventId);
    }

    /** As {@link #publishedEvents(int, int)}, for a worker that publishes the JSON envelope. */
    List<ConsumerRecord<String, Struct>> publishedEnvelopes(int distinct, int records) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true"), false);
        Deserializer<Struct> deserializer = (topic, bytes) -> (Struct) converter.toConnectData(topic, bytes).value();
        return published(distinct, records, deserializer, struct -> struct.getString("event_id"));
    }

    private <V> List<ConsumerRecord<String, V>> published(int distinct, int records, Deserializer<V> deserializer,
            Function<V, String> eventId) {
        List<ConsumerRecord<String, V>> read = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connect.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), deserializer)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.events()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Awaitility.await().alias(distinct + " distinct events in " + records + " records on " + topics.events())
                    .atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                        return read.size() >= records && read.stream().map(record -> eventId.apply(record.value()))
                                .distinct().count() >= distinct;
                    });
        }
        return read;
    }

    /**
     * Waits until the events topic holds a tombstone (key the stream id, null value) for each of {@code streams}, as
     * an erase or delete publishes after the stream's redacted copies.
     */
    void awaitTombstones(Set<String> streams) {
        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connect.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.events()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Awaitility.await().alias("tombstones of " + streams + " on " + topics.events())
                    .atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                            if (record.value() == null) {
                                seen.add(record.key());
                            }
                        });
                        return seen.containsAll(streams);
                    });
        }
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
