package io.allsource.ingest.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.NewEvent;
import io.allsource.ingest.avro.StreamAppend;
import io.allsource.ingest.config.ConfigKeys;
import io.allsource.ingest.config.IngestConfig;
import io.allsource.ingest.failure.FatalWorkerException;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroSerializer;
import io.allsource.ingest.settings.ConfigException;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The worker started from its configuration, with the checks of each step. */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
class WorkerApplicationIT {

    private final KafkaBroker broker;
    private final TestDatabase database;
    private final TestSchemaRegistry registry;

    WorkerApplicationIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.broker = broker;
        this.database = database;
        this.registry = registry;
    }

    @Test
    void refusesToStartWhenATopicIsMissingNamingIt() {
        String prefix = KafkaBroker.uniqueName("missing") + ".";

        assertThatThrownBy(() -> WorkerApplication.start(config(prefix, Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topic " + prefix + "ingest.commands does not exist")
                .hasMessageContaining("--create-topics");
    }

    @Test
    void refusesToStartWhenATopicHasAnotherPartitionCountNamingIt() {
        String prefix = KafkaBroker.uniqueName("twelve") + ".";
        broker.createTopic(prefix + "ingest.commands", 12);

        assertThatThrownBy(() -> WorkerApplication.start(config(prefix,
                Map.of(ConfigKeys.CREATE_TOPICS.name(), "true"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topic " + prefix + "ingest.commands has 12 partitions")
                .hasMessageContaining("exactly 32");
    }

    @Test
    void refusesToStartWhenTheRegistryIsUnreachableNamingIt() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;
        Map<String, String> flags = Map.of(ConfigKeys.REGISTRY_URL.name(), url);

        assertThatThrownBy(() -> WorkerApplication.start(config(KafkaBroker.uniqueName("noreg") + ".", flags)))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("schema registry at " + url + " is not reachable");
    }

    @Test
    void createsTopicsMigratesAppliesCommandsAndServesMetricsAndHealth() throws Exception {
        String prefix = KafkaBroker.uniqueName("app") + ".";
        try (WorkerApplication application = WorkerApplication.start(withMetricsOnFreePort(prefix))) {
            assertThat(application.isReady()).isTrue();
            assertThat(get(application, "/health/ready").statusCode()).isEqualTo(200);
            assertThat(get(application, "/health/live").body()).isEqualTo("UP\n");

            send(prefix + "ingest.commands", "metered-stream");

            await().alias("the applied command counted in the Prometheus scrape")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> get(application, "/metrics").body()
                            .contains("ingest_commands_applied_total{outcome=\"accepted\",reason=\"none\"} 1.0"));
            assertThat(get(application, "/metrics").body()).contains("ingest_partition_lag", "ingest_transaction_time",
                    "ingest_batches_fenced_total 0.0");
        }
    }

    @Test
    void stopsWithAOneLineReasonAndAnswersNotReadyWhenTheStoreFailsInAWayNoRetryCanFix() throws Exception {
        String prefix = KafkaBroker.uniqueName("fatal") + ".";
        try (WorkerApplication application = WorkerApplication.start(withMetricsOnFreePort(prefix))) {
            assertThat(application.isReady()).isTrue();
            execute("ALTER TABLE partition_state RENAME TO partition_state_moved");
            try {
                send(prefix + "ingest.commands", "doomed-stream");

                FatalWorkerException failure = application.failure().get(60, TimeUnit.SECONDS);

                assertThat(failure.getMessage()).contains("failed and no retry can fix it",
                        "relation \"partition_state\" does not exist").doesNotContain("\n");
                assertThat(application.isReady()).isFalse();
                assertThat(get(application, "/health/ready").statusCode()).isEqualTo(503);
            } finally {
                execute("ALTER TABLE partition_state_moved RENAME TO partition_state");
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private IngestConfig withMetricsOnFreePort(String prefix) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return config(prefix, Map.of(ConfigKeys.CREATE_TOPICS.name(), "true", ConfigKeys.AUTO_REGISTER.name(), "true",
                ConfigKeys.METRICS_PORT.name(), Integer.toString(port),
                ConfigKeys.METRICS_HOST.name(), "127.0.0.1"));
    }

    private HttpResponse<String> get(WorkerApplication application, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + application.metricsPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void send(String topic, String stream) {
        SchemaRegistryClient client = new SchemaRegistryClient(RegistrySettings.of(registry.url()));
        try (KafkaProducer<String, AppendCommand> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                AvroSerializer.forTopics(client, true))) {
            producer.send(new ProducerRecord<>(topic, stream, new AppendCommand(UUID.randomUUID().toString(), "t",
                    null, List.of(new StreamAppend(stream, new ExpectedVersion(ExpectedVersionKind.ANY, 0L),
                            List.of(new NewEvent(null, "Metered", stream, "{}", Map.of())))), Instant.now(), null)));
        }
    }

    private IngestConfig config(String prefix, Map<String, String> extra) {
        return TestWorkerConfig.of(broker.bootstrapServers(), database.jdbcUrl(), registry.url(), prefix, extra);
    }
}
