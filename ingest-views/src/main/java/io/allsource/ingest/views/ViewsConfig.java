package io.allsource.ingest.views;

import io.allsource.ingest.settings.ConfigException;
import io.allsource.ingest.settings.ConfigSources;
import io.allsource.ingest.settings.Configuration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The views' configuration: their {@link ViewsKeys} read from flags, then {@code INGEST_...} environment variables,
 * then a properties file, then the launcher's defaults, then the keys' own, by the {@link Configuration} every
 * component shares; then turned into {@link ViewsSettings}, which checks the values together. Every problem is
 * reported at once, naming its key. Immutable.
 */
public final class ViewsConfig {

    private final Configuration configuration;
    private final ViewsSettings settings;

    private ViewsConfig(Configuration configuration, ViewsSettings settings) {
        this.configuration = configuration;
        this.settings = settings;
    }

    /**
     * @param flags       values by key, as given on the command line
     * @param environment the process environment
     * @param file        a properties file, or {@code null}
     * @throws ConfigException naming every key at fault
     */
    public static ViewsConfig load(Map<String, String> flags, Map<String, String> environment, Path file) {
        return load(flags, environment, file, Map.of());
    }

    /**
     * Like {@link #load(Map, Map, Path)}, with {@code defaults} (values by key) beneath the file: how a launcher that
     * knows its pipeline (such as the command line reading {@code .ingest/endpoints.properties}) fills in what the
     * user did not give.
     */
    public static ViewsConfig load(Map<String, String> flags, Map<String, String> environment, Path file,
            Map<String, String> defaults) {
        Configuration configuration = Configuration.load(ViewsKeys.CATALOGUE,
                ConfigSources.of(flags, environment, file).withLauncherDefaults(defaults),
                List.of(ViewsKeys.BOOTSTRAP_SERVERS, ViewsKeys.REGISTRY_URL));
        return new ViewsConfig(configuration, settings(configuration));
    }

    private static ViewsSettings settings(Configuration configuration) {
        ViewsSettings settings = ViewsSettings.defaults(configuration.kafkaProperties(),
                        configuration.registrySettings())
                .withApplicationId(configuration.require(ViewsKeys.APPLICATION_ID))
                .withTopics(topics(configuration))
                .withStateDirectory(Path.of(configuration.require(ViewsKeys.STATE_DIR)))
                .withHttp(configuration.require(ViewsKeys.HTTP_HOST), configuration.integer(ViewsKeys.HTTP_PORT))
                .withProcessing(configuration.integer(ViewsKeys.THREADS),
                        configuration.millis(ViewsKeys.COMMIT_INTERVAL_MS),
                        configuration.longValue(ViewsKeys.CACHE_BYTES))
                .withWindowRetention(Duration.ofHours(configuration.longValue(ViewsKeys.WINDOW_RETENTION_HOURS)))
                .withAlertsTopic(configuration.topicCreation(),
                        (short) configuration.integer(ViewsKeys.TOPIC_REPLICATION_FACTOR));
        return configuration.get(ViewsKeys.ADVERTISED_HOST).map(settings::withAdvertisedHost).orElse(settings);
    }

    /** The topics, or the problem with them (the alerts topic must differ from the events topic) naming both keys. */
    private static ViewsTopics topics(Configuration configuration) {
        try {
            return new ViewsTopics(configuration.require(ViewsKeys.TOPIC_EVENTS),
                    configuration.require(ViewsKeys.TOPIC_ALERTS));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of(ViewsKeys.TOPIC_EVENTS.name() + ", " + ViewsKeys.TOPIC_ALERTS.name()
                    + ": " + e.getMessage()));
        }
    }

    /** The views' settings. */
    public ViewsSettings settings() {
        return settings;
    }

    /** Every setting with its value and where it came from, secrets masked: for the log at start. */
    public String describe() {
        return configuration.describe(Map.of(ViewsKeys.ADVERTISED_HOST, settings.advertisedHost()));
    }
}
