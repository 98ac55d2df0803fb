package io.allsource.ingest.settings;

import io.allsource.ingest.kafka.KafkaSecrets;
import io.allsource.ingest.registry.RegistrySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The settings of one component, read from its {@link ConfigSources} in their order of precedence and checked: every
 * problem is reported at once, each naming its key in all its spellings. Builds what every component builds the same
 * way from its settings: the Kafka client properties, the schema registry settings, the topic creation. Immutable.
 */
public final class Configuration {

    private final KeyCatalogue catalogue;
    private final Map<String, String> values;
    private final Map<String, String> sources;
    private final Map<String, String> kafka;
    private final Set<String> passedOver;

    private Configuration(ConfigLoader loader, KeyCatalogue catalogue) {
        this.catalogue = catalogue;
        this.values = Map.copyOf(loader.values);
        this.sources = Map.copyOf(loader.sources);
        this.kafka = Collections.unmodifiableMap(new LinkedHashMap<>(loader.kafka));
        this.passedOver = Set.copyOf(loader.passedOver);
    }

    /**
     * Reads and checks the settings of {@code catalogue}'s component.
     *
     * @param required keys that must have a value
     * @throws ConfigException naming every key at fault
     */
    public static Configuration load(KeyCatalogue catalogue, ConfigSources sources, List<ConfigKey> required) {
        ConfigLoader loader = new ConfigLoader(catalogue);
        loader.read(sources);
        loader.check(required);
        if (!loader.problems.isEmpty()) {
            throw new ConfigException(loader.problems);
        }
        return new Configuration(loader, catalogue);
    }

    public KeyCatalogue catalogue() {
        return catalogue;
    }

    /** The value of {@code key}, if it has one (given, or its default). */
    public Optional<String> get(ConfigKey key) {
        return Optional.ofNullable(values.get(own(key).name()));
    }

    /** @throws ConfigException naming the key and what it means when it has no value */
    public String require(ConfigKey key) {
        return get(key).orElseThrow(() -> new ConfigException(
                List.of(key.spellings() + " is required: " + key.description())));
    }

    public int integer(ConfigKey key) {
        return Integer.parseInt(require(key));
    }

    public long longValue(ConfigKey key) {
        return Long.parseLong(require(key));
    }

    public boolean bool(ConfigKey key) {
        return Boolean.parseBoolean(require(key));
    }

    /** A value in milliseconds, as a duration. */
    public Duration millis(ConfigKey key) {
        return Duration.ofMillis(longValue(key));
    }

    /** Where the value of {@code key} came from: {@code flag}, {@code environment}, {@code file ...}, ... */
    public String source(ConfigKey key) {
        return sources.getOrDefault(own(key).name(), "default");
    }

    /** Kafka client properties: the bootstrap servers and every property passed through with {@code kafka.}. */
    public Map<String, Object> kafkaProperties() {
        Map<String, Object> properties = new LinkedHashMap<>(kafka);
        properties.put("bootstrap.servers", require(CommonKeys.BOOTSTRAP_SERVERS));
        return properties;
    }

    /** The Kafka client property {@code name} as passed through ({@code kafka.name}), if it was. */
    public Optional<String> kafkaProperty(String name) {
        return Optional.ofNullable(kafka.get(name));
    }

    /** The schema registry: its URL, and basic auth and a trust store when they are set. */
    public RegistrySettings registrySettings() {
        RegistrySettings settings = RegistrySettings.of(require(CommonKeys.REGISTRY_URL));
        if (get(CommonKeys.REGISTRY_BASIC_AUTH).isPresent()) {
            settings = settings.withBasicAuth(require(CommonKeys.REGISTRY_BASIC_AUTH));
        }
        if (get(CommonKeys.REGISTRY_TRUSTSTORE).isPresent()) {
            settings = settings.withTrustStore(Path.of(require(CommonKeys.REGISTRY_TRUSTSTORE)),
                    get(CommonKeys.REGISTRY_TRUSTSTORE_PASSWORD).orElse(null),
                    require(CommonKeys.REGISTRY_TRUSTSTORE_TYPE));
        }
        return settings;
    }

    /** Whether missing topics are created at start ({@code create-topics}). */
    public TopicCreation topicCreation() {
        return bool(CommonKeys.CREATE_TOPICS) ? TopicCreation.CREATE_MISSING : TopicCreation.REQUIRE_EXISTING;
    }

    /** Every setting with its value and where it came from, secrets masked: for the log at start. */
    public String describe() {
        return describe(Map.of());
    }

    /**
     * Like {@link #describe()}, showing for keys without a value the value the component derives instead, such as
     * the worker id made of host name and process id.
     */
    public String describe(Map<ConfigKey, String> derived) {
        StringBuilder text = new StringBuilder("Configuration:");
        for (ConfigKey key : catalogue.keys()) {
            String value = values.getOrDefault(key.name(), derived.get(key));
            text.append("\n  ").append(key.name()).append(" = ")
                    .append(value == null ? "(not set)" : key.printable(value))
                    .append("  [").append(source(key)).append(']');
        }
        kafka.forEach((property, value) -> text.append("\n  ").append(CommonKeys.KAFKA_PREFIX).append(property)
                .append(" = ").append(KafkaSecrets.isSecret(property) ? ConfigKey.MASK
                        : ConfigKey.maskCredentials(value))
                .append("  [").append(sources.get(CommonKeys.KAFKA_PREFIX + property)).append(']'));
        if (!passedOver.isEmpty()) {
            text.append("\n  (passed over, for other components: ").append(String.join(", ", passedOver.stream()
                    .sorted().toList())).append(')');
        }
        return text.toString();
    }

    private ConfigKey own(ConfigKey key) {
        if (catalogue.find(key.name()).isEmpty()) {
            throw new IllegalArgumentException(key.name() + " is not a key of " + catalogue.component());
        }
        return key;
    }
}
