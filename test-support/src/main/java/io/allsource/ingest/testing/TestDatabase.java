package io.allsource.ingest.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A database of its own for one test class, on the shared {@link TestPostgres} (embedded or in a container). Closing
 * it closes its pool and drops
 * the database. Thread-safe.
 */
public final class TestDatabase implements AutoCloseable {

    private final PostgresServer server;
    private final String name;
    private final JdbcUrl url;
    private HikariDataSource dataSource;

    TestDatabase(PostgresServer server, String name, JdbcUrl url) {
        this.server = server;
        this.name = name;
        this.url = url;
    }

    public String name() {
        return name;
    }

    /** The JDBC URL of this database, credentials included as URL parameters. */
    public String jdbcUrl() {
        return url.url();
    }

    /** The user of {@link #jdbcUrl()}, for settings that take it apart from the URL; empty when the URL names none. */
    public String user() {
        return url.parameter("user").orElse("");
    }

    /**
     * The password of {@link #jdbcUrl()}, for settings that take it apart from the URL; empty when the server asks for
     * none (the embedded server trusts loopback connections).
     */
    public String password() {
        return url.parameter("password").orElse("");
    }

    /** A pooled data source on this database, created on first use and closed with the database. */
    public synchronized DataSource dataSource() {
        if (dataSource == null) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(jdbcUrl());
            config.setPoolName("test-" + name);
            config.setMaximumPoolSize(8);
            dataSource = new HikariDataSource(config);
        }
        return dataSource;
    }

    /** The first column of the single row {@code sql} returns, as a long (counts, versions). */
    public long queryForLong(String sql) {
        List<String> values = queryForStrings(sql);
        if (values.size() != 1 || values.get(0) == null) {
            throw new IllegalStateException("Expected one non-null value from " + sql + ", got " + values);
        }
        return Long.parseLong(values.get(0));
    }

    /** The first column of every row {@code sql} returns, as text. */
    public List<String> queryForStrings(String sql) {
        List<String> values = new ArrayList<>();
        try (Connection connection = dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed: " + sql, e);
        }
        return values;
    }

    /** Runs one statement in its own transaction. */
    public void execute(String sql) throws SQLException {
        try (Connection connection = dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public synchronized void close() {
        if (dataSource != null) {
            dataSource.close();
            dataSource = null;
        }
        server.dropDatabase(name);
    }
}
