package io.allsource.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.allsource.ingest.settings.ConfigException;
import io.allsource.ingest.settings.ConfigKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shared inputs of the configuration tests: a valid connection (broker, database, registry), properties files written
 * to a temporary directory, and the lines of {@link IngestConfig#describe()}. The environment is always a map given by
 * the test, never the real one.
 */
final class ConfigFixtures {

    /** What the worker needs to start: the three things it connects to. */
    static final List<ConfigKey> REQUIRED =
            List.of(ConfigKeys.BOOTSTRAP_SERVERS, ConfigKeys.DB_URL, ConfigKeys.REGISTRY_URL);

    static final String BOOTSTRAP = "broker-1:9092,broker-2:9092";
    static final String DB_URL = "jdbc:postgresql://db:5432/ingest";
    static final String REGISTRY_URL = "http://registry:8081";

    private ConfigFixtures() {
    }

    /** Flags that satisfy {@link #REQUIRED}, plus {@code extra} (name, value, name, value, ...), in order. */
    static Map<String, String> connectionFlags(String... extra) {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("bootstrap-servers", BOOTSTRAP);
        flags.put("db-url", DB_URL);
        flags.put("registry-url", REGISTRY_URL);
        flags.putAll(pairs(extra));
        return flags;
    }

    /** A mutable map of name, value, name, value, ... */
    static Map<String, String> pairs(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    /** Loads flags and environment, no file, with {@link #REQUIRED}. */
    static IngestConfig load(Map<String, String> flags, Map<String, String> environment) {
        return IngestConfig.load(flags, environment, null, REQUIRED);
    }

    /** Loads and expects a {@link ConfigException}. */
    static ConfigException loadFails(Map<String, String> flags, Map<String, String> environment, Path file,
            List<ConfigKey> required) {
        ConfigException failure = catchThrowableOfType(ConfigException.class,
                () -> IngestConfig.load(flags, environment, file, required));
        assertThat(failure).as("a ConfigException from loading flags %s, environment %s, file %s", flags,
                environment, file).isNotNull();
        return failure;
    }

    /** Writes {@code lines} to {@code ingest.properties} in {@code directory}. */
    static Path propertiesFile(Path directory, String... lines) {
        Path file = directory.resolve("ingest.properties");
        try {
            return Files.write(file, List.of(lines));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The line of {@code describe()} for {@code name}, without its indentation, such as {@code batch-size = 500  [default]}. */
    static String describedLine(IngestConfig config, String name) {
        List<String> lines = config.describe().lines().map(String::strip)
                .filter(line -> line.startsWith(name + " = "))
                .toList();
        assertThat(lines).as("lines of describe() for %s", name).hasSize(1);
        return lines.get(0);
    }
}
