package io.allsource.ingest.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.embedded.FreePorts;
import io.allsource.ingest.config.ConfigKeys;
import io.allsource.ingest.config.IngestConfig;
import io.allsource.ingest.store.Database;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.PostgresServer;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A deployment the worker cannot serve is refused at start, in one line naming what is wrong and the fix. */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
class DeploymentChecksIT {

    private final KafkaBroker broker;
    private final PostgresServer server;
    private final TestDatabase database;
    private final TestSchemaRegistry registry;

    DeploymentChecksIT(KafkaBroker broker, PostgresServer server, TestDatabase database, TestSchemaRegistry registry) {
        this.broker = broker;
        this.server = server;
        this.database = database;
        this.registry = registry;
    }

    @Test
    void refusesToStartWithoutAutoRegistrationWhenTheRegistryLacksTheWorkersSchemas() {
        String prefix = KafkaBroker.uniqueName("unregistered") + ".";

        assertThatThrownBy(() -> WorkerApplication.start(config(prefix, database.jdbcUrl(),
                Map.of(ConfigKeys.AUTO_REGISTER.name(), "false"))))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("schema registry at " + registry.url())
                .hasMessageContaining(prefix + "ingest.results-value: missing (CommandResult is not registered)")
                .hasMessageContaining(prefix + "ingest.events-value: missing (EventRecord is not registered)")
                .hasMessageContaining("ingest schemas register")
                .message().doesNotContain("\n");
    }

    @Test
    void startsWithoutAutoRegistrationAndJsonEventsNeedingOnlyTheResultsSchemaRefusedWhenItIsMissing() {
        String prefix = KafkaBroker.uniqueName("jsonevents") + ".";

        assertThatThrownBy(() -> WorkerApplication.start(config(prefix, database.jdbcUrl(),
                Map.of(ConfigKeys.EVENTS_FORMAT.name(), "json-envelope"))))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining(prefix + "ingest.results-value: missing")
                .message().doesNotContain("ingest.events-value");
    }

    @Test
    void refusesToStartOnADatabaseWhoseEncodingIsNotUtf8NamingTheSettingAndTheDatabase() throws Exception {
        String name = "latin1_" + ProcessHandle.current().pid();
        admin("CREATE DATABASE " + name + " ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        try {
            assertThatThrownBy(() -> WorkerApplication.start(config(KafkaBroker.uniqueName("latin") + ".",
                    urlOf(name), Map.of())))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("server_encoding of database " + name + " is LATIN1, not UTF8")
                    .hasMessageContaining("ENCODING 'UTF8'")
                    .message().doesNotContain("\n");
        } finally {
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    @Test
    void refusesToStartOnADatabaseThatOnlyAcceptsReadOnlyTransactions() throws Exception {
        String name = "readonly_" + ProcessHandle.current().pid();
        admin("CREATE DATABASE " + name);
        admin("ALTER DATABASE " + name + " SET default_transaction_read_only = on");
        try {
            assertThatThrownBy(() -> WorkerApplication.start(config(KafkaBroker.uniqueName("ro") + ".",
                    urlOf(name), Map.of())))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("default_transaction_read_only is on for database " + name);
        } finally {
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    @Test
    void refusesToStartAtOnceWhenNoDatabaseListensNamingTheHostAndPort() throws Exception {
        int closedPort = FreePorts.find();
        long started = System.nanoTime();

        assertThatThrownBy(() -> WorkerApplication.start(config(KafkaBroker.uniqueName("nodb") + ".",
                "jdbc:postgresql://127.0.0.1:" + closedPort + "/ingest", Map.of())))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort + " refused")
                .hasMessageContaining("SQLState 08001");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
    }

    @Test
    void refusesToStartWhenTheKafkaHostDoesNotResolveNamingIt() {
        assertThatThrownBy(() -> WorkerApplication.start(config(KafkaBroker.uniqueName("nohost") + ".",
                database.jdbcUrl(), Map.of(ConfigKeys.BOOTSTRAP_SERVERS.name(), "no-such-broker.invalid:9092"))))
                .hasMessageContaining("no-such-broker.invalid:9092");
    }

    @Test
    void refusesToStartWithAResultRetentionWhenTheDatabaseUserMayNotDeleteOutcomesNamingTheGrant() throws Exception {
        Database.migrate(database.dataSource());
        String role = "outcome_keeper_" + ProcessHandle.current().pid();
        database.execute("DROP ROLE IF EXISTS " + role + "; CREATE ROLE " + role + " LOGIN PASSWORD 'keeper';"
                + " GRANT SELECT, INSERT, UPDATE ON partition_state, event_streams TO " + role + ";"
                + " GRANT SELECT, INSERT ON events, command_results, command_redeliveries TO " + role + ";"
                + " GRANT SELECT ON flyway_schema_history TO " + role);
        String url = database.jdbcUrl().replaceFirst("user=[^&]*", "user=" + role)
                .replaceFirst("password=[^&]*", "password=keeper");

        assertThatThrownBy(() -> WorkerApplication.start(config(KafkaBroker.uniqueName("keeper") + ".", url,
                Map.of(ConfigKeys.RESULT_RETENTION_MS.name(), "604800000", ConfigKeys.MIGRATE.name(), "false"))))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("result-retention-ms is set, but the database user")
                .hasMessageContaining("may not DELETE from command_results, command_redeliveries")
                .hasMessageContaining("GRANT DELETE ON command_results, command_redeliveries");
    }

    @Test
    void startsThePrunerWhenAResultRetentionIsSet() {
        try (WorkerApplication application = WorkerApplication.start(config(KafkaBroker.uniqueName("pruning") + ".",
                database.jdbcUrl(), Map.of(ConfigKeys.RESULT_RETENTION_MS.name(), "3600000",
                        ConfigKeys.PRUNE_INTERVAL_MS.name(), "100", ConfigKeys.AUTO_REGISTER.name(), "true")))) {
            assertThat(application.meters().find("ingest.outcomes.pruned").counter()).isNotNull();
            assertThat(application.meters().find("ingest.outcomes.prune.failures").tag("kind", "permanent")
                    .counter()).isNotNull();
        }
    }

    private String urlOf(String databaseName) {
        return server.adminJdbcUrl().replaceFirst("/postgres(\\?|$)", "/" + databaseName + "$1");
    }

    private void admin(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.adminJdbcUrl());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private IngestConfig config(String prefix, String dbUrl, Map<String, String> extra) {
        Map<String, String> flags = new HashMap<>(extra);
        flags.putIfAbsent(ConfigKeys.CREATE_TOPICS.name(), "true");
        return TestWorkerConfig.of(broker.bootstrapServers(), dbUrl, registry.url(), prefix, flags);
    }
}
