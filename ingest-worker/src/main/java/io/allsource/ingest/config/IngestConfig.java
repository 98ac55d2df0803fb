package io.allsource.ingest.config;

import io.allsource.ingest.command.CommandLimits;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.settings.ConfigException;
import io.allsource.ingest.settings.ConfigKey;
import io.allsource.ingest.settings.ConfigSources;
import io.allsource.ingest.settings.Configuration;
import io.allsource.ingest.settings.TopicCreation;
import io.allsource.ingest.settings.TopicRequirement;
import io.allsource.ingest.store.DatabaseSettings;
import io.allsource.ingest.store.StoreSettings;
import io.allsource.ingest.topics.IngestTopics;
import io.allsource.ingest.worker.WorkerSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The worker's configuration: its {@link ConfigKeys} read from flags, then {@code INGEST_...} environment variables,
 * then a properties file, then the defaults, in that order of precedence, by the {@link Configuration} every component
 * shares; then checked across keys ({@link WorkerConfigChecks}). Every problem is reported at once, naming the
 * setting. Builds the settings records of the worker's parts. Immutable.
 */
public final class IngestConfig {

    /** The environment variable that may name the properties file. */
    public static final String CONFIG_FILE_VARIABLE = ConfigSources.CONFIG_FILE_VARIABLE;

    private final Configuration configuration;

    private IngestConfig(Configuration configuration) {
        this.configuration = configuration;
    }

    /**
     * Loads the configuration.
     *
     * @param flags       settings given on the command line, by name without {@code --}
     * @param environment the process environment
     * @param file        a properties file, or {@code null}
     * @param required    settings that must have a value
     * @throws ConfigException naming every setting at fault
     */
    public static IngestConfig load(Map<String, String> flags, Map<String, String> environment, Path file,
            List<ConfigKey> required) {
        Configuration configuration = Configuration.load(ConfigKeys.CATALOGUE,
                ConfigSources.of(flags, environment, file), required);
        List<String> problems = WorkerConfigChecks.problems(configuration);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new IngestConfig(configuration);
    }

    public Optional<String> get(ConfigKey key) {
        return configuration.get(key);
    }

    /** @throws ConfigException naming the setting when it has no value */
    public String require(ConfigKey key) {
        return configuration.require(key);
    }

    public int integer(ConfigKey key) {
        return configuration.integer(key);
    }

    public boolean bool(ConfigKey key) {
        return configuration.bool(key);
    }

    public IngestTopics topics() {
        return new IngestTopics(require(ConfigKeys.TOPIC_COMMANDS), require(ConfigKeys.TOPIC_RESULTS),
                require(ConfigKeys.TOPIC_EVENTS), require(ConfigKeys.TOPIC_DEAD_LETTERS));
    }

    /** The four topics of the pipeline, each with exactly 32 partitions, for the check at start. */
    public List<TopicRequirement> requiredTopics() {
        return List.of(ConfigKeys.TOPIC_COMMANDS, ConfigKeys.TOPIC_RESULTS, ConfigKeys.TOPIC_EVENTS,
                ConfigKeys.TOPIC_DEAD_LETTERS).stream().map(key -> TopicRequirement.pipeline(require(key), key))
                .toList();
    }

    /** Whether missing topics are created at start ({@code create-topics}). */
    public TopicCreation topicCreation() {
        return configuration.topicCreation();
    }

    /** Kafka client properties: the bootstrap servers and every passed-through {@code kafka.} property. */
    public Map<String, Object> kafkaProperties() {
        return configuration.kafkaProperties();
    }

    public String workerId() {
        return get(ConfigKeys.WORKER_ID).orElseGet(IngestConfig::defaultWorkerId);
    }

    public WorkerSettings workerSettings() {
        return new WorkerSettings(workerId(), require(ConfigKeys.GROUP_ID), topics(),
                integer(ConfigKeys.CONSUMER_THREADS), integer(ConfigKeys.APPLY_THREADS), integer(ConfigKeys.BATCH_SIZE),
                millis(ConfigKeys.LINGER_MS), millis(ConfigKeys.APPLY_OVERLAP_MS),
                millis(ConfigKeys.MARK_INTERVAL_MS), millis(ConfigKeys.RETRY_INITIAL_MS),
                millis(ConfigKeys.RETRY_MAX_MS), millis(ConfigKeys.PUBLISH_TIMEOUT_MS),
                millis(ConfigKeys.SHUTDOWN_TIMEOUT_MS), millis(ConfigKeys.FENCED_RECHECK_MS), kafkaProperties());
    }

    public DatabaseSettings databaseSettings() {
        return new DatabaseSettings(require(ConfigKeys.DB_URL), get(ConfigKeys.DB_USER).orElse(null),
                get(ConfigKeys.DB_PASSWORD).orElse(null), integer(ConfigKeys.DB_POOL_SIZE),
                millis(ConfigKeys.DB_CONNECTION_TIMEOUT_MS));
    }

    public StoreSettings storeSettings() {
        return new StoreSettings(integer(ConfigKeys.STREAM_CACHE_SIZE));
    }

    /** How often the partition lag gauge is measured. */
    public Duration lagInterval() {
        return millis(ConfigKeys.LAG_INTERVAL_MS);
    }

    /** How long stored outcomes are kept; {@link Duration#ZERO} keeps them forever. */
    public Duration resultRetention() {
        return millis(ConfigKeys.RESULT_RETENTION_MS);
    }

    /** How often the outcomes older than {@link #resultRetention()} are pruned. */
    public Duration pruneInterval() {
        return millis(ConfigKeys.PRUNE_INTERVAL_MS);
    }

    /** The size limits commands must respect, from the {@code max-...} settings. */
    public CommandLimits commandLimits() {
        return new CommandLimits(integer(ConfigKeys.MAX_APPENDS), integer(ConfigKeys.MAX_EVENTS),
                integer(ConfigKeys.MAX_PAYLOAD_BYTES), integer(ConfigKeys.MAX_METADATA_ENTRIES),
                integer(ConfigKeys.MAX_METADATA_CHARS), integer(ConfigKeys.MAX_EVENT_RECORD_BYTES));
    }

    public RegistrySettings registrySettings() {
        return configuration.registrySettings();
    }

    /** Every setting with its value and where it came from, secrets masked: for the log at start. */
    public String describe() {
        return configuration.describe(Map.of(ConfigKeys.WORKER_ID, workerId()));
    }

    /** A value as it may be printed: secrets masked, URLs without the passwords they may carry. */
    public static String printable(ConfigKey key, String value) {
        return key.printable(value);
    }

    private Duration millis(ConfigKey key) {
        return configuration.millis(key);
    }

    private static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "worker";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
