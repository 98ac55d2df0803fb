package io.allsource.ingest.worker;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.NewEvent;
import io.allsource.ingest.avro.StreamAppend;
import io.allsource.ingest.metrics.WorkerMetrics;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroDeserializer;
import io.allsource.ingest.serde.AvroSerializer;
import io.allsource.ingest.store.Database;
import io.allsource.ingest.store.DatabaseSettings;
import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.StoreSettings;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestTopics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A pipeline on the test servers: fresh topics, a migrated database, and helpers to send and read records. */
final class PipelineFixture implements AutoCloseable {


    final KafkaBroker broker;
    final TestDatabase database;
    final SchemaRegistryClient registry;
    final IngestTopics topics;
    final EventStore store;
    final String groupId = KafkaBroker.uniqueName("workers");
    private final KafkaProducer<String, AppendCommand> commands;
    private volatile WorkerMetrics lastWorkerMetrics;
    private final Database workerDatabase;
    private final KafkaProducer<byte[], byte[]> raw;

    PipelineFixture(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.broker = broker;
        this.database = database;
        this.registry = new SchemaRegistryClient(RegistrySettings.of(registry.url()));
        this.topics = IngestTopics.DEFAULT.withPrefix(KafkaBroker.uniqueName("t") + ".");
        for (String topic : topics.all()) {
            broker.createTopic(topic, 32);
        }
        Database.migrate(database.dataSource());
        this.workerDatabase = Database.open(new DatabaseSettings(database.jdbcUrl(), null, null, 8,
                Duration.ofSeconds(2)), "pipeline-" + database.name());
        this.store = new EventStore(workerDatabase.dataSource(), StoreSettings.DEFAULT);
        this.commands = new KafkaProducer<>(producerProperties(), new StringSerializer(),
                AvroSerializer.forTopics(this.registry, true));
        this.raw = new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    WorkerSettings settings(String workerId) {
        return settings(workerId, Map.of());
    }

    /** The test settings, with Kafka client properties of the test's own beside the bootstrap servers. */
    WorkerSettings settings(String workerId, Map<String, Object> kafka) {
        Map<String, Object> properties = new java.util.HashMap<>(kafka);
        properties.put("bootstrap.servers", broker.bootstrapServers());
        return WorkerSettings.defaults(workerId, topics, properties)
                .withGroupId(groupId)
                .withBatching(200, Duration.ofMillis(5))
                .withRetries(Duration.ofMillis(50), Duration.ofSeconds(1));
    }

    IngestWorker startWorker(WorkerSettings settings) {
        lastWorkerMetrics = new WorkerMetrics(new SimpleMeterRegistry());
        return IngestWorker.start(settings, store, registry, ContractSettings.EMBEDDED, lastWorkerMetrics);
    }

    /** The meters of the worker started last. */
    WorkerMetrics lastWorkerMetrics() {
        return lastWorkerMetrics;
    }

    /** Sends a command keyed by its partition key, or its first stream; returns it. */
    AppendCommand send(AppendCommand command) {
        String key = command.getPartitionKey() != null ? command.getPartitionKey()
                : command.getAppends().get(0).getStreamId();
        commands.send(new ProducerRecord<>(topics.commands(), key, command));
        return command;
    }

    void send(ProducerRecord<String, AppendCommand> record) {
        commands.send(record);
    }

    Future<RecordMetadata> sendRaw(ProducerRecord<byte[], byte[]> record) {
        return raw.send(record);
    }

    void flush() {
        commands.flush();
        raw.flush();
    }

    byte[] encode(AppendCommand command) {
        return AvroSerializer.<AppendCommand>forTopics(registry, true).serialize(topics.commands(), command);
    }

    static AppendCommand command(String streamId, ExpectedVersionKind kind, long version, int events) {
        List<NewEvent> newEvents = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            newEvents.add(new NewEvent(null, "Happened", streamId, "{\"i\": " + i + "}", Map.of()));
        }
        return AppendCommand.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setTenantId("tenant-1")
                .setPartitionKey(null)
                .setAppends(List.of(new StreamAppend(streamId, new ExpectedVersion(kind, version), newEvents)))
                .setIssuedAt(Instant.now())
                .build();
    }

    /** Reads {@code topic} from the start until {@code done} holds for what was read, or the timeout passes. */
    <T> List<ConsumerRecord<byte[], T>> readUntil(String topic, Class<T> type,
            Predicate<List<ConsumerRecord<byte[], T>>> done, Duration timeout) {
        AvroDeserializer<?> deserializer = type == byte[].class ? null
                : new AvroDeserializer<>(registry, type.asSubclass(org.apache.avro.specific.SpecificRecord.class));
        List<ConsumerRecord<byte[], T>> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(read) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Object value = deserializer == null ? record.value()
                            : deserializer.deserialize(topic, record.value());
                    read.add(new ConsumerRecord<>(record.topic(), record.partition(), record.offset(),
                            record.timestamp(), record.timestampType(), record.serializedKeySize(),
                            record.serializedValueSize(), record.key(), type.cast(value), record.headers(),
                            record.leaderEpoch()));
                }
            }
        }
        return read;
    }

    List<ConsumerRecord<byte[], CommandResult>> results(Predicate<List<ConsumerRecord<byte[], CommandResult>>> done) {
        return readUntil(topics.results(), CommandResult.class, done, Duration.ofSeconds(90));
    }

    List<ConsumerRecord<byte[], EventRecord>> events(Predicate<List<ConsumerRecord<byte[], EventRecord>>> done) {
        return readUntil(topics.events(), EventRecord.class, done, Duration.ofSeconds(90));
    }

    static Map<String, Object> producerProperties(String bootstrap) {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5);
    }

    private Map<String, Object> producerProperties() {
        return producerProperties(broker.bootstrapServers());
    }

    @Override
    public void close() {
        commands.close(Duration.ofSeconds(5));
        raw.close(Duration.ofSeconds(5));
        workerDatabase.close();
    }
}
