package io.allsource.ingest.settings;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The components that read the pipeline's settings, each with the names of its keys: the catalogue of every key of
 * the pipeline. One properties file (or one environment) can then serve them all: each component reads its own keys,
 * passes over the keys of the others, and refuses a key that no component has. The keys themselves (default, check,
 * description) are defined in their component, whose {@link KeyCatalogue} is held against its names here when built,
 * so the two cannot drift apart.
 */
public enum Component {

    /** The worker ({@code ingest-worker}): {@code ConfigKeys}. */
    WORKER("bootstrap-servers", "db-url", "db-user", "db-password", "registry-url", "worker-id", "group-id",
            "consumer-threads", "apply-threads", "batch-size", "linger-ms", "apply-overlap-ms", "create-topics",
            "topic-replication-factor", "migrate", "auto-register-schemas", "events-format", "metrics-port",
            "metrics-host", "topic-commands", "topic-results", "topic-events", "topic-dead-letters", "db-pool-size",
            "stream-cache-size",
            "registry-basic-auth", "registry-truststore", "registry-truststore-password", "registry-truststore-type",
            "mark-interval-ms", "retry-initial-ms", "retry-max-ms", "publish-timeout-ms", "shutdown-timeout-ms",
            "fenced-recheck-ms", "db-connection-timeout-ms", "lag-interval-ms", "result-retention-ms",
            "prune-interval-ms", "max-appends-per-command", "max-events-per-command", "max-payload-bytes",
            "max-metadata-entries", "max-metadata-chars", "max-event-record-bytes"),

    /** The live views ({@code ingest-views}): {@code ViewsKeys}. */
    VIEWS("bootstrap-servers", "registry-url", "registry-basic-auth", "registry-truststore",
            "registry-truststore-password", "registry-truststore-type", "topic-events", "topic-alerts",
            "create-topics", "topic-replication-factor", "views-application-id", "views-state-dir", "views-http-host",
            "views-http-port", "views-advertised-host", "views-threads", "views-commit-interval-ms",
            "views-cache-bytes", "views-window-retention-hours");

    private final Set<String> keyNames;

    Component(String... keyNames) {
        this.keyNames = Set.of(keyNames);
    }

    /** The names of this component's keys. */
    public Set<String> keyNames() {
        return keyNames;
    }

    /** The names of the keys of every other component that this one does not have too. */
    public Set<String> keyNamesOfOthers() {
        return Arrays.stream(values()).filter(other -> other != this).flatMap(other -> other.keyNames.stream())
                .filter(name -> !keyNames.contains(name)).collect(Collectors.toUnmodifiableSet());
    }
}
