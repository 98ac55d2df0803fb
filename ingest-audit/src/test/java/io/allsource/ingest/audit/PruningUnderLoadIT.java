package io.allsource.ingest.audit;

import static io.allsource.ingest.audit.AuditFixture.append;
import static io.allsource.ingest.audit.AuditFixture.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.retention.ResultPruner;
import io.allsource.ingest.store.ResultPruning;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pruning that runs while a real worker applies load (conflicts, multi-stream commands, retries of recent command
 * ids), with a retention of one millisecond so that every published outcome is due at once and the pruner's steps
 * interleave with the partitions' batches as closely as they can: afterwards every database check still holds and the
 * audit of the topics against the database finds nothing, while most outcomes are gone.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
class PruningUnderLoadIT {

    private final KafkaBroker broker;
    private final TestDatabase database;
    private final TestSchemaRegistry registry;

    PruningUnderLoadIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.broker = broker;
        this.database = database;
        this.registry = registry;
    }

    @Test
    void leavesEveryCheckCleanWhenOutcomesArePrunedWhileCommandsAreApplied() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (AuditFixture pipeline = new AuditFixture(broker, database, registry);
                ResultPruner pruner = new ResultPruner(new ResultPruning(database.dataSource()), Duration.ofMillis(1),
                        Duration.ofMillis(20), meters)) {
            Map<String, Long> believed = new HashMap<>();
            for (int i = 0; i < 1_500; i++) {
                String stream = "pruned-" + (i % 120);
                long version = believed.getOrDefault(stream, 0L);
                AppendCommand sent = switch (i % 6) {
                    case 0 -> pipeline.send(command(null, List.of(append(stream, ExpectedVersionKind.EXACT,
                            Math.max(0, version - 1), 1))));
                    case 1 -> pipeline.send(command("pair-" + i % 7, List.of(
                            append("pair-" + i % 7 + "-a", ExpectedVersionKind.ANY, 0, 1),
                            append("pair-" + i % 7 + "-b", ExpectedVersionKind.ANY, 0, 2))));
                    default -> pipeline.send(command(null, List.of(append(stream, ExpectedVersionKind.ANY, 0, 2))));
                };
                believed.put(stream, version + 2);
                if (i % 25 == 0) {
                    pipeline.send(sent); // a retry: its first outcome may be there, or pruned already
                }
                if (i % 100 == 0) {
                    pipeline.flush();
                    Thread.sleep(50); // let the pruner's steps fall between batches, not only after them
                }
            }
            pipeline.flush();
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (int partition = 0; partition < PartitionFunction.PARTITION_COUNT; partition++) {
                ends.put(new TopicPartition(pipeline.topics.commands(), partition), OffsetSpec.latest());
            }
            long sent = broker.admin().listOffsets(ends).all().get().values().stream()
                    .mapToLong(end -> end.offset()).sum();
            await().alias("every command applied and published").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> database.queryForLong("SELECT COALESCE(sum(published_offset), 0)"
                            + " FROM partition_state") == sent);
            await().alias("the pruner catching up").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> database.queryForLong("SELECT COALESCE(sum(pruned_offset), 0)"
                            + " FROM partition_state") == sent);

            assertThat(sent).isEqualTo(pipeline.history.size());
            assertThat(meters.get("ingest.outcomes.pruned").counter().count()).isPositive();
            assertThat(database.queryForLong("SELECT (SELECT count(*) FROM command_results)"
                    + " + (SELECT count(*) FROM command_redeliveries)"))
                    .as("outcomes left: at most those a late redelivery still pinned").isLessThan(sent / 10);
            List<Check> store = new StoreInvariants(database.dataSource()).run();
            assertThat(store).allSatisfy(check -> assertThat(check.holds()).as(check.toString()).isTrue());
            AuditReport audit = pipeline.audit().run();
            assertThat(audit.checks()).allSatisfy(check -> assertThat(check.holds()).as(check.toString()).isTrue());
            assertThat(audit.eventsLost()).isZero();
            assertThat(audit.commandsAppliedTwice()).isZero();
        }
    }
}
