package io.allsource.ingest.cli;

import static io.allsource.ingest.cli.CliOutput.ingest;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.embedded.FreePorts;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.RegistryProxy;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.SelfSignedCertificate;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A schema registry that refuses the pipeline, behind a proxy that asks for HTTP basic authentication (over HTTP, and
 * over HTTPS with a self-signed certificate) in front of the real test registry: {@code ingest schemas check} and
 * {@code ingest run} exit with status 1 and one line naming the registry's refusal (401, 403, the TLS failure) and
 * the setting to fix, and never print a password; with the right credentials and trust store, {@code ingest schemas
 * register} and {@code check} pass through the same proxies. The registry is checked before Kafka, so the worker is
 * given a port where no broker listens: a worker that asked Kafka first would fail with another reason.
 */
@ExtendWith({PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryRefusalsIT {

    private static final Duration EXIT_WAIT = Duration.ofSeconds(60);
    private static final String USER = "ingest";
    private static final String RIGHT_PASSWORD = "right-" + UUID.randomUUID();
    private static final String WRONG_PASSWORD = "wrong-" + UUID.randomUUID();
    private static final String VISITOR = "visitor";
    private static final String VISITOR_PASSWORD = "visitor-" + UUID.randomUUID();

    private final TestDatabase database;
    private final TestSchemaRegistry registry;
    private SelfSignedCertificate certificate;
    private RegistryProxy http;
    private RegistryProxy https;

    @TempDir
    Path logs;

    RegistryRefusalsIT(TestDatabase database, TestSchemaRegistry registry) {
        this.database = database;
        this.registry = registry;
    }

    @BeforeAll
    void startTheProxies(@TempDir Path folder) {
        certificate = SelfSignedCertificate.create(folder);
        http = proxy().start();
        https = proxy().overHttps(certificate).start();
        CliOutput migrated = ingest("migrate", "--db-url", database.jdbcUrl());
        assertThat(migrated.status()).as("migrated beforehand, so that a run's time is its checks': %s", migrated)
                .isZero();
    }

    private RegistryProxy.Builder proxy() {
        return RegistryProxy.inFrontOf(registry.url()).permit(USER, RIGHT_PASSWORD)
                .knowWithoutRights(VISITOR, VISITOR_PASSWORD);
    }

    @AfterAll
    void stopTheProxies() {
        http.close();
        https.close();
    }

    /** What is refused: the name, the registry flags, and what the one line must say. */
    Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("no credentials", List.of("--registry-url", http.url()),
                        List.of("HTTP 401", "the registry asks for credentials: set registry-basic-auth")),
                Arguments.of("a wrong password", List.of("--registry-url", http.url(), "--registry-basic-auth",
                        USER + ":" + WRONG_PASSWORD), List.of("HTTP 401",
                        "the registry did not accept the user and password: check registry-basic-auth")),
                Arguments.of("a user without rights", List.of("--registry-url", http.url(), "--registry-basic-auth",
                        VISITOR + ":" + VISITOR_PASSWORD), List.of("HTTP 403", "User visitor is denied",
                        "the registry denies the user of registry-basic-auth this request")),
                Arguments.of("an untrusted certificate", List.of("--registry-url", https.url(),
                        "--registry-basic-auth", USER + ":" + RIGHT_PASSWORD), List.of("PKIX path building failed",
                        "check registry-url (https) and registry-truststore")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void schemasCheckNamesTheRefusalAndTheSettingInOneLine(String name, List<String> registryFlags,
            List<String> said) {
        CliOutput refused = schemas("check", registryFlags, KafkaBroker.uniqueName("refused"));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err().lines()).as(refused.toString()).singleElement().asString().startsWith("error: ")
                .contains(said);
        assertThat(refused.out() + refused.err()).doesNotContain(RIGHT_PASSWORD, WRONG_PASSWORD, VISITOR_PASSWORD);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void runExitsWithStatusOneNamingTheRefusalAndTheSettingInOneLine(String name, List<String> registryFlags,
            List<String> said) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap-servers", "127.0.0.1:" + FreePorts.find());
        settings.put("db-url", database.jdbcUrl());
        settings.put("worker-id", "registry-refused");
        try (IngestRunProcess worker = IngestRunProcess.start(settings, registryFlags,
                logs.resolve(name.replace(' ', '-') + ".log"))) {

            int status = worker.awaitExit(EXIT_WAIT);

            assertThat(status).as(worker.output()).isEqualTo(1);
            assertThat(worker.linesWith("error: ")).as(worker.output()).singleElement().asString()
                    .startsWith("error: The schema registry at ").contains(said);
            assertThat(worker.output()).doesNotContain(RIGHT_PASSWORD, WRONG_PASSWORD, VISITOR_PASSWORD);
        }
    }

    @Test
    void schemasRegisterAndCheckPassThroughTheProxyWithTheRightCredentials() {
        String prefix = KafkaBroker.uniqueName("permitted");
        List<String> flags = List.of("--registry-url", http.url(), "--registry-basic-auth", USER + ":"
                + RIGHT_PASSWORD);

        CliOutput registered = schemas("register", flags, prefix);
        CliOutput checked = schemas("check", flags, prefix);

        assertThat(registered.status()).as(registered.toString()).isZero();
        assertThat(checked.status()).as(checked.toString()).isZero();
        assertThat(registered.out()).contains(prefix + ".results-value -> ");
    }

    @Test
    void schemasRegisterAndCheckPassOverHttpsWithTheTrustStore() {
        String prefix = KafkaBroker.uniqueName("trusted");
        List<String> flags = List.of("--registry-url", https.url(), "--registry-basic-auth", USER + ":"
                + RIGHT_PASSWORD, "--registry-truststore", certificate.trustStore().toString(),
                "--registry-truststore-password", certificate.password());

        CliOutput registered = schemas("register", flags, prefix);
        CliOutput checked = schemas("check", flags, prefix);

        assertThat(registered.status()).as(registered.toString()).isZero();
        assertThat(checked.status()).as(checked.toString()).isZero();
        assertThat(registered.out() + registered.err() + checked.out() + checked.err())
                .doesNotContain(RIGHT_PASSWORD, certificate.password());
    }

    /** {@code ingest schemas <action>} for the topics of {@code prefix}, so that its subjects are its own. */
    private static CliOutput schemas(String action, List<String> registryFlags, String prefix) {
        List<String> args = new ArrayList<>(List.of("schemas", action));
        args.addAll(registryFlags);
        args.addAll(List.of("--topic-commands", prefix + ".commands", "--topic-results", prefix + ".results",
                "--topic-events", prefix + ".events", "--topic-dead-letters", prefix + ".commands.dlq"));
        return ingest(args.toArray(String[]::new));
    }
}
