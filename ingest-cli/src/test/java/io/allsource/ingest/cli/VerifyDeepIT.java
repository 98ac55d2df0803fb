package io.allsource.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.AppendCommand;
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
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestTopics;
import io.allsource.ingest.worker.ContractSettings;
import io.allsource.ingest.worker.IngestWorker;
import io.allsource.ingest.worker.WorkerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ingest verify --deep} as a user types it, against a real worker's output on the test servers (the contract's
 * default topic names): every check passes and it exits 0; after a differing copy of an event is published, it names
 * the event and exits 1 while the database-only {@code verify} still passes.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerifyDeepIT {

    private static final IngestTopics TOPICS = IngestTopics.DEFAULT;

    private final KafkaBroker broker;
    private final TestDatabase database;
    private final TestSchemaRegistry registry;
    private final SchemaRegistryClient registryClient;
    private final Database workerDatabase;
    private final IngestWorker worker;

    VerifyDeepIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.broker = broker;
        this.database = database;
        this.registry = registry;
        this.registryClient = new SchemaRegistryClient(RegistrySettings.of(registry.url()));
        for (String topic : TOPICS.all()) {
            broker.createTopic(topic, 32);
        }
        Database.migrate(database.dataSource());
        workerDatabase = Database.open(new DatabaseSettings(database.jdbcUrl(), null, null, 4, Duration.ofSeconds(2)),
                "verify-worker");
        worker = IngestWorker.start(WorkerSettings.defaults("verified", TOPICS,
                        Map.of("bootstrap.servers", broker.bootstrapServers()))
                        .withGroupId(KafkaBroker.uniqueName("verified")).withBatching(100, Duration.ofMillis(5)),
                new EventStore(workerDatabase.dataSource(), StoreSettings.DEFAULT), registryClient, ContractSettings.EMBEDDED,
                new WorkerMetrics(new SimpleMeterRegistry()));
    }

    @AfterAll
    void close() {
        worker.close();
        workerDatabase.close();
    }

    @Test
    void passesOnAWorkersOutputAndNamesAnEventCopyThatDiffers() {
        sendCommands(120);
        await().alias("every command stored").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> database.queryForLong("SELECT count(*) FROM command_results") == 120);

        Output clean = verify("--deep", "--grace-seconds", "5");
        assertThat(clean.status()).as(clean.toString()).isZero();
        assertThat(clean.out()).contains("every committed event on the events topic",
                "every command answered on the results topic", "events lost (must be 0):                 0",
                "All invariants hold.");

        EventRecord tampered = publishDifferingCopyOfAnEvent();
        Output broken = verify("--deep", "--grace-seconds", "1");
        assertThat(broken.status()).as(broken.toString()).isEqualTo(1);
        assertThat(broken.out()).contains("violates 'event copies identical to the stored event': stream "
                + tampered.getStreamId() + " version " + tampered.getVersion(), "VIOLATIONS FOUND.");

        Output shallow = verify();
        assertThat(shallow.status()).as(shallow.toString()).isZero();
        assertThat(shallow.out()).doesNotContain("events topic");
    }

    @Test
    void saysWhichOptionIsWrongInOneLine() {
        Output wrong = verify("--deep", "--grace-seconds", "-1");

        assertThat(wrong.status()).isEqualTo(1);
        assertThat(wrong.err().strip()).isEqualTo("error: --grace-seconds must be 0 or more, not -1");
    }

    private void sendCommands(int count) {
        try (KafkaProducer<String, AppendCommand> producer = new KafkaProducer<>(producerProperties(),
                new StringSerializer(), AvroSerializer.forTopics(registryClient, true))) {
            for (int i = 0; i < count; i++) {
                String stream = "verify-" + i % 12;
                ExpectedVersionKind kind = i % 6 == 0 ? ExpectedVersionKind.NO_STREAM : ExpectedVersionKind.ANY;
                AppendCommand command = AppendCommand.newBuilder().setCommandId(UUID.randomUUID().toString())
                        .setTenantId("tenant").setPartitionKey(null)
                        .setAppends(List.of(new StreamAppend(stream, new ExpectedVersion(kind, 0L),
                                List.of(new NewEvent(null, "Happened", stream, "{\"i\": " + i + "}", Map.of())))))
                        .setIssuedAt(Instant.now()).build();
                producer.send(new ProducerRecord<>(TOPICS.commands(), stream, command));
            }
        }
    }

    private EventRecord publishDifferingCopyOfAnEvent() {
        Map<String, Object> consumerProperties = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(), ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        ConsumerRecord<byte[], byte[]> original = null;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties,
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPICS.events()).stream()
                    .map(info -> new TopicPartition(TOPICS.events(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (original == null) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    original = record;
                    break;
                }
            }
        }
        EventRecord tampered = new AvroDeserializer<>(registryClient, EventRecord.class)
                .deserialize(TOPICS.events(), original.value());
        tampered.setEventType("Tampered");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TOPICS.events(), original.partition(), original.key(),
                    AvroSerializer.<EventRecord>forTopics(registryClient, true).serialize(TOPICS.events(), tampered)));
        }
        return tampered;
    }

    private Map<String, Object> producerProperties() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
                "all");
    }

    private Output verify(String... options) {
        String[] args = new String[options.length + 7];
        args[0] = "verify";
        System.arraycopy(options, 0, args, 1, options.length);
        int i = options.length + 1;
        args[i++] = "--bootstrap-servers";
        args[i++] = broker.bootstrapServers();
        args[i++] = "--registry-url";
        args[i++] = registry.url();
        args[i++] = "--db-url";
        args[i] = database.jdbcUrl();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = IngestMain.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Output(status, out.toString(), err.toString());
    }

    private record Output(int status, String out, String err) {
    }
}
