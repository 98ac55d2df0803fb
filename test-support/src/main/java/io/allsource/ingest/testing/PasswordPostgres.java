package io.allsource.ingest.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An embedded PostgreSQL of a test class's own that asks every TCP client but its superuser {@code postgres} for a
 * password (scram-sha-256, passwords stored as scram), where the shared {@link PostgresServer} trusts everyone: for
 * tests of how a refused login is reported. Listens on a random loopback port; durability off. Thread-safe.
 */
public final class PasswordPostgres implements AutoCloseable {

    private final EmbeddedPostgres embedded;

    private PasswordPostgres(EmbeddedPostgres embedded) {
        this.embedded = embedded;
    }

    /**
     * Starts the server, its {@code pg_hba.conf} written into {@code folder}.
     *
     * @throws UncheckedIOException when the file cannot be written or the server does not start
     */
    public static PasswordPostgres start(Path folder) {
        try {
            Path hba = folder.resolve("pg_hba.conf");
            Files.writeString(hba, """
                    local all all trust
                    host all postgres 127.0.0.1/32 trust
                    host all all 127.0.0.1/32 scram-sha-256
                    """);
            return new PasswordPostgres(EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("hba_file", hba.toString())
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start a PostgreSQL server that asks for passwords", e);
        }
    }

    /** Creates a role that may log in with {@code password}. */
    public void createRole(String name, String password) {
        execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
    }

    /** Creates database {@code name} owned by role {@code owner}. */
    public void createDatabase(String name, String owner) {
        execute("CREATE DATABASE " + name + " OWNER " + owner);
    }

    /** The JDBC URL of {@code database} on this server, without credentials. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/" + database;
    }

    private void execute(String sql) {
        try (Connection connection = embedded.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Statement failed: " + sql, e);
        }
    }

    @Override
    public void close() {
        try {
            embedded.close();
        } catch (IOException e) {
            throw new UncheckedIOException("The PostgreSQL server that asks for passwords did not stop cleanly", e);
        }
    }
}
