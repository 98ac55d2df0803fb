package io.allsource.ingest.worker;

import static io.allsource.ingest.worker.PipelineFixture.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.store.OffsetResets;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.PostgresServer;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Retention deletes commands of a partition while a running worker waits to apply them (here: the database is away,
 * so the partition backs off with its fetch position behind). When the worker fetches again, its position lies
 * before the log start: the partition is held, with the deleted range named, instead of resuming at the log start
 * and skipping the deleted commands without a trace; an operator's recorded reset lets it resume.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordsDeletedWhileRunningIT {

    private static final int PARTITION = 7;
    private static final int DELETED_BEFORE = 30;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final PipelineFixture pipeline;
    private final PostgresServer server;

    RecordsDeletedWhileRunningIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry,
            PostgresServer server) {
        this.pipeline = new PipelineFixture(broker, database, registry);
        this.server = server;
    }

    @AfterAll
    void close() {
        pipeline.close();
    }

    @Test
    void holdsThePartitionWhenRetentionDeletesCommandsItHasNotAppliedYetAndResumesAfterARecordedReset()
            throws Exception {
        // A fetch waits at most 100 ms for records: see below.
        WorkerSettings settings = pipeline.settings("worker-retention", Map.of("fetch.max.wait.ms", 100))
                .withBatching(5, Duration.ofMillis(5))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(500));
        long stopped;
        try (IngestWorker worker = pipeline.startWorker(settings)) {
            send(1); // offset 0
            await().alias("offset 0 applied").atMost(WAIT).until(() -> storedNextOffset() == 1);

            List<AppendCommand> waiting;
            setConnectionsAllowed(false);
            try {
                send(1); // offset 1: fetched, then its batch fails and the partition backs off, paused
                await().alias("the worker retries while the database is away").atMost(WAIT)
                        .until(() -> pipeline.lastWorkerMetrics().registry().find("ingest.retries").counters()
                                .stream().mapToDouble(counter -> counter.count()).sum() >= 5);
                // Offsets 2 to 41, produced while the partition is paused: no fetch of the worker holds them. A
                // fetch sent before the pause waits at most 100 ms for records; five retries take 750 ms or more.
                waiting = send(40);
                pipeline.broker.admin().deleteRecords(Map.of(new TopicPartition(pipeline.topics.commands(),
                        PARTITION), RecordsToDelete.beforeOffset(DELETED_BEFORE))).all().get(30, TimeUnit.SECONDS);
            } finally {
                setConnectionsAllowed(true);
            }

            await().alias("partition " + PARTITION + " held").atMost(WAIT)
                    .until(() -> worker.heldPartitions().isHeld(PARTITION));
            stopped = storedNextOffset();
            assertThat(stopped).as("the worker applied what it had fetched before the deletion").isEqualTo(2);
            assertThat(worker.heldPartitions().reasons()).singleElement().asString()
                    .contains("partition " + PARTITION + " of " + pipeline.topics.commands() + " is held")
                    .contains("records at offsets " + stopped + " to " + (DELETED_BEFORE - 1)
                            + " were deleted before they were applied");
            List<String> kept = waiting.subList(DELETED_BEFORE - 2, waiting.size()).stream()
                    .map(AppendCommand::getCommandId).toList();
            assertThat(answered(kept)).as("nothing after the deleted range is applied while held").isZero();

            new OffsetResets(pipeline.database.dataSource()).reset(PARTITION, DELETED_BEFORE, topicId(), "tester",
                    "localhost", "retention deleted offsets the database outage kept from being applied");

            await().alias("the commands kept in the log applied after the reset").atMost(WAIT)
                    .until(() -> answered(kept) == kept.size());
            assertThat(worker.heldPartitions().isHeld(PARTITION)).isFalse();
            assertThat(storedNextOffset()).isEqualTo(42);
        }
        assertThat(pipeline.database.queryForLong("SELECT count(*) FROM offset_resets WHERE partition_id = "
                + PARTITION + " AND from_offset = " + stopped + " AND to_offset = " + DELETED_BEFORE)).isOne();
    }

    private List<AppendCommand> send(int count) {
        List<AppendCommand> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AppendCommand command = command("retention-" + i, ExpectedVersionKind.ANY, 0, 1);
            pipeline.send(new ProducerRecord<>(pipeline.topics.commands(), PARTITION, "retention-" + i, command));
            sent.add(command);
        }
        pipeline.flush();
        return sent;
    }

    private long storedNextOffset() {
        return pipeline.database.queryForLong("SELECT coalesce(max(next_offset), 0) FROM partition_state"
                + " WHERE partition_id = " + PARTITION);
    }

    private long answered(List<String> commandIds) {
        return pipeline.database.queryForLong("SELECT count(*) FROM command_results WHERE command_id IN ('"
                + String.join("','", commandIds) + "')");
    }

    private String topicId() throws Exception {
        return pipeline.broker.admin().describeTopics(Set.of(pipeline.topics.commands())).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(pipeline.topics.commands()).topicId().toString();
    }

    private void setConnectionsAllowed(boolean allowed) {
        server.setConnectionsAllowed(pipeline.database.name(), allowed);
    }
}
