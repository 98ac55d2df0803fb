package io.allsource.ingest.worker;

import static io.allsource.ingest.worker.PipelineFixture.command;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Results follow the reply route their command asks for, with its correlation id, and fall back to the results topic
 * when the reply topic does not exist. Bad input of every kind is covered by {@link HostileInputCorpusIT}.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplyRoutesIT {

    private final PipelineFixture pipeline;

    ReplyRoutesIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.pipeline = new PipelineFixture(broker, database, registry);
    }

    @AfterAll
    void close() {
        pipeline.close();
    }

    @Test
    void sendsResultsToTheReplyTopicTheCommandNamesWithItsCorrelationId() {
        String replies = KafkaBroker.uniqueName("replies");
        pipeline.broker.createTopic(replies, 3);
        AppendCommand routed = command("routed-stream", ExpectedVersionKind.ANY, 0, 1);
        AppendCommand lost = command("routed-stream", ExpectedVersionKind.ANY, 0, 1);

        try (IngestWorker worker = pipeline.startWorker(pipeline.settings("worker-r"))) {
            sendWithHeaders(routed, Map.of(IngestHeaders.REPLY_TOPIC, replies, IngestHeaders.REPLY_PARTITION, "2",
                    IngestHeaders.CORRELATION_ID, "corr-1"));
            sendWithHeaders(lost, Map.of(IngestHeaders.REPLY_TOPIC, "no-such-topic-here",
                    IngestHeaders.CORRELATION_ID, "corr-2"));
            pipeline.flush();

            ConsumerRecord<byte[], CommandResult> reply = pipeline.readUntil(replies, CommandResult.class,
                    read -> !read.isEmpty(), Duration.ofSeconds(60)).get(0);
            assertThat(reply.partition()).isEqualTo(2);
            assertThat(reply.value().getCommandId()).isEqualTo(routed.getCommandId());
            assertThat(header(reply, IngestHeaders.CORRELATION_ID)).isEqualTo("corr-1");
            assertThat(header(reply, IngestHeaders.COMMAND_ID)).isEqualTo(routed.getCommandId());
            assertThat(new String(reply.key(), StandardCharsets.UTF_8)).isEqualTo("routed-stream");

            ConsumerRecord<byte[], CommandResult> fallback = pipeline.results(read -> read.stream()
                            .anyMatch(record -> record.value().getCommandId().equals(lost.getCommandId()))).stream()
                    .filter(record -> record.value().getCommandId().equals(lost.getCommandId())).findFirst()
                    .orElseThrow();
            assertThat(fallback.partition()).isEqualTo(PartitionFunction.partitionOf("routed-stream"));
            assertThat(header(fallback, IngestHeaders.REPLY_ERROR)).contains("no-such-topic-here", "does not exist");
            assertThat(header(fallback, IngestHeaders.CORRELATION_ID)).isEqualTo("corr-2");
        }
    }

    private void sendWithHeaders(AppendCommand command, Map<String, String> values) {
        RecordHeaders headers = new RecordHeaders();
        values.forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        String key = command.getAppends().get(0).getStreamId();
        pipeline.send(new ProducerRecord<>(pipeline.topics.commands(), null, key, command, headers));
    }

    private static String header(ConsumerRecord<byte[], ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
