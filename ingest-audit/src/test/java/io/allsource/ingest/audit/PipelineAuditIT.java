package io.allsource.ingest.audit;

import static io.allsource.ingest.audit.AuditFixture.append;
import static io.allsource.ingest.audit.AuditFixture.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.serde.AvroDeserializer;
import io.allsource.ingest.serde.AvroSerializer;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestTopics;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The audit against a real worker's database and topics: every check passes on what the worker wrote, and each
 * invariant broken on purpose (a deleted event row, a dropped outcome, an event of another tenant than its stream, a
 * stream moved to another partition, events without an accepted result, a command's events outside its result, a
 * differing copy, events out of order or missing, results missing) is reported by its check, with the item named. The
 * database is repaired after each break; the topic breaks come last because a topic cannot be repaired.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineAuditIT {

    private static final String STREAMS_GAPLESS = "streams gapless 1..current_version, current_version = highest version";

    private final AuditFixture pipeline;
    private final TestDatabase database;

    PipelineAuditIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.pipeline = new AuditFixture(broker, database, registry);
        this.database = database;
    }

    @BeforeAll
    void sendLoadWithConflictsAndWaitForEveryOutcome() {
        Map<String, Long> model = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            String stream = "s-" + (i % 40);
            long believed = model.getOrDefault(stream, 0L);
            int events = 1 + i % 3;
            AppendCommand sent = switch (i % 8) {
                case 0 -> pipeline.send(command(null, List.of(append(stream, ExpectedVersionKind.NO_STREAM, 0, events))));
                case 1 -> pipeline.send(command(null, List.of(append(stream, ExpectedVersionKind.EXACT, believed, events))));
                case 2 -> pipeline.send(command(null, List.of(append(stream, ExpectedVersionKind.EXACT,
                        Math.max(0, believed - 1), events))));
                case 3 -> pipeline.send(command("group-" + i % 5, List.of(
                        append("group-" + i % 5 + "-a", ExpectedVersionKind.ANY, 0, 1),
                        append("group-" + i % 5 + "-b", ExpectedVersionKind.ANY, 0, 2))));
                default -> pipeline.send(command(null, List.of(append(stream, ExpectedVersionKind.ANY, 0, events))));
            };
            model.put(stream, believed + events);
            if (i % 97 == 0) {
                pipeline.send(sent); // a retry: the stored outcome comes back flagged duplicate
            }
        }
        pipeline.flush();
        await().alias("an outcome stored for every send").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> database.queryForLong("SELECT (SELECT count(*) FROM command_results)"
                        + " + (SELECT count(*) FROM command_redeliveries)") == pipeline.history.size());
    }

    @AfterAll
    void close() {
        pipeline.close();
    }

    @Test
    @Order(1)
    void everyInvariantHoldsOnWhatARealWorkerWrote() {
        AuditReport report = pipeline.audit().run(pipeline.history);

        assertThat(report.checks()).allSatisfy(check -> assertThat(check.holds()).as(check.toString()).isTrue());
        assertThat(report.holds()).isTrue();
        assertThat(report.eventsLost()).isZero();
        assertThat(report.commandsAppliedTwice()).isZero();
        long events = database.queryForLong("SELECT count(*) FROM events");
        assertThat(events).isPositive();
        assertThat(report.check("every committed event on the events topic").checked()).isEqualTo(events);
        assertThat(report.check("every command sent has a stored outcome").checked())
                .isEqualTo(database.queryForLong("SELECT count(*) FROM command_results"));
        assertThat(database.queryForLong("SELECT count(*) FROM command_results WHERE status = 'REJECTED'"))
                .as("the load had conflicts").isPositive();
        assertThat(report.check("every offset below next_offset has exactly one outcome").checked())
                .isEqualTo(pipeline.history.size());
        assertThat(report.resultsRead()).isGreaterThanOrEqualTo(pipeline.history.size());

        AuditReport withoutHistory = pipeline.audit().run();
        assertThat(withoutHistory.holds()).as(withoutHistory.toString()).isTrue();
        assertThat(new StoreInvariants(database.dataSource()).run()).allMatch(Check::holds);
    }

    @Test
    @Order(2)
    void reportsADeletedEventRowAsLostAndItsStreamAndPartitionAsGapped() throws SQLException {
        String stream = database.queryForStrings("SELECT stream_id FROM events ORDER BY id LIMIT 1").get(0);
        database.execute("CREATE TABLE audit_saved AS SELECT * FROM events WHERE id = (SELECT min(id) FROM events)");
        database.execute("DELETE FROM events WHERE id = (SELECT id FROM audit_saved)");
        try {
            AuditReport report = pipeline.audit().run(pipeline.history);

            assertThat(report.holds()).isFalse();
            assertThat(report.eventsLost()).isEqualTo(1);
            assertThat(report.check(STREAMS_GAPLESS).examples()).containsExactly(stream);
            assertThat(report.check("partition sequences gapless 1..last_sequence").violations()).isEqualTo(1);
            assertThat(report.check("accepted results cover exactly their events").violations()).isEqualTo(1);
        } finally {
            database.execute("INSERT INTO events SELECT * FROM audit_saved");
            database.execute("DROP TABLE audit_saved");
        }
        assertThat(new StoreInvariants(database.dataSource()).run()).allMatch(Check::holds);
    }

    @Test
    @Order(3)
    void reportsADroppedOutcomeByItsOffsetAndTheSentCommandWithoutOne() throws SQLException {
        List<String> row = database.queryForStrings("SELECT command_id || ' ' || partition_id || ' ' || command_offset"
                + " FROM command_results r WHERE status = 'REJECTED' AND NOT EXISTS (SELECT 1 FROM"
                + " command_redeliveries d WHERE d.command_id = r.command_id) ORDER BY command_offset LIMIT 1");
        String[] dropped = row.get(0).split(" ");
        database.execute("CREATE TABLE audit_saved AS SELECT * FROM command_results WHERE command_id = '"
                + dropped[0] + "'");
        database.execute("DELETE FROM command_results WHERE command_id = '" + dropped[0] + "'");
        try {
            AuditReport report = pipeline.audit().run(pipeline.history);

            assertThat(report.check("every offset below next_offset has exactly one outcome").examples())
                    .containsExactly("partition " + dropped[1] + " offset " + dropped[2] + " has no outcome");
            assertThat(report.check("every command sent has a stored outcome").examples())
                    .containsExactly(dropped[0] + " has no stored outcome");
        } finally {
            database.execute("INSERT INTO command_results SELECT * FROM audit_saved");
            database.execute("DROP TABLE audit_saved");
        }
        String neverSent = UUID.randomUUID().toString();
        AuditReport report = pipeline.audit().run(pipeline.history.withUnsent(neverSent));
        assertThat(report.check("every command sent has a stored outcome").examples())
                .containsExactly(neverSent + " has no stored outcome");
        assertThat(report.check("every offset below next_offset has exactly one outcome").holds()).isTrue();
    }

    @Test
    @Order(4)
    void reportsAnEventOfAnotherTenantThanItsStreamAlsoForAStreamWithoutATenantOnRecord() throws SQLException {
        assertThat(database.queryForLong("SELECT count(*) FROM event_streams WHERE tenant_id IS NULL"))
                .as("the worker records every stream's tenant").isZero();
        List<String> row = database.queryForStrings("SELECT e.event_id::text || ' ' || e.stream_id FROM events e"
                + " WHERE e.version = 2 ORDER BY e.id LIMIT 1");
        String[] intruding = row.get(0).split(" ");
        database.execute("UPDATE events SET tenant_id = 'intruder' WHERE event_id = '" + intruding[0] + "'");
        try {
            String expected = intruding[0] + " of " + intruding[1] + " is of another tenant than its stream";
            assertThat(pipeline.audit().run(pipeline.history).check(StoreInvariants.TENANTS).examples())
                    .containsExactly(expected);
            database.execute("UPDATE event_streams SET tenant_id = NULL WHERE stream_id = '" + intruding[1] + "'");
            assertThat(pipeline.audit().run(pipeline.history).check(StoreInvariants.TENANTS).examples())
                    .as("without a tenant on record, the stream's first event gives it").containsExactly(expected);
        } finally {
            database.execute("UPDATE events SET tenant_id = (SELECT f.tenant_id FROM events f WHERE f.stream_id = '"
                    + intruding[1] + "' AND f.version = 1) WHERE event_id = '" + intruding[0] + "'");
            database.execute("UPDATE event_streams SET tenant_id = (SELECT f.tenant_id FROM events f"
                    + " WHERE f.stream_id = '" + intruding[1] + "' AND f.version = 1) WHERE stream_id = '"
                    + intruding[1] + "'");
        }
        assertThat(new StoreInvariants(database.dataSource()).run()).allMatch(Check::holds);
    }

    @Test
    @Order(5)
    void reportsAStreamOutOfPlaceEventsWithoutAnAcceptedResultAndACommandAppliedTwice() throws SQLException {
        String moved = database.queryForStrings("SELECT stream_id FROM event_streams WHERE stream_id = 's-7'").get(0);
        String[] unaccepted = database.queryForStrings("SELECT command_id || ' ' || first_sequence || ' '"
                + " || last_sequence FROM command_results WHERE status = 'ACCEPTED' ORDER BY command_offset, partition_id"
                + " LIMIT 1").get(0).split(" ");
        String twice = database.queryForStrings("SELECT command_id FROM command_results WHERE status = 'ACCEPTED'"
                + " AND command_id <> '" + unaccepted[0] + "' ORDER BY command_offset DESC, partition_id LIMIT 1")
                .get(0);
        database.execute("UPDATE event_streams SET partition_id = (partition_id + 1) % 32 WHERE stream_id = '"
                + moved + "'");
        database.execute("UPDATE command_results SET status = 'REJECTED', reason = 'CONCURRENCY_CONFLICT',"
                + " first_sequence = NULL, last_sequence = NULL WHERE command_id = '" + unaccepted[0] + "'");
        database.execute("UPDATE command_results SET first_sequence = first_sequence + 100000,"
                + " last_sequence = last_sequence + 100000 WHERE command_id = '" + twice + "'");
        try {
            AuditReport report = pipeline.audit().run(pipeline.history);

            assertThat(report.check("streams live in the partition of their key").examples())
                    .singleElement().asString().startsWith(moved + " in partition ");
            assertThat(report.check("events in the partition of their stream").violations())
                    .isEqualTo(database.queryForLong("SELECT count(*) FROM events WHERE stream_id = '" + moved + "'"));
            assertThat(report.check("every event belongs to an accepted command").violations())
                    .isEqualTo(Long.parseLong(unaccepted[2]) - Long.parseLong(unaccepted[1]) + 1);
            assertThat(report.check(StoreInvariants.APPLIED_TWICE).examples()).containsExactly(twice);
            assertThat(report.commandsAppliedTwice()).isGreaterThanOrEqualTo(1);
            assertThat(report.check("result copies identical to the stored outcome (duplicate flag aside)").examples())
                    .anySatisfy(example -> assertThat(example).startsWith(unaccepted[0]))
                    .anySatisfy(example -> assertThat(example).startsWith(twice));
        } finally {
            database.execute("UPDATE event_streams SET partition_id = (partition_id + 31) % 32 WHERE stream_id = '"
                    + moved + "'");
            database.execute("UPDATE command_results SET status = 'ACCEPTED', reason = NULL, first_sequence = "
                    + unaccepted[1] + ", last_sequence = " + unaccepted[2] + " WHERE command_id = '" + unaccepted[0]
                    + "'");
            database.execute("UPDATE command_results SET first_sequence = first_sequence - 100000,"
                    + " last_sequence = last_sequence - 100000 WHERE command_id = '" + twice + "'");
        }
        assertThat(pipeline.audit().run(pipeline.history).holds()).isTrue();
    }

    @Test
    @Order(6)
    void reportsEventsPublishedOutOfStreamOrderAndOnesNeverPublished() {
        String copy = KafkaBroker.uniqueName("reordered-events");
        pipeline.broker.createTopic(copy, 32);
        List<ConsumerRecord<byte[], byte[]>> records = readAll(pipeline.topics.events());
        String skipped = decodeEvent(records.get(0).value()).getEventId();
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition = new HashMap<>();
        records.forEach(record -> byPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record));
        byPartition.forEach((partition, partitionRecords) -> {
            List<ConsumerRecord<byte[], byte[]>> reversed = new ArrayList<>(partitionRecords);
            Collections.reverse(reversed);
            reversed.stream().filter(record -> !decodeEvent(record.value()).getEventId().equals(skipped))
                    .forEach(record -> pipeline.raw.send(new ProducerRecord<>(copy, partition, record.key(),
                            record.value())));
        });
        pipeline.flush();

        AuditReport report = new PipelineAudit(database.dataSource(), withTopics(new IngestTopics(
                pipeline.topics.commands(), pipeline.topics.results(), copy, pipeline.topics.deadLetters())))
                .run(pipeline.history);

        assertThat(report.eventsLost()).isEqualTo(1);
        assertThat(report.check("every committed event on the events topic").violations()).isEqualTo(1);
        assertThat(report.check("each stream's events first published in version order").violations()).isPositive();
        assertThat(report.check("event copies identical to the stored event").holds()).isTrue();
    }

    @Test
    @Order(7)
    void reportsEveryCommandUnansweredWhenTheResultsTopicHoldsNone() {
        String empty = KafkaBroker.uniqueName("no-results");
        pipeline.broker.createTopic(empty, 32);

        AuditReport report = new PipelineAudit(database.dataSource(), withTopics(new IngestTopics(
                pipeline.topics.commands(), empty, pipeline.topics.events(), pipeline.topics.deadLetters())))
                .run(pipeline.history);

        Check answered = report.check("every command answered on the results topic");
        assertThat(answered.checked()).isPositive();
        assertThat(answered.violations()).isEqualTo(answered.checked());
        assertThat(answered.examples()).hasSize(10).allSatisfy(example -> assertThat(example).contains(empty));
        assertThat(report.holds()).isFalse();
    }

    @Test
    @Order(8)
    void reportsAnEventCopyThatDiffersFromTheStoredEvent() {
        ConsumerRecord<byte[], byte[]> original = readAll(pipeline.topics.events()).get(0);
        EventRecord tampered = decodeEvent(original.value());
        tampered.setPayload("{\"tampered\": true}");
        publish(pipeline.topics.events(), original, tampered);

        AuditReport report = pipeline.audit().run(pipeline.history);

        Check identical = report.check("event copies identical to the stored event");
        assertThat(identical.violations()).isEqualTo(1);
        assertThat(identical.examples().get(0)).contains("stream " + tampered.getStreamId() + " version "
                + tampered.getVersion());
        assertThat(report.eventsLost()).isZero();
        assertThat(report.duplicateEventPublications()).isPositive();
        assertThat(report.holds()).isFalse();
    }

    @Test
    @Order(9)
    void reportsAResultCopyWithOtherSequencesAsACommandAppliedTwice() {
        AvroDeserializer<CommandResult> results = new AvroDeserializer<>(pipeline.registry, CommandResult.class);
        ConsumerRecord<byte[], byte[]> original = readAll(pipeline.topics.results()).stream()
                .filter(record -> results.deserialize(pipeline.topics.results(), record.value()).getStatus()
                        == CommandStatus.ACCEPTED)
                .findFirst().orElseThrow();
        CommandResult tampered = results.deserialize(pipeline.topics.results(), original.value());
        tampered.setFirstSequence(tampered.getFirstSequence() + 10_000);
        tampered.setLastSequence(tampered.getLastSequence() + 10_000);
        publish(pipeline.topics.results(), original, tampered);

        AuditReport report = pipeline.audit().run(pipeline.history);

        assertThat(report.commandsAppliedTwice()).isEqualTo(1);
        assertThat(report.check("result copies identical to the stored outcome (duplicate flag aside)").examples())
                .singleElement().asString().startsWith(tampered.getCommandId());
        assertThat(report.duplicateResultPublications()).isPositive();
    }

    private AuditSettings withTopics(IngestTopics topics) {
        AuditSettings settings = pipeline.settings();
        return new AuditSettings(settings.kafkaProperties(), settings.registry(), topics, settings.grace(),
                settings.timeout());
    }

    private <T extends org.apache.avro.specific.SpecificRecord> void publish(String topic,
            ConsumerRecord<byte[], byte[]> original, T value) {
        byte[] bytes = AvroSerializer.<T>forTopics(pipeline.registry, true).serialize(topic, value);
        pipeline.raw.send(new ProducerRecord<>(topic, original.partition(), original.key(), bytes));
        pipeline.flush();
    }

    private EventRecord decodeEvent(byte[] value) {
        return new AvroDeserializer<>(pipeline.registry, EventRecord.class).deserialize(pipeline.topics.events(),
                value);
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        return read(topic, records -> false);
    }

    private List<ConsumerRecord<byte[], byte[]>> read(String topic, Predicate<List<?>> done) {
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.broker.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (!done.test(read) && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }
}
