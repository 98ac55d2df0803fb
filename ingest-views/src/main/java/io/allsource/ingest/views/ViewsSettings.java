package io.allsource.ingest.views;

import io.allsource.ingest.kafka.KafkaSecrets;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.settings.ConfigException;
import io.allsource.ingest.settings.TopicCreation;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the live views run: which topics, which Kafka and registry, where their state lives, where they answer queries.
 * Every value is checked at construction and every problem reported at once, naming its key as in {@link ViewsKeys}.
 * Immutable; start from {@link #defaults} and change with the {@code with...} methods.
 *
 * @param applicationId          the Kafka Streams application id, shared by all instances of one set of views
 *                               ({@code views-application-id})
 * @param topics                 the events topic read and the alerts topic written ({@code topic-events},
 *                               {@code topic-alerts})
 * @param kafka                  properties passed to every Kafka client; must name {@code bootstrap.servers}
 * @param registry               the schema registry that resolves the events' schema ids
 * @param stateDirectory         where the RocksDB stores live; one per instance ({@code views-state-dir})
 * @param httpHost               the address the HTTP queries are served on ({@code views-http-host})
 * @param httpPort               their port; 0 for any free port ({@code views-http-port})
 * @param advertisedHost         the host name other instances reach this one by ({@code views-advertised-host});
 *                               becomes Kafka Streams' {@code application.server} with the actual port
 * @param streamThreads          Kafka Streams threads ({@code views-threads})
 * @param commitInterval         how often processing is committed, hence how fresh the views are
 *                               ({@code views-commit-interval-ms})
 * @param cacheMaxBytes          Kafka Streams' record cache over all threads ({@code views-cache-bytes})
 * @param windowRetention        how long tenant windows are kept, and how late an event may come and still count
 *                               ({@code views-window-retention-hours})
 * @param alertsTopicCreation    whether a missing alerts topic is created at start ({@code create-topics})
 * @param topicReplicationFactor replication of the topics the views create, -1 for the broker's default
 *                               ({@code topic-replication-factor})
 */
public record ViewsSettings(String applicationId, ViewsTopics topics, Map<String, Object> kafka,
        RegistrySettings registry, Path stateDirectory, String httpHost, int httpPort, String advertisedHost,
        int streamThreads, Duration commitInterval, long cacheMaxBytes, Duration windowRetention,
        TopicCreation alertsTopicCreation, short topicReplicationFactor) {

    public ViewsSettings {
        List<String> problems = new ArrayList<>();
        if (applicationId == null || !applicationId.matches("[a-zA-Z0-9._-]+")) {
            problems.add(ViewsKeys.APPLICATION_ID.name() + " must be letters, digits, '.', '_' or '-', got "
                    + applicationId);
        }
        require(problems, topics != null, "topic-events and topic-alerts are required");
        require(problems, registry != null, ViewsKeys.REGISTRY_URL.name() + " is required");
        kafka = kafka == null ? Map.of() : Map.copyOf(kafka);
        require(problems, kafka.get("bootstrap.servers") != null && !kafka.get("bootstrap.servers").toString()
                .isBlank(), ViewsKeys.BOOTSTRAP_SERVERS.name() + " is required");
        require(problems, stateDirectory != null, ViewsKeys.STATE_DIR.name() + " is required");
        require(problems, httpHost != null && !httpHost.isBlank(), ViewsKeys.HTTP_HOST.name() + " is required");
        require(problems, httpPort >= 0 && httpPort <= 65535,
                ViewsKeys.HTTP_PORT.name() + " must be 0 to 65535, got " + httpPort);
        require(problems, advertisedHost != null && !advertisedHost.isBlank() && !isWildcard(advertisedHost),
                ViewsKeys.ADVERTISED_HOST.name() + " must name this host as other instances reach it, got "
                        + advertisedHost);
        require(problems, streamThreads >= 1, ViewsKeys.THREADS.name() + " must be at least 1, got "
                + streamThreads);
        require(problems, commitInterval != null && !commitInterval.isNegative() && !commitInterval.isZero(),
                ViewsKeys.COMMIT_INTERVAL_MS.name() + " must be positive, got " + commitInterval);
        require(problems, cacheMaxBytes >= 0, ViewsKeys.CACHE_BYTES.name() + " must not be negative, got "
                + cacheMaxBytes);
        require(problems, windowRetention != null && windowRetention.compareTo(Duration.ofHours(1)) >= 0,
                ViewsKeys.WINDOW_RETENTION_HOURS.name() + " must be at least 1 hour, got " + windowRetention);
        require(problems, alertsTopicCreation != null, ViewsKeys.CREATE_TOPICS.name() + " is required");
        require(problems, topicReplicationFactor == -1 || topicReplicationFactor >= 1,
                ViewsKeys.TOPIC_REPLICATION_FACTOR.name() + " must be -1 or at least 1, got "
                        + topicReplicationFactor);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /**
     * The defaults for everything but the Kafka connection and the registry: application id {@code ingest-views},
     * the default topics, state under {@code .ingest/views}, HTTP on 0.0.0.0:9500 advertised under this machine's host
     * name, one thread, commits every 100 ms, a 10 MiB cache, windows kept 7 days, the alerts topic required to exist.
     */
    public static ViewsSettings defaults(Map<String, ?> kafka, RegistrySettings registry) {
        return new ViewsSettings("ingest-views", ViewsTopics.DEFAULT, Map.copyOf(kafka), registry,
                Path.of(".ingest", "views"), "0.0.0.0", 9500, localHostName(), 1, Duration.ofMillis(100),
                10L * 1024 * 1024, Duration.ofDays(7), TopicCreation.REQUIRE_EXISTING, (short) -1);
    }

    public ViewsSettings withApplicationId(String id) {
        return new ViewsSettings(id, topics, kafka, registry, stateDirectory, httpHost, httpPort, advertisedHost,
                streamThreads, commitInterval, cacheMaxBytes, windowRetention, alertsTopicCreation,
                topicReplicationFactor);
    }

    public ViewsSettings withTopics(ViewsTopics newTopics) {
        return new ViewsSettings(applicationId, newTopics, kafka, registry, stateDirectory, httpHost, httpPort,
                advertisedHost, streamThreads, commitInterval, cacheMaxBytes, windowRetention, alertsTopicCreation,
                topicReplicationFactor);
    }

    public ViewsSettings withStateDirectory(Path directory) {
        return new ViewsSettings(applicationId, topics, kafka, registry, directory, httpHost, httpPort,
                advertisedHost, streamThreads, commitInterval, cacheMaxBytes, windowRetention, alertsTopicCreation,
                topicReplicationFactor);
    }

    /** Serve on {@code host}:{@code port}; advertised under {@code host} unless that is a wildcard address. */
    public ViewsSettings withHttp(String host, int port) {
        String advertised = host == null || isWildcard(host) ? advertisedHost : host;
        return new ViewsSettings(applicationId, topics, kafka, registry, stateDirectory, host, port, advertised,
                streamThreads, commitInterval, cacheMaxBytes, windowRetention, alertsTopicCreation,
                topicReplicationFactor);
    }

    public ViewsSettings withAdvertisedHost(String host) {
        return new ViewsSettings(applicationId, topics, kafka, registry, stateDirectory, httpHost, httpPort, host,
                streamThreads, commitInterval, cacheMaxBytes, windowRetention, alertsTopicCreation,
                topicReplicationFactor);
    }

    /** Threads, commit interval and cache: how fresh the views are against how much work commits cost. */
    public ViewsSettings withProcessing(int threads, Duration commitEvery, long cacheBytes) {
        return new ViewsSettings(applicationId, topics, kafka, registry, stateDirectory, httpHost, httpPort,
                advertisedHost, threads, commitEvery, cacheBytes, windowRetention, alertsTopicCreation,
                topicReplicationFactor);
    }

    public ViewsSettings withWindowRetention(Duration retention) {
        return new ViewsSettings(applicationId, topics, kafka, registry, stateDirectory, httpHost, httpPort,
                advertisedHost, streamThreads, commitInterval, cacheMaxBytes, retention, alertsTopicCreation,
                topicReplicationFactor);
    }

    public ViewsSettings withAlertsTopic(TopicCreation creation, short replicationFactor) {
        return new ViewsSettings(applicationId, topics, kafka, registry, stateDirectory, httpHost, httpPort,
                advertisedHost, streamThreads, commitInterval, cacheMaxBytes, windowRetention, creation,
                replicationFactor);
    }

    /** Like the record's own, but with the values of Kafka and registry secrets masked. */
    @Override
    public String toString() {
        return "ViewsSettings[applicationId=" + applicationId + ", topics=" + topics + ", kafka="
                + KafkaSecrets.masked(kafka) + ", registry=" + registry + ", stateDirectory=" + stateDirectory
                + ", httpHost=" + httpHost + ", httpPort=" + httpPort + ", advertisedHost=" + advertisedHost
                + ", streamThreads=" + streamThreads + ", commitInterval=" + commitInterval + ", cacheMaxBytes="
                + cacheMaxBytes + ", windowRetention=" + windowRetention + ", alertsTopicCreation="
                + alertsTopicCreation + ", topicReplicationFactor=" + topicReplicationFactor + "]";
    }

    private static void require(List<String> problems, boolean condition, String problem) {
        if (!condition) {
            problems.add(problem);
        }
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
