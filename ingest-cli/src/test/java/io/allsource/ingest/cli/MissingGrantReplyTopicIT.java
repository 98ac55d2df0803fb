package io.allsource.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.cli.PipelineTraffic.Sent;
import io.allsource.ingest.config.IngestConfig;
import io.allsource.ingest.embedded.FreePorts;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A command naming a reply topic the worker's principal may not DESCRIBE, or may not WRITE, is no failure of the
 * worker: its result goes to the results topic at the command's partition with {@code ingest-reply-error} naming the
 * refused operation and the topic, the next command of the partition is applied, and the worker stays ready. One
 * broker with Kafka's standard authorizer and one worker (in this JVM) for the class; each test denies one operation
 * on a reply topic of its own.
 */
@ExtendWith({PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MissingGrantReplyTopicIT {

    private static final Duration RESULT_WAIT = Duration.ofSeconds(60);

    private final KafkaBroker broker = KafkaBroker.start(BrokerDenial.AUTHORIZER_CONFIG);
    private final String prefix = KafkaBroker.uniqueName("replies") + ".";
    private final IngestTopics topics = IngestTopics.DEFAULT.withPrefix(prefix);
    private final PipelineTraffic traffic;
    private final WorkerApplication worker;

    MissingGrantReplyTopicIT(TestDatabase database, TestSchemaRegistry registry) {
        SchemaRegistryClient registryClient = new SchemaRegistryClient(RegistrySettings.of(registry.url()));
        this.traffic = new PipelineTraffic(broker.bootstrapServers(), registryClient, topics);
        for (String topic : topics.all()) {
            broker.createTopic(topic, 32);
        }
        Map<String, String> settings = WorkerRunSettings.of(broker.bootstrapServers(), database.jdbcUrl(),
                registry.url(), topics, "replier", prefix + "repliers", FreePorts.find());
        this.worker = WorkerApplication.start(IngestConfig.load(settings, Map.of(), null, List.of()));
    }

    @AfterAll
    void stop() {
        try {
            worker.close();
        } finally {
            broker.close();
        }
    }

    @Test
    void answersOnTheResultsTopicNamingDescribeWhenTheWorkerMayNotDescribeTheReplyTopic() {
        String hidden = prefix + "replies-hidden";
        broker.createTopic(hidden, 1);
        try (BrokerDenial denied = BrokerDenial.of(broker, ResourceType.TOPIC, hidden, AclOperation.DESCRIBE)) {

            assertAnsweredOnTheResultsTopicAndThePartitionMovesOn("hidden-reply-stream", hidden,
                    "the broker refused DESCRIBE on topic '" + hidden + "' (looking up a command's reply topic)");
        }
        assertThat(TopicRecords.of(broker.bootstrapServers(), hidden)).as("nothing reached the reply topic").isEmpty();
    }

    @Test
    void answersOnTheResultsTopicNamingWriteWhenTheWorkerMayNotWriteTheReplyTopic() {
        String closed = prefix + "replies-closed";
        broker.createTopic(closed, 1);
        try (BrokerDenial denied = BrokerDenial.of(broker, ResourceType.TOPIC, closed, AclOperation.WRITE)) {

            assertAnsweredOnTheResultsTopicAndThePartitionMovesOn("closed-reply-stream", closed,
                    "the broker refused WRITE on topic '" + closed + "' (sending a result to its reply topic)");
        }
        assertThat(TopicRecords.of(broker.bootstrapServers(), closed)).as("nothing reached the reply topic").isEmpty();
    }

    /**
     * Sends a command to {@code stream} asking for {@code replyTopic}, then one more to the same stream (so to the
     * same partition) without a reply route, and checks both results and the worker's health.
     */
    private void assertAnsweredOnTheResultsTopicAndThePartitionMovesOn(String stream, String replyTopic,
            String replyError) {
        Sent refused = traffic.append(stream, replyTopic);
        Sent next = traffic.append(stream, null);

        await().alias("both results on the results topic").atMost(RESULT_WAIT).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(traffic.resultRecords(refused.commandId())).hasSize(1);
                    assertThat(traffic.resultRecords(next.commandId())).hasSize(1);
                });
        ConsumerRecord<byte[], byte[]> answer = traffic.resultRecords(refused.commandId()).get(0);
        assertThat(PipelineTraffic.header(answer, IngestHeaders.REPLY_ERROR)).isEqualTo(replyError);
        assertThat(answer.partition()).as("the command's partition").isEqualTo(refused.landed().partition());
        assertThat(traffic.result(answer).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        ConsumerRecord<byte[], byte[]> after = traffic.resultRecords(next.commandId()).get(0);
        CommandResult nextResult = traffic.result(after);
        assertThat(nextResult.getStatus()).as("the partition moved on").isEqualTo(CommandStatus.REJECTED);
        assertThat(nextResult.getReasonCode()).as("the stream exists now: the refused reply's command was applied")
                .isEqualTo("CONCURRENCY_CONFLICT");
        assertThat(PipelineTraffic.header(after, IngestHeaders.REPLY_ERROR)).isNull();
        assertThat(nextResult.getOffset()).isGreaterThan(traffic.result(answer).getOffset());
        assertThat(worker.failure()).as("no failure of the worker").isNotDone();
        assertThat(worker.isReady()).isTrue();
    }
}
