package io.allsource.ingest.settings;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every key of one component, most important first: what its {@code --help} and its README table list, what
 * {@link Configuration#load} reads. Checked when built: names and variables unique, neither mistaken for a Kafka
 * property or the file variable, every default passing its own check, no secret with a default, and the names those
 * that {@link Component} lists for the component. Immutable.
 */
public final class KeyCatalogue {

    private final Component component;
    private final List<ConfigKey> keys;
    private final Map<String, ConfigKey> byName = new LinkedHashMap<>();
    private final Map<String, ConfigKey> byVariable = new LinkedHashMap<>();
    private final Set<String> variablesOfOthers = new HashSet<>();

    /** @throws IllegalStateException naming every key at fault: a mistake in the code, not in the configuration */
    public KeyCatalogue(Component component, List<ConfigKey> keys) {
        this.component = component;
        this.keys = List.copyOf(keys);
        List<String> problems = new ArrayList<>();
        for (ConfigKey key : this.keys) {
            if (byName.put(key.name(), key) != null || byVariable.put(key.environmentVariable(), key) != null) {
                problems.add(key.name() + " is listed twice, or shares its environment variable");
            }
            problems.addAll(problemsOf(key));
        }
        Set<String> missing = new TreeSet<>(component.keyNames());
        missing.removeAll(byName.keySet());
        Set<String> unlisted = new TreeSet<>(byName.keySet());
        unlisted.removeAll(component.keyNames());
        if (!missing.isEmpty() || !unlisted.isEmpty()) {
            problems.add("the keys of " + component + " differ from Component." + component + ": missing " + missing
                    + ", not listed there " + unlisted);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Catalogue of " + component + ": " + String.join("; ", problems));
        }
        component.keyNamesOfOthers().forEach(name -> variablesOfOthers.add(ConfigKey.environmentVariableOf(name)));
    }

    private static List<String> problemsOf(ConfigKey key) {
        List<String> problems = new ArrayList<>();
        if (key.name().startsWith(CommonKeys.KAFKA_PREFIX) || key.environmentVariable().startsWith("INGEST_KAFKA_")
                || key.environmentVariable().equals(ConfigSources.CONFIG_FILE_VARIABLE)) {
            problems.add(key.name() + " would be mistaken for a Kafka property or the properties file");
        }
        if (key.defaultValue() != null) {
            key.check().apply(key.defaultValue())
                    .ifPresent(problem -> problems.add(key.name() + " has a default that fails its check: " + problem));
            if (key.secret()) {
                problems.add(key.name() + " is secret but has a default, which would be printed in the help");
            }
        }
        return problems;
    }

    public Component component() {
        return component;
    }

    /** Every key, most important first. */
    public List<ConfigKey> keys() {
        return keys;
    }

    /** The key named {@code name}, if it is this component's. */
    public Optional<ConfigKey> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The key set by the environment variable {@code variable}, if it is this component's. */
    public Optional<ConfigKey> findByVariable(String variable) {
        return Optional.ofNullable(byVariable.get(variable));
    }

    /** Whether {@code name} is a key of another component only, which a shared file may hold for it. */
    public boolean isKeyOfAnother(String name) {
        return component.keyNamesOfOthers().contains(name);
    }

    /** Whether {@code variable} sets a key of another component only. */
    public boolean isVariableOfAnother(String variable) {
        return variablesOfOthers.contains(variable);
    }
}
