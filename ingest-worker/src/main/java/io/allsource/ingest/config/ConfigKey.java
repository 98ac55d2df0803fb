package io.allsource.ingest.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One setting of the pipeline: its name (the properties-file key and, with {@code --}, the flag), the environment
 * variable that can set it, its default, whether it is a secret (never printed), a one-line description, and the check
 * its value must pass.
 *
 * @param check returns why a value is not acceptable, or empty
 */
public record ConfigKey(String name, String defaultValue, boolean secret, String description,
        Function<String, Optional<String>> check) {

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(check, "check");
    }

    /** {@code --batch-size} for {@code batch-size}. */
    public String flag() {
        return "--" + name;
    }

    /** {@code INGEST_BATCH_SIZE} for {@code batch-size}. */
    public String environmentVariable() {
        return "INGEST_" + name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    /** How the key is named in messages: all three spellings, so that the user finds the one they used. */
    public String spellings() {
        return flag() + " / " + environmentVariable() + " / " + name;
    }
}
