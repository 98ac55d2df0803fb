package io.allsource.ingest.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.client.IngestClient;
import io.allsource.ingest.client.command.Append;
import io.allsource.ingest.client.command.Command;
import io.allsource.ingest.testing.Backend;
import io.allsource.ingest.topics.IngestTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** A pipeline per test, set through the annotation along with a worker setting of the test's own. */
@IngestPipelineTest(backend = Backend.IN_JVM, lifecycle = PipelineLifecycle.PER_TEST,
        workerSettings = "events-format=json-envelope")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PerTestPipelineIT {

    private static IngestTopics firstTopics;
    private static String firstDatabase;

    @Test
    @Order(1)
    void theFirstTestGetsAPipelineOfItsOwnThatAppliesCommands(IngestPipeline pipeline, IngestClient client) {
        firstTopics = pipeline.topics();
        firstDatabase = pipeline.jdbcUrl();

        assertThat(client.append(Command.of("tenant").append(Append.to("per-test-stream").expectingNoStream()
                .event("Happened", "per-test-stream", "{}"))).orTimeout(90, TimeUnit.SECONDS).join().getStatus())
                .isEqualTo(CommandStatus.ACCEPTED);
        assertThat(pipeline.topics().commands()).contains("theFirstTestGetsAPipelineOfItsOwnThatAppliesCommands");
    }

    @Test
    @Order(2)
    void theNextTestGetsFreshTopicsAndAnEmptyDatabaseAndTheFirstOnesAreGone(IngestPipeline pipeline)
            throws Exception {
        assertThat(firstTopics).as("the first test ran").isNotNull();
        assertThat(pipeline.topics()).isNotEqualTo(firstTopics);
        assertThat(pipeline.jdbcUrl()).isNotEqualTo(firstDatabase);
        try (var connection = pipeline.dataSource().getConnection();
                var statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT count(*) FROM events")) {
            rows.next();
            assertThat(rows.getLong(1)).as("no event of the first test's stream").isZero();
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                pipeline.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .as("the first pipeline's topics were deleted").doesNotContainAnyElementsOf(firstTopics.all())
                    .containsAll(pipeline.topics().all());
        }
    }

    @Test
    @Order(3)
    void theWorkerSettingOfTheAnnotationApplies(IngestPipeline pipeline, IngestClient client) {
        client.append(Command.of("tenant").append(Append.to("json-stream").expectingNoStream()
                .event("Happened", "json-stream", "{}"))).orTimeout(90, TimeUnit.SECONDS).join();

        String published = firstEventValue(pipeline);

        assertThat(published).as("events-format=json-envelope: a JSON envelope, not Avro").startsWith("{")
                .contains("\"json-stream\"");
    }

    @Test
    @Order(4)
    void closingAPipelineTwiceStopsItsWorkerAndDeletesItsTopicsOnce(IngestPipeline pipeline) throws Exception {
        pipeline.close();
        pipeline.close();

        assertThat(pipeline.worker().isReady()).isFalse();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                pipeline.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .doesNotContainAnyElementsOf(pipeline.topics().all());
        }
    }

    private static String firstEventValue(IngestPipeline pipeline) {
        String topic = pipeline.topics().events();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    return record.value();
                }
            }
        }
        throw new AssertionError("No event on " + topic + " after 60 s");
    }
}
