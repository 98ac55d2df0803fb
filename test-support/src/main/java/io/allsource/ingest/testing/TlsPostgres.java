package io.allsource.ingest.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * An embedded PostgreSQL of a test class's own set up as the README's production section asks: TLS on, with a server
 * certificate for {@code localhost} only (not {@code 127.0.0.1}) signed by a CA made at test time; every TCP client
 * but the test's superuser {@code postgres} must come over TLS ({@code hostssl}) and give a scram-sha-256 password,
 * and a connection without TLS is rejected. It holds database {@value #DATABASE}, owned by role {@value #OWNER} (the
 * migration role), and role {@value #WORKER}, which may log in but has no grant beyond PUBLIC's until a test gives it
 * some. Both passwords are random. Listens on a random loopback port; durability off. Thread-safe.
 */
public final class TlsPostgres implements AutoCloseable {

    /** The event store's database. */
    public static final String DATABASE = "ingest";
    /** The role that owns the database and its schema, and runs the migrations. */
    public static final String OWNER = "ingest_owner";
    /** The worker's least-privilege role. */
    public static final String WORKER = "ingest_worker";
    /** The host name the server's certificate holds; the certificate names no other. */
    public static final String CERTIFICATE_HOST = "localhost";

    private final EmbeddedPostgres embedded;
    private final TestCertificateAuthority authority;
    private final Role owner;
    private final Role worker;

    private TlsPostgres(EmbeddedPostgres embedded, TestCertificateAuthority authority, Role owner, Role worker) {
        this.embedded = embedded;
        this.authority = authority;
        this.owner = owner;
        this.worker = worker;
    }

    /**
     * A role that may log in, and its password.
     *
     * @param name     the role's name
     * @param password its password; never printed by {@link #toString()}
     */
    public record Role(String name, String password) {
        @Override
        public String toString() {
            return "Role[name=" + name + ", password=****]";
        }
    }

    /**
     * Makes the CA and the server's certificate in {@code folder}, starts the server and creates the roles and the
     * database.
     *
     * @throws UncheckedIOException when a file cannot be written or the server does not start
     */
    public static TlsPostgres start(Path folder) {
        TestCertificateAuthority authority = TestCertificateAuthority.create(folder, "ingest-test-ca");
        TestCertificateAuthority.IssuedCertificate certificate = authority.issueServerCertificate(folder, "server",
                List.of(CERTIFICATE_HOST), List.of());
        EmbeddedPostgres embedded;
        try {
            Path hba = folder.resolve("pg_hba.conf");
            Files.writeString(hba, """
                    local     all  postgres               trust
                    hostssl   all  postgres  127.0.0.1/32 trust
                    hostssl   all  all       127.0.0.1/32 scram-sha-256
                    hostnossl all  all       0.0.0.0/0    reject
                    """);
            embedded = EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("hba_file", hba.toString())
                    .setServerConfig("ssl", "on")
                    .setServerConfig("ssl_cert_file", certificate.certificateFile().toString())
                    .setServerConfig("ssl_key_file", certificate.keyFile().toString())
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start a PostgreSQL server over TLS", e);
        }
        TlsPostgres server = new TlsPostgres(embedded, authority, new Role(OWNER, randomPassword()),
                new Role(WORKER, randomPassword()));
        try {
            server.createRoles();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The CA that signed the server's certificate. */
    public TestCertificateAuthority certificateAuthority() {
        return authority;
    }

    public Role owner() {
        return owner;
    }

    public Role worker() {
        return worker;
    }

    public int port() {
        return embedded.getPort();
    }

    /**
     * The JDBC URL of {@value #DATABASE} as production would name it: by the certificate's host, with the server's
     * certificate and host name checked against this server's CA ({@code sslmode=verify-full}). No credentials.
     */
    public String jdbcUrl() {
        return jdbcUrl(CERTIFICATE_HOST, authority.certificateFile());
    }

    /** The JDBC URL of {@value #DATABASE} at {@code host}, checked against the CA in {@code rootCertificate}. */
    public String jdbcUrl(String host, Path rootCertificate) {
        return "jdbc:postgresql://" + host + ":" + port() + "/" + DATABASE + "?sslmode=verify-full&sslrootcert="
                + rootCertificate;
    }

    /** The JDBC URL of {@value #DATABASE} without TLS ({@code sslmode=disable}), which the server rejects. */
    public String plainJdbcUrl() {
        return "jdbc:postgresql://" + CERTIFICATE_HOST + ":" + port() + "/" + DATABASE + "?sslmode=disable";
    }

    /** Runs {@code sql} (one or more statements) in {@value #DATABASE} as {@code role}, over verified TLS. */
    public void execute(Role role, String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), credentials(role));
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Statement as " + role.name() + " failed: " + e.getMessage(), e);
        }
    }

    /** The first column of the first row {@code sql} returns in {@value #DATABASE}, as {@code role}, as text. */
    public String queryForString(Role role, String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), credentials(role));
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            return row.next() ? row.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("Query as " + role.name() + " failed: " + e.getMessage(), e);
        }
    }

    private static Properties credentials(Role role) {
        Properties credentials = new Properties();
        credentials.setProperty("user", role.name());
        credentials.setProperty("password", role.password());
        return credentials;
    }

    private void createRoles() {
        asSuperuser("postgres", "CREATE ROLE " + OWNER + " LOGIN PASSWORD '" + owner.password() + "'");
        asSuperuser("postgres", "CREATE ROLE " + WORKER + " LOGIN PASSWORD '" + worker.password() + "'");
        asSuperuser("postgres", "CREATE DATABASE " + DATABASE + " OWNER " + OWNER
                + " ENCODING 'UTF8' TEMPLATE template0");
    }

    private void asSuperuser(String database, String sql) {
        try (Connection connection = embedded.getDatabase("postgres", database).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Setting up the server over TLS failed: " + e.getMessage(), e);
        }
    }

    private static String randomPassword() {
        return "pw-" + UUID.randomUUID();
    }

    @Override
    public void close() {
        try {
            embedded.close();
        } catch (IOException e) {
            throw new UncheckedIOException("The PostgreSQL server over TLS did not stop cleanly", e);
        }
    }
}
