package io.allsource.ingest.worker;

import static io.allsource.ingest.worker.PipelineFixture.command;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.RejectionReason;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad input on the commands topic gets its result and its dead letter, and never holds up the commands after it. */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoisonRecordsIT {

    private static final String STREAM = "poisoned-stream";
    private static final int PARTITION = PartitionFunction.partitionOf(STREAM);

    private final PipelineFixture pipeline;

    PoisonRecordsIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.pipeline = new PipelineFixture(broker, database, registry);
    }

    @AfterAll
    void close() {
        pipeline.close();
    }

    @Test
    void answersEveryPoisonRecordAndAppliesTheCommandsAfterIt() {
        AppendCommand valid = command(STREAM, ExpectedVersionKind.NO_STREAM, 0, 1);
        byte[] validBytes = pipeline.encode(valid);
        byte[] wrongMagic = validBytes.clone();
        wrongMagic[0] = 0x2a;
        byte[] unknownId = validBytes.clone();
        ByteBuffer.wrap(unknownId).putInt(1, 999_999);
        AppendCommand emptyAppends = AppendCommand.newBuilder(command(STREAM, ExpectedVersionKind.ANY, 0, 1))
                .setPartitionKey(STREAM).setAppends(List.of()).build();
        AppendCommand badPayload = command(STREAM, ExpectedVersionKind.ANY, 0, 1);
        badPayload.getAppends().get(0).getEvents().get(0).setPayload("{not json");
        AppendCommand after = command(STREAM, ExpectedVersionKind.EXACT, 1, 2);

        try (IngestWorker worker = pipeline.startWorker(pipeline.settings("worker-p"))) {
            sendRaw("garbage", "\u0001\u0002not avro at all".getBytes(StandardCharsets.UTF_8), "corr-garbage");
            sendRaw("magic", wrongMagic, null);
            sendRaw("unknown-id", unknownId, null);
            sendRaw("truncated", Arrays.copyOf(validBytes, validBytes.length - 3), null);
            sendRaw("bad-header", pipeline.encode(command(STREAM, ExpectedVersionKind.ANY, 0, 1)), null,
                    IngestHeaders.REPLY_TOPIC, "replies", IngestHeaders.REPLY_PARTITION, "minus-one");
            // one producer for all nine, so that they keep this order in the partition
            sendRaw(STREAM, pipeline.encode(emptyAppends), null);
            sendRaw(STREAM, pipeline.encode(badPayload), null);
            sendRaw(STREAM, validBytes, null);
            sendRaw(STREAM, pipeline.encode(after), null);
            pipeline.flush();

            List<CommandResult> results = pipeline.results(read -> read.stream()
                            .filter(record -> record.partition() == PARTITION).count() >= 9).stream()
                    .filter(record -> record.partition() == PARTITION).map(ConsumerRecord::value).toList();

            assertThat(results).hasSize(9);
            assertThat(results.subList(0, 5)).allSatisfy(result -> {
                assertThat(result.getReason()).isEqualTo(RejectionReason.INVALID_COMMAND);
                assertThat(result.getCommandId()).isEqualTo("invalid:" + PARTITION + ":" + result.getOffset());
            });
            assertThat(results.get(0).getMessage()).contains("WRONG_MAGIC_BYTE");
            assertThat(results.get(1).getMessage()).contains("WRONG_MAGIC_BYTE", "0x2a");
            assertThat(results.get(2).getMessage()).contains("UNKNOWN_SCHEMA_ID", "999999");
            assertThat(results.get(3).getMessage()).contains("MALFORMED_AVRO");
            assertThat(results.get(4).getMessage()).contains("ingest-reply-partition", "minus-one");
            assertThat(results.get(5).getMessage()).contains("appends is empty");
            assertThat(results.get(5).getCommandId()).isEqualTo(emptyAppends.getCommandId());
            assertThat(results.get(6).getMessage()).startsWith("appends[0].events[0].payload is not valid JSON");
            assertThat(results.get(7).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
            assertThat(results.get(8).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
            assertThat(results.get(8).getStreams().get(0).getLastVersion()).isEqualTo(3L);

            List<ConsumerRecord<byte[], byte[]>> deadLetters = pipeline.readUntil(pipeline.topics.deadLetters(),
                    byte[].class, read -> read.size() >= 5, Duration.ofSeconds(30));
            assertThat(deadLetters).hasSize(5).allSatisfy(letter -> {
                assertThat(letter.partition()).isEqualTo(PARTITION);
                assertThat(header(letter, IngestHeaders.SOURCE_PARTITION)).isEqualTo(Integer.toString(PARTITION));
                assertThat(header(letter, IngestHeaders.ERROR)).isNotBlank();
            });
            assertThat(deadLetters.get(0).value()).isEqualTo("\u0001\u0002not avro at all"
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(new String(deadLetters.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("garbage");
            assertThat(header(deadLetters.get(0), IngestHeaders.CORRELATION_ID)).isEqualTo("corr-garbage");
            assertThat(deadLetters.stream().map(letter -> header(letter, IngestHeaders.SOURCE_OFFSET))
                    .collect(Collectors.toList()))
                    .containsExactlyElementsOf(results.subList(0, 5).stream()
                            .map(result -> Long.toString(result.getOffset())).toList());
        }
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

    private void sendRaw(String key, byte[] value, String correlationId, String... headerPairs) {
        RecordHeaders headers = new RecordHeaders();
        if (correlationId != null) {
            headers.add(IngestHeaders.CORRELATION_ID, correlationId.getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.add(headerPairs[i], headerPairs[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        pipeline.sendRaw(new ProducerRecord<>(pipeline.topics.commands(), PARTITION,
                key.getBytes(StandardCharsets.UTF_8), value, headers));
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
