package io.allsource.ingest.bench.servers;

import java.util.Objects;

/**
 * Where the benchmark finds Kafka, PostgreSQL and the schema registry.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param jdbcUrl          a PostgreSQL database the benchmark may create schemas in (it drops them afterwards)
 * @param dbUser           the database user, or {@code null} when the URL carries it
 * @param dbPassword       the database password, or {@code null}; never printed
 * @param registryUrl      a Confluent-compatible schema registry
 */
public record BenchEndpoints(String bootstrapServers, String jdbcUrl, String dbUser, String dbPassword,
        String registryUrl) {

    public BenchEndpoints {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(registryUrl, "registryUrl");
    }

    /** The JDBC URL of {@code schema} in this database: unqualified names resolve there. */
    public String jdbcUrlInSchema(String schema) {
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @Override
    public String toString() {
        return "BenchEndpoints[bootstrapServers=" + bootstrapServers + ", jdbcUrl=" + jdbcUrl + ", dbUser=" + dbUser
                + ", dbPassword=" + (dbPassword == null ? null : "*****") + ", registryUrl=" + registryUrl + "]";
    }
}
