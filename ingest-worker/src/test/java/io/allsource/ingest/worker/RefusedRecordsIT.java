package io.allsource.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.RejectionReason;
import io.allsource.ingest.intake.EvolvedCommands;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hostile inputs of issue 13 that need broker-side or database-side settings (a compacted or tiny reply topic, a
 * record only a compressing producer can send, a database trigger refusing a value), and the echoes that
 * {@link HostileInputCorpusIT} cannot match by text (a binary correlation id, a command id in another letter case).
 * Each is followed by a valid command to the same partition, which must be accepted: no record stalls a partition.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefusedRecordsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final PipelineFixture pipeline;
    private IngestWorker worker;

    RefusedRecordsIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.pipeline = new PipelineFixture(broker, database, registry);
    }

    @BeforeAll
    void startWorker() throws SQLException {
        // A value this database refuses although it passes every check: the kind of failure one command's data causes.
        execute("""
                CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.stream_id LIKE 'poison-%' THEN
                        RAISE EXCEPTION 'character with byte sequence 0xe2 0x82 0xac has no equivalent in encoding'
                            USING ERRCODE = '22P05';
                    END IF;
                    RETURN NEW;
                END $$""");
        execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_poison()");
        worker = pipeline.startWorker(pipeline.settings("worker-refused"));
    }

    @AfterAll
    void close() {
        if (worker != null) {
            worker.close();
        }
        pipeline.close();
    }

    @Test
    void answersOnTheResultsTopicWhenACompactedReplyTopicRefusesAResultWithoutKey() {
        String compacted = KafkaBroker.uniqueName("compacted-replies");
        pipeline.broker.createTopic(compacted, 1, Map.of("cleanup.policy", "compact"));
        AppendCommand command = command("compacted");

        RecordMetadata sent = send(command, null, Map.of(IngestHeaders.REPLY_TOPIC, text(compacted)));

        ConsumerRecord<byte[], CommandResult> result = resultOf(command.getCommandId());
        assertThat(result.value().getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(result.partition()).isEqualTo(sent.partition());
        assertThat(header(result, IngestHeaders.REPLY_ERROR)).contains("reply topic " + compacted,
                "InvalidRecordException");
        assertNextCommandAccepted(sent.partition());
    }

    @Test
    void answersOnTheResultsTopicWhenTheReplyTopicsMessagesAreTooSmallForTheResult() {
        String tiny = KafkaBroker.uniqueName("tiny-replies");
        pipeline.broker.createTopic(tiny, 1, Map.of("max.message.bytes", "100"));
        AppendCommand command = command("tiny");

        RecordMetadata sent = send(command, key(command), Map.of(IngestHeaders.REPLY_TOPIC, text(tiny)));

        ConsumerRecord<byte[], CommandResult> result = resultOf(command.getCommandId());
        assertThat(header(result, IngestHeaders.REPLY_ERROR)).contains("reply topic " + tiny,
                "RecordTooLargeException");
        assertNextCommandAccepted(sent.partition());
    }

    @Test
    void neverWritesAResultOntoThePipelinesEventsTopic() {
        AppendCommand command = command("into-events");

        RecordMetadata sent = send(command, key(command),
                Map.of(IngestHeaders.REPLY_TOPIC, text(pipeline.topics.events())));

        ConsumerRecord<byte[], CommandResult> result = resultOf(command.getCommandId());
        assertThat(header(result, IngestHeaders.REPLY_ERROR))
                .isEqualTo("reply topic " + pipeline.topics.events() + " is one of the pipeline's own topics");
        List<ConsumerRecord<byte[], io.allsource.ingest.avro.EventRecord>> events = pipeline.events(
                read -> read.stream().anyMatch(e -> e.value().getCommandId().equals(command.getCommandId())));
        assertThat(events).as("every record of the events topic decodes as an event").isNotEmpty();
        assertNextCommandAccepted(sent.partition());
    }

    @Test
    void deadLettersABoundedPrefixOfARecordTooLargeToCopyWhole() throws Exception {
        byte[] value = new byte[5_000_000];
        value[0] = 0x01;
        int partition = 11;
        RecordMetadata sent;
        try (KafkaProducer<byte[], byte[]> gzip = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.broker.bootstrapServers(),
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip", ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 6_000_000),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(pipeline.topics.commands(), partition,
                    text("zeros"), value);
            record.headers().add(IngestHeaders.CORRELATION_ID, text("five-megabytes"));
            sent = gzip.send(record).get(30, TimeUnit.SECONDS);
        }

        String key = "invalid:" + sent.partition() + ":" + sent.offset();
        ConsumerRecord<byte[], CommandResult> result = resultOf(key);
        assertThat(result.value().getReason()).isEqualTo(RejectionReason.INVALID_COMMAND);
        assertThat(result.value().getMessage()).contains("WRONG_MAGIC_BYTE");
        ConsumerRecord<byte[], byte[]> letter = pipeline.readUntil(pipeline.topics.deadLetters(), byte[].class,
                read -> read.stream().anyMatch(sourcedAt(sent)), WAIT).stream().filter(sourcedAt(sent))
                .findFirst().orElseThrow();
        assertThat(header(letter, IngestHeaders.ORIGINAL_SIZE)).isEqualTo("5000000");
        assertThat(header(letter, IngestHeaders.ORIGINAL_SHA256))
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value)));
        assertThat(letter.value()).isEqualTo(Arrays.copyOf(value, letter.value().length));
        assertThat(letter.value().length).isLessThan(1_000_000);
        assertNextCommandAccepted(sent.partition());
    }

    @Test
    void rejectsTheOneCommandWhoseDataTheDatabaseRefusesAndCommitsItsNeighbours() {
        int partition = PartitionFunction.partitionOf("poison-1");
        AppendCommand before = command(streamIn(partition, "before"));
        AppendCommand poison = command("poison-1");
        AppendCommand after = command(streamIn(partition, "after"));

        for (AppendCommand command : List.of(before, poison, after)) {
            send(command, key(command), Map.of());
        }

        assertThat(resultOf(before.getCommandId()).value().getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(resultOf(after.getCommandId()).value().getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        CommandResult refused = resultOf(poison.getCommandId()).value();
        assertThat(refused.getReason()).isEqualTo(RejectionReason.INVALID_COMMAND);
        assertThat(refused.getMessage()).startsWith("the database refused the command's data: ")
                .contains("has no equivalent in encoding", "SQLState 22P05");
        assertNextCommandAccepted(partition);
    }

    @Test
    void echoesABinaryCorrelationIdByteForByteAndKeepsItForRepublication() throws SQLException {
        byte[] correlationId = {0x00, (byte) 0xff, (byte) 0x80, 0x7f, (byte) 0xfe, 0x01, (byte) 0xc3, 0x28,
                (byte) 0xed, (byte) 0xa0, (byte) 0x80, 0x10, 0x20, 0x30, 0x40, 0x50};
        AppendCommand command = command("binary-correlation");

        RecordMetadata sent = send(command, key(command), Map.of(IngestHeaders.CORRELATION_ID, correlationId));

        ConsumerRecord<byte[], CommandResult> result = resultOf(command.getCommandId());
        assertThat(result.headers().lastHeader(IngestHeaders.CORRELATION_ID).value()).isEqualTo(correlationId);
        assertThat(pipeline.store.readResults(sent.partition(), sent.offset(), 1)).singleElement()
                .satisfies(stored -> assertThat(stored.route().correlationId()).isEqualTo(correlationId));
        assertNextCommandAccepted(sent.partition());
    }

    @Test
    void answersAResendOfACommandIdInAnotherLetterCaseWithTheStoredResult() {
        AppendCommand original = command("letter-case");
        send(original, key(original), Map.of());
        CommandResult first = resultOf(original.getCommandId()).value();
        AppendCommand upper = AppendCommand.newBuilder(original)
                .setCommandId(original.getCommandId().toUpperCase(Locale.ROOT)).build();

        RecordMetadata resent = send(upper, key(upper), Map.of(IngestHeaders.CORRELATION_ID, text("upper-case")));

        ConsumerRecord<byte[], CommandResult> answer = resultWhere(record -> "upper-case".equals(
                header(record, IngestHeaders.CORRELATION_ID)));
        assertThat(answer.value().getDuplicate()).isTrue();
        assertThat(answer.value().getCommandId()).isEqualTo(original.getCommandId());
        assertThat(answer.value().getFirstSequence()).isEqualTo(first.getFirstSequence());
        assertNextCommandAccepted(resent.partition());
    }

    @Test
    void readsARecordOfANewerSchemaThatUsesOnlyKnownSymbolsAndRejectsOneUsingANewSymbolNamingIt() {
        String subject = pipeline.topics.commands() + "-value";
        int partition = PartitionFunction.partitionOf("evolved-1");
        GenericRecord known = EvolvedCommands.command(EvolvedCommands.WITH_AT_LEAST, new Utf8("evolved-1"), "ANY");
        GenericRecord unknown = EvolvedCommands.command(EvolvedCommands.WITH_AT_LEAST, new Utf8("evolved-1"),
                "AT_LEAST");

        sendFramed(partition, EvolvedCommands.frame(pipeline.registry, subject, EvolvedCommands.WITH_AT_LEAST, known));
        RecordMetadata refused = sendFramed(partition, EvolvedCommands.frame(pipeline.registry, subject,
                EvolvedCommands.WITH_AT_LEAST, unknown));

        assertThat(resultOf(known.get("command_id").toString()).value().getStatus())
                .isEqualTo(CommandStatus.ACCEPTED);
        CommandResult rejection = resultOf("invalid:" + refused.partition() + ":" + refused.offset()).value();
        assertThat(rejection.getReason()).isEqualTo(RejectionReason.INVALID_COMMAND);
        assertThat(rejection.getMessage()).contains("UNKNOWN_ENUM_SYMBOL: appends[0].expected_version.kind is"
                + " AT_LEAST");
        assertNextCommandAccepted(partition);
    }

    private RecordMetadata sendFramed(int partition, byte[] value) {
        try {
            return pipeline.sendRaw(new ProducerRecord<>(pipeline.topics.commands(), partition, text("evolved-1"),
                    value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("Could not send a record of the newer schema", e);
        }
    }

    private void assertNextCommandAccepted(int partition) {
        AppendCommand next = command(streamIn(partition, "next"));
        send(next, key(next), Map.of());
        assertThat(resultOf(next.getCommandId()).value().getStatus())
                .as("the next command of partition %s", partition).isEqualTo(CommandStatus.ACCEPTED);
    }

    private RecordMetadata send(AppendCommand command, byte[] key, Map<String, byte[]> headers) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(pipeline.topics.commands(),
                PartitionFunction.partitionOf(command.getAppends().get(0).getStreamId()), key,
                pipeline.encode(command));
        headers.forEach((name, value) -> record.headers().add(name, value));
        try {
            return pipeline.sendRaw(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("Could not send " + command.getCommandId(), e);
        }
    }

    private ConsumerRecord<byte[], CommandResult> resultOf(String commandId) {
        return resultWhere(record -> record.value().getCommandId().equals(commandId));
    }

    private ConsumerRecord<byte[], CommandResult> resultWhere(Predicate<ConsumerRecord<byte[], CommandResult>> match) {
        return pipeline.readUntil(pipeline.topics.results(), CommandResult.class,
                read -> read.stream().anyMatch(match), WAIT).stream().filter(match).findFirst()
                .orElseThrow(() -> new AssertionError("no such result within " + WAIT));
    }

    private static Predicate<ConsumerRecord<byte[], byte[]>> sourcedAt(RecordMetadata sent) {
        return letter -> (sent.partition() + ":" + sent.offset()).equals(header(letter,
                IngestHeaders.SOURCE_PARTITION) + ":" + header(letter, IngestHeaders.SOURCE_OFFSET));
    }

    private static AppendCommand command(String streamId) {
        return PipelineFixture.command(streamId, ExpectedVersionKind.ANY, 0, 1);
    }

    private static String streamIn(int partition, String prefix) {
        for (int i = 0; ; i++) {
            String id = prefix + "-" + partition + "-" + i;
            if (PartitionFunction.partitionOf(id) == partition) {
                return id;
            }
        }
    }

    private static byte[] key(AppendCommand command) {
        return text(command.getAppends().get(0).getStreamId());
    }

    private static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = pipeline.database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
