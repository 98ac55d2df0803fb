package io.allsource.ingest.cli;

import static io.allsource.ingest.cli.CliOutput.ingest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.embedded.FreePorts;
import io.allsource.ingest.config.ConfigKeys;
import io.allsource.ingest.config.IngestConfig;
import io.allsource.ingest.registry.RegistryRequestException;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.startup.WorkerApplication;
import io.allsource.ingest.startup.WorkerCommand;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The deployment the README's "Deploying to production" describes, against a broker and a registry of this class's
 * own (default topic names and subjects, nothing registered): topics created beforehand, {@code ingest schemas
 * register}, {@code ingest migrate}, then the worker with no setting beyond the three endpoints, checked from outside
 * with {@code ingest append} and {@code ingest verify --deep}.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductionDeploymentIT {

    private final KafkaBroker broker = KafkaBroker.start();
    private final TestSchemaRegistry registry = TestSchemaRegistry.start();
    private final TestDatabase database;

    ProductionDeploymentIT(TestDatabase database) {
        this.database = database;
    }

    @AfterAll
    void close() {
        registry.close();
        broker.close();
    }

    @Test
    void aWorkerWithOnlyTheEndpointsPassesTheBlackBoxChecksAfterTheDeploymentSteps() {
        for (String topic : IngestTopics.DEFAULT.all()) {
            broker.createTopic(topic, 32);
        }
        CliOutput before = ingest("schemas", "check", "--registry-url", registry.url());
        assertThat(before.status()).as(before.toString()).isEqualTo(1);
        assertThat(before.out()).contains("ingest.results-value: missing", "ingest.events-value: missing");
        assertThat(before.err()).contains("ingest schemas register");

        CliOutput registered = ingest("schemas", "register", "--registry-url", registry.url());
        assertThat(registered.status()).as(registered.toString()).isZero();
        assertThat(registered.out()).containsPattern("ingest\\.commands-value -> \\d+")
                .containsPattern("ingest\\.results-value -> \\d+").containsPattern("ingest\\.events-value -> \\d+");
        SchemaRegistryClient client = new SchemaRegistryClient(RegistrySettings.of(registry.url()));
        assertThat(client.compatibility("ingest.results-value")).contains("FULL");
        assertThat(ingest("schemas", "check", "--registry-url", registry.url()).status()).isZero();
        assertThat(ingest("schemas", "register", "--registry-url", registry.url()).out())
                .as("registering again keeps the ids").isEqualTo(registered.out());

        CliOutput migrated = ingest("migrate", "--db-url", database.jdbcUrl());
        assertThat(migrated.status()).as(migrated.toString()).isZero();

        try (WorkerApplication worker = WorkerApplication.start(IngestConfig.load(Map.of(
                ConfigKeys.BOOTSTRAP_SERVERS.name(), broker.bootstrapServers(),
                ConfigKeys.DB_URL.name(), database.jdbcUrl(),
                ConfigKeys.REGISTRY_URL.name(), registry.url()), Map.of(), null, WorkerCommand.REQUIRED))) {
            assertThat(worker.isReady()).isTrue();
            for (int i = 0; i < 5; i++) {
                CliOutput appended = withEndpoints("append", "--stream", "production-" + i, "--type", "Opened",
                        "--payload", "{\"n\":" + i + "}");
                assertThat(appended.status()).as(appended.toString()).isZero();
            }
            CliOutput verified = withEndpoints("verify", "--deep", "--grace-seconds", "5");
            assertThat(verified.status()).as(verified.toString()).isZero();
            assertThat(verified.out()).contains("All invariants hold.");
        }
    }

    @Test
    void theRegistryRefusesAChangeThatOldOrNewReadersCannotRead() {
        String[] topics = topicFlags("full");
        CliOutput registered = ingest(concat(new String[] {"schemas", "register", "--registry-url", registry.url()},
                topics));
        assertThat(registered.status()).as(registered.toString()).isZero();
        Schema withARequiredField = new Schema.Parser().parse("""
                {"type": "record", "name": "CommandResult", "namespace": "io.allsource.ingest.avro",
                 "fields": [{"name": "only", "type": "string"}]}""");
        SchemaRegistryClient client = new SchemaRegistryClient(RegistrySettings.of(registry.url()));

        assertThatThrownBy(() -> client.register("full.results-value", withARequiredField))
                .isInstanceOfSatisfying(RegistryRequestException.class,
                        refused -> assertThat(refused.httpStatus()).isEqualTo(409));
    }

    @Test
    void checkListsASubjectThatHoldsAnotherSchemaAndExitsOne() {
        String[] topics = topicFlags("other");
        SchemaRegistryClient client = new SchemaRegistryClient(RegistrySettings.of(registry.url()));
        client.register("other.results-value", new Schema.Parser().parse("""
                {"type": "record", "name": "CommandResult", "fields": [{"name": "x", "type": "int"}]}"""));

        CliOutput checked = ingest(concat(new String[] {"schemas", "check", "--registry-url", registry.url()}, topics));

        assertThat(checked.status()).isEqualTo(1);
        assertThat(checked.out()).contains("other.results-value: holds other schemas than this build's CommandResult",
                "other.commands-value: missing", "other.events-value: missing");
    }

    @Test
    void migrateNamesTheRefusalInItsFirstLineAtOnce() throws Exception {
        int closedPort = FreePorts.find();
        long started = System.nanoTime();

        CliOutput refused = ingest("migrate", "--db-url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/ingest",
                "--db-user", "u", "--db-password", "wrong");

        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err().lines().findFirst().orElse("")).startsWith("error: The database at")
                .contains("127.0.0.1:" + closedPort + " refused", "SQLState 08001");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
    }

    private static String[] topicFlags(String prefix) {
        return new String[] {"--topic-commands", prefix + ".commands", "--topic-results", prefix + ".results",
                "--topic-events", prefix + ".events", "--topic-dead-letters", prefix + ".commands.dlq"};
    }

    private static String[] concat(String[] first, String[] second) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(second));
        return all.toArray(String[]::new);
    }

    private CliOutput withEndpoints(String... args) {
        return ingest(concat(args, new String[] {"--bootstrap-servers", broker.bootstrapServers(), "--registry-url",
                registry.url(), "--db-url", database.jdbcUrl()}));
    }
}
