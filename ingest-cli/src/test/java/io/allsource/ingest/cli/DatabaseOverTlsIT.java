package io.allsource.ingest.cli;

import static io.allsource.ingest.cli.CliOutput.ingest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.NewEvent;
import io.allsource.ingest.avro.StreamAppend;
import io.allsource.ingest.avro.StreamOperation;
import io.allsource.ingest.avro.StreamOperationKind;
import io.allsource.ingest.config.ConfigKeys;
import io.allsource.ingest.config.IngestConfig;
import io.allsource.ingest.embedded.FreePorts;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroSerializer;
import io.allsource.ingest.startup.StartupException;
import io.allsource.ingest.startup.WorkerApplication;
import io.allsource.ingest.startup.WorkerCommand;
import io.allsource.ingest.testing.CapturedLog;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestCertificateAuthority;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.testing.TlsPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
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
 * The README's production database ("PostgreSQL: TLS and two roles"), against a PostgreSQL of this class's own
 * ({@link TlsPostgres}): TLS with a certificate for {@code localhost} signed by a CA made for the test, scram passwords
 * over {@code hostssl} only. The owner migrates with {@code ingest migrate}; the README's grants are applied as it
 * says; the worker runs as {@code ingest_worker} with {@code migrate=false}, over {@code sslmode=verify-full}, and
 * applies the commands a producer sends. Then the refusals, each one line; and last, every line the pipeline
 * logged or printed, its metrics and its health answers are searched for the passwords it was given.
 */
@ExtendWith({KafkaExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseOverTlsIT {

    private static final String GRANTS_HEADING = "-- The worker's grants:";
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @TempDir
    static Path folder;

    private final KafkaBroker broker;
    private final TestSchemaRegistry registry;
    private final String prefix = KafkaBroker.uniqueName("tls") + ".";
    private final String wrongPassword = "wrong-" + UUID.randomUUID();
    /** What the pipeline printed outside its logs: the subcommands' output, refusals, metrics and health bodies. */
    private final List<String> printed = new CopyOnWriteArrayList<>();

    private TlsPostgres postgres;
    private CapturedLog log;
    private Path dataDirectory;

    DatabaseOverTlsIT(KafkaBroker broker, TestSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
    }

    @BeforeAll
    void startTheServerAndCaptureEveryLine() throws IOException {
        log = CapturedLog.everything();
        postgres = TlsPostgres.start(folder);
        dataDirectory = Files.createDirectories(folder.resolve("data"));
        // What `ingest run` writes: where append and read find the pipeline, with this class's topic names.
        new Endpoints(broker.bootstrapServers(), registry.url(), postgres.jdbcUrl(), prefix, null)
                .write(dataDirectory);
    }

    @AfterAll
    void stop() {
        if (log != null) {
            log.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void theOwnerMigratesOverVerifiedTlsAndGrantsTheWorkerRoleWhatTheReadmeSays() throws IOException {
        CliOutput migrated = cli("migrate", "--db-url", postgres.jdbcUrl(), "--db-user", TlsPostgres.OWNER,
                "--db-password", postgres.owner().password());

        assertThat(migrated.status()).as(migrated.toString()).isZero();
        assertThat(migrated.out()).contains("the schema is up to date");
        assertThat(postgres.queryForString(postgres.owner(), "SELECT tableowner FROM pg_tables"
                + " WHERE tablename = 'events'")).isEqualTo(TlsPostgres.OWNER);
        assertThat(postgres.queryForString(postgres.owner(), "SELECT ssl FROM pg_stat_ssl"
                + " WHERE pid = pg_backend_pid()")).isEqualTo("t");

        postgres.execute(postgres.owner(), readmeGrants());
    }

    @Test
    @Order(2)
    void theWorkerAppliesCommandsOverVerifiedTlsWithOnlyItsGrants() throws Exception {
        try (WorkerApplication worker = WorkerApplication.start(workerConfig(postgres.jdbcUrl(),
                postgres.worker().password(), Map.of(ConfigKeys.MIGRATE.name(), "false")))) {
            assertThat(worker.isReady()).isTrue();

            // Command ids are UUIDs: the worker answers any other id as an invalid command, keyed by its offset.
            List<String> commandIds = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                    UUID.randomUUID().toString());
            for (int i = 0; i < 3; i++) {
                send("tls-" + i, commandIds.get(i));
            }
            send("tls-0", commandIds.get(0));
            // Four records, four stored outcomes whatever they are: the assertions below then say which they were.
            await().alias("an outcome stored for each of the four records").atMost(Duration.ofSeconds(120))
                    .until(() -> ownerCount("SELECT count(*) FROM command_results")
                            + ownerCount("SELECT count(*) FROM command_redeliveries") >= 4);

            String messages = postgres.queryForString(postgres.owner(),
                    "SELECT string_agg(coalesce(message, ''), '; ' ORDER BY command_id) FROM command_results");
            assertThat(postgres.queryForString(postgres.owner(),
                    "SELECT string_agg(command_id || ' ' || status, ', ' ORDER BY command_id) FROM command_results"))
                    .as("the stored outcomes, with messages: %s", messages)
                    .isEqualTo(commandIds.stream().sorted().map(id -> id + " ACCEPTED")
                            .collect(Collectors.joining(", ")));
            assertThat(ownerCount("SELECT count(*) FROM command_redeliveries WHERE command_id = '"
                    + commandIds.get(0) + "'")).isEqualTo(1);
            assertThat(ownerCount("SELECT count(*) FROM events WHERE stream_id LIKE 'tls-%'")).isEqualTo(3);
            await().alias("the watermarks moved by the worker's publication marks").atMost(Duration.ofSeconds(30))
                    .until(() -> ownerCount("SELECT count(*) FROM event_streams WHERE stream_id LIKE 'tls-%'"
                            + " AND watermark = current_version") == 3);

            CliOutput read = cli("read", "--data-dir", dataDirectory.toString(), "--stream", "tls-1", "--db-user",
                    TlsPostgres.WORKER, "--db-password", postgres.worker().password());
            assertThat(read.status()).as(read.toString()).isZero();
            assertThat(read.out()).contains("\"stream_id\": \"tls-1\"");

            String erase = UUID.randomUUID().toString();
            sendErase("tls-2", erase);
            await().alias("the erase decided").atMost(Duration.ofSeconds(60))
                    .until(() -> ownerCount("SELECT count(*) FROM command_results WHERE command_id = '" + erase + "'")
                            == 1);
            assertThat(postgres.queryForString(postgres.owner(), "SELECT status || ' ' || coalesce(message, '')"
                    + " FROM command_results WHERE command_id = '" + erase + "'"))
                    .as("an erase with the worker role's grants").isEqualTo("ACCEPTED ");
            assertThat(ownerCount("SELECT count(*) FROM events WHERE stream_id = 'tls-2' AND erased"
                    + " AND entity_id = 'erased'")).isEqualTo(1);

            assertThat(get(worker, "/health/ready").statusCode()).isEqualTo(200);
            get(worker, "/health/live");
            assertThat(get(worker, "/metrics").body())
                    .contains("ingest_commands_applied_total{outcome=\"accepted\",reason=\"none\"} 4.0");
            assertThat(worker.failure()).isNotDone();
        }
        assertThat(log.fullText()).contains("claimed by").doesNotContain("permission denied");
    }

    @Test
    @Order(3)
    void theWorkerRoleMayNotChangeTheSchemaNorDeleteNorRewriteHistory() {
        for (String statement : List.of("DELETE FROM events", "UPDATE events SET version = version + 1",
                "UPDATE events SET event_type = 'Rewritten'", "UPDATE events SET partition_sequence = 0",
                "TRUNCATE command_results", "DELETE FROM event_streams", "INSERT INTO offset_resets (partition_id,"
                        + " from_offset, to_offset, topic_id, operator, host, reason) VALUES (0, 0, 1, 't', 'o', 'h',"
                        + " 'r')", "SELECT count(*) FROM flyway_schema_history", "CREATE TABLE intruder (id int)",
                "DROP TABLE events")) {
            assertThatThrownBy(() -> postgres.execute(postgres.worker(), statement)).as(statement)
                    .hasRootCauseInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e.getCause()).getSQLState()).as(statement)
                            .isEqualTo(INSUFFICIENT_PRIVILEGE));
        }
    }

    @Test
    @Order(4)
    void aWorkerLeftToMigrateWithTheWorkerRoleIsToldToMigrateApart() {
        StartupException refused = startRefused(postgres.jdbcUrl(), postgres.worker().password(), Map.of());

        assertThat(refused.getMessage()).contains("Migrating the database at " + postgres.jdbcUrl() + " failed",
                "permission denied", "run `ingest migrate` as the schema's owner", "migrate=false");
    }

    @Test
    @Order(5)
    void aCertificateThatDoesNotNameTheHostIsRefusedInOneLine() {
        String byAddress = postgres.jdbcUrl("127.0.0.1", postgres.certificateAuthority().certificateFile());

        StartupException refused = startRefused(byAddress, postgres.worker().password(),
                Map.of(ConfigKeys.MIGRATE.name(), "false"));

        assertThat(refused.getMessage()).startsWith("The database at " + byAddress
                + " failed the TLS check of its certificate: ").contains("The hostname 127.0.0.1 could not be verified",
                "the server's certificate does not name the host of db-url");
        CliOutput migrate = cli("migrate", "--db-url", byAddress, "--db-user", TlsPostgres.OWNER, "--db-password",
                postgres.owner().password());
        assertThat(firstLine(migrate)).isEqualTo("error: " + refused.getMessage());
    }

    @Test
    @Order(6)
    void aCertificateSignedByAnotherCaIsRefusedInOneLine() {
        Path otherCa = TestCertificateAuthority.create(folder, "another-ca").certificateFile();
        String url = postgres.jdbcUrl(TlsPostgres.CERTIFICATE_HOST, otherCa);

        CliOutput migrate = cli("migrate", "--db-url", url, "--db-user", TlsPostgres.OWNER, "--db-password",
                postgres.owner().password());

        assertThat(migrate.status()).isEqualTo(1);
        assertThat(firstLine(migrate)).startsWith("error: The database at " + url
                + " failed the TLS check of its certificate: SSL error: PKIX path building failed")
                .endsWith("the server's certificate is not signed by the CA in sslrootcert (db-url): name the CA"
                        + " certificate that signed the server's there");
    }

    @Test
    @Order(7)
    void aWrongPasswordIsRefusedInOneLineThatDoesNotHoldIt() {
        StartupException refused = startRefused(postgres.jdbcUrl(), wrongPassword,
                Map.of(ConfigKeys.MIGRATE.name(), "false"));
        assertThat(refused.getMessage()).contains("refused the connection",
                "password authentication failed for user \"" + TlsPostgres.WORKER + "\"", "(SQLState 28P01)",
                "check db-user and db-password").doesNotContain("\n", wrongPassword);

        String withPasswordInUrl = postgres.jdbcUrl() + "&password=" + wrongPassword;
        CliOutput migrate = cli("migrate", "--db-url", withPasswordInUrl, "--db-user", TlsPostgres.OWNER);
        assertThat(migrate.status()).isEqualTo(1);
        assertThat(firstLine(migrate)).startsWith("error: The database at " + postgres.jdbcUrl() + "&password=****"
                + " refused the connection: ").contains("password authentication failed", "28P01");
    }

    @Test
    @Order(8)
    void aConnectionWithoutTlsIsRejected() {
        CliOutput migrate = cli("migrate", "--db-url", postgres.plainJdbcUrl(), "--db-user", TlsPostgres.OWNER,
                "--db-password", postgres.owner().password());

        assertThat(migrate.status()).isEqualTo(1);
        assertThat(firstLine(migrate)).contains("pg_hba.conf rejects connection", "no encryption", "(SQLState 28000)");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void noPasswordAppearsInAnythingThePipelineLoggedOrPrinted() {
        String everything = log.fullText() + "\n" + String.join("\n", printed);

        assertThat(everything).as("the capture holds the run").contains("Database schema at version",
                "claimed by", "refused the connection", "failed the TLS check", "# HELP", "UP");
        assertThat(everything).doesNotContain(postgres.owner().password(), postgres.worker().password(),
                wrongPassword);
    }

    /** The README's SQL block that starts with {@value #GRANTS_HEADING}, without its fences. */
    private static String readmeGrants() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf(GRANTS_HEADING);
        assertThat(start).as("the README's grants block").isPositive();
        return readme.substring(start, readme.indexOf("```", start));
    }

    private IngestConfig workerConfig(String url, String password, Map<String, String> extra) {
        Map<String, String> flags = new HashMap<>();
        flags.put(ConfigKeys.BOOTSTRAP_SERVERS.name(), broker.bootstrapServers());
        flags.put(ConfigKeys.REGISTRY_URL.name(), registry.url());
        flags.put(ConfigKeys.DB_URL.name(), url);
        flags.put(ConfigKeys.DB_USER.name(), TlsPostgres.WORKER);
        flags.put(ConfigKeys.DB_PASSWORD.name(), password);
        flags.put(ConfigKeys.GROUP_ID.name(), prefix + "group");
        flags.put(ConfigKeys.TOPIC_COMMANDS.name(), prefix + "ingest.commands");
        flags.put(ConfigKeys.TOPIC_RESULTS.name(), prefix + "ingest.results");
        flags.put(ConfigKeys.TOPIC_EVENTS.name(), prefix + "ingest.events");
        flags.put(ConfigKeys.TOPIC_DEAD_LETTERS.name(), prefix + "ingest.commands.dlq");
        flags.put(ConfigKeys.CREATE_TOPICS.name(), "true");
        flags.put(ConfigKeys.AUTO_REGISTER.name(), "true");
        flags.put(ConfigKeys.METRICS_HOST.name(), "127.0.0.1");
        flags.put(ConfigKeys.METRICS_PORT.name(), Integer.toString(FreePorts.find()));
        flags.putAll(extra);
        return IngestConfig.load(flags, Map.of(), null, WorkerCommand.REQUIRED);
    }

    /** Starts a worker that must refuse; returns the refusal, checked to be one line, and keeps its message. */
    private StartupException startRefused(String url, String password, Map<String, String> extra) {
        IngestConfig config = workerConfig(url, password, extra);
        StartupException refused = null;
        try (WorkerApplication unexpected = WorkerApplication.start(config)) {
            assertThat(unexpected).as("the worker started").isNull();
        } catch (StartupException e) {
            refused = e;
        }
        assertThat(refused).isNotNull();
        printed.add(refused.getMessage());
        assertThat(refused.getMessage()).doesNotContain("\n");
        return refused;
    }

    /** Sends an append of one event to {@code stream} as a producer of commands would. */
    private void send(String stream, String commandId) {
        SchemaRegistryClient client = new SchemaRegistryClient(RegistrySettings.of(registry.url()));
        try (KafkaProducer<String, AppendCommand> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                AvroSerializer.forTopics(client, true))) {
            producer.send(new ProducerRecord<>(prefix + "ingest.commands", stream, new AppendCommand(commandId,
                    "tenant", null, List.of(new StreamAppend(stream, new ExpectedVersion(ExpectedVersionKind.ANY, 0L),
                            List.of(new NewEvent(null, "Opened", stream, "{}", Map.of())))), Instant.now(), null)));
        }
    }

    /** Sends an erase of {@code stream} at version 1. */
    private void sendErase(String stream, String commandId) {
        SchemaRegistryClient client = new SchemaRegistryClient(RegistrySettings.of(registry.url()));
        try (KafkaProducer<String, AppendCommand> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                AvroSerializer.forTopics(client, true))) {
            producer.send(new ProducerRecord<>(prefix + "ingest.commands", stream, new AppendCommand(commandId,
                    "tenant", null, List.of(), Instant.now(), new StreamOperation(stream, StreamOperationKind.ERASE,
                            new ExpectedVersion(ExpectedVersionKind.EXACT, 1L)))));
        }
    }

    private CliOutput cli(String... args) {
        CliOutput output = ingest(args);
        printed.add(output.out());
        printed.add(output.err());
        return output;
    }

    private long ownerCount(String sql) {
        return Long.parseLong(postgres.queryForString(postgres.owner(), sql));
    }

    private HttpResponse<String> get(WorkerApplication worker, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + worker.metricsPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        printed.add(response.body());
        return response;
    }

    private static String firstLine(CliOutput output) {
        return output.err().lines().findFirst().orElse("");
    }
}
