package io.allsource.ingest.audit;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.NewEvent;
import io.allsource.ingest.avro.StreamAppend;
import io.allsource.ingest.avro.StreamOperation;
import io.allsource.ingest.avro.StreamOperationKind;
import io.allsource.ingest.metrics.WorkerMetrics;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroSerializer;
import io.allsource.ingest.store.Database;
import io.allsource.ingest.store.DatabaseSettings;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real worker (in this JVM) on the test servers, fresh topics and a migrated database, a producer that records what
 * it sends as a {@link CommandHistory}, and a raw producer for tampering with the topics.
 */
final class AuditFixture implements AutoCloseable {

    final KafkaBroker broker;
    final TestDatabase database;
    final SchemaRegistryClient registry;
    final IngestTopics topics;
    private final Database workerDatabase;
    private final IngestWorker worker;
    private final KafkaProducer<String, AppendCommand> commands;
    final KafkaProducer<byte[], byte[]> raw;
    final History history = new History();

    AuditFixture(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.broker = broker;
        this.database = database;
        this.registry = new SchemaRegistryClient(RegistrySettings.of(registry.url()));
        this.topics = IngestTopics.DEFAULT.withPrefix(KafkaBroker.uniqueName("audit") + ".");
        for (String topic : topics.all()) {
            broker.createTopic(topic, PartitionFunction.PARTITION_COUNT);
        }
        Database.migrate(database.dataSource());
        this.workerDatabase = Database.open(new DatabaseSettings(database.jdbcUrl(), null, null, 8,
                Duration.ofSeconds(2)), "audit-worker-" + database.name());
        this.worker = IngestWorker.start(WorkerSettings.defaults("audited", topics,
                                Map.of("bootstrap.servers", broker.bootstrapServers()))
                        .withGroupId(KafkaBroker.uniqueName("audited"))
                        .withBatching(100, Duration.ofMillis(5))
                        .withRetries(Duration.ofMillis(50), Duration.ofSeconds(1)),
                new EventStore(workerDatabase.dataSource(), StoreSettings.DEFAULT), this.registry,
                ContractSettings.EMBEDDED,
                new WorkerMetrics(new SimpleMeterRegistry()));
        Map<String, Object> producer = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5);
        this.commands = new KafkaProducer<>(producer, new StringSerializer(),
                AvroSerializer.forTopics(this.registry, true));
        this.raw = new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer());
    }

    AuditSettings settings() {
        return AuditSettings.of(Map.of("bootstrap.servers", broker.bootstrapServers()), registry, topics)
                .withGrace(Duration.ofSeconds(3));
    }

    PipelineAudit audit() {
        return new PipelineAudit(database.dataSource(), settings());
    }

    /** Sends a command keyed by its partition key (or first stream) and records it. */
    AppendCommand send(AppendCommand command) {
        String key = command.getPartitionKey() != null ? command.getPartitionKey()
                : command.getStreamOperation() != null ? command.getStreamOperation().getStreamId()
                : command.getAppends().get(0).getStreamId();
        commands.send(new ProducerRecord<>(topics.commands(), key, command));
        history.add(command.getCommandId(), PartitionFunction.partitionOf(key));
        return command;
    }

    void flush() {
        commands.flush();
        raw.flush();
    }

    static AppendCommand command(String partitionKey, List<StreamAppend> appends) {
        return AppendCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setTenantId("tenant-a")
                .setPartitionKey(partitionKey).setAppends(appends).setIssuedAt(Instant.now()).build();
    }

    /** A delete or erase of {@code stream} (of tenant-a, placed by its own id) expecting {@code version}. */
    static AppendCommand streamOperation(String stream, StreamOperationKind kind, ExpectedVersionKind expected,
            long version) {
        return AppendCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setTenantId("tenant-a")
                .setPartitionKey(null).setAppends(List.of()).setIssuedAt(Instant.now())
                .setStreamOperation(StreamOperation.newBuilder().setStreamId(stream).setOperation(kind)
                        .setExpectedVersion(new ExpectedVersion(expected, version)).build())
                .build();
    }

    static StreamAppend append(String stream, ExpectedVersionKind kind, long version, int events) {
        List<NewEvent> newEvents = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            newEvents.add(new NewEvent(null, "Happened", stream, "{\"n\": " + i + ", \"s\": \"" + stream + "\"}",
                    Map.of("source", "audit-test")));
        }
        return new StreamAppend(stream, new ExpectedVersion(kind, version), newEvents);
    }

    @Override
    public void close() {
        worker.close();
        commands.close(Duration.ofSeconds(5));
        raw.close(Duration.ofSeconds(5));
        workerDatabase.close();
    }

    /** What the fixture sent. */
    static final class History implements CommandHistory {

        private final List<SentCommand> sent = new CopyOnWriteArrayList<>();

        void add(String commandId, int partition) {
            sent.add(new SentCommand(commandId, partition));
        }

        @Override
        public long size() {
            return sent.size();
        }

        @Override
        public void forEach(Consumer<SentCommand> action) {
            sent.forEach(action);
        }

        /** This history plus one command that was never sent. */
        CommandHistory withUnsent(String commandId) {
            History copy = new History();
            copy.sent.addAll(sent);
            copy.add(commandId, 0);
            return copy;
        }
    }
}
