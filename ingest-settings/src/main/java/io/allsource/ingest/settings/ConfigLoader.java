package io.allsource.ingest.settings;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one component's settings from its {@link ConfigSources}, lowest precedence first, collecting every problem:
 * the machinery behind {@link Configuration#load}. The rules, the same for every component: a key given blank is an
 * error (give a value, or leave it out for its default); a name that no component has is an error; a key of another
 * component is passed over in the file and the environment, which components share, but not in flags, which are
 * each component's own. Not thread-safe; one use.
 */
final class ConfigLoader {

    /** The source of a key given blank, already reported. */
    static final String BLANK = "blank";

    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);
    private static final String KAFKA_VARIABLE = "INGEST_KAFKA_";
    /** Variables of the launcher script and the tests, which are not settings. */
    private static final Set<String> IGNORED_VARIABLES = Set.of(ConfigSources.CONFIG_FILE_VARIABLE, "INGEST_HOME",
            "INGEST_DATA");

    /** Whether a source is shared with other components, which may hold their keys in it. */
    private enum Scope { SHARED, OWN }

    private final KeyCatalogue catalogue;
    final Map<String, String> values = new LinkedHashMap<>();
    final Map<String, String> sources = new LinkedHashMap<>();
    final Map<String, String> kafka = new TreeMap<>();
    final Set<String> passedOver = new TreeSet<>();
    final List<String> problems = new ArrayList<>();

    ConfigLoader(KeyCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /** Reads every source, each overriding what the ones beneath it gave. */
    void read(ConfigSources given) {
        for (ConfigKey key : catalogue.keys()) {
            if (key.defaultValue() != null) {
                values.put(key.name(), key.defaultValue());
                sources.put(key.name(), "default");
            }
        }
        apply(given.launcherDefaults(), "launcher", Scope.OWN);
        given.file().ifPresent(file -> apply(readFile(file), "file " + file, Scope.SHARED));
        apply(fromEnvironment(given.environment()), "environment", Scope.SHARED);
        apply(given.flags(), "flag", Scope.OWN);
    }

    /** Checks every value, and that each of {@code required} has one. */
    void check(List<ConfigKey> required) {
        for (ConfigKey key : catalogue.keys()) {
            String value = values.get(key.name());
            if (value == null) {
                if (required.contains(key) && !BLANK.equals(sources.get(key.name()))) {
                    problems.add(key.spellings() + " is required: " + key.description());
                }
                continue;
            }
            key.check().apply(value).ifPresent(problem -> problems.add(key.spellings() + " "
                    + problem.replace(value, key.printable(value))));
        }
    }

    private void apply(Map<String, String> settings, String source, Scope scope) {
        settings.forEach((given, value) -> {
            String name = given.trim();
            if (name.startsWith(CommonKeys.KAFKA_PREFIX) && name.length() > CommonKeys.KAFKA_PREFIX.length()) {
                kafka.put(name.substring(CommonKeys.KAFKA_PREFIX.length()), value);
                sources.put(name, source);
            } else if (catalogue.find(name).isPresent()) {
                own(catalogue.find(name).get(), value == null ? "" : value.trim(), source);
            } else if (scope == Scope.SHARED && catalogue.isKeyOfAnother(name)) {
                passedOver.add(name);
            } else {
                problems.add("unknown setting '" + name + "' (" + source + "); see --help for the settings");
            }
        });
    }

    private void own(ConfigKey key, String value, String source) {
        if (value.isEmpty()) {
            problems.add(key.spellings() + " " + key.check().apply(value).orElse("is set but empty") + " (" + source
                    + "); give a value, or leave it out for its default");
            values.remove(key.name());
            sources.put(key.name(), BLANK);
        } else {
            values.put(key.name(), value);
            sources.put(key.name(), source);
        }
    }

    private Map<String, String> readFile(Path file) {
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

    /**
     * The component's keys and the Kafka properties set in the environment, by name: {@code INGEST_BATCH_SIZE} as
     * {@code batch-size}, {@code INGEST_KAFKA_SECURITY_PROTOCOL} as {@code kafka.security.protocol}. Other
     * {@code INGEST_} variables that set no key of any component are passed over with a warning.
     */
    private Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> settings = new LinkedHashMap<>();
        environment.forEach((variable, value) -> {
            if (variable.startsWith(KAFKA_VARIABLE) && variable.length() > KAFKA_VARIABLE.length()) {
                settings.put(CommonKeys.KAFKA_PREFIX + variable.substring(KAFKA_VARIABLE.length())
                        .toLowerCase(Locale.ROOT).replace('_', '.'), value);
            } else if (catalogue.findByVariable(variable).isPresent()) {
                settings.put(catalogue.findByVariable(variable).get().name(), value);
            } else if (variable.startsWith("INGEST_") && !catalogue.isVariableOfAnother(variable)
                    && !IGNORED_VARIABLES.contains(variable) && !variable.startsWith("INGEST_TEST_")) {
                log.warn("Ignoring the environment variable {}: no setting has that name", variable);
            }
        });
        return settings;
    }
}
