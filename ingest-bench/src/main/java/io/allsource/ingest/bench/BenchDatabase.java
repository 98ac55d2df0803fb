package io.allsource.ingest.bench;

import io.allsource.ingest.store.Database;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The database the contenders share: the pipeline's schema (all migrations) in the connection's current schema
 * ({@code public} unless the JDBC URL names another), and the seed's schema alone (migration V1, object for object) in
 * a schema of its own ({@code seed} by default), where the seed design and the COPY ceiling write.
 */
final class BenchDatabase {

    static final String SEED_SCHEMA = "seed";

    private BenchDatabase() {
    }

    static void prepare(DataSource dataSource) throws SQLException {
        prepare(dataSource, SEED_SCHEMA);
    }

    static void prepare(DataSource dataSource, String seedSchema) throws SQLException {
        Database.migrate(dataSource);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + seedSchema + " CASCADE");
            statement.execute("CREATE SCHEMA " + seedSchema);
            statement.execute("SET search_path TO " + seedSchema);
            statement.execute(seedSchemaSql());
            statement.execute("RESET search_path");
        }
    }

    /** Empties what the contenders write, so that each starts from the same empty tables. */
    static void empty(DataSource dataSource) throws SQLException {
        empty(dataSource, SEED_SCHEMA);
    }

    static void empty(DataSource dataSource, String seedSchema) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE events, event_streams, command_redeliveries, command_results, partition_state, "
                    + seedSchema + ".events, " + seedSchema + ".event_streams CASCADE");
            statement.execute("VACUUM ANALYZE");
        }
    }

    private static String seedSchemaSql() {
        try (InputStream in = BenchDatabase.class.getResourceAsStream("/db/migration/V1__seed_event_store.sql")) {
            if (in == null) {
                throw new IllegalStateException("The seed migration V1 is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
