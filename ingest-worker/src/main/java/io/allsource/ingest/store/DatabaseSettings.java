package io.allsource.ingest.store;

import io.allsource.ingest.settings.ConfigChecks;
import io.allsource.ingest.settings.ConfigKey;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the PostgreSQL database.
 *
 * @param jdbcUrl           {@code jdbc:postgresql://host:port/database}, parameters allowed
 * @param username          may be {@code null} when the URL or the server's trust rules name the user
 * @param password          may be {@code null}; never printed
 * @param maxPoolSize       connections in the pool: one per concurrently writing partition set, plus reads
 * @param connectionTimeout how long to wait for a connection before a batch counts as failed (and is retried)
 */
public record DatabaseSettings(String jdbcUrl, String username, String password, int maxPoolSize,
        Duration connectionTimeout) {

    public DatabaseSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Optional<String> problem = ConfigChecks.postgresJdbcUrl().apply(jdbcUrl);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("The database URL " + problem.get());
        }
        if (maxPoolSize <= 0) {
            throw new IllegalArgumentException("maxPoolSize must be positive, got " + maxPoolSize);
        }
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
    }

    /** Settings for {@code jdbcUrl} with a pool of 8 and a 10 s connection timeout. */
    public static DatabaseSettings of(String jdbcUrl, String username, String password) {
        return new DatabaseSettings(jdbcUrl, username, password, 8, Duration.ofSeconds(10));
    }

    /**
     * {@code text} (a JDBC URL, or a message that may hold one) with the values of its {@code password} and
     * {@code sslpassword} parameters masked, for printing.
     */
    public static String maskPassword(String text) {
        return ConfigKey.maskCredentials(text);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[jdbcUrl=" + maskPassword(jdbcUrl) + ", username=" + username + ", password="
                + (password == null ? "null" : "****") + ", maxPoolSize=" + maxPoolSize + ", connectionTimeout="
                + connectionTimeout + "]";
    }
}
