package io.allsource.ingest.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.avro.StreamOutcome;
import io.allsource.ingest.client.ClientSettings;
import io.allsource.ingest.client.IngestClient;
import io.allsource.ingest.client.command.Append;
import io.allsource.ingest.client.command.Command;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroDeserializer;
import io.allsource.ingest.topics.IngestTopics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * docker-compose.yml started for real (docker-compose 1.29, the local images of docker/build-images.sh, a project
 * name and host ports of its own on 127.0.0.1): a command appended with the real {@link IngestClient} is ACCEPTED by
 * the stack's worker, its event is read back from the events topic and decoded through the stack's registry, and
 * Debezium's JDBC sink, registered on the stack's Connect service from connect/jdbc-sink-events.json, lands the
 * event's row in the stack's warehouse database. The stack is taken down with its volumes afterwards, also when a
 * step fails (its services' last log lines are kept in target/docker-stack/ then).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerStackIT {

    private static final Duration STACK_START = Duration.ofMinutes(15);
    private static final String TENANT = "tenant-docker";

    private final Path root = ComposeStack.repositoryRoot();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ComposeStack stack;
    private boolean passed;

    @BeforeAll
    void startStack() {
        assertThat(ComposeStack.missingImages(ComposeStack.LOCAL_IMAGES))
                .as("local images missing: run docker/build-images.sh").isEmpty();
        stack = new ComposeStack(root, "docker-compose.yml", "docker/local-images.env");
        stack.up(STACK_START);
        await().alias("the worker's /health/ready answering READY on 127.0.0.1")
                .atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .until(() -> get(stack.workerPort(), "/health/ready").statusCode() == 200);
    }

    @AfterAll
    void stopStack() {
        if (stack == null) {
            return;
        }
        if (!passed) {
            stack.captureLogs();
        }
        stack.down();
    }

    @Test
    void appendsThroughTheStackReadsTheEventBackAndTheJdbcSinkLandsItsRow() throws Exception {
        String stream = "order-" + UUID.randomUUID();
        AppendCommand command = Command.of(TENANT)
                .append(Append.to(stream).expectingNoStream().event("OrderPlaced", stream, "{\"total\":12.5}"))
                .build();

        CommandResult result = append(command);

        assertThat(result.getStatus()).as("the worker's result").isEqualTo(CommandStatus.ACCEPTED);
        assertThat(result.getCommandId()).isEqualTo(command.getCommandId());
        assertThat(result.getStreams()).extracting(StreamOutcome::getStreamId).containsExactly(stream);

        EventRecord event = readEventOf(command.getCommandId());

        assertThat(event.getStreamId()).as("the event on the events topic").isEqualTo(stream);
        assertThat(event.getVersion()).isEqualTo(1L);
        assertThat(event.getTenantId()).isEqualTo(TENANT);
        assertThat(event.getEventType()).isEqualTo("OrderPlaced");
        assertThat(new ObjectMapper().readTree(event.getPayload()))
                .isEqualTo(new ObjectMapper().readTree("{\"total\":12.5}"));

        registerJdbcSink();
        Map<String, String> row = await().alias("the event's row in the warehouse's events table")
                .atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                .until(() -> warehouseRow(event.getEventId()), Optional::isPresent).orElseThrow();

        assertThat(row).containsEntry("stream_id", stream).containsEntry("tenant_id", TENANT)
                .containsEntry("event_type", "OrderPlaced").containsEntry("command_id", command.getCommandId())
                .containsEntry("version", "1").containsEntry("payload", event.getPayload());
        passed = true;
    }

    private CommandResult append(AppendCommand command) throws Exception {
        ClientSettings settings = ClientSettings.of(Map.of("bootstrap.servers", kafka()), registry())
                .withAutoRegisterSchemas(true).withTimeout(Duration.ofSeconds(90));
        try (IngestClient client = new IngestClient(settings)) {
            return client.append(command).get(2, TimeUnit.MINUTES);
        }
    }

    /** Reads the events topic from the start of every partition until the command's event is there. */
    private EventRecord readEventOf(String commandId) {
        Map<String, Object> properties = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        String topic = IngestTopics.DEFAULT.events();
        AvroDeserializer<EventRecord> decoder =
                new AvroDeserializer<>(new SchemaRegistryClient(registry()), EventRecord.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<String, EventRecord> found = new LinkedHashMap<>();
            await().alias("the command's event on " + topic).atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(10)).until(() -> {
                        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                            EventRecord event = decoder.deserialize(topic, record.value());
                            if (event.getCommandId().equals(commandId)) {
                                found.put(commandId, event);
                            }
                        }
                        return found.containsKey(commandId);
                    });
            return found.get(commandId);
        }
    }

    private void registerJdbcSink() throws IOException, InterruptedException {
        String connector = Files.readString(root.resolve("connect/jdbc-sink-events.json"));
        await().alias("Kafka Connect's REST API on 127.0.0.1").atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .until(() -> get(stack.connectPort(), "/connector-plugins").body()
                        .contains("io.debezium.connector.jdbc.JdbcSinkConnector"));
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(connect("/connectors"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(connector)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(created.statusCode()).as("POST /connectors: %s", created.body()).isEqualTo(201);
    }

    private Optional<Map<String, String>> warehouseRow(String eventId) throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + stack.postgresPort() + "/warehouse";
        try (Connection connection = DriverManager.getConnection(url, "ingest", "ingest");
                PreparedStatement select = connection.prepareStatement("SELECT stream_id, version, tenant_id,"
                        + " event_type, payload, command_id FROM events WHERE event_id = ?")) {
            select.setString(1, eventId);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                Map<String, String> row = new LinkedHashMap<>();
                for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                    row.put(rows.getMetaData().getColumnName(column), rows.getString(column));
                }
                return Optional.of(row);
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                throw e;
            }
            return Optional.empty();
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI connect(String path) {
        return URI.create("http://127.0.0.1:" + stack.connectPort() + path);
    }

    private String kafka() {
        return "127.0.0.1:" + stack.kafkaPort();
    }

    private RegistrySettings registry() {
        return RegistrySettings.of("http://127.0.0.1:" + stack.registryPort() + "/apis/ccompat/v7");
    }
}
