package io.allsource.ingest.cli;

import static io.allsource.ingest.cli.CliOutput.ingest;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.embedded.FreePorts;
import io.allsource.ingest.testing.PasswordPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every subcommand that connects to the database names the server's own reason for refusing it in the first line it
 * prints, at once, instead of a pool's "Connection is not available" after its timeout. Against a PostgreSQL of this
 * class's own that asks for scram-sha-256 passwords (the shared test server trusts everyone), holding role {@code u}
 * and its database {@code owned}. The database is what each subcommand connects to first, so Kafka and the registry
 * are given as ports where nothing listens: a subcommand that asked them first would fail with another reason.
 * ({@code ingest views} is not here: it connects to Kafka and the registry only.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseRefusalsIT {

    private static final Duration AT_ONCE = Duration.ofSeconds(5);
    private static final String WRONG_PASSWORD = "not-the-password-3141";

    @TempDir
    static Path folder;

    private PasswordPostgres postgres;
    private String closedKafka;
    private String closedRegistry;

    @BeforeAll
    void startAServerThatAsksForPasswords() throws Exception {
        postgres = PasswordPostgres.start(folder);
        postgres.createRole("u", "right");
        postgres.createDatabase("owned", "u");
        closedKafka = "127.0.0.1:" + FreePorts.find();
        closedRegistry = "http://127.0.0.1:" + FreePorts.find() + "/apis/ccompat/v7";
    }

    @AfterAll
    void stop() {
        postgres.close();
    }

    /** Each subcommand that connects to the database ({@link #rest} gives what it needs beside the database). */
    Stream<String> subcommands() {
        return Stream.of("migrate", "run", "read", "verify", "stats", "offsets", "bench");
    }

    @ParameterizedTest(name = "ingest {0}")
    @MethodSource("subcommands")
    void aWrongPasswordIsNamedWithTheServersReasonInTheFirstLineAtOnce(String subcommand) {
        CliOutput refused = timed(subcommand, postgres.jdbcUrl("owned"), "u", WRONG_PASSWORD);

        assertThat(firstLine(refused)).startsWith("error: The database at " + postgres.jdbcUrl("owned")
                        + " refused the connection: ")
                .contains("password authentication failed for user \"u\"", "(SQLState 28P01)",
                        "check db-user and db-password");
        assertThat(refused.out() + refused.err()).doesNotContain(WRONG_PASSWORD);
    }

    @ParameterizedTest(name = "ingest {0}")
    @MethodSource("subcommands")
    void aDatabaseThatDoesNotExistIsNamedWithTheServersReasonInTheFirstLineAtOnce(String subcommand) {
        CliOutput refused = timed(subcommand, postgres.jdbcUrl("missing"), "u", "right");

        assertThat(firstLine(refused)).startsWith("error: The database at " + postgres.jdbcUrl("missing")
                        + " refused the connection: ")
                .contains("database \"missing\" does not exist", "(SQLState 3D000)", "create the database");
    }

    @Test
    void theRightPasswordIsLetIn() {
        CliOutput migrated = ingest("migrate", "--db-url", postgres.jdbcUrl("owned"), "--db-user", "u",
                "--db-password", "right");

        assertThat(migrated.status()).as(migrated.toString()).isZero();
        assertThat(migrated.out()).contains("the schema is up to date");
    }

    /** Runs the subcommand, checks it exited with status 1 within {@link #AT_ONCE}, and returns what it printed. */
    private CliOutput timed(String subcommand, String url, String user, String password) {
        List<String> args = new ArrayList<>(List.of(subcommand, "--db-url", url, "--db-user", user, "--db-password",
                password));
        args.addAll(rest(subcommand));
        long started = System.nanoTime();

        CliOutput output = ingest(args.toArray(String[]::new));

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(output.status()).as(output.toString()).isEqualTo(1);
        assertThat(took).as(output.toString()).isLessThan(AT_ONCE);
        assertThat(output.err()).doesNotContain("Connection is not available");
        return output;
    }

    private List<String> rest(String subcommand) {
        return switch (subcommand) {
            case "run" -> List.of("--bootstrap-servers", closedKafka, "--registry-url", closedRegistry);
            case "read" -> List.of("--stream", "s");
            case "offsets" -> List.of("--show", "--bootstrap-servers", closedKafka, "--data-dir", folder.toString());
            case "bench" -> List.of("--quick", "--bootstrap-servers", closedKafka, "--registry-url", closedRegistry,
                    "--results-dir", folder.resolve("bench-results").toString());
            default -> List.of("--data-dir", folder.toString());
        };
    }

    private static String firstLine(CliOutput output) {
        return output.err().lines().findFirst().orElse("");
    }
}
