package io.allsource.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.NewEvent;
import io.allsource.ingest.avro.StreamAppend;
import io.allsource.ingest.config.ConfigKeys;
import io.allsource.ingest.config.IngestConfig;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroDeserializer;
import io.allsource.ingest.serde.AvroSerializer;
import io.allsource.ingest.startup.WorkerApplication;
import io.allsource.ingest.store.Database;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A partition whose log no longer matches its stored offsets is held (not consumed, reported in readiness and the
 * {@code ingest_partition_held} gauge) while the others run, and resumes once {@code ingest offsets} has reset it with
 * a recorded reason: the commands topic recreated, and records deleted before they were applied. After the reset, an
 * undecodable record at an offset where the old log had one gets a rejection of its own, under a key that names the
 * reset, and {@code ingest verify} counts the new log's outcomes, not the superseded ones beside them.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
class HeldPartitionIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final KafkaBroker broker;
    private final TestDatabase database;
    private final SchemaRegistryClient registry;
    private final String prefix = KafkaBroker.uniqueName("held") + ".";
    private final String commands = prefix + "ingest.commands";
    private final String heldStream = "held-stream";
    private final int held = PartitionFunction.partitionOf(heldStream);
    private final String otherStream = IntStream.range(0, 100).mapToObj(i -> "other-" + i)
            .filter(stream -> PartitionFunction.partitionOf(stream) != held).findFirst().orElseThrow();

    HeldPartitionIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.broker = broker;
        this.database = database;
        this.registry = new SchemaRegistryClient(RegistrySettings.of(registry.url()));
    }

    /** Each test starts from an empty store: the partitions' stored offsets belong to its own topic. */
    @BeforeEach
    void emptyTheStore() throws SQLException {
        Database.migrate(database.dataSource());
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE events, event_streams, command_redeliveries, command_results, partition_state,"
                    + " offset_resets CASCADE");
        }
    }

    @Test
    void holdsThePartitionOfARecreatedTopicWhileOthersRunAndResumesAfterARecordedReset() throws Exception {
        WorkerApplication first = WorkerApplication.start(config());
        try (first) {
            send(heldStream, 2);
            await().alias("two commands applied on partition " + held).atMost(WAIT)
                    .until(() -> storedNextOffset(held) == 2);
        }
        recreateCommandsTopic();

        try (WorkerApplication application = WorkerApplication.start(config())) {
            List<String> lost = send(heldStream, 3);
            List<String> other = send(otherStream, 1);

            await().alias("partition " + held + " held and reported").atMost(WAIT).until(() ->
                    get(application, "/health/ready").body().contains("partition " + held + " of " + commands
                            + " is held: stored next offset 2, log range [0, 3)"));
            HttpResponse<String> ready = get(application, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).startsWith("NOT READY\n").contains("topic id stored", "ingest offsets");
            await().alias("the other partition applies its command").atMost(WAIT)
                    .until(() -> applied(other) == 1);
            String metrics = get(application, "/metrics").body();
            assertThat(metrics).contains("ingest_partition_held{partition=\"" + held + "\"} 1.0",
                    "ingest_partition_lag{partition=\"" + held + "\"} NaN");
            assertThat(applied(lost)).isZero();

            Output reset = offsets("--partition", Integer.toString(held), "--reset-to", "earliest", "--reason",
                    "commands topic recreated during the cluster migration", "--operator", "alice");
            assertThat(reset.status()).as(reset.toString()).isZero();
            assertThat(reset.out()).contains("moved from 2 to 0", "alice@", "reset #");

            assertThat(answered(lost)).as("the three commands answered ACCEPTED").hasSize(3);
            await().alias("ready again").atMost(WAIT)
                    .until(() -> get(application, "/health/ready").statusCode() == 200);
            assertThat(get(application, "/metrics").body())
                    .contains("ingest_partition_held{partition=\"" + held + "\"} 0.0");
        }
        assertThat(resetRow(held)).containsEntry("operator", "alice")
                .containsEntry("reason", "commands topic recreated during the cluster migration")
                .containsEntry("from_offset", "2").containsEntry("to_offset", "0");
    }

    @Test
    void holdsAPartitionWhoseUnappliedRecordsWereDeletedAndRefusesAResetWithoutAReason() throws Exception {
        try (WorkerApplication first = WorkerApplication.start(config())) {
            send(heldStream, 2);
            await().alias("two commands applied on partition " + held).atMost(WAIT)
                    .until(() -> storedNextOffset(held) == 2);
        }
        send(heldStream, 2); // offsets 2 and 3, never applied
        List<String> kept = send(heldStream, 1); // offset 4
        broker.admin().deleteRecords(Map.of(new TopicPartition(commands, held), RecordsToDelete.beforeOffset(4)))
                .all().get(30, TimeUnit.SECONDS);

        try (WorkerApplication application = WorkerApplication.start(config())) {
            await().alias("partition " + held + " held").atMost(WAIT).until(() -> get(application, "/health/ready")
                    .body().contains("records at offsets 2 to 3 were deleted before they were applied"));
            assertThat(application.isReady()).isFalse();

            Output refused = offsets("--partition", Integer.toString(held), "--reset-to", "earliest");
            assertThat(refused.status()).isEqualTo(1);
            assertThat(refused.err()).contains("needs --reason");
            assertThat(storedNextOffset(held)).isEqualTo(2);

            Output show = offsets("--show");
            assertThat(show.status()).as(show.toString()).isZero();
            assertThat(show.out()).containsPattern("(?m)^" + held + " +2 +4 +5 .* HELD$");

            Output reset = offsets("--partition", Integer.toString(held), "--reset-to", "earliest", "--reason",
                    "retention deleted offsets 2 and 3; their producers resend");
            assertThat(reset.status()).as(reset.toString()).isZero();
            assertThat(answered(kept)).hasSize(1);
            await().alias("ready again").atMost(WAIT).until(application::isReady);
        }
    }

    @Test
    void answersAnUndecodableRecordOfTheRecreatedTopicWithItsOwnRejectionAndVerifyStillHolds() throws Exception {
        try (WorkerApplication first = WorkerApplication.start(config())) {
            sendRaw(new byte[] {1, 2, 3, 4, 5, 6}); // offset 0: not the wire format
            send(heldStream, 1);
            await().alias("the old log's two records applied on partition " + held).atMost(WAIT)
                    .until(() -> storedNextOffset(held) == 2);
        }
        recreateCommandsTopic();

        try (WorkerApplication application = WorkerApplication.start(config())) {
            sendRaw(new byte[] {0}); // offset 0 again, in the new log: too short
            List<String> accepted = send(heldStream, 1);
            await().alias("partition " + held + " held").atMost(WAIT).until(() -> get(application, "/health/ready")
                    .body().contains("partition " + held + " of " + commands + " is held"));
            Output reset = offsets("--partition", Integer.toString(held), "--reset-to", "earliest", "--reason",
                    "commands topic recreated with an undecodable record at offset 0");
            assertThat(reset.status()).as(reset.toString()).isZero();
            CommandResult rejection = resultOf("invalid:" + held + ":0:" + resetRow(held).get("reset_id"));
            assertThat(rejection.getStatus()).isEqualTo(CommandStatus.REJECTED);
            assertThat(rejection.getDuplicate()).isFalse();
            assertThat(rejection.getMessage()).contains("has 1 bytes").doesNotContain("0x01");
            assertThat(answered(accepted)).hasSize(1);
            await().alias("the new log's two records applied").atMost(WAIT).until(() -> storedNextOffset(held) == 2);
        }
        String resetId = resetRow(held).get("reset_id");
        String invalidKeys = query("SELECT string_agg(command_id || ' ' || COALESCE(superseded_by::text, 'current'),"
                + " ', ' ORDER BY command_id) FROM command_results WHERE partition_id = ?"
                + " AND command_id LIKE 'invalid:%'", statement -> statement.setInt(1, held),
                rows -> rows.next() ? rows.getString(1) : "");
        assertThat(invalidKeys).as("the old log's rejection superseded, the new log's its own")
                .isEqualTo("invalid:" + held + ":0 " + resetId + ", invalid:" + held + ":0:" + resetId + " current");
        // the commands topic is read only where an offset lacks an outcome of the current log: none does here
        Output verify = ingest("verify", "--bootstrap-servers", broker.bootstrapServers(), "--db-url",
                database.jdbcUrl(), "--registry-url", registry.settings().url());
        assertThat(verify.status()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("All invariants hold.");
    }

    private void recreateCommandsTopic() {
        broker.admin().deleteTopics(List.of(commands));
        await().alias("the commands topic recreated").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> {
                    broker.createTopic(commands, 32);
                    return true;
                });
    }

    private List<String> send(String stream, int count) {
        List<String> ids = new java.util.ArrayList<>();
        try (KafkaProducer<String, AppendCommand> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                AvroSerializer.forTopics(registry, true))) {
            for (int i = 0; i < count; i++) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                producer.send(new ProducerRecord<>(commands, stream, new AppendCommand(id, "t", null,
                        List.of(new StreamAppend(stream, new ExpectedVersion(ExpectedVersionKind.ANY, 0L),
                                List.of(new NewEvent(null, "Happened", stream, "{}", Map.of())))), Instant.now(), null)));
            }
        }
        return ids;
    }

    /** Sends {@code value} as it is to the held partition of the commands topic. */
    private void sendRaw(byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(commands, held, null, value)).get(30, TimeUnit.SECONDS);
        }
    }

    /** The first result the results topic holds for {@code commandId}, waiting up to a minute. */
    private CommandResult resultOf(String commandId) {
        AvroDeserializer<CommandResult> results = new AvroDeserializer<>(registry, CommandResult.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition(prefix + "ingest.results", held)));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    CommandResult result = results.deserialize(record.topic(), record.value());
                    if (result.getCommandId().equals(commandId)) {
                        return result;
                    }
                }
            }
        }
        throw new AssertionError("No result for " + commandId + " on the results topic within " + WAIT);
    }

    /** The results of {@code ids} read from the results topic, accepted ones only, waiting up to a minute. */
    private Set<String> answered(List<String> ids) {
        AvroDeserializer<CommandResult> results = new AvroDeserializer<>(registry, CommandResult.class);
        Set<String> accepted = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition(prefix + "ingest.results", held)));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (accepted.size() < ids.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    CommandResult result = results.deserialize(record.topic(), record.value());
                    if (ids.contains(result.getCommandId()) && result.getStatus() == CommandStatus.ACCEPTED) {
                        accepted.add(result.getCommandId());
                    }
                }
            }
        }
        return accepted;
    }

    private long applied(List<String> ids) throws SQLException {
        return query("SELECT count(*) FROM command_results WHERE command_id = ANY (?)",
                statement -> statement.setArray(1, statement.getConnection().createArrayOf("varchar", ids.toArray())),
                rows -> rows.next() ? rows.getLong(1) : 0L);
    }

    private long storedNextOffset(int partition) throws SQLException {
        return query("SELECT next_offset FROM partition_state WHERE partition_id = ?",
                statement -> statement.setInt(1, partition), rows -> rows.next() ? rows.getLong(1) : -1L);
    }

    private Map<String, String> resetRow(int partition) throws SQLException {
        return query("SELECT * FROM offset_resets WHERE partition_id = ? ORDER BY reset_id DESC LIMIT 1",
                statement -> statement.setInt(1, partition), rows -> {
                    Map<String, String> row = new HashMap<>();
                    if (rows.next()) {
                        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                            row.put(rows.getMetaData().getColumnLabel(i), rows.getString(i));
                        }
                    }
                    return row;
                });
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private interface Reader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> T query(String sql, Binder binder, Reader<T> reader) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                return reader.read(rows);
            }
        }
    }

    private record Output(int status, String out, String err) {
    }

    private Output offsets(String... args) {
        List<String> line = new java.util.ArrayList<>(List.of("offsets", "--bootstrap-servers",
                broker.bootstrapServers(), "--db-url", database.jdbcUrl(), "--topic", commands));
        line.addAll(List.of(args));
        return ingest(line.toArray(String[]::new));
    }

    private Output ingest(String... line) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = IngestMain.run(line, Map.of(), new PrintWriter(out), new PrintWriter(err));
        return new Output(status, out.toString(), err.toString());
    }

    private static HttpResponse<String> get(WorkerApplication application, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + application.metricsPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private IngestConfig config() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> flags = new HashMap<>();
        flags.put(ConfigKeys.BOOTSTRAP_SERVERS.name(), broker.bootstrapServers());
        flags.put(ConfigKeys.DB_URL.name(), database.jdbcUrl());
        flags.put(ConfigKeys.REGISTRY_URL.name(), registry.settings().url());
        flags.put(ConfigKeys.GROUP_ID.name(), prefix + "group");
        flags.put(ConfigKeys.CREATE_TOPICS.name(), "true");
        flags.put(ConfigKeys.AUTO_REGISTER.name(), "true");
        flags.put(ConfigKeys.METRICS_PORT.name(), Integer.toString(port));
        flags.put(ConfigKeys.METRICS_HOST.name(), "127.0.0.1");
        flags.put(ConfigKeys.FENCED_RECHECK_MS.name(), "500");
        flags.put(ConfigKeys.LAG_INTERVAL_MS.name(), "200");
        flags.put(ConfigKeys.TOPIC_COMMANDS.name(), commands);
        flags.put(ConfigKeys.TOPIC_RESULTS.name(), prefix + "ingest.results");
        flags.put(ConfigKeys.TOPIC_EVENTS.name(), prefix + "ingest.events");
        flags.put(ConfigKeys.TOPIC_DEAD_LETTERS.name(), prefix + "ingest.commands.dlq");
        return IngestConfig.load(flags, Map.of(), null, List.of());
    }
}
