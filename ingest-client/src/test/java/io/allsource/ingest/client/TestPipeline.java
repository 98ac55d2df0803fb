package io.allsource.ingest.client;

import io.allsource.ingest.metrics.WorkerMetrics;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
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
import java.util.Map;

/**
 * A pipeline on the test servers for the client to talk to: four fresh topics of 32 partitions under a prefix of its
 * own, and, unless made {@link #withoutWorker}, a real worker on a migrated database.
 */
final class TestPipeline implements AutoCloseable {

    private final KafkaBroker broker;
    private final SchemaRegistryClient registry;
    private final IngestTopics topics;
    private final IngestWorker worker;

    private TestPipeline(KafkaBroker broker, TestSchemaRegistry registry, IngestWorker worker, IngestTopics topics) {
        this.broker = broker;
        this.registry = new SchemaRegistryClient(RegistrySettings.of(registry.url()));
        this.topics = topics;
        this.worker = worker;
    }

    /** Fresh topics and a worker applying their commands in {@code database}. */
    static TestPipeline withWorker(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        IngestTopics topics = createTopics(broker);
        Database.migrate(database.dataSource());
        EventStore store = new EventStore(database.dataSource(), StoreSettings.DEFAULT);
        WorkerSettings settings = WorkerSettings.defaults(KafkaBroker.uniqueName("worker"), topics,
                        Map.of("bootstrap.servers", broker.bootstrapServers()))
                .withGroupId(KafkaBroker.uniqueName("workers"))
                .withBatching(200, Duration.ofMillis(5))
                .withRetries(Duration.ofMillis(50), Duration.ofSeconds(1));
        SchemaRegistryClient workerRegistry = new SchemaRegistryClient(RegistrySettings.of(registry.url()));
        IngestWorker worker = IngestWorker.start(settings, store, workerRegistry, ContractSettings.EMBEDDED,
                new WorkerMetrics(new SimpleMeterRegistry()));
        return new TestPipeline(broker, registry, worker, topics);
    }

    /** Fresh topics that no worker ever reads: commands sent there get no result. */
    static TestPipeline withoutWorker(KafkaBroker broker, TestSchemaRegistry registry) {
        return new TestPipeline(broker, registry, null, createTopics(broker));
    }

    IngestTopics topics() {
        return topics;
    }

    /** Settings of a client of this pipeline that registers its schema itself and waits {@code timeout}. */
    ClientSettings clientSettings(Duration timeout) {
        return ClientSettings.of(Map.of("bootstrap.servers", broker.bootstrapServers()), registry)
                .withTopics(topics)
                .withTimeout(timeout)
                .withAutoRegisterSchemas(true);
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.close();
        }
    }

    private static IngestTopics createTopics(KafkaBroker broker) {
        IngestTopics topics = IngestTopics.DEFAULT.withPrefix(KafkaBroker.uniqueName("c") + ".");
        for (String topic : topics.all()) {
            broker.createTopic(topic, 32);
        }
        return topics;
    }
}
