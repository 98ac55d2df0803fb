package io.allsource.ingest.views;

import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.views.ViewsSettings.TopicCreation;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Reads {@link ViewsSettings} from text: flags win over {@code INGEST_...} environment variables, which win over a
 * properties file, which wins over the defaults; keys as in {@link ViewsOption}, Kafka client properties with the
 * prefix {@code kafka.} (as variables {@code INGEST_KAFKA_...}, lower-cased with dots). Every problem is reported at
 * once, naming its key.
 */
public final class ViewsConfig {

    private ViewsConfig() {
    }

    /**
     * @param flags       values by key, as given on the command line
     * @param environment the process environment
     * @param file        a properties file, or {@code null}
     */
    public static ViewsSettings load(Map<String, String> flags, Map<String, String> environment, Path file) {
        return load(flags, environment, file, Map.of());
    }

    /**
     * Like {@link #load(Map, Map, Path)}, with {@code defaults} (values by key) beneath the file: how a launcher that
     * knows its pipeline (such as the command line reading {@code .ingest/endpoints.properties}) fills in what the
     * user did not give.
     */
    public static ViewsSettings load(Map<String, String> flags, Map<String, String> environment, Path file,
            Map<String, String> defaults) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        values.putAll(readFile(file));
        environment.forEach((variable, value) -> keyOfVariable(variable).ifPresent(key -> values.put(key, value)));
        values.putAll(flags);
        return settings(values);
    }

    /** Settings from values by key; keys that are absent take their defaults. */
    public static ViewsSettings settings(Map<String, String> values) {
        Parser parser = new Parser(values);
        Map<String, Object> kafka = new HashMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(ViewsOption.KAFKA_PREFIX)) {
                kafka.put(key.substring(ViewsOption.KAFKA_PREFIX.length()), value);
            }
        });
        parser.text(ViewsOption.BOOTSTRAP_SERVERS).ifPresent(servers -> kafka.put("bootstrap.servers", servers));
        if (!kafka.containsKey("bootstrap.servers")) {
            parser.problem(ViewsOption.BOOTSTRAP_SERVERS.key() + " is required");
        }
        RegistrySettings registry = parser.registry();
        String httpHost = parser.text(ViewsOption.HTTP_HOST).orElseThrow();
        int port = parser.integer(ViewsOption.HTTP_PORT);
        String advertised = parser.text(ViewsOption.ADVERTISED_HOST).orElse(null);
        int threads = parser.integer(ViewsOption.THREADS);
        long commitMs = parser.longValue(ViewsOption.COMMIT_INTERVAL_MS);
        long cacheBytes = parser.longValue(ViewsOption.CACHE_BYTES);
        long retentionHours = parser.longValue(ViewsOption.WINDOW_RETENTION_HOURS);
        boolean create = parser.bool(ViewsOption.CREATE_TOPICS);
        int replication = parser.integer(ViewsOption.TOPIC_REPLICATION_FACTOR);
        parser.throwIfProblems();
        try {
            ViewsSettings settings = ViewsSettings.defaults(kafka, registry)
                    .withApplicationId(parser.text(ViewsOption.APPLICATION_ID).orElseThrow())
                    .withTopics(new ViewsTopics(parser.text(ViewsOption.TOPIC_EVENTS).orElseThrow(),
                            parser.text(ViewsOption.TOPIC_ALERTS).orElseThrow()))
                    .withStateDirectory(Path.of(parser.text(ViewsOption.STATE_DIR).orElseThrow()))
                    .withHttp(httpHost, port)
                    .withProcessing(threads, Duration.ofMillis(commitMs), cacheBytes)
                    .withWindowRetention(Duration.ofHours(retentionHours))
                    .withAlertsTopic(create ? TopicCreation.CREATE_MISSING : TopicCreation.REQUIRE_EXISTING,
                            (short) replication);
            return advertised == null ? settings : settings.withAdvertisedHost(advertised);
        } catch (IllegalArgumentException e) {
            throw new ViewsConfigException(List.of(e.getMessage()));
        }
    }

    /** The key of an {@code INGEST_...} variable, if it names one of the views' settings or a Kafka property. */
    static Optional<String> keyOfVariable(String variable) {
        for (ViewsOption option : ViewsOption.values()) {
            if (option.environmentVariable().equals(variable)) {
                return Optional.of(option.key());
            }
        }
        String kafkaVariable = "INGEST_KAFKA_";
        if (variable.startsWith(kafkaVariable) && variable.length() > kafkaVariable.length()) {
            return Optional.of(ViewsOption.KAFKA_PREFIX
                    + variable.substring(kafkaVariable.length()).toLowerCase(Locale.ROOT).replace('_', '.'));
        }
        return Optional.empty();
    }

    private static Map<String, String> readFile(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        if (file == null) {
            return values;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ViewsConfigException(List.of("Cannot read the properties file " + file + ": " + e));
        }
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name).trim()));
        return values;
    }

    /** Reads typed values, collecting every problem. */
    private static final class Parser {

        private final Map<String, String> values;
        private final List<String> problems = new ArrayList<>();

        Parser(Map<String, String> values) {
            this.values = values;
        }

        Optional<String> text(ViewsOption option) {
            String value = values.get(option.key());
            if (value == null || value.isBlank()) {
                value = option.defaultValue();
            }
            return Optional.ofNullable(value).map(String::trim);
        }

        int integer(ViewsOption option) {
            long value = longValue(option);
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                problems.add(option.key() + " is out of range: " + value);
                return 0;
            }
            return (int) value;
        }

        long longValue(ViewsOption option) {
            String text = text(option).orElse("0");
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                problems.add(option.key() + " must be a whole number, got '" + text + "'");
                return 0;
            }
        }

        boolean bool(ViewsOption option) {
            String text = text(option).orElse("false").toLowerCase(Locale.ROOT);
            if (!text.equals("true") && !text.equals("false")) {
                problems.add(option.key() + " must be true or false, got '" + text + "'");
            }
            return text.equals("true");
        }

        RegistrySettings registry() {
            Optional<String> url = text(ViewsOption.REGISTRY_URL);
            if (url.isEmpty()) {
                problems.add(ViewsOption.REGISTRY_URL.key() + " is required");
                return null;
            }
            try {
                RegistrySettings registry = RegistrySettings.of(url.get());
                Optional<String> auth = text(ViewsOption.REGISTRY_BASIC_AUTH);
                if (auth.isPresent()) {
                    registry = registry.withBasicAuth(auth.get());
                }
                Optional<String> trustStore = text(ViewsOption.REGISTRY_TRUSTSTORE);
                if (trustStore.isPresent()) {
                    registry = registry.withTrustStore(Path.of(trustStore.get()),
                            text(ViewsOption.REGISTRY_TRUSTSTORE_PASSWORD).orElse(null),
                            text(ViewsOption.REGISTRY_TRUSTSTORE_TYPE).orElseThrow());
                }
                return registry;
            } catch (IllegalArgumentException e) {
                problems.add(ViewsOption.REGISTRY_URL.key() + ": " + e.getMessage());
                return null;
            }
        }

        void problem(String problem) {
            problems.add(problem);
        }

        void throwIfProblems() {
            if (!problems.isEmpty()) {
                throw new ViewsConfigException(problems);
            }
        }
    }
}
