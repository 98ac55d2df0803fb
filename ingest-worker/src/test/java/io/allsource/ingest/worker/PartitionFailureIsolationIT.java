package io.allsource.ingest.worker;

import static io.allsource.ingest.worker.IngestWorkerIT.commandIds;
import static io.allsource.ingest.worker.PipelineFixture.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.RejectionReason;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Batches of several partitions share a transaction. When one partition's rows cannot be written (here a trigger
 * refuses them with an error no rule knows, SQLState P0001), the others are tried alone and applied; only that
 * partition waits. And since the same failure repeats while the other partitions progress, it is no outage: after five
 * attempts the command is refused, and its partition moves on.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartitionFailureIsolationIT {

    private final PipelineFixture pipeline;

    PartitionFailureIsolationIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.pipeline = new PipelineFixture(broker, database, registry);
    }

    @AfterAll
    void close() {
        pipeline.close();
    }

    @Test
    void aPartitionWhoseRowsCannotBeWrittenHoldsUpOnlyItselfUntilItsCommandIsRefused() throws SQLException {
        String poisoned = stream(5, "refused");
        pipeline.database.execute("""
                CREATE FUNCTION refuse_poisoned() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.stream_id = '%s' THEN
                        RAISE EXCEPTION 'rows of stream %% are refused for this test', NEW.stream_id;
                    END IF;
                    RETURN NEW;
                END $$""".formatted(poisoned));
        pipeline.database.execute("CREATE TRIGGER refuse_poisoned BEFORE INSERT ON events FOR EACH ROW"
                + " EXECUTE FUNCTION refuse_poisoned()");
        try (IngestWorker worker = pipeline.startWorker(pipeline.settings("worker-i").withApplyThreads(1))) {
            AppendCommand stuck = pipeline.send(command(poisoned, ExpectedVersionKind.ANY, 0, 1));
            List<AppendCommand> healthy = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (int partition = 0; partition < PartitionFunction.PARTITION_COUNT; partition++) {
                    if (partition != 5) {
                        healthy.add(pipeline.send(command(stream(partition, "healthy-" + round),
                                ExpectedVersionKind.ANY, 0, 1)));
                    }
                }
            }
            pipeline.flush();

            Set<String> ids = healthy.stream().map(AppendCommand::getCommandId)
                    .collect(Collectors.toCollection(HashSet::new));
            ids.add(stuck.getCommandId());
            List<ConsumerRecord<byte[], CommandResult>> results = pipeline.results(read -> commandIds(read)
                    .containsAll(ids));
            assertThat(commandIds(results)).containsAll(ids);
            CommandResult refused = results.stream().map(ConsumerRecord::value)
                    .filter(result -> result.getCommandId().equals(stuck.getCommandId())).findFirst().orElseThrow();
            assertThat(refused.getReason()).isEqualTo(RejectionReason.INVALID_COMMAND);
            assertThat(refused.getMessage()).startsWith("the command failed 5 times in a row at store while other"
                    + " partitions progressed: ").contains("are refused for this test", "SQLState P0001");

            AppendCommand next = pipeline.send(command(stream(5, "after"), ExpectedVersionKind.ANY, 0, 1));
            pipeline.flush();
            await().alias("the refused command's partition applies the next command").atMost(Duration.ofSeconds(30))
                    .until(() -> pipeline.database.queryForLong("SELECT count(*) FROM command_results WHERE command_id"
                            + " = '" + next.getCommandId() + "' AND status = 'ACCEPTED'") == 1);
            pipeline.database.execute("DROP TRIGGER refuse_poisoned ON events");
        }
        assertThat(pipeline.database.queryForLong("SELECT count(*) FROM command_results")).isEqualTo(5 * 31 + 2);
    }

    private static String stream(int partition, String prefix) {
        for (int i = 0; ; i++) {
            String id = prefix + "-" + partition + "-" + i;
            if (PartitionFunction.partitionOf(id) == partition) {
                return id;
            }
        }
    }
}
