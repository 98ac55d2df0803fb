package io.allsource.ingest.settings;

import io.allsource.ingest.registry.RegistrySettings;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One setting of a component of the pipeline: its name (the properties-file key and, with {@code --}, the flag), its
 * default, whether it is a secret (never printed), a one-line description, and the check its value must pass. The
 * environment variable that sets it follows from the name. Immutable.
 *
 * @param defaultValue the value when none is given, or {@code null} when there is none
 * @param check        returns why a value is not acceptable, or empty
 */
public record ConfigKey(String name, String defaultValue, boolean secret, String description,
        Function<String, Optional<String>> check) {

    /** How a secret value is printed. */
    public static final String MASK = "****";

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
        return environmentVariableOf(name);
    }

    /** How the key is named in messages: all three spellings, so that the user finds the one they used. */
    public String spellings() {
        return flag() + " / " + environmentVariable() + " / " + name;
    }

    /** The line of {@code --help}: what it means, whether it is secret, its variable and its default. */
    public String help() {
        return description() + (secret ? ", secret: never printed" : "") + " (" + environmentVariable()
                + (defaultValue == null ? "" : ", default " + defaultValue) + ")";
    }

    /** The key's row in a README's settings table: flag, variable, default, meaning. */
    public String markdownRow() {
        return "| `" + flag() + "` | `" + environmentVariable() + "` | "
                + (defaultValue == null ? "" : "`" + defaultValue + "`") + " | " + description
                + (secret ? " (secret: never printed)" : "") + " |";
    }

    /**
     * {@code value} as it may be printed: a secret as {@value #MASK}, any other value with the passwords a URL may
     * carry ({@code https://user:password@host}, {@code ?password=...}) masked.
     */
    public String printable(String value) {
        if (value == null || secret) {
            return value == null ? null : MASK;
        }
        return maskCredentials(value);
    }

    /**
     * {@code text} with the passwords of URLs in it masked: {@code https://user:****@host}, {@code ?password=****},
     * and any other parameter whose name ends in {@code password} ({@code &sslpassword=****}).
     */
    public static String maskCredentials(String text) {
        return text == null ? null
                : RegistrySettings.maskUserInfo(text).replaceAll("(?i)([?&;][^&#;=?]*password=)[^&#;]*", "$1" + MASK);
    }

    /** The environment variable of a key named {@code name}: {@code INGEST_} and the name in capitals. */
    public static String environmentVariableOf(String name) {
        return "INGEST_" + name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }
}
