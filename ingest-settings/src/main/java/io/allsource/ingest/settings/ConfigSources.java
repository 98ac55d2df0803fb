package io.allsource.ingest.settings;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a component's settings come from, in order of precedence: flags, then {@code INGEST_...} environment
 * variables, then a properties file, then defaults given by the launcher (such as the endpoints of the pipeline that
 * {@code ingest run} started), then the keys' own defaults. Names are keys without {@code --}; Kafka client properties
 * carry the prefix {@code kafka.}. Immutable.
 *
 * @param flags            settings given on the command line, by name
 * @param environment      the process environment
 * @param file             a properties file, or empty
 * @param launcherDefaults values by name beneath the file
 */
public record ConfigSources(Map<String, String> flags, Map<String, String> environment, Optional<Path> file,
        Map<String, String> launcherDefaults) {

    /** The environment variable that may name the properties file. */
    public static final String CONFIG_FILE_VARIABLE = "INGEST_CONFIG";

    public ConfigSources {
        flags = Collections.unmodifiableMap(new LinkedHashMap<>(flags));
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        launcherDefaults = Collections.unmodifiableMap(new LinkedHashMap<>(launcherDefaults));
    }

    /** Flags, environment and a properties file ({@code null}: none), no launcher defaults. */
    public static ConfigSources of(Map<String, String> flags, Map<String, String> environment, Path file) {
        return new ConfigSources(flags, environment, Optional.ofNullable(file), Map.of());
    }

    /** The same sources with {@code defaults} beneath the file. */
    public ConfigSources withLauncherDefaults(Map<String, String> defaults) {
        return new ConfigSources(flags, environment, file, defaults);
    }

    /** The properties file given by {@code --config} ({@code null}: not given), else by {@value #CONFIG_FILE_VARIABLE}. */
    public static Optional<Path> configFile(Path given, Map<String, String> environment) {
        return Optional.ofNullable(given).or(() -> Optional.ofNullable(environment.get(CONFIG_FILE_VARIABLE))
                .map(Path::of));
    }
}
