package io.allsource.ingest.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.client.ClientSettings;
import io.allsource.ingest.client.IngestClient;
import io.allsource.ingest.client.command.Append;
import io.allsource.ingest.client.command.Command;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroDeserializer;
import io.allsource.ingest.topics.IngestTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.secured.yml started for real on the local images, with the example passwords of
 * docker/secured/secured.env and the certificates its certs service makes: an {@link IngestClient} logged in as
 * ingest-client (SCRAM-SHA-512 over TLS, the broker's certificate checked against the stack's CA) appends through the
 * registry's HTTPS proxy with basic auth and gets the result ACCEPTED from the worker (which runs as ingest-worker,
 * ingest_worker over verify-full TLS, with migrate=false after the migrate and db-grants steps); the event is read
 * back as ingest-views and decoded through the proxy. Each principal is refused what it was not granted (the client
 * reading the events topic), the proxy refuses a request without credentials, and PostgreSQL refuses a connection
 * without TLS and the worker role a DELETE on the event store. The stack is taken down with its volumes afterwards
 * (its services' last log lines kept in target/docker-stack/).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredDockerStackIT {

    private static final String TENANT = "tenant-secured";

    private final Path root = ComposeStack.repositoryRoot();
    private final Map<String, String> secrets = ComposeStack.variables(root.resolve("docker/secured/secured.env"));
    private ComposeStack stack;
    private Path truststore;
    private Path caCertificate;

    @BeforeAll
    void startStack(@TempDir Path certificates) {
        assertThat(ComposeStack.missingImages(ComposeStack.LOCAL_IMAGES)).as("run docker/build-images.sh").isEmpty();
        assertThat(ComposeStack.missingImages(ComposeStack.SECURED_IMAGES))
                .as("run docker/build-images.sh nginx cli").isEmpty();
        stack = new ComposeStack(root, "docker-compose.secured.yml", "docker/secured/secured.env");
        stack.up(Duration.ofMinutes(15));
        truststore = certificates.resolve("truststore.p12");
        caCertificate = certificates.resolve("ca.crt");
        stack.copyFrom("kafka", "/certs/truststore.p12", truststore);
        stack.copyFrom("kafka", "/certs/ca.crt", caCertificate);
        HttpClient http = HttpClient.newHttpClient();
        await().alias("the worker's /health/ready answering READY on 127.0.0.1")
                .atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.workerPort()
                        + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }

    @AfterAll
    void stopStack() {
        if (stack == null) {
            return;
        }
        stack.captureLogs();
        stack.down();
    }

    @Test
    void appendsAsTheClientOverSaslSslAndReadsTheEventBackAsTheViewsThroughTheRegistryProxy() throws Exception {
        String stream = "order-" + UUID.randomUUID();
        AppendCommand command = Command.of(TENANT)
                .append(Append.to(stream).expectingNoStream().event("OrderPlaced", stream, "{\"total\":7}"))
                .build();

        CommandResult result;
        try (IngestClient client = new IngestClient(ClientSettings.of(kafka("ingest-client", "KAFKA_CLIENT_PASSWORD"),
                registry("ingest-client", "REGISTRY_CLIENT_PASSWORD")).withAutoRegisterSchemas(true)
                .withTimeout(Duration.ofSeconds(90)))) {
            result = client.append(command).get(2, TimeUnit.MINUTES);
        }
        EventRecord event = readEventAsTheViews(command.getCommandId());

        assertThat(result.getStatus()).as("the worker's result").isEqualTo(CommandStatus.ACCEPTED);
        assertThat(event.getStreamId()).as("the event, read as ingest-views").isEqualTo(stream);
        assertThat(event.getTenantId()).isEqualTo(TENANT);
        assertThat(event.getEventType()).isEqualTo("OrderPlaced");
    }

    @Test
    void theClientsPrincipalMayNotReadTheEventsTopic() {
        Map<String, Object> properties = consumer("ingest-client", "KAFKA_CLIENT_PASSWORD");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            TopicPartition partition = new TopicPartition(IngestTopics.DEFAULT.events(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));

            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(30)))
                    .isInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(IngestTopics.DEFAULT.events());
        }
    }

    @Test
    void theRegistryProxyAnswersOnlyOverTlsWithCredentials() throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(trusting(truststore)).build();
        URI subjects = URI.create(registryUrl() + "/subjects");

        HttpResponse<String> anonymous = https.send(HttpRequest.newBuilder(subjects).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrongPassword = https.send(HttpRequest.newBuilder(subjects)
                .header("Authorization", basic("ingest-client", "not-the-password")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> client = https.send(HttpRequest.newBuilder(subjects)
                .header("Authorization", basic("ingest-client", secrets.get("REGISTRY_CLIENT_PASSWORD"))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(client.statusCode()).isEqualTo(200);
    }

    @Test
    void postgresRefusesConnectionsWithoutTlsAndTheWorkerRoleMayNotDeleteEvents() throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + stack.postgresPort() + "/ingest";
        String verified = url + "?sslmode=verify-full&sslrootcert=" + caCertificate;
        String workerPassword = secrets.get("INGEST_WORKER_PASSWORD");

        assertThatThrownBy(() -> DriverManager.getConnection(url + "?sslmode=disable", "ingest_worker",
                workerPassword).close()).isInstanceOf(SQLException.class).hasMessageContaining("no encryption");
        try (Connection connection = DriverManager.getConnection(verified, "ingest_worker", workerPassword);
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM events"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
        }
    }

    private EventRecord readEventAsTheViews(String commandId) {
        String topic = IngestTopics.DEFAULT.events();
        AvroDeserializer<EventRecord> decoder = new AvroDeserializer<>(
                new SchemaRegistryClient(registry("ingest-views", "REGISTRY_VIEWS_PASSWORD")), EventRecord.class);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumer("ingest-views", "KAFKA_VIEWS_PASSWORD"))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<String, EventRecord> found = new HashMap<>();
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

    private Map<String, Object> consumer(String user, String passwordVariable) {
        Map<String, Object> properties = new HashMap<>(kafka(user, passwordVariable));
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return properties;
    }

    /** SASL_SSL with SCRAM-SHA-512 as {@code user}, the broker's certificate checked against the stack's CA. */
    private Map<String, Object> kafka(String user, String passwordVariable) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("bootstrap.servers", "127.0.0.1:" + stack.kafkaPort());
        properties.put("security.protocol", "SASL_SSL");
        properties.put("sasl.mechanism", "SCRAM-SHA-512");
        properties.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"" + user + "\" password=\"" + secrets.get(passwordVariable) + "\";");
        properties.put("ssl.truststore.location", truststore.toString());
        properties.put("ssl.truststore.password", secrets.get("TRUSTSTORE_PASSWORD"));
        properties.put("ssl.truststore.type", "PKCS12");
        return properties;
    }

    private RegistrySettings registry(String user, String passwordVariable) {
        return RegistrySettings.of(registryUrl()).withBasicAuth(user + ":" + secrets.get(passwordVariable))
                .withTrustStore(truststore, secrets.get("TRUSTSTORE_PASSWORD"), "PKCS12");
    }

    private String registryUrl() {
        return "https://127.0.0.1:" + stack.registryPort() + "/apis/ccompat/v7";
    }

    private SSLContext trusting(Path store) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            keyStore.load(in, secrets.get("TRUSTSTORE_PASSWORD").toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
