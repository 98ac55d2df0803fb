package io.allsource.ingest.config;

import java.util.Optional;
import java.util.function.Function;

/** The checks settings use. */
final class ConfigChecks {

    private ConfigChecks() {
    }

    static Function<String, Optional<String>> any() {
        return value -> Optional.empty();
    }

    static Function<String, Optional<String>> integer(long min, long max) {
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

    static Function<String, Optional<String>> bool() {
        return value -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? Optional.empty()
                : Optional.of("must be true or false, got '" + value + "'");
    }

    static Function<String, Optional<String>> startsWith(String... prefixes) {
        return value -> {
            for (String prefix : prefixes) {
                if (value.startsWith(prefix)) {
                    return Optional.empty();
                }
            }
            return Optional.of("must start with " + String.join(" or ", prefixes) + ", got '" + value + "'");
        };
    }

    static Function<String, Optional<String>> httpUrl() {
        return value -> {
            if (!value.startsWith("http://") && !value.startsWith("https://")) {
                return Optional.of("must start with http:// or https://, got '" + value + "'");
            }
            try {
                java.net.URI uri = new java.net.URI(value);
                return uri.getHost() == null ? Optional.of("names no host: '" + value + "'") : Optional.empty();
            } catch (java.net.URISyntaxException e) {
                return Optional.of("is not a valid URL: " + e.getReason());
            }
        };
    }

    /** -1 (the broker's default) or 1 to 16: Kafka refuses 0. */
    static Function<String, Optional<String>> replicationFactor() {
        return value -> integer(-1, 16).apply(value).or(() -> Long.parseLong(value.trim()) == 0
                ? Optional.of("must be -1 (the broker's default) or at least 1, got 0") : Optional.empty());
    }

    /** {@code user:password}; the message never repeats the value, which holds a password. */
    static Function<String, Optional<String>> userInfo() {
        return value -> value.indexOf(':') > 0 ? Optional.empty()
                : Optional.of("must be user:password (the value is not shown)");
    }

    static Function<String, Optional<String>> topicName() {
        return value -> value.matches("[a-zA-Z0-9._-]{1,249}") ? Optional.empty()
                : Optional.of("must be a Kafka topic name (letters, digits, '.', '_', '-'), got '" + value + "'");
    }

    static Function<String, Optional<String>> oneOf(String... choices) {
        return value -> {
            for (String choice : choices) {
                if (choice.equalsIgnoreCase(value)) {
                    return Optional.empty();
                }
            }
            return Optional.of("must be one of " + String.join(", ", choices) + ", got '" + value + "'");
        };
    }
}
