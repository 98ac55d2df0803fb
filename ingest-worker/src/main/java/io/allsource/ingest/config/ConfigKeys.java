package io.allsource.ingest.config;

import static io.allsource.ingest.settings.ConfigChecks.any;
import static io.allsource.ingest.settings.ConfigChecks.bool;
import static io.allsource.ingest.settings.ConfigChecks.integer;
import static io.allsource.ingest.settings.ConfigChecks.oneOf;
import static io.allsource.ingest.settings.ConfigChecks.postgresJdbcUrl;
import static io.allsource.ingest.settings.ConfigChecks.topicName;

import io.allsource.ingest.command.CommandLimits;
import io.allsource.ingest.settings.CommonKeys;
import io.allsource.ingest.settings.Component;
import io.allsource.ingest.settings.ConfigKey;
import io.allsource.ingest.settings.KeyCatalogue;
import java.util.List;

/**
 * Every setting of the worker, grouped by importance: the worker's own and the {@link CommonKeys} it shares with the
 * views. Kafka client properties beyond these pass through with the {@code kafka.} prefix
 * ({@code kafka.security.protocol}, {@code INGEST_KAFKA_SASL_MECHANISM}, ...); those that hold secrets are masked when
 * printed.
 */
public final class ConfigKeys {

    public static final ConfigKey BOOTSTRAP_SERVERS = CommonKeys.BOOTSTRAP_SERVERS;
    public static final ConfigKey DB_URL = new ConfigKey("db-url", null, false,
            "PostgreSQL JDBC URL, jdbc:postgresql://host:port/database", postgresJdbcUrl());
    public static final ConfigKey DB_USER = new ConfigKey("db-user", null, false, "PostgreSQL user", any());
    public static final ConfigKey DB_PASSWORD = new ConfigKey("db-password", null, true, "PostgreSQL password", any());
    public static final ConfigKey REGISTRY_URL = CommonKeys.REGISTRY_URL;

    public static final ConfigKey WORKER_ID = new ConfigKey("worker-id", null, false,
            "Names this worker in logs and as partition owner (default: host name and process id)", any());
    public static final ConfigKey GROUP_ID = new ConfigKey("group-id", "ingest-worker", false,
            "Consumer group shared by all workers of the pipeline", any());
    public static final ConfigKey CONSUMER_THREADS = new ConfigKey("consumer-threads", "1", false,
            "Consumers (threads) in this worker; each owns the partitions assigned to it", integer(1, 32));
    public static final ConfigKey APPLY_THREADS = new ConfigKey("apply-threads", "2", false,
            "Batch transactions this worker runs at once, each holding several partitions (fewer than db-pool-size)",
            integer(1, 64));
    public static final ConfigKey BATCH_SIZE = new ConfigKey("batch-size", "500", false,
            "Most commands of one partition applied in one transaction", integer(1, 10_000));
    public static final ConfigKey LINGER_MS = new ConfigKey("linger-ms", "5", false,
            "How long a partition's first unapplied command waits for more to fill its batch (at most: it goes sooner"
                    + " with another partition's due batch)", integer(0, 10_000));
    public static final ConfigKey APPLY_OVERLAP_MS = new ConfigKey("apply-overlap-ms", "3", false,
            "How long batches handed over while a transaction runs wait for it before another apply thread takes"
                    + " them (0: at once)", integer(0, 10_000));
    public static final ConfigKey CREATE_TOPICS = CommonKeys.CREATE_TOPICS;
    public static final ConfigKey TOPIC_REPLICATION = CommonKeys.TOPIC_REPLICATION_FACTOR;
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
    public static final ConfigKey TOPIC_EVENTS = CommonKeys.TOPIC_EVENTS;
    public static final ConfigKey TOPIC_DEAD_LETTERS = new ConfigKey("topic-dead-letters", "ingest.commands.dlq",
            false, "Dead-letter topic for undecodable commands", topicName());
    public static final ConfigKey DB_POOL_SIZE = new ConfigKey("db-pool-size", "8", false,
            "Database connections in the pool", integer(1, 200));
    public static final ConfigKey STREAM_CACHE_SIZE = new ConfigKey("stream-cache-size", "50000", false,
            "Stream versions cached per partition", integer(1, 10_000_000));
    public static final ConfigKey REGISTRY_BASIC_AUTH = CommonKeys.REGISTRY_BASIC_AUTH;
    public static final ConfigKey REGISTRY_TRUSTSTORE = CommonKeys.REGISTRY_TRUSTSTORE;
    public static final ConfigKey REGISTRY_TRUSTSTORE_PASSWORD = CommonKeys.REGISTRY_TRUSTSTORE_PASSWORD;
    public static final ConfigKey REGISTRY_TRUSTSTORE_TYPE = CommonKeys.REGISTRY_TRUSTSTORE_TYPE;
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
            "How long a fenced partition waits for the group to take it away, or a held one for an operator's reset,"
                    + " before it is claimed again",
            integer(100, 3_600_000));
    public static final ConfigKey DB_CONNECTION_TIMEOUT_MS = new ConfigKey("db-connection-timeout-ms", "10000", false,
            "How long to wait for a database connection before the step fails and is retried", integer(250, 600_000));
    public static final ConfigKey LAG_INTERVAL_MS = new ConfigKey("lag-interval-ms", "10000", false,
            "How often the partition lag gauge is measured", integer(100, 3_600_000));
    /** {@link io.allsource.ingest.retention.ResultPruner}; Kafka's own retention settings are in milliseconds too. */
    public static final ConfigKey RESULT_RETENTION_MS = new ConfigKey("result-retention-ms", "0", false,
            "How long stored command outcomes (the idempotency records) are kept; older ones are pruned in the"
                    + " background and their command ids are new again. 0 keeps them forever (604800000 = 7 days)",
            integer(0, 100L * 365 * 24 * 3_600_000));
    public static final ConfigKey PRUNE_INTERVAL_MS = new ConfigKey("prune-interval-ms", "60000", false,
            "How often outcomes older than result-retention-ms are looked for, when it is set", integer(100, 86_400_000));

    /** {@link CommandLimits#maxAppends()}. */
    public static final ConfigKey MAX_APPENDS = limit("max-appends-per-command", CommandLimits.DEFAULT.maxAppends(),
            "Most stream appends in one command", 10_000);
    /** {@link CommandLimits#maxEvents()}. */
    public static final ConfigKey MAX_EVENTS = limit("max-events-per-command", CommandLimits.DEFAULT.maxEvents(),
            "Most events in one command, over all its appends", 100_000);
    /** {@link CommandLimits#maxPayloadBytes()}. */
    public static final ConfigKey MAX_PAYLOAD_BYTES = limit("max-payload-bytes",
            CommandLimits.DEFAULT.maxPayloadBytes(), "Largest event payload, in UTF-8 bytes (less than"
                    + " max-event-record-bytes)", 64 * 1024 * 1024);
    /** {@link CommandLimits#maxMetadataEntries()}. */
    public static final ConfigKey MAX_METADATA_ENTRIES = limit("max-metadata-entries",
            CommandLimits.DEFAULT.maxMetadataEntries(), "Most metadata entries of one event", 10_000);
    /** {@link CommandLimits#maxMetadataChars()}. */
    public static final ConfigKey MAX_METADATA_CHARS = limit("max-metadata-chars",
            CommandLimits.DEFAULT.maxMetadataChars(), "Longest metadata key or value of an event, in characters",
            1024 * 1024);
    /** {@link CommandLimits#maxEventRecordBytes()}. */
    public static final ConfigKey MAX_EVENT_RECORD_BYTES = limit("max-event-record-bytes",
            CommandLimits.DEFAULT.maxEventRecordBytes(), "Largest serialized event record the worker publishes (less"
                    + " than the producer's max.request.size, 1048576 unless kafka.max.request.size says otherwise)",
            Integer.MAX_VALUE);

    /** Every key, most important first. */
    public static final List<ConfigKey> ALL = List.of(BOOTSTRAP_SERVERS, DB_URL, DB_USER, DB_PASSWORD, REGISTRY_URL,
            WORKER_ID, GROUP_ID, CONSUMER_THREADS, APPLY_THREADS, BATCH_SIZE, LINGER_MS, APPLY_OVERLAP_MS,
            CREATE_TOPICS, TOPIC_REPLICATION, MIGRATE, AUTO_REGISTER, EVENTS_FORMAT, METRICS_PORT, METRICS_HOST,
            TOPIC_COMMANDS, TOPIC_RESULTS, TOPIC_EVENTS, TOPIC_DEAD_LETTERS, DB_POOL_SIZE, STREAM_CACHE_SIZE,
            REGISTRY_BASIC_AUTH, REGISTRY_TRUSTSTORE, REGISTRY_TRUSTSTORE_PASSWORD, REGISTRY_TRUSTSTORE_TYPE,
            MARK_INTERVAL_MS, RETRY_INITIAL_MS, RETRY_MAX_MS, PUBLISH_TIMEOUT_MS, SHUTDOWN_TIMEOUT_MS,
            FENCED_RECHECK_MS, DB_CONNECTION_TIMEOUT_MS, LAG_INTERVAL_MS, RESULT_RETENTION_MS, PRUNE_INTERVAL_MS,
            MAX_APPENDS, MAX_EVENTS, MAX_PAYLOAD_BYTES, MAX_METADATA_ENTRIES, MAX_METADATA_CHARS, MAX_EVENT_RECORD_BYTES);

    /** The worker's keys, checked against {@link Component#WORKER}. */
    public static final KeyCatalogue CATALOGUE = new KeyCatalogue(Component.WORKER, ALL);

    /** The prefix of Kafka client properties passed through unchanged. */
    public static final String KAFKA_PREFIX = CommonKeys.KAFKA_PREFIX;

    private ConfigKeys() {
    }

    /** A size limit of commands: a whole number from 1 to {@code max}, {@code defaultValue} unless set. */
    private static ConfigKey limit(String name, int defaultValue, String description, int max) {
        return new ConfigKey(name, Integer.toString(defaultValue), false, description, integer(1, max));
    }
}
