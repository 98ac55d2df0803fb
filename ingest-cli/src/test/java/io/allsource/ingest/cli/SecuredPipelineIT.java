package io.allsource.ingest.cli;

import static io.allsource.ingest.cli.CliOutput.ingest;
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
import io.allsource.ingest.embedded.FreePorts;
import io.allsource.ingest.serde.AvroDeserializer;
import io.allsource.ingest.serde.AvroSerializer;
import io.allsource.ingest.testing.CapturedLog;
import io.allsource.ingest.testing.IngestGrants;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.testing.TlsPostgres;
import io.allsource.ingest.topics.IngestHeaders;
import io.allsource.ingest.topics.IngestTopics;
import io.allsource.ingest.views.ViewsApplication;
import io.allsource.ingest.views.ViewsSettings;
import io.allsource.ingest.views.ViewsTopics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline over a secured deployment ({@link SecuredDeployment}): Kafka over SASL_SSL with SCRAM-SHA-512
 * and least-privilege ACLs, PostgreSQL over verify-full TLS with an owner and a worker role, the registry over HTTPS
 * with basic authentication. Each part runs as its own principal with its own credentials: the deployer registers the
 * schemas through the proxy, {@code ingest run} runs as the worker, {@code ingest append} and an {@link IngestClient}
 * as the client, the live views and a Connect worker with a file sink ({@link SecuredConnectWorker}) as theirs; the
 * events are read back and decoded through the registry. Each principal is refused what it was not granted, and none
 * was refused anything in the flow. Then one wrong password for each server, each refused in one line; last, every
 * line the pipeline printed or logged, its metrics and health bodies, are searched for every secret it was given.
 * One broker, one database and one worker process for the whole class.
 */
@ExtendWith(SchemaRegistryExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredPipelineIT {

    private static final Duration START_WAIT = Duration.ofSeconds(90);
    private static final String CLIENT_USER = IngestGrants.userName(IngestGrants.CLIENT);
    private static final String VIEWS_USER = IngestGrants.userName(IngestGrants.VIEWS);

    @TempDir
    static Path folder;

    private final TestSchemaRegistry upstreamRegistry;
    private final String prefix = KafkaBroker.uniqueName("secured") + ".";
    private final String wrongPassword = "wrong-" + UUID.randomUUID();
    /** What the pipeline printed outside the test JVM's log: CLI output, refusals, HTTP bodies. */
    private final List<String> printed = new CopyOnWriteArrayList<>();

    private final String sinkName = prefix + IngestGrants.Names.DEFAULTS.connectorPrefix() + "-file";

    private CapturedLog log;
    private SecuredDeployment deployment;
    private Path dataDirectory;
    private Path sinkFile;
    private IngestRunProcess worker;
    private SecuredConnectWorker connect;
    private ReadinessProbe probe;
    private int metricsPort;
    private ViewsApplication views;

    SecuredPipelineIT(TestSchemaRegistry upstreamRegistry) {
        this.upstreamRegistry = upstreamRegistry;
    }

    @BeforeAll
    void startTheSecuredServers() throws IOException {
        log = CapturedLog.everything();
        deployment = SecuredDeployment.start(folder, upstreamRegistry, prefix);
        dataDirectory = Files.createDirectories(folder.resolve("data"));
        sinkFile = folder.resolve("connect-sink").resolve("events.txt");
        Files.createDirectories(sinkFile.getParent());
        // Where the subcommands find the pipeline and its topic names; how they log in is given on each command line.
        new Endpoints(deployment.kafka().bootstrapServers(), deployment.registryUrl(),
                deployment.postgres().jdbcUrl(), prefix, null).write(dataDirectory);
    }

    @AfterAll
    void stopEverything() throws InterruptedException {
        if (views != null) {
            views.close();
        }
        if (connect != null) {
            connect.close();
        }
        if (probe != null) {
            probe.close();
        }
        if (worker != null) {
            worker.close();
        }
        if (deployment != null) {
            deployment.close();
        }
        if (log != null) {
            log.close();
        }
    }

    @Test
    @Order(1)
    void theOwnerMigratesAndTheDeployerRegistersTheSchemasOverTlsWithBasicAuth() throws IOException {
        TlsPostgres postgres = deployment.postgres();
        CliOutput migrated = cli("migrate", "--db-url", postgres.jdbcUrl(), "--db-user", TlsPostgres.OWNER,
                "--db-password", postgres.owner().password());
        assertThat(migrated.status()).as(migrated.toString()).isZero();
        postgres.execute(postgres.owner(), SecuredDeployment.readmeDatabaseGrants());

        List<String> args = new ArrayList<>(List.of("schemas", "register"));
        args.addAll(deployment.registryFlags(SecuredDeployment.DEPLOYER));
        args.addAll(topicFlags());
        CliOutput registered = cli(args.toArray(String[]::new));

        assertThat(registered.status()).as(registered.toString()).isZero();
        assertThat(registered.out()).contains(deployment.topics().commands() + "-value -> ",
                deployment.topics().results() + "-value -> ", deployment.topics().events() + "-value -> ");
    }

    @Test
    @Order(2)
    void theWorkerRunsAsItsPrincipalAndRoleAndAnswersReady() {
        metricsPort = FreePorts.find();
        probe = ReadinessProbe.start(metricsPort);
        worker = IngestRunProcess.start(deployment.workerSettings("secured-worker", metricsPort),
                deployment.kafkaFlags(IngestGrants.WORKER), folder.resolve("worker.log"));

        await().alias("the worker ready").atMost(START_WAIT).until(() -> probe.sawReady() || !worker.isAlive());

        assertThat(probe.sawReady()).as(worker.output()).isTrue();
        assertThat(worker.output()).contains("AllSource Ingest worker is running");
    }

    @Test
    @Order(3)
    void theViewsStartAsTheirOwnPrincipalAndServeHttp() throws Exception {
        // started early: Kafka Streams takes a while to create its topics and join its group; the flow goes on
        views = ViewsApplication.start(ViewsSettings.defaults(deployment.kafkaProperties(IngestGrants.VIEWS),
                        deployment.registrySettings(VIEWS_USER))
                .withApplicationId(deployment.names().viewsApplicationId())
                .withTopics(ViewsTopics.DEFAULT.withPrefix(prefix))
                .withStateDirectory(folder.resolve("views"))
                .withHttp("127.0.0.1", 0));

        assertThat(get(views.url().resolve("/health/live")).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void aConnectWorkerJoinsItsGroupAndStoresASinkAsItsOwnPrincipal() throws Exception {
        connect = SecuredConnectWorker.start(deployment);

        Herder.Created<ConnectorInfo> created = connect.createEventsFileSink(deployment, sinkName, sinkFile)
                .get(START_WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(created.created()).isTrue();
        assertThat(created.result().name()).isEqualTo(sinkName);
    }

    @Test
    @Order(5)
    void ingestAppendAsTheClientGetsAnAcceptedAndARejectedResult() {
        CliOutput accepted = append("cli-order", "any");
        CliOutput rejected = append("cli-order", "no-stream");

        assertThat(accepted.status()).as(accepted.toString()).isZero();
        assertThat(accepted.out()).contains("ACCEPTED", "stream cli-order: version 1");
        assertThat(rejected.status()).as(rejected.toString()).isEqualTo(2);
        assertThat(rejected.out()).contains("REJECTED CONCURRENCY_CONFLICT");
    }

    @Test
    @Order(6)
    void anIngestClientAsTheClientGetsAnAcceptedAndARejectedResult() throws Exception {
        ClientSettings settings = ClientSettings.of(deployment.kafkaProperties(IngestGrants.CLIENT),
                deployment.registryClient(CLIENT_USER)).withTopics(deployment.topics());
        try (IngestClient client = new IngestClient(settings)) {
            CommandResult accepted = client.append(Command.of("tenant").append(Append.to("client-order")
                    .expectingNoStream().event("OrderPlaced", "client-order", "{\"total\": 3}"))).get(30,
                    TimeUnit.SECONDS);
            CommandResult stale = client.append(Command.of("tenant").append(Append.to("client-order")
                    .expectingVersion(0).event("OrderPaid", "client-order", "{}"))).get(30, TimeUnit.SECONDS);

            assertThat(accepted.getStatus()).as(accepted.toString()).isEqualTo(CommandStatus.ACCEPTED);
            assertThat(stale.getStatus()).as(stale.toString()).isEqualTo(CommandStatus.REJECTED);
            assertThat(stale.getReason()).hasToString("CONCURRENCY_CONFLICT");
        }
    }

    @Test
    @Order(7)
    void aResultAskedForOnAReplyTopicIsWrittenThere() {
        String replyTopic = SecuredDeployment.replyTopic(deployment.names());
        String commandId = UUID.randomUUID().toString();
        AppendCommand command = AppendCommand.newBuilder(Command.of("tenant").append(Append.to("reply-order")
                .expectingAny().event("OrderPlaced", "reply-order", "{}")).build()).setCommandId(commandId).build();
        try (KafkaProducer<String, AppendCommand> producer = new KafkaProducer<>(
                deployment.kafkaProperties(IngestGrants.CLIENT), new StringSerializer(),
                AvroSerializer.forTopics(deployment.registryClient(CLIENT_USER), false))) {
            ProducerRecord<String, AppendCommand> record = new ProducerRecord<>(deployment.topics().commands(),
                    "reply-order", command);
            record.headers().add(IngestHeaders.REPLY_TOPIC, replyTopic.getBytes(StandardCharsets.UTF_8));
            record.headers().add(IngestHeaders.REPLY_PARTITION, "0".getBytes(StandardCharsets.UTF_8));
            producer.send(record);
        }
        AvroDeserializer<CommandResult> results = new AvroDeserializer<>(
                deployment.registryClient(CLIENT_USER), CommandResult.class);

        await().alias("the result on the reply topic").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(deployment.recordsAsAdmin(replyTopic)).anySatisfy(reply -> {
                    assertThat(reply.headers().lastHeader(IngestHeaders.REPLY_ERROR)).isNull();
                    CommandResult result = results.deserialize(replyTopic, reply.value());
                    assertThat(result.getCommandId()).isEqualTo(commandId);
                    assertThat(result.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
                }));
    }

    @Test
    @Order(8)
    void theEventsAreReadAndDecodedThroughTheRegistryWithCredentials() {
        AvroDeserializer<EventRecord> events = new AvroDeserializer<>(deployment.registryClient(VIEWS_USER),
                EventRecord.class);
        String topic = deployment.topics().events();

        await().alias("the three accepted commands' events").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(deployment.records(topic, IngestGrants.VIEWS).stream()
                        .map(record -> events.deserialize(topic, record.value()))
                        .map(event -> event.getStreamId() + " " + event.getVersion() + " " + event.getEventType())
                        .toList()).containsExactlyInAnyOrder("cli-order 1 OrderPlaced",
                        "client-order 1 OrderPlaced", "reply-order 1 OrderPlaced"));
    }

    @Test
    @Order(9)
    void readAndVerifyWorkOverVerifiedTls() {
        TlsPostgres postgres = deployment.postgres();
        CliOutput read = cli("read", "--data-dir", dataDirectory.toString(), "--stream", "client-order",
                "--db-user", TlsPostgres.WORKER, "--db-password", postgres.worker().password());
        CliOutput verify = cli("verify", "--data-dir", dataDirectory.toString(), "--db-user", TlsPostgres.OWNER,
                "--db-password", postgres.owner().password());

        assertThat(read.status()).as(read.toString()).isZero();
        assertThat(read.out()).contains("\"stream_id\": \"client-order\"", "OrderPlaced");
        assertThat(verify.status()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("All invariants hold.");
    }

    @Test
    @Order(10)
    void theViewsAnswerForAStreamAsTheirOwnPrincipal() throws Exception {
        await().alias("the views answering for client-order").atMost(Duration.ofSeconds(60))
                .until(() -> get(views.url().resolve("/streams/client-order")).statusCode() == 200);

        assertThat(get(views.url().resolve("/streams/client-order")).body())
                .contains("\"stream_id\":\"client-order\"", "\"latest_version\":1");
        assertNoClientOfTheTestJvmWasRefused();
    }

    @Test
    @Order(11)
    void theConnectFileSinkWritesEveryEventDecodedThroughTheRegistry() {
        await().alias("the sink's file holding the three events").atMost(START_WAIT)
                .failFast("the connector or its task failed", () -> assertNotFailed(connect.status(sinkName)))
                .untilAsserted(() -> assertThat(Files.exists(sinkFile) ? Files.readAllLines(sinkFile) : List.of())
                        .hasSize(3)
                        .anySatisfy(line -> assertThat(line).contains("\"stream_id\": \"cli-order\"",
                                "\"version\": 1", "\"event_type\": \"OrderPlaced\""))
                        .anySatisfy(line -> assertThat(line).contains("\"stream_id\": \"client-order\""))
                        .anySatisfy(line -> assertThat(line).contains("\"stream_id\": \"reply-order\"")));
        assertThat(connect.status(sinkName).tasks()).singleElement()
                .satisfies(task -> assertThat(task.state()).isEqualTo("RUNNING"));
        assertNoClientOfTheTestJvmWasRefused();
    }

    @Test
    @Order(12)
    void eachPrincipalIsRefusedWhatItWasNotGranted() {
        IngestTopics topics = deployment.topics();

        assertRefused(IngestGrants.WORKER, admin -> admin.createTopics(List.of(new NewTopic(prefix + "intruder", 1,
                (short) 1))).all(), TopicAuthorizationException.class);
        assertRefused(IngestGrants.WORKER, admin -> admin.describeTopics(List.of(deployment.names().alerts()))
                .allTopicNames(), TopicAuthorizationException.class);
        assertRefused(IngestGrants.CLIENT, admin -> admin.describeTopics(List.of(topics.events())).allTopicNames(),
                TopicAuthorizationException.class);
        assertRefused(IngestGrants.CLIENT, admin -> admin.listConsumerGroupOffsets(deployment.names().workerGroup())
                .all(), GroupAuthorizationException.class);
        assertRefused(IngestGrants.VIEWS, admin -> admin.describeTopics(List.of(topics.commands())).allTopicNames(),
                TopicAuthorizationException.class);
        assertRefused(IngestGrants.CONNECT, admin -> admin.describeTopics(List.of(topics.results())).allTopicNames(),
                TopicAuthorizationException.class);
    }

    @Test
    @Order(13)
    void theMetricsAndHealthBodiesAreServed() throws Exception {
        HttpResponse<String> ready = get(URI.create("http://127.0.0.1:" + metricsPort + "/health/ready"));
        HttpResponse<String> metrics = get(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"));

        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(metrics.body()).contains("ingest_commands_applied_total{outcome=\"accepted\",reason=\"none\"} 3.0");
    }

    @Test
    @Order(14)
    void aWrongScramPasswordIsRefusedInOneLine() {
        List<String> args = new ArrayList<>(List.of("views", "--data-dir", dataDirectory.toString(),
                "--views-application-id", prefix + "refused-views"));
        args.addAll(deployment.registryFlags(VIEWS_USER));
        args.addAll(deployment.kafkaFlags(IngestGrants.VIEWS, wrongPassword));

        CliOutput refused = cli(args.toArray(String[]::new));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err().lines()).as(refused.toString()).first().asString()
                .startsWith("error: Kafka at " + deployment.kafka().bootstrapServers() + " refused the credentials"
                        + " (SaslAuthenticationException: ");

        List<String> appendArgs = new ArrayList<>(List.of("append", "--data-dir", dataDirectory.toString(),
                "--stream", "refused-order", "--type", "OrderPlaced", "--payload", "{}"));
        appendArgs.addAll(deployment.kafkaFlags(IngestGrants.CLIENT, wrongPassword));
        appendArgs.addAll(deployment.registryFlags(CLIENT_USER));
        CliOutput append = cli(appendArgs.toArray(String[]::new));
        assertThat(append.status()).as(append.toString()).isEqualTo(1);
        assertThat(append.err().lines()).as(append.toString()).singleElement().asString()
                .startsWith("error: Kafka at " + deployment.kafka().bootstrapServers() + " refused the credentials"
                        + " (SaslAuthenticationException: ")
                .endsWith("check kafka.security.protocol, kafka.sasl.mechanism and kafka.sasl.jaas.config");
    }

    @Test
    @Order(15)
    void aWrongRegistryPasswordIsRefusedInOneLine() {
        List<String> args = new ArrayList<>(List.of("schemas", "check"));
        args.addAll(deployment.registryFlags(SecuredDeployment.DEPLOYER, wrongPassword));
        args.addAll(topicFlags());

        CliOutput refused = cli(args.toArray(String[]::new));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err().lines()).as(refused.toString()).singleElement().asString()
                .contains("HTTP 401", "the registry did not accept the user and password: check registry-basic-auth");
    }

    @Test
    @Order(16)
    void aWrongDatabasePasswordIsRefusedInOneLine() {
        CliOutput refused = cli("read", "--data-dir", dataDirectory.toString(), "--stream", "client-order",
                "--db-user", TlsPostgres.WORKER, "--db-password", wrongPassword);

        assertThat(refused.status()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err().lines()).as(refused.toString()).singleElement().asString()
                .startsWith("error: The database at " + deployment.postgres().jdbcUrl() + " refused the connection: ")
                .contains("password authentication failed", "28P01", "check db-user and db-password");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void noSecretAppearsInAnythingThePipelinePrintedOrLogged() throws InterruptedException {
        if (views != null) {
            views.close();
            views = null;
        }
        connect.close();
        connect = null;
        assertThat(worker.stop()).as(worker.output()).isIn(0, 143);
        String everything = worker.output() + "\n" + log.fullText() + "\n" + String.join("\n", printed);

        assertThat(everything).as("the capture holds the run").contains("AllSource Ingest worker is running",
                "ACCEPTED", "REJECTED CONCURRENCY_CONFLICT", "refused the credentials", "HTTP 401",
                "password authentication failed", "# HELP", "READY");
        assertThat(everything).doesNotContain(deployment.secrets().toArray(String[]::new))
                .doesNotContain(wrongPassword);
        assertThat(worker.output()).as("the worker was refused nothing")
                .doesNotContain("AuthorizationException", "AUTHORIZATION_FAILED", "Not authorized");
    }

    private CliOutput append(String stream, String expect) {
        List<String> args = new ArrayList<>(List.of("append", "--data-dir", dataDirectory.toString(), "--stream",
                stream, "--expect", expect, "--type", "OrderPlaced", "--payload", "{\"total\": 12.5}"));
        args.addAll(deployment.kafkaFlags(IngestGrants.CLIENT));
        args.addAll(deployment.registryFlags(CLIENT_USER));
        return cli(args.toArray(String[]::new));
    }

    /** Nothing the client, the views or Connect logged so far says the broker refused them an operation. */
    private void assertNoClientOfTheTestJvmWasRefused() {
        assertThat(log.fullText()).as("what the test JVM's clients logged")
                .doesNotContain("AuthorizationException", "AUTHORIZATION_FAILED", "Not authorized");
    }

    private static void assertNotFailed(ConnectorStateInfo status) {
        assertThat(status.connector().state()).as(status.connector().trace()).isNotEqualTo("FAILED");
        assertThat(status.tasks()).allSatisfy(task -> assertThat(task.state()).as(task.trace())
                .isNotEqualTo("FAILED"));
    }

    /** {@code principal}'s admin client is refused {@code request} with {@code refusal}. */
    private void assertRefused(String principal, Function<Admin, KafkaFuture<?>> request,
            Class<? extends Exception> refusal) {
        try (Admin admin = Admin.create(deployment.kafkaProperties(principal))) {
            assertThatThrownBy(() -> request.apply(admin).get(30, TimeUnit.SECONDS)).as(principal)
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(refusal);
        }
    }

    private List<String> topicFlags() {
        return List.of("--topic-commands", deployment.topics().commands(), "--topic-results",
                deployment.topics().results(), "--topic-events", deployment.topics().events(),
                "--topic-dead-letters", deployment.topics().deadLetters());
    }

    private CliOutput cli(String... args) {
        CliOutput output = ingest(args);
        printed.add(output.out());
        printed.add(output.err());
        return output;
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        printed.add(response.body());
        return response;
    }
}
