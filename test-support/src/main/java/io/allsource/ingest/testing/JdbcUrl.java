package io.allsource.ingest.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A PostgreSQL JDBC URL split around its database name, so that the same server can be addressed per database. */
record JdbcUrl(String prefix, String database, String parameters) {

    private static final Pattern SHAPE = Pattern.compile("(jdbc:postgresql://[^/?]+/)([^?]*)(\\?.*)?");

    static JdbcUrl parse(String url) {
        Matcher matcher = SHAPE.matcher(url);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "Expected a URL of the form jdbc:postgresql://host:port/database[?parameters], got: " + url);
        }
        String parameters = matcher.group(3) == null ? "" : matcher.group(3);
        return new JdbcUrl(matcher.group(1), matcher.group(2), parameters);
    }

    JdbcUrl withDatabase(String name) {
        return new JdbcUrl(prefix, name, parameters);
    }

    String url() {
        return prefix + database + parameters;
    }

    /** The decoded value of URL parameter {@code name} ({@code user}, {@code password}), if the URL has it. */
    Optional<String> parameter(String name) {
        if (parameters.isEmpty()) {
            return Optional.empty();
        }
        for (String pair : parameters.substring(1).split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (key.equals(name)) {
                return Optional.of(equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1),
                        StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
