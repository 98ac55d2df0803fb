package io.allsource.ingest.config;

import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.store.DatabaseSettings;
import io.allsource.ingest.store.StoreSettings;
import io.allsource.ingest.topics.IngestTopics;
import io.allsource.ingest.kafka.KafkaSecrets;
import io.allsource.ingest.worker.WorkerSettings;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's configuration, from flags, then {@code INGEST_...} environment variables, then a properties file, then
 * the defaults, in that order of precedence. Every value is checked when loaded, and every problem is reported at once,
 * naming the setting. Immutable.
 */
public final class IngestConfig {

    /** The environment variable that may name the properties file. */
    public static final String CONFIG_FILE_VARIABLE = "INGEST_CONFIG";

    private static final Logger log = LoggerFactory.getLogger(IngestConfig.class);
    /** The source of a setting given blank, already reported. */
    private static final String BLANK = "blank";
    private static final Set<String> IGNORED_VARIABLES = Set.of(CONFIG_FILE_VARIABLE, "INGEST_HOME", "INGEST_DATA");

    private final Map<String, String> values;
    private final Map<String, String> sources;
    private final Map<String, String> kafka;

    private IngestConfig(Map<String, String> values, Map<String, String> sources, Map<String, String> kafka) {
        this.values = values;
        this.sources = sources;
        this.kafka = kafka;
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
        List<String> problems = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        Map<String, String> kafka = new TreeMap<>();
        for (ConfigKey key : ConfigKeys.ALL) {
            if (key.defaultValue() != null) {
                values.put(key.name(), key.defaultValue());
                sources.put(key.name(), "default");
            }
        }
        if (file != null) {
            apply(readFile(file, problems), "file " + file, values, sources, kafka, problems);
        }
        apply(fromEnvironment(environment, kafka, sources), "environment", values, sources, kafka, problems);
        apply(flags, "flag", values, sources, kafka, problems);
        for (ConfigKey key : ConfigKeys.ALL) {
            String value = values.get(key.name());
            if (value == null) {
                if (required.contains(key) && !BLANK.equals(sources.get(key.name()))) {
                    problems.add(key.spellings() + " is required: " + key.description());
                }
                continue;
            }
            key.check().apply(value).ifPresent(problem -> problems.add(key.spellings() + " " + problem));
        }
        if (problems.isEmpty()) {
            checkConnectionsSuffice(values, problems);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new IngestConfig(values, sources, kafka);
    }

    private static void apply(Map<String, String> settings, String source, Map<String, String> values,
            Map<String, String> sources, Map<String, String> kafka, List<String> problems) {
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            String name = setting.getKey().trim();
            if (name.startsWith(ConfigKeys.KAFKA_PREFIX)) {
                kafka.put(name.substring(ConfigKeys.KAFKA_PREFIX.length()), setting.getValue());
                sources.put(name, source);
            } else if (ConfigKeys.ALL.stream().anyMatch(key -> key.name().equals(name))) {
                String value = setting.getValue() == null ? "" : setting.getValue().trim();
                if (value.isEmpty()) {
                    ConfigKey key = keyNamed(name);
                    problems.add(key.spellings() + " " + key.check().apply(value).orElse("is set but empty") + " ("
                            + source + "); give a value, or leave it out for its default");
                    values.remove(name);
                    sources.put(name, BLANK);
                } else {
                    values.put(name, value);
                    sources.put(name, source);
                }
            } else {
                problems.add("unknown setting '" + name + "' (" + source + "); see --help for the settings");
            }
        }
    }

    private static ConfigKey keyNamed(String name) {
        return ConfigKeys.ALL.stream().filter(key -> key.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * Each batch transaction holds a connection; the consumer threads need some too (claims, publication markers), or
     * they would wait for the pool's connection timeout behind the batches.
     */
    private static void checkConnectionsSuffice(Map<String, String> values, List<String> problems) {
        int apply = Integer.parseInt(values.get(ConfigKeys.APPLY_THREADS.name()));
        int pool = Integer.parseInt(values.get(ConfigKeys.DB_POOL_SIZE.name()));
        if (apply >= pool) {
            problems.add(ConfigKeys.APPLY_THREADS.spellings() + " is " + apply + " but must be less than "
                    + ConfigKeys.DB_POOL_SIZE.spellings() + " (" + pool + "): each batch transaction holds a connection"
                    + " and the consumers need at least one more");
        }
    }

    private static Map<String, String> readFile(Path file, List<String> problems) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            problems.add("the properties file " + file + " cannot be read: " + e.getMessage());
        }
        Map<String, String> settings = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(name -> settings.put(name, properties.getProperty(name)));
        return settings;
    }

    /** {@code INGEST_BATCH_SIZE} to {@code batch-size}; {@code INGEST_KAFKA_SECURITY_PROTOCOL} to a Kafka property. */
    private static Map<String, String> fromEnvironment(Map<String, String> environment, Map<String, String> kafka,
            Map<String, String> sources) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKeys.ALL) {
            String value = environment.get(key.environmentVariable());
            if (value != null) {
                settings.put(key.name(), value);
            }
        }
        environment.forEach((variable, value) -> {
            if (variable.startsWith("INGEST_") && !variable.startsWith("INGEST_KAFKA_")
                    && ConfigKeys.ALL.stream().noneMatch(key -> key.environmentVariable().equals(variable))
                    && !IGNORED_VARIABLES.contains(variable) && !variable.startsWith("INGEST_TEST_")) {
                log.warn("Ignoring the environment variable {}: no setting has that name", variable);
            }
            if (variable.startsWith("INGEST_KAFKA_")) {
                String property = variable.substring("INGEST_KAFKA_".length()).toLowerCase(Locale.ROOT)
                        .replace('_', '.');
                kafka.put(property, value);
                sources.put(ConfigKeys.KAFKA_PREFIX + property, "environment");
            }
        });
        return settings;
    }

    public Optional<String> get(ConfigKey key) {
        return Optional.ofNullable(values.get(key.name()));
    }

    public String require(ConfigKey key) {
        String value = values.get(key.name());
        if (value == null) {
            throw new ConfigException(List.of(key.spellings() + " is required: " + key.description()));
        }
        return value;
    }

    public int integer(ConfigKey key) {
        return Integer.parseInt(require(key).trim());
    }

    public boolean bool(ConfigKey key) {
        return Boolean.parseBoolean(require(key).trim());
    }

    private Duration millis(ConfigKey key) {
        return Duration.ofMillis(Long.parseLong(require(key).trim()));
    }

    public IngestTopics topics() {
        return new IngestTopics(require(ConfigKeys.TOPIC_COMMANDS), require(ConfigKeys.TOPIC_RESULTS),
                require(ConfigKeys.TOPIC_EVENTS), require(ConfigKeys.TOPIC_DEAD_LETTERS));
    }

    /** Kafka client properties: the bootstrap servers and every passed-through {@code kafka.} property. */
    public Map<String, Object> kafkaProperties() {
        Map<String, Object> properties = new LinkedHashMap<>(kafka);
        properties.put("bootstrap.servers", require(ConfigKeys.BOOTSTRAP_SERVERS));
        return properties;
    }

    public String workerId() {
        return get(ConfigKeys.WORKER_ID).orElseGet(IngestConfig::defaultWorkerId);
    }

    public WorkerSettings workerSettings() {
        return new WorkerSettings(workerId(), require(ConfigKeys.GROUP_ID), topics(),
                integer(ConfigKeys.CONSUMER_THREADS), integer(ConfigKeys.APPLY_THREADS), integer(ConfigKeys.BATCH_SIZE),
                millis(ConfigKeys.LINGER_MS),
                millis(ConfigKeys.MARK_INTERVAL_MS), millis(ConfigKeys.RETRY_INITIAL_MS),
                millis(ConfigKeys.RETRY_MAX_MS), millis(ConfigKeys.PUBLISH_TIMEOUT_MS),
                millis(ConfigKeys.SHUTDOWN_TIMEOUT_MS), millis(ConfigKeys.FENCED_RECHECK_MS), kafkaProperties());
    }

    public DatabaseSettings databaseSettings() {
        return new DatabaseSettings(require(ConfigKeys.DB_URL), get(ConfigKeys.DB_USER).orElse(null),
                get(ConfigKeys.DB_PASSWORD).orElse(null), integer(ConfigKeys.DB_POOL_SIZE), Duration.ofSeconds(10));
    }

    public StoreSettings storeSettings() {
        return new StoreSettings(integer(ConfigKeys.STREAM_CACHE_SIZE));
    }

    public RegistrySettings registrySettings() {
        RegistrySettings settings = RegistrySettings.of(require(ConfigKeys.REGISTRY_URL));
        if (get(ConfigKeys.REGISTRY_BASIC_AUTH).isPresent()) {
            settings = settings.withBasicAuth(require(ConfigKeys.REGISTRY_BASIC_AUTH));
        }
        if (get(ConfigKeys.REGISTRY_TRUSTSTORE).isPresent()) {
            settings = settings.withTrustStore(Path.of(require(ConfigKeys.REGISTRY_TRUSTSTORE)),
                    get(ConfigKeys.REGISTRY_TRUSTSTORE_PASSWORD).orElse(null),
                    require(ConfigKeys.REGISTRY_TRUSTSTORE_TYPE));
        }
        return settings;
    }

    /** Every setting with its value and where it came from, secrets masked: for the log at start. */
    public String describe() {
        StringBuilder text = new StringBuilder("Configuration:");
        for (ConfigKey key : ConfigKeys.ALL) {
            String value = key.name().equals(ConfigKeys.WORKER_ID.name()) ? workerId() : values.get(key.name());
            String shown = value == null ? "(not set)" : key.secret() ? "****" : printable(key, value);
            text.append("\n  ").append(key.name()).append(" = ").append(shown)
                    .append("  [").append(sources.getOrDefault(key.name(), "default")).append(']');
        }
        kafka.forEach((property, value) -> text.append("\n  ").append(ConfigKeys.KAFKA_PREFIX).append(property)
                .append(" = ").append(KafkaSecrets.isSecret(property) ? "****" : value)
                .append("  [").append(sources.get(ConfigKeys.KAFKA_PREFIX + property)).append(']'));
        return text.toString();
    }

    /** A value as it may be printed: URLs without the passwords they may carry. */
    public static String printable(ConfigKey key, String value) {
        if (key.equals(ConfigKeys.DB_URL)) {
            return DatabaseSettings.maskPassword(value);
        }
        if (key.equals(ConfigKeys.REGISTRY_URL)) {
            return RegistrySettings.maskUserInfo(value);
        }
        return value;
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
