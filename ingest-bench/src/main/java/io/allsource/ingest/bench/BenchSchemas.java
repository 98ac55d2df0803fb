package io.allsource.ingest.bench;

import io.allsource.ingest.bench.servers.BenchEndpoints;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

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

    /** A new connection to the bench database (autocommit, the server's default search path). */
    static Connection connect(BenchEndpoints endpoints) throws SQLException {
        return DriverManager.getConnection(endpoints.jdbcUrl(), credentials(endpoints));
    }

    /** A data source whose connections resolve unqualified names in {@code schema}; no pool. */
    static DataSource dataSource(BenchEndpoints endpoints, String schema) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(endpoints.jdbcUrlInSchema(schema));
        if (endpoints.dbUser() != null) {
            dataSource.setUser(endpoints.dbUser());
        }
        if (endpoints.dbPassword() != null) {
            dataSource.setPassword(endpoints.dbPassword());
        }
        return dataSource;
    }

    private static Properties credentials(BenchEndpoints endpoints) {
        Properties properties = new Properties();
        if (endpoints.dbUser() != null) {
            properties.setProperty("user", endpoints.dbUser());
        }
        if (endpoints.dbPassword() != null) {
            properties.setProperty("password", endpoints.dbPassword());
        }
        return properties;
    }
}
