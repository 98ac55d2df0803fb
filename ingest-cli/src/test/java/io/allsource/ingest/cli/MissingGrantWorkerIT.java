package io.allsource.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.cli.PipelineTraffic.Sent;
import io.allsource.ingest.cli.ReadinessProbe.Answer;
import io.allsource.ingest.config.IngestConfig;
import io.allsource.ingest.embedded.FreePorts;
import io.allsource.ingest.failure.FatalWorkerException;
import io.allsource.ingest.failure.Step;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.startup.WorkerApplication;
import io.allsource.ingest.testing.BrokerDenial;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestHeaders;
import io.allsource.ingest.topics.IngestTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's principal missing one grant, one test per grant (beside the group's READ and the events topic's WRITE
 * in {@link WorkerRefusedByBrokerIT}): each refusal stops the worker with one line naming the operation and the
 * resource, it answers not ready from then on, and what it committed is published once the grant is back. DESCRIBE
 * on the commands topic is refused at start by {@code ingest run} as a process (exit status 1); the others run the
 * worker in this JVM, where the process would add nothing. One broker of this class's own with Kafka's standard
 * authorizer (everything allowed until an ACL says no); the topics and the database are shared by the tests, which
 * each look only at their own commands.
 */
@ExtendWith({PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MissingGrantWorkerIT {

    private static final Duration START_WAIT = Duration.ofSeconds(90);
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    private final KafkaBroker broker = KafkaBroker.start(BrokerDenial.AUTHORIZER_CONFIG);
    private final TestDatabase database;
    private final SchemaRegistryClient registry;
    private final String prefix = KafkaBroker.uniqueName("grants") + ".";
    private final IngestTopics topics = IngestTopics.DEFAULT.withPrefix(prefix);
    private final PipelineTraffic traffic;

    @TempDir
    Path logs;

    MissingGrantWorkerIT(TestDatabase database, TestSchemaRegistry registry) {
        this.database = database;
        this.registry = new SchemaRegistryClient(RegistrySettings.of(registry.url()));
        this.traffic = new PipelineTraffic(broker.bootstrapServers(), this.registry, topics);
        for (String topic : topics.all()) {
            broker.createTopic(topic, 32);
        }
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @Test
    void runRefusesToStartWithStatusOneNamingDescribeOnTheCommandsTopic() throws Exception {
        int port = FreePorts.find();
        try (BrokerDenial denied = BrokerDenial.of(broker, ResourceType.TOPIC, topics.commands(),
                AclOperation.DESCRIBE);
                ReadinessProbe probe = ReadinessProbe.start(port);
                IngestRunProcess worker = IngestRunProcess.start(settings("describer", prefix + "describers", port),
                        logs.resolve("describer.log"))) {

            int status = worker.awaitExit(START_WAIT);

            assertThat(status).as(worker.output()).isEqualTo(1);
            assertThat(worker.output().lines().filter(line -> line.startsWith("error: "))).as(worker.output())
                    .containsExactly("error: the broker refused DESCRIBE on topic '" + topics.commands()
                            + "' (checking the topics at start)");
            assertThat(worker.output()).as("it never started its consumers").doesNotContain("consumers in group");
            assertThat(probe.answers()).noneMatch(Answer::ready);
        }
    }

    @Test
    void stopsNamingReadOnTheCommandsTopicAndAnswersNotReadyFromThen() throws Exception {
        String refusal = "the broker refused READ on topic '" + topics.commands() + "' (consuming commands)";
        try (BrokerDenial denied = BrokerDenial.of(broker, ResourceType.TOPIC, topics.commands(), AclOperation.READ);
                WorkerApplication application = start("reader", prefix + "readers")) {

            FatalWorkerException failure = application.failure().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(failure.getMessage()).endsWith(" - the consumer failed: " + refusal).doesNotContain("\n");
            assertNotReadyFromNowOn(application, refusal);
        }
    }

    @Test
    void stopsNamingWriteOnTheResultsTopicAndPublishesTheCommittedResultOnceAllowed() throws Exception {
        String group = prefix + "result-writers";
        String refusal = "the broker refused WRITE on topic '" + topics.results() + "' (publishing results)";
        Sent sent;
        try (BrokerDenial denied = BrokerDenial.of(broker, ResourceType.TOPIC, topics.results(), AclOperation.WRITE);
                WorkerApplication application = start("result-writer-1", group)) {
            sent = traffic.append("refused-results-stream", null);

            FatalWorkerException failure = application.failure().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(failure.step()).isEqualTo(Step.PUBLISH);
            assertThat(failure.getMessage()).endsWith("publish failed and no retry can fix it: " + refusal)
                    .doesNotContain("\n");
            assertThat(committed(sent.commandId())).as("the command committed in PostgreSQL").isEqualTo(1);
            assertNotReadyFromNowOn(application, refusal);
        }
        assertThat(traffic.results(sent.commandId())).as("no result published while denied").isEmpty();

        try (WorkerApplication again = start("result-writer-2", group)) {
            await().alias("the committed result published from the database").atMost(START_WAIT)
                    .pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                            assertThat(traffic.results(sent.commandId())).singleElement()
                                    .extracting(CommandResult::getStatus).isEqualTo(CommandStatus.ACCEPTED));
            assertThat(traffic.events("refused-results-stream")).isNotEmpty();
            assertThat(again.isReady()).isTrue();
        }
    }

    @Test
    void stopsNamingWriteOnTheDeadLetterTopicAndCopiesTheUndecodableCommandOnceAllowed() throws Exception {
        String group = prefix + "dead-letter-writers";
        String refusal = "the broker refused WRITE on topic '" + topics.deadLetters() + "' (copying undecodable"
                + " commands to the dead-letter topic)";
        RecordMetadata undecodable;
        try (BrokerDenial denied = BrokerDenial.of(broker, ResourceType.TOPIC, topics.deadLetters(),
                AclOperation.WRITE);
                WorkerApplication application = start("dead-letter-writer-1", group)) {
            undecodable = traffic.undecodable("undecodable-stream");

            FatalWorkerException failure = application.failure().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(failure.step()).isEqualTo(Step.DEAD_LETTER);
            assertThat(failure.getMessage()).endsWith("dead-letter failed and no retry can fix it: " + refusal)
                    .doesNotContain("\n");
            assertThat(committed(answerKey(undecodable))).as("its rejection waits for the copy").isZero();
            assertNotReadyFromNowOn(application, refusal);
        }

        try (WorkerApplication again = start("dead-letter-writer-2", group)) {
            await().alias("the copy made and the record answered").atMost(START_WAIT)
                    .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                        assertThat(traffic.deadLetters(undecodable)).singleElement()
                                .satisfies(copy -> assertThat(PipelineTraffic.header(copy, IngestHeaders.ERROR))
                                        .contains("WRONG_MAGIC_BYTE"));
                        assertThat(traffic.results(answerKey(undecodable))).singleElement()
                                .extracting(CommandResult::getStatus).isEqualTo(CommandStatus.REJECTED);
                    });
            assertThat(again.isReady()).isTrue();
        }
    }

    private WorkerApplication start(String workerId, String group) {
        return WorkerApplication.start(IngestConfig.load(settings(workerId, group, FreePorts.find()), Map.of(), null,
                List.of()));
    }

    private Map<String, String> settings(String workerId, String group, int metricsPort) {
        Map<String, String> settings = WorkerRunSettings.of(broker.bootstrapServers(), database.jdbcUrl(),
                registry.settings().url(), topics, workerId, group, metricsPort);
        settings.put("publish-timeout-ms", "5000");
        settings.put("retry-max-ms", "1000");
        settings.put("lag-interval-ms", "1000");
        return settings;
    }

    /** The worker's stop is final: not ready, and its health endpoint says why, naming the refusal. */
    private static void assertNotReadyFromNowOn(WorkerApplication application, String refusal) {
        assertThat(application.isReady()).isFalse();
        await().alias("/health/ready answering 503 for a second on end").atMost(Duration.ofSeconds(10))
                .during(Duration.ofSeconds(1)).until(() -> get(application, "/health/ready").statusCode() == 503);
        assertThat(get(application, "/health/ready").body()).startsWith("NOT READY\n")
                .contains("the worker has stopped: ", refusal);
    }

    private long committed(String commandId) {
        return database.queryForLong("SELECT count(*) FROM command_results WHERE command_id = '" + commandId + "'");
    }

    /** The command id an undecodable record is answered under. */
    private static String answerKey(RecordMetadata record) {
        return "invalid:" + record.partition() + ":" + record.offset();
    }

    private static HttpResponse<String> get(WorkerApplication application, String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + application.metricsPort() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
