package io.allsource.ingest.bench;

import io.allsource.ingest.bench.servers.BenchEndpoints;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The schemas a run writes in, one per workload and one for the store contenders, so that nothing a run writes meets
 * what another run (or workload) wrote; dropped when the run is done.
 */
final class BenchSchemas {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private BenchSchemas() {
    }

    /** A valid schema name for {@code parts} joined by underscores. */
    static String name(String... parts) {
        String name = String.join("_", parts).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a usable schema name: " + name);
        }
        return name;
    }

    static void create(BenchEndpoints endpoints, String schema) throws SQLException {
        execute(endpoints, "CREATE SCHEMA " + schema);
    }

    static void drop(BenchEndpoints endpoints, String schema) throws SQLException {
        execute(endpoints, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    /** The server's version, as PostgreSQL reports it ({@code server_version}). */
    static String serverVersion(BenchEndpoints endpoints) throws SQLException {
        try (Connection connection = connect(endpoints); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_setting('server_version')")) {
            row.next();
            return row.getString(1);
        }
    }

    private static void execute(BenchEndpoints endpoints, String sql) throws SQLException {
        try (Connection connection = connect(endpoints); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Connection connect(BenchEndpoints endpoints) throws SQLException {
        Properties properties = new Properties();
        if (endpoints.dbUser() != null) {
            properties.setProperty("user", endpoints.dbUser());
        }
        if (endpoints.dbPassword() != null) {
            properties.setProperty("password", endpoints.dbPassword());
        }
        return DriverManager.getConnection(endpoints.jdbcUrl(), properties);
    }
}
