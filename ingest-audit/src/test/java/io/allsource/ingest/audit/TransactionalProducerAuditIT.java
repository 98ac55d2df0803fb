package io.allsource.ingest.audit;

import static io.allsource.ingest.audit.AuditFixture.append;
import static io.allsource.ingest.audit.AuditFixture.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.serde.AvroSerializer;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.testing.TransactionalProducer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A transactional producer commits a command, aborts one and commits a third: the offsets of the commit markers and
 * of the aborted record hold no outcome, and the audit, reading the commands topic there, does not report them; the
 * database alone cannot tell them apart and does.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionalProducerAuditIT {

    private static final String STREAM = "audited-transactional-1";
    private static final int PARTITION = PartitionFunction.partitionOf(STREAM);
    private static final String OFFSETS = "every offset below next_offset has exactly one outcome";

    private final KafkaBroker broker;
    private final TestDatabase database;
    private final AuditFixture pipeline;
    private long lastOffset;

    TransactionalProducerAuditIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.broker = broker;
        this.database = database;
        this.pipeline = new AuditFixture(broker, database, registry);
    }

    @BeforeAll
    void commitAbortCommitAndWaitForTheOutcomes() {
        AppendCommand first = command(null, List.of(append(STREAM, ExpectedVersionKind.NO_STREAM, 0, 2)));
        AppendCommand aborted = command(null, List.of(append(STREAM, ExpectedVersionKind.ANY, 0, 1)));
        AppendCommand third = command(null, List.of(append(STREAM, ExpectedVersionKind.EXACT, 2, 1)));
        try (TransactionalProducer producer = new TransactionalProducer(broker)) {
            producer.commit(record(first));
            producer.abort(record(aborted));
            lastOffset = producer.commit(record(third));
        }
        await().alias("the two committed commands accepted").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> database.queryForLong("SELECT count(*) FROM command_results WHERE status = 'ACCEPTED'"
                        + " AND command_id IN ('" + first.getCommandId() + "', '" + third.getCommandId() + "')") == 2);
    }

    @AfterAll
    void close() {
        pipeline.close();
    }

    @Test
    void theAuditHoldsWithTheMarkersAndTheAbortedRecordExcused() {
        assertThat(database.queryForLong("SELECT count(*) FROM command_results")).as("the aborted command").isEqualTo(2);
        assertThat(database.queryForLong("SELECT next_offset FROM partition_state WHERE partition_id = " + PARTITION))
                .isEqualTo(lastOffset + 1);

        AuditReport report = pipeline.audit().run();

        assertThat(report.checks()).allSatisfy(check -> assertThat(check.holds()).as(check.toString()).isTrue());
        assertThat(report.check(OFFSETS).checked()).isEqualTo(lastOffset + 1);
    }

    @Test
    void theStoreChecksHoldWhenTheyMayReadTheCommandsTopic() {
        try (CommandsTopicOffsets receivedOffsets = new CommandsTopicOffsets(
                () -> pipeline.settings().kafkaProperties(), pipeline.topics.commands(), Duration.ofSeconds(30))) {
            assertThat(new StoreInvariants(database.dataSource(), receivedOffsets).run()).allMatch(Check::holds);
        }
    }

    @Test
    void theDatabaseAloneReportsEveryOffsetBetweenTheTwoCommandsAsWithoutOutcome() {
        Check offsets = new StoreInvariants(database.dataSource()).run().stream()
                .filter(check -> check.name().equals(OFFSETS)).findFirst().orElseThrow();

        assertThat(offsets.examples()).containsExactly("partition " + PARTITION + " offset 1 has no outcome",
                "partition " + PARTITION + " offset 2 has no outcome",
                "partition " + PARTITION + " offset 3 has no outcome");
    }

    private ProducerRecord<byte[], byte[]> record(AppendCommand command) {
        byte[] value = AvroSerializer.<AppendCommand>forTopics(pipeline.registry, true)
                .serialize(pipeline.topics.commands(), command);
        return new ProducerRecord<>(pipeline.topics.commands(), PARTITION, STREAM.getBytes(StandardCharsets.UTF_8),
                value);
    }
}
