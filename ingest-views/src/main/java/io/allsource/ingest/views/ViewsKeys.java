package io.allsource.ingest.views;

import static io.allsource.ingest.settings.ConfigChecks.any;
import static io.allsource.ingest.settings.ConfigChecks.integer;
import static io.allsource.ingest.settings.ConfigChecks.specificHost;
import static io.allsource.ingest.settings.ConfigChecks.topicName;

import io.allsource.ingest.settings.CommonKeys;
import io.allsource.ingest.settings.Component;
import io.allsource.ingest.settings.ConfigKey;
import io.allsource.ingest.settings.KeyCatalogue;
import java.util.List;

/**
 * Every setting of the views, most important first: a flag (with {@code --}), a properties-file key, or an
 * {@code INGEST_...} environment variable. The keys the worker has too ({@code bootstrap-servers}, the registry's,
 * {@code topic-events}, {@code create-topics}, {@code topic-replication-factor}) are the {@link CommonKeys}, the same
 * for both, so one properties file serves both: each passes over the other's keys. Kafka client properties pass
 * through with the prefix {@code kafka.}.
 */
public final class ViewsKeys {

    public static final ConfigKey BOOTSTRAP_SERVERS = CommonKeys.BOOTSTRAP_SERVERS;
    public static final ConfigKey REGISTRY_URL = CommonKeys.REGISTRY_URL;
    public static final ConfigKey TOPIC_EVENTS = CommonKeys.TOPIC_EVENTS;
    public static final ConfigKey TOPIC_ALERTS = new ConfigKey("topic-alerts", "ingest.alerts", false,
            "Topic the sequence gap alerts go to", topicName());
    public static final ConfigKey CREATE_TOPICS = CommonKeys.CREATE_TOPICS;
    public static final ConfigKey TOPIC_REPLICATION_FACTOR = CommonKeys.TOPIC_REPLICATION_FACTOR;

    public static final ConfigKey APPLICATION_ID = new ConfigKey("views-application-id", "ingest-views", false,
            "Kafka Streams application id, the same for every instance of one set of views", topicName());
    public static final ConfigKey STATE_DIR = new ConfigKey("views-state-dir", ".ingest/views", false,
            "Where this instance keeps its RocksDB stores; one per instance", any());
    public static final ConfigKey HTTP_HOST = new ConfigKey("views-http-host", "0.0.0.0", false,
            "Address the HTTP queries are served on", any());
    public static final ConfigKey HTTP_PORT = new ConfigKey("views-http-port", "9500", false,
            "Port of the HTTP queries (0: any free port)", integer(0, 65_535));
    public static final ConfigKey ADVERTISED_HOST = new ConfigKey("views-advertised-host", null, false,
            "Host name other instances reach this one by (default: the HTTP host, or this machine's host name when"
                    + " that is 0.0.0.0)", specificHost());
    public static final ConfigKey THREADS = new ConfigKey("views-threads", "1", false,
            "Kafka Streams threads of this instance", integer(1, 256));
    public static final ConfigKey COMMIT_INTERVAL_MS = new ConfigKey("views-commit-interval-ms", "100", false,
            "How often processing is committed: how fresh the views are", integer(1, 3_600_000));
    public static final ConfigKey CACHE_BYTES = new ConfigKey("views-cache-bytes", "10485760", false,
            "Kafka Streams record cache of this instance, over all threads", integer(0, Long.MAX_VALUE));
    public static final ConfigKey WINDOW_RETENTION_HOURS = new ConfigKey("views-window-retention-hours", "168", false,
            "How long tenant windows are kept, and how late an event may come and still count", integer(1, 87_600));

    /** Every key, most important first. */
    public static final List<ConfigKey> ALL = List.of(BOOTSTRAP_SERVERS, REGISTRY_URL, TOPIC_EVENTS, TOPIC_ALERTS,
            CREATE_TOPICS, STATE_DIR, HTTP_HOST, HTTP_PORT, ADVERTISED_HOST, APPLICATION_ID, THREADS,
            COMMIT_INTERVAL_MS, CACHE_BYTES, WINDOW_RETENTION_HOURS, TOPIC_REPLICATION_FACTOR,
            CommonKeys.REGISTRY_BASIC_AUTH, CommonKeys.REGISTRY_TRUSTSTORE, CommonKeys.REGISTRY_TRUSTSTORE_PASSWORD,
            CommonKeys.REGISTRY_TRUSTSTORE_TYPE);

    /** The views' keys, checked against {@link Component#VIEWS}. */
    public static final KeyCatalogue CATALOGUE = new KeyCatalogue(Component.VIEWS, ALL);

    private ViewsKeys() {
    }
}
