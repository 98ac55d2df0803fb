package io.allsource.ingest.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;

/**
 * A database of its own for one test class, on the shared {@link PostgresServer}. Closing it closes its pool and drops
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

    @Override
    public synchronized void close() {
        if (dataSource != null) {
            dataSource.close();
            dataSource = null;
        }
        server.dropDatabase(name);
    }
}
