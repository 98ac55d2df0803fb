package io.allsource.ingest.config;

import static io.allsource.ingest.config.ConfigChecks.any;
import static io.allsource.ingest.config.ConfigChecks.bool;
import static io.allsource.ingest.config.ConfigChecks.httpUrl;
import static io.allsource.ingest.config.ConfigChecks.integer;
import static io.allsource.ingest.config.ConfigChecks.oneOf;
import static io.allsource.ingest.config.ConfigChecks.replicationFactor;
import static io.allsource.ingest.config.ConfigChecks.startsWith;
import static io.allsource.ingest.config.ConfigChecks.topicName;
import static io.allsource.ingest.config.ConfigChecks.userInfo;

import java.util.List;

/**
 * Every setting of the worker, grouped by importance. Kafka client properties beyond these pass through with the
 * {@code kafka.} prefix ({@code kafka.security.protocol}, {@code INGEST_KAFKA_SASL_MECHANISM}, ...); a passed-through
 * property whose name contains {@code password}, {@code secret} or {@code jaas} is masked when printed.
 */
public final class ConfigKeys {

    public static final ConfigKey BOOTSTRAP_SERVERS = new ConfigKey("bootstrap-servers", null, false,
            "Kafka bootstrap servers, host:port[,host:port...]", any());
    public static final ConfigKey DB_URL = new ConfigKey("db-url", null, false,
            "PostgreSQL JDBC URL, jdbc:postgresql://host:port/database", startsWith("jdbc:postgresql:"));
    public static final ConfigKey DB_USER = new ConfigKey("db-user", null, false, "PostgreSQL user", any());
    public static final ConfigKey DB_PASSWORD = new ConfigKey("db-password", null, true, "PostgreSQL password", any());
    public static final ConfigKey REGISTRY_URL = new ConfigKey("registry-url", null, false,
            "Confluent-compatible schema registry URL (Apicurio: http://host:8080/apis/ccompat/v7)", httpUrl());

    public static final ConfigKey WORKER_ID = new ConfigKey("worker-id", null, false,
            "Names this worker in logs and as partition owner (default: host name and process id)", any());
    public static final ConfigKey GROUP_ID = new ConfigKey("group-id", "ingest-worker", false,
            "Consumer group shared by all workers of the pipeline", any());
    public static final ConfigKey CONSUMER_THREADS = new ConfigKey("consumer-threads", "2", false,
            "Consumers (threads) in this worker; each owns the partitions assigned to it", integer(1, 32));
    public static final ConfigKey APPLY_THREADS = new ConfigKey("apply-threads", "2", false,
            "Batch transactions this worker runs at once, each holding several partitions (fewer than db-pool-size)",
            integer(1, 64));
    public static final ConfigKey BATCH_SIZE = new ConfigKey("batch-size", "500", false,
            "Most commands of one partition applied in one transaction", integer(1, 10_000));
    public static final ConfigKey LINGER_MS = new ConfigKey("linger-ms", "5", false,
            "How long a partition's first unapplied command waits for more to fill its batch", integer(0, 10_000));
    public static final ConfigKey CREATE_TOPICS = new ConfigKey("create-topics", "false", false,
            "Create missing topics with 32 partitions at start, instead of refusing to start", bool());
    public static final ConfigKey TOPIC_REPLICATION = new ConfigKey("topic-replication-factor", "-1", false,
            "Replication factor of topics created at start (-1: the broker's default)", replicationFactor());
    public static final ConfigKey MIGRATE = new ConfigKey("migrate", "true", false,
            "Apply pending database migrations at start", bool());
    public static final ConfigKey AUTO_REGISTER = new ConfigKey("auto-register-schemas", "false", false,
            "Register the results and events schemas on first use (embedded mode); off: they must be registered",
            bool());
    public static final ConfigKey EVENTS_FORMAT = new ConfigKey("events-format", "avro", false,
            "How events are written: avro (Confluent wire format) or json-envelope (JSON with the Connect schema)",
            oneOf("avro", "json-envelope"));
    public static final ConfigKey METRICS_PORT = new ConfigKey("metrics-port", "9400", false,
            "Port of the /metrics (Prometheus) and /health endpoints; 0 turns them off", integer(0, 65_535));
    public static final ConfigKey METRICS_HOST = new ConfigKey("metrics-host", "0.0.0.0", false,
            "Address the metrics and health endpoints listen on", any());

    public static final ConfigKey TOPIC_COMMANDS = new ConfigKey("topic-commands", "ingest.commands", false,
            "Commands topic", topicName());
    public static final ConfigKey TOPIC_RESULTS = new ConfigKey("topic-results", "ingest.results", false,
            "Results topic", topicName());
    public static final ConfigKey TOPIC_EVENTS = new ConfigKey("topic-events", "ingest.events", false,
            "Events topic", topicName());
    public static final ConfigKey TOPIC_DEAD_LETTERS = new ConfigKey("topic-dead-letters", "ingest.commands.dlq",
            false, "Dead-letter topic for undecodable commands", topicName());
    public static final ConfigKey DB_POOL_SIZE = new ConfigKey("db-pool-size", "8", false,
            "Database connections in the pool", integer(1, 200));
    public static final ConfigKey STREAM_CACHE_SIZE = new ConfigKey("stream-cache-size", "50000", false,
            "Stream versions cached per partition", integer(1, 10_000_000));
    public static final ConfigKey REGISTRY_BASIC_AUTH = new ConfigKey("registry-basic-auth", null, true,
            "Schema registry credentials, user:password", userInfo());
    public static final ConfigKey REGISTRY_TRUSTSTORE = new ConfigKey("registry-truststore", null, false,
            "Trust store for the schema registry's TLS certificate", any());
    public static final ConfigKey REGISTRY_TRUSTSTORE_PASSWORD = new ConfigKey("registry-truststore-password", null,
            true, "Password of the registry trust store", any());
    public static final ConfigKey REGISTRY_TRUSTSTORE_TYPE = new ConfigKey("registry-truststore-type", "PKCS12",
            false, "Type of the registry trust store", oneOf("PKCS12", "JKS"));
    public static final ConfigKey MARK_INTERVAL_MS = new ConfigKey("mark-interval-ms", "1000", false,
            "How often publication progress and watermarks are written to the database", integer(1, 600_000));
    public static final ConfigKey RETRY_INITIAL_MS = new ConfigKey("retry-initial-ms", "100", false,
            "First pause after a failure of the database, broker or registry", integer(1, 600_000));
    public static final ConfigKey RETRY_MAX_MS = new ConfigKey("retry-max-ms", "10000", false,
            "Longest pause between retries", integer(1, 3_600_000));
    public static final ConfigKey PUBLISH_TIMEOUT_MS = new ConfigKey("publish-timeout-ms", "30000", false,
            "How long to wait for the broker to acknowledge a batch's results and events", integer(1_000, 600_000));
    public static final ConfigKey SHUTDOWN_TIMEOUT_MS = new ConfigKey("shutdown-timeout-ms", "30000", false,
            "How long a stop may take to finish the batches in flight", integer(1, 600_000));
    public static final ConfigKey FENCED_RECHECK_MS = new ConfigKey("fenced-recheck-ms", "30000", false,
            "How long a fenced partition waits for the group to take it away before it is claimed again",
            integer(100, 3_600_000));

    /** Every key, most important first. */
    public static final List<ConfigKey> ALL = List.of(BOOTSTRAP_SERVERS, DB_URL, DB_USER, DB_PASSWORD, REGISTRY_URL,
            WORKER_ID, GROUP_ID, CONSUMER_THREADS, APPLY_THREADS, BATCH_SIZE, LINGER_MS, CREATE_TOPICS,
            TOPIC_REPLICATION, MIGRATE, AUTO_REGISTER, EVENTS_FORMAT, METRICS_PORT, METRICS_HOST, TOPIC_COMMANDS,
            TOPIC_RESULTS, TOPIC_EVENTS, TOPIC_DEAD_LETTERS, DB_POOL_SIZE, STREAM_CACHE_SIZE, REGISTRY_BASIC_AUTH,
            REGISTRY_TRUSTSTORE, REGISTRY_TRUSTSTORE_PASSWORD, REGISTRY_TRUSTSTORE_TYPE, MARK_INTERVAL_MS,
            RETRY_INITIAL_MS, RETRY_MAX_MS, PUBLISH_TIMEOUT_MS, SHUTDOWN_TIMEOUT_MS, FENCED_RECHECK_MS);

    /** The prefix of Kafka client properties passed through unchanged. */
    public static final String KAFKA_PREFIX = "kafka.";

    private ConfigKeys() {
    }
}
