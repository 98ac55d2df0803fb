package io.allsource.ingest.settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * The checks a {@link ConfigKey} runs on its value. Each returns why a value is not acceptable, or empty; the message
 * follows the key's spellings, as in {@code --batch-size / INGEST_BATCH_SIZE / batch-size must be between 1 and ...}.
 */
public final class ConfigChecks {

    private ConfigChecks() {
    }

    /** Accepts any value. */
    public static Function<String, Optional<String>> any() {
        return value -> Optional.empty();
    }

    /** A whole number from {@code min} to {@code max}. */
    public static Function<String, Optional<String>> integer(long min, long max) {
        return value -> {
            try {
                long number = Long.parseLong(value.trim());
                return number < min || number > max
                        ? Optional.of("must be between " + min + " and " + max + ", got " + value)
                        : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.of("must be a whole number, got '" + value + "'");
            }
        };
    }

    /** {@code true} or {@code false}, in any case. */
    public static Function<String, Optional<String>> bool() {
        return value -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? Optional.empty()
                : Optional.of("must be true or false, got '" + value + "'");
    }

    /** A value that starts with one of {@code prefixes}. */
    public static Function<String, Optional<String>> startsWith(String... prefixes) {
        return value -> Arrays.stream(prefixes).anyMatch(value::startsWith) ? Optional.empty()
                : Optional.of("must start with " + String.join(" or ", prefixes) + ", got '" + value + "'");
    }

    /**
     * A PostgreSQL JDBC URL the driver can parse: {@code jdbc:postgresql:database} or
     * {@code jdbc:postgresql://host[:port][,host[:port]...]/database}, parameters after {@code ?}. Checked here
     * because the driver logs a URL it cannot parse (at WARNING, password parameters included) and puts it in its
     * exception's message; the problem this returns quotes the value with its passwords masked.
     */
    public static Function<String, Optional<String>> postgresJdbcUrl() {
        return value -> {
            int query = value.indexOf('?');
            String server = query < 0 ? value : value.substring(0, query);
            String got = ", got '" + ConfigKey.maskCredentials(value) + "'";
            if (!server.startsWith("jdbc:postgresql:")) {
                return Optional.of("must start with jdbc:postgresql:" + got);
            }
            String rest = server.substring("jdbc:postgresql:".length());
            if (rest.startsWith("//") && !rest.equals("//") && rest.chars().filter(ch -> ch == '/').count() != 3) {
                return Optional.of("must be jdbc:postgresql://host:port/database (parameters after ?): one / between"
                        + " the host and port and the database, none after it" + got);
            }
            return Optional.empty();
        };
    }

    /** An {@code http://} or {@code https://} URL that names a host. */
    public static Function<String, Optional<String>> httpUrl() {
        return value -> startsWith("http://", "https://").apply(value).or(() -> {
            try {
                return new URI(value).getHost() == null ? Optional.of("names no host: '" + value + "'")
                        : Optional.empty();
            } catch (URISyntaxException e) {
                return Optional.of("is not a valid URL: " + e.getReason());
            }
        });
    }

    /** -1 (the broker's default) or 1 to 16: Kafka refuses 0. */
    public static Function<String, Optional<String>> replicationFactor() {
        return value -> integer(-1, 16).apply(value).or(() -> Long.parseLong(value.trim()) == 0
                ? Optional.of("must be -1 (the broker's default) or at least 1, got 0") : Optional.empty());
    }

    /** {@code user:password}; the message never repeats the value, which holds a password. */
    public static Function<String, Optional<String>> userInfo() {
        return value -> value.indexOf(':') > 0 ? Optional.empty()
                : Optional.of("must be user:password (the value is not shown)");
    }

    /** A name Kafka accepts for a topic (and for a Kafka Streams application id). */
    public static Function<String, Optional<String>> topicName() {
        return value -> value.matches("[a-zA-Z0-9._-]{1,249}") ? Optional.empty()
                : Optional.of("must be a Kafka topic name (letters, digits, '.', '_', '-'), got '" + value + "'");
    }

    /** A host name or address that names one host: not a wildcard such as {@code 0.0.0.0}. */
    public static Function<String, Optional<String>> specificHost() {
        return value -> value.equals("0.0.0.0") || value.equals("::") || value.equals("[::]")
                ? Optional.of("must name one host as others reach it, not the wildcard '" + value + "'")
                : Optional.empty();
    }

    /** One of {@code choices}, in any case. */
    public static Function<String, Optional<String>> oneOf(String... choices) {
        return value -> Arrays.stream(choices).anyMatch(value::equalsIgnoreCase) ? Optional.empty()
                : Optional.of("must be one of " + String.join(", ", choices) + ", got '" + value + "'");
    }
}
