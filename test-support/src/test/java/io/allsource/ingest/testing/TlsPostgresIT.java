package io.allsource.ingest.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The server over TLS lets its roles in only over TLS, with their passwords, and its certificate is verifiable. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsPostgresIT {

    @TempDir
    static Path folder;

    private TlsPostgres postgres;

    @BeforeAll
    void start() {
        postgres = TlsPostgres.start(folder);
    }

    @AfterAll
    void stop() {
        postgres.close();
    }

    @Test
    void theOwnerConnectsOverVerifiedTlsAndOwnsTheDatabase() throws SQLException {
        try (Connection connection = connect(postgres.jdbcUrl(), postgres.owner());
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("""
                        SELECT ssl, pg_get_userbyid(d.datdba) FROM pg_stat_ssl s, pg_database d
                        WHERE s.pid = pg_backend_pid() AND d.datname = current_database()""")) {
            row.next();
            assertThat(row.getBoolean(1)).as("connection encrypted").isTrue();
            assertThat(row.getString(2)).isEqualTo(TlsPostgres.OWNER);
        }
    }

    @Test
    void theWorkerRoleMayLogInOverTls() throws SQLException {
        try (Connection connection = connect(postgres.jdbcUrl(), postgres.worker())) {
            assertThat(connection.isValid(5)).isTrue();
        }
    }

    @Test
    void aConnectionWithoutTlsIsRejected() {
        assertThatThrownBy(() -> connect(postgres.plainJdbcUrl(), postgres.owner()))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28000"))
                .hasMessageContaining("no encryption");
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertThatThrownBy(() -> connect(postgres.jdbcUrl(), new TlsPostgres.Role(TlsPostgres.WORKER, "wrong")))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
    }

    @Test
    void theCertificateNamesLocalhostOnly() {
        String byAddress = postgres.jdbcUrl("127.0.0.1", postgres.certificateAuthority().certificateFile());

        assertThatThrownBy(() -> connect(byAddress, postgres.owner())).isInstanceOf(SQLException.class)
                .hasMessageContaining("127.0.0.1");
    }

    @Test
    void anotherCaDoesNotVouchForTheServer() {
        TestCertificateAuthority other = TestCertificateAuthority.create(folder, "other-ca");
        assertThat(other.issueServerCertificate(folder, "other", List.of("localhost"), List.of()).keyFile())
                .isNotEmptyFile();

        assertThatThrownBy(() -> connect(postgres.jdbcUrl("localhost", other.certificateFile()), postgres.owner()))
                .isInstanceOf(SQLException.class).hasMessageContaining("PKIX");
    }

    private static Connection connect(String url, TlsPostgres.Role role) throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", role.name());
        credentials.setProperty("password", role.password());
        return DriverManager.getConnection(url, credentials);
    }
}
