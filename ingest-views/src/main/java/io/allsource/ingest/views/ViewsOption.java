package io.allsource.ingest.views;

import java.util.Locale;

/**
 * Every setting of the views: its key (a flag without {@code --}, a properties file key, or an {@code INGEST_...}
 * environment variable), its default and what it means. The keys the worker also has ({@code bootstrap-servers},
 * {@code registry-url}, the topics, {@code create-topics}) mean the same there, so one properties file serves both.
 * Kafka client properties pass through with the prefix {@value #KAFKA_PREFIX}.
 */
public enum ViewsOption {

    BOOTSTRAP_SERVERS("bootstrap-servers", null, "Kafka bootstrap servers, host:port[,host:port...]"),
    REGISTRY_URL("registry-url", null, "Confluent-compatible schema registry URL"),
    REGISTRY_BASIC_AUTH("registry-basic-auth", null, "Schema registry credentials, user:password (secret)"),
    REGISTRY_TRUSTSTORE("registry-truststore", null, "Trust store for the schema registry's TLS certificate"),
    REGISTRY_TRUSTSTORE_PASSWORD("registry-truststore-password", null, "Password of the registry trust store (secret)"),
    REGISTRY_TRUSTSTORE_TYPE("registry-truststore-type", "PKCS12", "Type of the registry trust store"),
    TOPIC_EVENTS("topic-events", "ingest.events", "Events topic the views read"),
    TOPIC_ALERTS("topic-alerts", "ingest.alerts", "Topic the sequence gap alerts go to"),
    CREATE_TOPICS("create-topics", "false", "Create the alerts topic at start when missing, instead of refusing to"
            + " start"),
    TOPIC_REPLICATION_FACTOR("topic-replication-factor", "-1", "Replication factor of the alerts topic and the views'"
            + " internal topics (-1: the broker's default)"),
    APPLICATION_ID("views-application-id", "ingest-views", "Kafka Streams application id, the same for every instance"),
    STATE_DIR("views-state-dir", ".ingest/views", "Where this instance keeps its RocksDB stores"),
    HTTP_HOST("views-http-host", "0.0.0.0", "Address the HTTP queries are served on"),
    HTTP_PORT("views-http-port", "9500", "Port of the HTTP queries (0: any free port)"),
    ADVERTISED_HOST("views-advertised-host", null, "Host name other instances reach this one by (default: the HTTP"
            + " host, or this machine's host name when that is 0.0.0.0)"),
    THREADS("views-threads", "1", "Kafka Streams threads of this instance"),
    COMMIT_INTERVAL_MS("views-commit-interval-ms", "100", "How often processing is committed: how fresh the views"
            + " are"),
    CACHE_BYTES("views-cache-bytes", "10485760", "Kafka Streams record cache of this instance, over all threads"),
    WINDOW_RETENTION_HOURS("views-window-retention-hours", "168", "How long tenant windows are kept, and how late an"
            + " event may come and still count");

    /** Kafka client properties pass through with this prefix, as {@code kafka.security.protocol=SASL_SSL}. */
    public static final String KAFKA_PREFIX = "kafka.";

    private final String key;
    private final String defaultValue;
    private final String description;

    ViewsOption(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String flag() {
        return "--" + key;
    }

    /** {@code INGEST_} and the key in capitals, dashes as underscores. */
    public String environmentVariable() {
        return "INGEST_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The default, or {@code null} when there is none. */
    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public boolean isSecret() {
        return this == REGISTRY_BASIC_AUTH || this == REGISTRY_TRUSTSTORE_PASSWORD;
    }
}
