package io.allsource.ingest.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.embedded.FreePorts;
import io.allsource.ingest.testing.PasswordPostgres;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that refuses the connection is reported at once with its own reason, against a PostgreSQL of its own that
 * asks TCP clients for a scram password ({@link PasswordPostgres}; the shared test server trusts everyone).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseConnectionCheckIT {

    private static final Duration AT_ONCE = Duration.ofSeconds(5);

    @TempDir
    static Path folder;

    private PasswordPostgres postgres;

    @BeforeAll
    void startAServerThatWantsPasswords() {
        postgres = PasswordPostgres.start(folder);
        postgres.createRole("u", "right");
        postgres.createDatabase("owned", "u");
    }

    @AfterAll
    void stop() {
        postgres.close();
    }

    @Test
    void connectsWithTheRightPassword() {
        DatabaseConnectionCheck.check(settings(url("owned"), "u", "right"));
    }

    @Test
    void namesTheServersReasonForAWrongPasswordAtOnce() {
        assertRefusedAtOnce(settings(url("owned"), "u", "wrong"),
                "password authentication failed for user \"u\"", "SQLState 28P01", "check db-user and db-password");
    }

    @Test
    void namesTheServersReasonForAnUnknownUser() {
        assertRefusedAtOnce(settings(url("owned"), "nobody", "x"), "authentication failed for user \"nobody\"");
    }

    @Test
    void namesTheServersReasonForADatabaseThatDoesNotExist() {
        assertRefusedAtOnce(settings(url("missing"), "u", "right"), "database \"missing\" does not exist",
                "SQLState 3D000", "create the database");
    }

    @Test
    void namesTheHostAndPortWhereNothingListens() throws Exception {
        int closedPort = FreePorts.find();
        assertRefusedAtOnce(settings("jdbc:postgresql://127.0.0.1:" + closedPort + "/owned", "u", "right"),
                "127.0.0.1:" + closedPort + " refused", "SQLState 08001");
    }

    @Test
    void namesTheTlsTheClientAskedForAndTheServerDoesNotOffer() {
        assertRefusedAtOnce(settings(url("owned") + "?sslmode=require", "u", "right"),
                "The server does not support SSL");
    }

    @Test
    void masksAPasswordGivenInTheUrl() {
        assertThatThrownBy(() -> DatabaseConnectionCheck.check(settings(url("owned") + "?password=hunter2", "u",
                null))).hasMessageContaining("password=****").message().doesNotContain("hunter2");
    }

    private void assertRefusedAtOnce(DatabaseSettings settings, String... parts) {
        long started = System.nanoTime();
        assertThatThrownBy(() -> DatabaseConnectionCheck.check(settings))
                .isInstanceOf(DatabaseRefusedException.class)
                .hasMessageContaining("The database at " + DatabaseSettings.maskPassword(settings.jdbcUrl())
                        + " refused the connection: ")
                .satisfies(e -> assertThat(e.getMessage()).contains(parts).doesNotContain("\n"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(AT_ONCE);
    }

    private String url(String database) {
        return postgres.jdbcUrl(database);
    }

    private static DatabaseSettings settings(String url, String user, String password) {
        return new DatabaseSettings(url, user, password, 2, Duration.ofSeconds(10));
    }
}
