package io.allsource.ingest.testkit;

import io.allsource.ingest.client.ClientSettings;
import io.allsource.ingest.client.IngestClient;
import io.allsource.ingest.config.ConfigKeys;
import io.allsource.ingest.config.IngestConfig;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.startup.WorkerApplication;
import io.allsource.ingest.testing.Backend;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.topics.IngestTopics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running pipeline for a test: the four topics (32 partitions each, named under a prefix of their own), a fresh
 * database migrated by the worker, an in-process worker ({@link WorkerApplication}, started from its configuration as
 * {@code ingest worker} starts it, with schema auto-registration on and no metrics port), and an {@link IngestClient}
 * on it. The Kafka cluster, PostgreSQL server and schema registry underneath are shared with the other pipelines of
 * the test JVM. Closing stops the client and the worker, drops the database and deletes the topics. Thread-safe.
 */
public final class IngestPipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestPipeline.class);

    private final TestServers servers;
    private final String registryUrl;
    private final IngestTopics topics;
    private final TestDatabase database;
    private final WorkerApplication worker;
    private final IngestClient client;
    private final AtomicBoolean closed = new AtomicBoolean();

    private IngestPipeline(TestServers servers, String registryUrl, IngestTopics topics, TestDatabase database,
            WorkerApplication worker, IngestClient client) {
        this.servers = servers;
        this.registryUrl = registryUrl;
        this.topics = topics;
        this.database = database;
        this.worker = worker;
        this.client = client;
    }

    /**
     * Creates the topics and the database named after {@code name}, then starts the worker and the client; on a
     * failure, removes what it made and throws.
     */
    static IngestPipeline start(TestServers servers, String registryUrl, PipelineOptions options, String name) {
        IngestTopics topics = IngestTopics.DEFAULT.withPrefix(KafkaBroker.uniqueName(name) + ".");
        TestDatabase database = null;
        WorkerApplication worker = null;
        try {
            for (String topic : topics.all()) {
                servers.kafka().createTopic(topic, 32);
            }
            database = servers.postgres().createDatabase(name);
            worker = WorkerApplication.start(workerConfig(servers, registryUrl, topics, database, options));
            IngestClient client = new IngestClient(ClientSettings.of(
                            Map.of("bootstrap.servers", servers.kafka().bootstrapServers()),
                            RegistrySettings.of(registryUrl))
                    .withTopics(topics)
                    .withTimeout(options.clientTimeout())
                    .withAutoRegisterSchemas(true));
            log.info("Pipeline {} ({}) started: topics {}, database {}", name, servers.backend(), topics.commands(),
                    database.name());
            return new IngestPipeline(servers, registryUrl, topics, database, worker, client);
        } catch (RuntimeException e) {
            if (worker != null) {
                worker.close();
            }
            if (database != null) {
                database.close();
            }
            deleteTopics(servers, topics);
            throw e;
        }
    }

    private static IngestConfig workerConfig(TestServers servers, String registryUrl, IngestTopics topics,
            TestDatabase database, PipelineOptions options) {
        String prefix = topics.commands().substring(0, topics.commands().length() - "ingest.commands".length());
        Map<String, String> flags = new HashMap<>();
        flags.put(ConfigKeys.BOOTSTRAP_SERVERS.name(), servers.kafka().bootstrapServers());
        flags.put(ConfigKeys.DB_URL.name(), database.jdbcUrl());
        flags.put(ConfigKeys.REGISTRY_URL.name(), registryUrl);
        flags.put(ConfigKeys.WORKER_ID.name(), prefix + "worker");
        flags.put(ConfigKeys.GROUP_ID.name(), prefix + "workers");
        flags.put(ConfigKeys.METRICS_PORT.name(), "0");
        flags.put(ConfigKeys.AUTO_REGISTER.name(), "true");
        flags.put(ConfigKeys.TOPIC_COMMANDS.name(), topics.commands());
        flags.put(ConfigKeys.TOPIC_RESULTS.name(), topics.results());
        flags.put(ConfigKeys.TOPIC_EVENTS.name(), topics.events());
        flags.put(ConfigKeys.TOPIC_DEAD_LETTERS.name(), topics.deadLetters());
        flags.putAll(options.workerSettings());
        // No environment and no file: the test's pipeline does not change with the machine's INGEST_... variables.
        return IngestConfig.load(flags, Map.of(), null, List.of());
    }

    /** A client of this pipeline, shared by the tests that get it; the pipeline closes it. */
    public IngestClient client() {
        return client;
    }

    /** The names of this pipeline's four topics. */
    public IngestTopics topics() {
        return topics;
    }

    /** Reads the events the worker published for this pipeline. */
    public EventsReader events() {
        return new EventsReader(bootstrapServers(), registryUrl, topics.events());
    }

    /** The {@code bootstrap.servers} of the Kafka cluster, for the service's own producers and consumers. */
    public String bootstrapServers() {
        return servers.kafka().bootstrapServers();
    }

    /** The URL of the schema registry's Confluent API. */
    public String registryUrl() {
        return registryUrl;
    }

    /** The JDBC URL of this pipeline's database (the worker's event store), credentials included as parameters. */
    public String jdbcUrl() {
        return database.jdbcUrl();
    }

    /** The database user of {@link #jdbcUrl()}. */
    public String databaseUser() {
        return database.user();
    }

    /** The database password of {@link #jdbcUrl()}; empty when the server asks for none. */
    public String databasePassword() {
        return database.password();
    }

    /** A pooled data source on this pipeline's database, closed with the pipeline. */
    public DataSource dataSource() {
        return database.dataSource();
    }

    /** The worker, for its readiness ({@link WorkerApplication#isReady()}) and meters. */
    public WorkerApplication worker() {
        return worker;
    }

    /** Which servers run Kafka and PostgreSQL under this pipeline. */
    public Backend backend() {
        return servers.backend();
    }

    /** Stops the client and the worker, drops the database and deletes the topics. Idempotent. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        closeQuietly("client", client);
        closeQuietly("worker", worker);
        closeQuietly("database", database);
        deleteTopics(servers, topics);
    }

    /** Closes one part, so that a part that fails to close leaves none of the others running. */
    private void closeQuietly(String part, AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("Closing the {} of the pipeline under {} failed", part, topics.commands(), e);
        }
    }

    private static void deleteTopics(TestServers servers, IngestTopics topics) {
        try {
            servers.kafka().admin().deleteTopics(topics.all()).all().get(Duration.ofSeconds(30).toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Interrupted while deleting the topics under {}", topics.commands());
        } catch (Exception e) {
            log.warn("Could not delete the topics under {}: {}", topics.commands(), e.toString());
        }
    }
}
