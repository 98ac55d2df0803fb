package io.allsource.ingest.worker;

import static io.allsource.ingest.worker.IngestWorkerIT.assertPublishedInStreamOrder;
import static io.allsource.ingest.worker.IngestWorkerIT.commandIds;
import static io.allsource.ingest.worker.PipelineFixture.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.embedded.Signals;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.worker.CommitAudit.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zombie: two worker processes share the group under a load with conflicts in it; one is paused with SIGSTOP past
 * its session timeout while it owns partitions with records in flight, the other takes every partition over and
 * answers commands of each, then the paused one is resumed under the continuing load. The database's own audit of
 * every claim and offset advance (a trigger, see {@link CommitAudit}) proves that the zombie committed nothing once
 * another owner had claimed its partitions; every command has exactly one stored result, the store's invariants hold
 * and every committed event is published.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZombieWorkerIT {

    private static final Logger log = LoggerFactory.getLogger(ZombieWorkerIT.class);
    private static final int PARTITIONS = PartitionFunction.PARTITION_COUNT;
    private static final String ZOMBIE = "zombie";
    private static final String SURVIVOR = "survivor";
    private static final int IDLE_TRANSACTION_TIMEOUT_MS = 3000;

    private final PipelineFixture pipeline;
    private final TestSchemaRegistry registry;
    private final List<String> streams = streamsOverEveryPartition(3);
    private final List<AppendCommand> sent = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    Path logs;

    ZombieWorkerIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.pipeline = new PipelineFixture(broker, database, registry);
        this.registry = registry;
    }

    @AfterAll
    void close() {
        pipeline.close();
    }

    @Test
    void aWorkerPausedPastItsSessionTimeoutCommitsNothingAfterItsPartitionsAreTakenOver() throws Exception {
        CommitAudit audit = CommitAudit.install(pipeline.database);
        Process zombie = start(ZOMBIE);
        Process survivor = start(SURVIVOR);
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
        try {
            await().alias("both workers own partitions").atMost(Duration.ofSeconds(40))
                    .until(() -> owners().size() == 2 && claimedPartitions() == PARTITIONS);
            load.scheduleAtFixedRate(() -> sendSome(4), 0, 20, TimeUnit.MILLISECONDS);
            await().alias("a few hundred commands applied").atMost(Duration.ofSeconds(30))
                    .until(() -> storedResults() >= 400);

            Signals.pause(zombie.toHandle());
            long stopNanos = System.nanoTime();
            long stoppedAt = audit.lastSeq();
            Set<Integer> zombiePartitions = partitionsOf(ZOMBIE);
            try {
                await().alias("the survivor owns every partition and has applied commands in each since the stop")
                        .atMost(Duration.ofSeconds(40))
                        .until(() -> partitionsOf(SURVIVOR).size() == PARTITIONS
                                && partitionsAdvancedBy(SURVIVOR, stoppedAt) == PARTITIONS);
            } catch (ConditionTimeoutException e) {
                logDiagnostics();
                throw e;
            }

            log.info("Zombie paused holding partitions {} with {} commands sent; survivor took over and applied"
                    + " commands of every partition {} ms later", zombiePartitions, sent.size(),
                    Duration.ofNanos(System.nanoTime() - stopNanos).toMillis());
            Signals.resume(zombie.toHandle());
            long resumedAt = audit.lastSeq();
            await().alias("the load goes on after the zombie resumed").atMost(Duration.ofSeconds(30))
                    .until(() -> audit.lastSeq() >= resumedAt + 100);
            load.shutdown();
            assertThat(load.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            pipeline.flush();

            log.info("Load stopped after {} commands; zombie's log: {}", sent.size(), Files.readAllLines(
                    logs.resolve(ZOMBIE + ".log")).stream().filter(line -> line.contains("fenced")
                            || line.contains("lost") || line.contains("claimed") || line.contains("failed"))
                    .toList());
            assertThat(zombiePartitions).as("partitions the zombie held when paused").isNotEmpty();
            assertEveryCommandAnsweredOnce();
            assertZombieCommittedNothingAfterTakeover(audit.rows(), zombiePartitions, stoppedAt);
            assertThat(Files.readString(logs.resolve(ZOMBIE + ".log"))).as("the zombie's log")
                    .containsAnyOf("lost partitions", "fenced by " + SURVIVOR);
        } finally {
            load.shutdownNow();
            Signals.resume(zombie.toHandle());
            WorkerProcesses.stop(zombie);
            WorkerProcesses.stop(survivor);
        }
    }

    private void assertEveryCommandAnsweredOnce() {
        Set<String> ids = sent.stream().map(AppendCommand::getCommandId).collect(Collectors.toSet());
        List<ConsumerRecord<byte[], CommandResult>> results = pipeline.results(read -> commandIds(read).containsAll(ids));
        assertThat(commandIds(results)).containsAll(ids);
        results.stream().map(ConsumerRecord::value).collect(Collectors.groupingBy(CommandResult::getCommandId))
                .values().forEach(copies -> assertThat(copies).as("copies of the result of %s",
                        copies.get(0).getCommandId()).allSatisfy(copy -> assertThat(copy).isEqualTo(copies.get(0))));
        assertThat(storedResults()).as("one stored result per command sent").isEqualTo(ids.size());
        assertThat(pipeline.database.queryForLong("SELECT count(*) FROM command_redeliveries")).isZero();
        assertThat(pipeline.database.queryForLong(
                "SELECT count(*) FROM command_results WHERE reason = 'CONCURRENCY_CONFLICT'"))
                .as("conflicts in the load").isPositive();
        StoreChecks.assertStoreInvariantsHold(pipeline.database);
        long committed = pipeline.database.queryForLong("SELECT count(*) FROM events");
        assertPublishedInStreamOrder(pipeline.events(read -> IngestWorkerIT.distinctEvents(read).size()
                >= committed), committed);
    }

    /**
     * Per partition, in commit order: epochs never go back, each advance is written by the owner of its epoch through
     * its own connection, and each starts where the one before ended. So nothing the zombie had in flight was committed
     * once the survivor had claimed the partition, and no offset was applied twice.
     */
    private static void assertZombieCommittedNothingAfterTakeover(List<Row> rows, Set<Integer> zombiePartitions,
            long stoppedAt) {
        Map<Integer, List<Row>> byPartition = rows.stream().collect(Collectors.groupingBy(Row::partition));
        assertThat(byPartition).hasSize(PARTITIONS);
        byPartition.forEach((partition, history) -> {
            for (int i = 0; i < history.size(); i++) {
                Row row = history.get(i);
                assertThat(row.application()).as("row %s written by its owner's connection", row)
                        .isEqualTo(row.ownerId());
                if (i > 0) {
                    Row previous = history.get(i - 1);
                    assertThat(row.epoch()).as("epoch of %s after %s", row, previous)
                            .isGreaterThanOrEqualTo(previous.epoch());
                    assertThat(row.claim() || row.fromOffset() == previous.toOffset())
                            .as("%s continues %s", row, previous).isTrue();
                    assertThat(row.claim() || row.epoch() == previous.epoch())
                            .as("%s applied under the epoch claimed before it, %s", row, previous).isTrue();
                }
            }
        });
        for (int partition : zombiePartitions) {
            List<Row> history = byPartition.get(partition);
            Row takeover = history.stream().filter(row -> row.seq() > stoppedAt && row.claim()
                    && row.ownerId().equals(SURVIVOR)).findFirst().orElseThrow(() -> new AssertionError(
                    "the survivor never claimed partition " + partition + ": " + history));
            assertThat(history).filteredOn(row -> row.seq() > takeover.seq() && row.ownerId().equals(ZOMBIE))
                    .as("the zombie's writes to partition %d after the takeover: only under a claim of its own, after"
                            + " it rejoined", partition)
                    .allSatisfy(row -> assertThat(row.epoch()).isGreaterThan(takeover.epoch()));
        }
    }

    private void sendSome(int count) {
        for (int i = 0; i < count; i++) {
            int n = sent.size();
            String stream = streams.get(n % streams.size());
            long round = n / streams.size();
            AppendCommand command = n % 10 == 3 ? command(stream, ExpectedVersionKind.EXACT, round, 1)
                    : n % 17 == 5 ? command(stream, ExpectedVersionKind.NO_STREAM, 0, 1)
                    : command(stream, ExpectedVersionKind.ANY, 0, 1 + n % 2);
            sent.add(pipeline.send(command));
        }
    }

    /** What the database's sessions are doing and what the survivor logged, when the takeover does not happen. */
    private void logDiagnostics() throws IOException {
        log.error("Sessions: {}", pipeline.database.queryForStrings("SELECT application_name || ' | ' || state"
                + " || ' | ' || COALESCE(wait_event_type || ':' || wait_event, '-') || ' | ' || left(query, 120)"
                + " FROM pg_stat_activity WHERE datname = current_database()"));
        log.error("Partition owners: {}", pipeline.database.queryForStrings(
                "SELECT partition_id || ':' || owner_id || ':' || owner_epoch FROM partition_state"
                        + " ORDER BY partition_id"));
        List<String> lines = Files.readAllLines(logs.resolve(SURVIVOR + ".log"));
        log.error("Survivor's log, last lines: {}", String.join("\n",
                lines.subList(Math.max(0, lines.size() - 40), lines.size())));
    }

    /**
     * A worker named {@code name}, whose database sessions carry its name (the audit tells the workers apart by it),
     * and whose transactions the server ends when they sit idle for {@value #IDLE_TRANSACTION_TIMEOUT_MS} ms. A worker
     * paused inside its batch transaction keeps the partition's row locked until then, and the next owner's claim
     * waits: the worker's own default of 30 s would make the test wait too long (see the README, "Several workers").
     */
    private Process start(String name) {
        String url = WorkerProcesses.withParameter(
                WorkerProcesses.withParameter(pipeline.database.jdbcUrl(), "ApplicationName", name),
                "options", "-c%20idle_in_transaction_session_timeout%3D" + IDLE_TRANSACTION_TIMEOUT_MS);
        return WorkerProcesses.start(pipeline, registry, name, url, logs, "--kafka", "session.timeout.ms=6000",
                "--kafka", "heartbeat.interval.ms=1000", "--batch-size", "50", "--fenced-recheck-ms", "5000");
    }

    private Set<String> owners() {
        return Set.copyOf(pipeline.database.queryForStrings("SELECT DISTINCT owner_id FROM partition_state"));
    }

    private long claimedPartitions() {
        return pipeline.database.queryForLong("SELECT count(*) FROM partition_state");
    }

    private Set<Integer> partitionsOf(String owner) {
        return pipeline.database.queryForStrings("SELECT partition_id FROM partition_state WHERE owner_id = '" + owner
                + "'").stream().map(Integer::valueOf).collect(Collectors.toSet());
    }

    private long partitionsAdvancedBy(String owner, long afterSeq) {
        return pipeline.database.queryForLong("SELECT count(DISTINCT partition_id) FROM commit_audit WHERE seq > "
                + afterSeq + " AND application = '" + owner + "' AND from_offset < to_offset");
    }

    private long storedResults() {
        return pipeline.database.queryForLong("SELECT count(*) FROM command_results");
    }

    private static List<String> streamsOverEveryPartition(int perPartition) {
        List<String> ids = new ArrayList<>();
        int[] found = new int[PARTITIONS];
        for (int i = 0; ids.size() < PARTITIONS * perPartition; i++) {
            String id = "zombie-stream-" + i;
            int partition = PartitionFunction.partitionOf(id);
            if (found[partition] < perPartition) {
                found[partition]++;
                ids.add(id);
            }
        }
        return ids;
    }

}
