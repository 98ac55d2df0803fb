package io.allsource.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.NewEvent;
import io.allsource.ingest.avro.StreamAppend;
import io.allsource.ingest.cli.ReadinessProbe.Answer;
import io.allsource.ingest.config.IngestConfig;
import io.allsource.ingest.embedded.FreePorts;
import io.allsource.ingest.failure.FatalWorkerException;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroDeserializer;
import io.allsource.ingest.serde.AvroSerializer;
import io.allsource.ingest.startup.WorkerApplication;
import io.allsource.ingest.testing.BrokerDenial;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker the broker refuses through ACLs, after it passed its start-up checks, stops as a whole with exit status 1
 * and a one-line reason naming the operation and the resource refused, answers not ready from then on, and loses
 * nothing it committed. One
 * broker of this class's own with Kafka's standard authorizer (everything allowed until an ACL says no; every client is
 * {@code User:ANONYMOUS} on its plaintext listener); the tests deny one operation on one resource each.
 */
@ExtendWith({PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerRefusedByBrokerIT {

    private static final Duration START_WAIT = Duration.ofSeconds(90);
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    private final KafkaBroker broker = KafkaBroker.start(BrokerDenial.AUTHORIZER_CONFIG);
    private final TestDatabase database;
    private final SchemaRegistryClient registry;
    private final String prefix = KafkaBroker.uniqueName("refused") + ".";
    private final IngestTopics topics = IngestTopics.DEFAULT.withPrefix(prefix);

    @TempDir
    Path logs;

    WorkerRefusedByBrokerIT(TestDatabase database, TestSchemaRegistry registry) {
        this.database = database;
        this.registry = new SchemaRegistryClient(RegistrySettings.of(registry.url()));
        for (String topic : topics.all()) {
            broker.createTopic(topic, 32);
        }
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @Test
    void runExitsWithStatusOneNamingTheGroupWhenTheBrokerDeniesReadingIt() throws Exception {
        String group = prefix + "denied-group";
        int port = FreePorts.find();
        try (BrokerDenial denied = BrokerDenial.of(broker, ResourceType.GROUP, group, AclOperation.READ);
                ReadinessProbe probe = ReadinessProbe.start(port);
                IngestRunProcess worker = IngestRunProcess.start(settings("group-reader", group, port),
                        logs.resolve("group-reader.log"))) {

            int status = worker.awaitExit(START_WAIT);

            assertThat(status).as(worker.output()).isEqualTo(1);
            assertThat(worker.output()).as("it passed its start-up checks and started its consumers")
                    .contains("consumers in group " + group).doesNotContain("Cannot start");
            assertThat(reasonLine(worker)).startsWith("error: the worker stopped: ")
                    .contains(groupRefusal(group));
            assertLoggedInTheStopLine(worker, groupRefusal(group));
            assertThat(probe.sinceStopped()).as("readiness after the refusal: %s", probe.answers())
                    .noneMatch(Answer::ready);
        }
    }

    @Test
    void answersNotReadyWithTheBrokersRefusalFromTheMomentTheGroupIsDenied() throws Exception {
        String group = prefix + "denied-in-process";
        try (BrokerDenial denied = BrokerDenial.of(broker, ResourceType.GROUP, group, AclOperation.READ);
                WorkerApplication application = WorkerApplication.start(IngestConfig.load(
                        settings("in-process", group, FreePorts.find()), Map.of(), null, List.of()))) {

            FatalWorkerException failure = application.failure().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(failure.getMessage()).contains(groupRefusal(group))
                    .doesNotContain("\n");
            assertThat(application.isReady()).isFalse();
            await().alias("/health/ready answering 503 for a second on end").atMost(Duration.ofSeconds(10))
                    .during(Duration.ofSeconds(1)).until(() -> get(application, "/health/ready").statusCode() == 503);
            assertThat(get(application, "/health/ready").body()).startsWith("NOT READY\n")
                    .contains("the worker has stopped: ", groupRefusal(group));
        }
    }

    @Test
    void runExitsWithStatusOneNamingTheEventsTopicWhenPublishingIsDeniedAndPublishesTheCommittedOnceAllowed()
            throws Exception {
        String group = prefix + "publisher-group";
        String stream = "refused-events-stream";
        String commandId;
        try (BrokerDenial denied = BrokerDenial.of(broker, ResourceType.TOPIC, topics.events(), AclOperation.WRITE)) {
            int port = FreePorts.find();
            try (ReadinessProbe probe = ReadinessProbe.start(port);
                    IngestRunProcess worker = IngestRunProcess.start(settings("publisher-1", group, port),
                            logs.resolve("publisher-1.log"))) {
                await().alias("the worker ready").atMost(START_WAIT)
                        .until(() -> probe.sawReady() || !worker.isAlive());
                assertThat(probe.sawReady()).as(worker.output()).isTrue();

                commandId = send(stream);
                int status = worker.awaitExit(STOP_WAIT);

                assertThat(status).as(worker.output()).isEqualTo(1);
                assertThat(database.queryForLong("SELECT count(*) FROM command_results WHERE command_id = '"
                        + commandId + "'")).as("the command committed in PostgreSQL").isEqualTo(1);
                assertThat(reasonLine(worker)).startsWith("error: the worker stopped: ")
                        .contains("publish failed and no retry can fix it",
                                eventsRefusal());
                assertLoggedInTheStopLine(worker, eventsRefusal());
                await().alias("the probe finding the endpoint gone").atMost(Duration.ofSeconds(10))
                        .until(() -> !probe.sinceStopped().isEmpty());
                assertThat(probe.sinceStopped()).as("readiness after the refusal: %s", probe.answers())
                        .noneMatch(Answer::ready);
            }
        }
        assertThat(events(stream)).as("nothing reached the events topic while it was denied").isEmpty();

        try (IngestRunProcess again = IngestRunProcess.start(settings("publisher-2", group, FreePorts.find()),
                logs.resolve("publisher-2.log"))) {
            await().alias("the committed result and event published from the database").atMost(START_WAIT)
                    .pollInterval(Duration.ofMillis(500))
                    .failFast("ingest run exited", () -> assertThat(again.isAlive()).as(again.output()).isTrue())
                    .untilAsserted(() -> {
                        assertThat(acceptedResults(commandId)).isNotEmpty();
                        assertThat(events(stream)).singleElement().satisfies(event -> {
                            assertThat(event.getCommandId()).isEqualTo(commandId);
                            assertThat(event.getVersion()).isEqualTo(1L);
                        });
                    });
            assertThat(again.output()).contains("republished 1 results and 1 events committed before");
            assertThat(again.stop()).as(again.output()).isIn(0, 143);
            assertThat(again.output().lines().filter(line -> line.startsWith("error: "))).isEmpty();
        }
    }

    /** The one line naming the refused operation and the group, in the worker's stop reason and health answer. */
    private static String groupRefusal(String group) {
        return "the broker refused READ on group '" + group + "' (consuming commands in the worker's group)";
    }

    private String eventsRefusal() {
        return "the broker refused WRITE on topic '" + topics.events() + "' (publishing events)";
    }

    private Map<String, String> settings(String workerId, String group, int metricsPort) {
        Map<String, String> settings = WorkerRunSettings.of(broker.bootstrapServers(), database.jdbcUrl(),
                registry.settings().url(), topics, workerId, group, metricsPort);
        settings.put("publish-timeout-ms", "5000");
        settings.put("retry-max-ms", "1000");
        settings.put("lag-interval-ms", "1000");
        return settings;
    }

    /** The one line {@code ingest run} printed to say why it stopped. */
    private static String reasonLine(IngestRunProcess worker) {
        List<String> errors = worker.output().lines().filter(line -> line.startsWith("error: ")).toList();
        assertThat(errors).as(worker.output()).hasSize(1);
        return errors.get(0);
    }

    /** The broker's refusal is in the text of the worker's ERROR line, not only in the stack trace below it. */
    private static void assertLoggedInTheStopLine(IngestRunProcess worker, String refusal) {
        assertThat(worker.linesWith(" - stopping: ")).as(worker.output()).isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("ERROR", refusal));
    }

    private String send(String stream) {
        String id = UUID.randomUUID().toString();
        try (KafkaProducer<String, AppendCommand> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                AvroSerializer.forTopics(registry, true))) {
            producer.send(new ProducerRecord<>(topics.commands(), stream, new AppendCommand(id, "t", null,
                    List.of(new StreamAppend(stream, new ExpectedVersion(ExpectedVersionKind.NO_STREAM, 0L),
                            List.of(new NewEvent(null, "Refused", stream, "{}", Map.of())))), Instant.now(), null)));
        }
        return id;
    }

    private List<CommandResult> acceptedResults(String commandId) {
        AvroDeserializer<CommandResult> results = new AvroDeserializer<>(registry, CommandResult.class);
        return values(topics.results()).stream().map(value -> results.deserialize(topics.results(), value))
                .filter(result -> result.getCommandId().equals(commandId))
                .filter(result -> result.getStatus() == CommandStatus.ACCEPTED).toList();
    }

    private List<EventRecord> events(String stream) {
        AvroDeserializer<EventRecord> events = new AvroDeserializer<>(registry, EventRecord.class);
        return values(topics.events()).stream().map(value -> events.deserialize(topics.events(), value))
                .filter(event -> event.getStreamId().equals(stream)).toList();
    }

    /** The values of every record in {@code topic} now, all partitions read from the start up to their ends. */
    private List<byte[]> values(String topic) {
        return TopicRecords.of(broker.bootstrapServers(), topic).stream().map(ConsumerRecord::value).toList();
    }

    private static HttpResponse<String> get(WorkerApplication application, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + application.metricsPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
