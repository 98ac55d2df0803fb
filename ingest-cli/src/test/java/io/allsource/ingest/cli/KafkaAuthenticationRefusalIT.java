package io.allsource.ingest.cli;

import static io.allsource.ingest.cli.CliOutput.ingest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.embedded.FreePorts;
import io.allsource.ingest.settings.KafkaClusterCheck;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SaslPlainListener;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that asks for a user name and password (SASL/PLAIN on its client listener) and is given a wrong password
 * stops {@code ingest run} at start, with exit status 1 and one line naming the refusal in Kafka's own words, within
 * the start-up check's time limit of the worker's first line, and never prints the password; with the right one the
 * same command line starts and answers ready, so the refusal is the password's and nothing else's. A broker of this
 * class's own; the database and the registry are the shared test ones.
 */
@ExtendWith({PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaAuthenticationRefusalIT {

    private static final Duration START_WAIT = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final String USER = "ingest";
    private static final String RIGHT_PASSWORD = "right-" + UUID.randomUUID();
    private static final String WRONG_PASSWORD = "wrong-" + UUID.randomUUID();

    private final SaslPlainListener listener = SaslPlainListener.withUsers(Map.of(USER, RIGHT_PASSWORD));
    private final KafkaBroker broker = KafkaBroker.start(listener.brokerConfig(), listener.adminConfig());
    private final TestDatabase database;
    private final TestSchemaRegistry registry;
    private final IngestTopics topics = IngestTopics.DEFAULT.withPrefix(KafkaBroker.uniqueName("sasl") + ".");

    @TempDir
    Path logs;

    KafkaAuthenticationRefusalIT(TestDatabase database, TestSchemaRegistry registry) {
        this.database = database;
        this.registry = registry;
        for (String topic : topics.all()) {
            broker.createTopic(topic, 32);
        }
        CliOutput migrated = ingest("migrate", "--db-url", database.jdbcUrl());
        assertThat(migrated.status()).as("migrated beforehand, so that a run's time is its checks': %s", migrated)
                .isZero();
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @Test
    void runWithAWrongPasswordExitsWithStatusOneAtOnceNamingTheRefusedCredentialsWithoutThePassword()
            throws Exception {
        try (IngestRunProcess worker = IngestRunProcess.start(settings("wrong-password", FreePorts.find()),
                kafkaLogin(WRONG_PASSWORD), logs.resolve("wrong-password.log"))) {
            // from the worker's first line on, so that a JVM slow to start on a busy machine is not counted
            await().alias("the worker logging its configuration").atMost(START_WAIT).pollInterval(POLL)
                    .until(() -> worker.output().contains("Configuration:") || !worker.isAlive());
            long configured = System.nanoTime();

            int status = worker.awaitExit(START_WAIT);

            Duration took = Duration.ofNanos(System.nanoTime() - configured);
            assertThat(status).as(worker.output()).isEqualTo(1);
            assertThat(took).as("the database's and the registry's checks and the refusal: less than the Kafka"
                    + " check's own time limit").isLessThan(KafkaClusterCheck.DEFAULT_TIMEOUT);
            assertThat(worker.linesWith("error: ")).as(worker.output()).singleElement().asString()
                    .startsWith("error: Kafka at " + broker.bootstrapServers() + " refused the credentials"
                            + " (SaslAuthenticationException: ")
                    .contains("Invalid username or password",
                            "check kafka.security.protocol, kafka.sasl.mechanism and kafka.sasl.jaas.config");
            assertThat(worker.output()).doesNotContain(WRONG_PASSWORD).doesNotContain(RIGHT_PASSWORD);
        }
    }

    @Test
    void runWithTheRightPasswordStartsAndAnswersReady() throws Exception {
        int port = FreePorts.find();
        try (ReadinessProbe probe = ReadinessProbe.start(port);
                IngestRunProcess worker = IngestRunProcess.start(settings("right-password", port),
                        kafkaLogin(RIGHT_PASSWORD), logs.resolve("right-password.log"))) {

            await().alias("the worker ready").atMost(START_WAIT).until(() -> probe.sawReady() || !worker.isAlive());

            assertThat(probe.sawReady()).as(worker.output()).isTrue();
            assertThat(worker.output()).contains("AllSource Ingest worker is running").doesNotContain(RIGHT_PASSWORD);
            assertThat(worker.stop()).as(worker.output()).isIn(0, 143);
        }
    }

    @Test
    void viewsWithAWrongPasswordExitWithStatusOneNamingTheRefusedCredentials(@TempDir Path data) {
        List<String> args = new ArrayList<>(List.of("views", "--data-dir", data.toString(), "--bootstrap-servers",
                broker.bootstrapServers(), "--registry-url", registry.url(), "--topic-events", topics.events()));
        args.addAll(kafkaLogin(WRONG_PASSWORD));

        CliOutput refused = ingest(args.toArray(String[]::new));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err().lines().findFirst().orElse("")).startsWith("error: Kafka at "
                + broker.bootstrapServers() + " refused the credentials (SaslAuthenticationException: ");
        assertThat(refused.out() + refused.err()).doesNotContain(WRONG_PASSWORD);
    }

    private Map<String, String> settings(String workerId, int metricsPort) {
        return WorkerRunSettings.of(broker.bootstrapServers(), database.jdbcUrl(), registry.url(), topics, workerId,
                topics.commands() + ".group", metricsPort);
    }

    /** The {@code --kafka} flags of an operator logging in as {@link #USER} with {@code password}. */
    private static List<String> kafkaLogin(String password) {
        return List.of("--kafka", "security.protocol=SASL_PLAINTEXT", "--kafka", "sasl.mechanism=PLAIN",
                "--kafka", "sasl.jaas.config=" + SaslPlainListener.jaasConfig(USER, password));
    }
}
