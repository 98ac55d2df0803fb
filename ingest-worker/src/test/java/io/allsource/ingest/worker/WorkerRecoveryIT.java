package io.allsource.ingest.worker;

import static io.allsource.ingest.worker.IngestWorkerIT.assertPublishedInStreamOrder;
import static io.allsource.ingest.worker.IngestWorkerIT.commandIds;
import static io.allsource.ingest.worker.PipelineFixture.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.batch.BatchEntry;
import io.allsource.ingest.command.ReplyRoute;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.store.BatchOutcome;
import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.StoreSettings;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Workers stopped, restarted, joined, left and fenced under load: nothing lost, nothing applied twice. */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerRecoveryIT {

    private final PipelineFixture pipeline;

    WorkerRecoveryIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.pipeline = new PipelineFixture(broker, database, registry);
    }

    @AfterAll
    void close() {
        pipeline.close();
    }

    @Test
    void resumesFromTheStoredOffsetsWhenRestartedMidLoad() throws Exception {
        List<AppendCommand> sent = new ArrayList<>();
        IngestWorker first = pipeline.startWorker(pipeline.settings("worker-1"));
        sent.addAll(sendBurst("restart", 0, 600));
        pipeline.results(read -> read.size() >= 200);
        first.close();
        sent.addAll(sendBurst("restart", 600, 600));
        try (IngestWorker second = pipeline.startWorker(pipeline.settings("worker-2"))) {
            assertEveryCommandAppliedOnce(sent);
        }
    }

    @Test
    void republishesIdenticallyWhatWasCommittedButNotPublishedBeforeACrash() throws Exception {
        List<AppendCommand> sent;
        try (IngestWorker worker = pipeline.startWorker(pipeline.settings("worker-3"))) {
            sent = sendBurst("crash", 0, 300);
            Set<String> ids = ids(sent);
            pipeline.results(read -> commandIds(read).containsAll(ids));
        }
        // As if the worker had died between its commits and its publications: progress markers back to the start.
        execute("UPDATE partition_state SET published_offset = 0, published_sequence = 0");
        execute("UPDATE event_streams SET watermark = 0");

        try (IngestWorker restarted = pipeline.startWorker(pipeline.settings("worker-4"))) {
            Set<String> ids = ids(sent);
            List<ConsumerRecord<byte[], CommandResult>> results = pipeline.results(read -> read.stream()
                    .filter(record -> ids.contains(record.value().getCommandId())).count() >= 2L * ids.size());
            Map<String, List<CommandResult>> copies = results.stream().map(ConsumerRecord::value)
                    .filter(result -> ids.contains(result.getCommandId()))
                    .collect(Collectors.groupingBy(CommandResult::getCommandId));
            assertThat(copies).hasSize(ids.size());
            copies.values().forEach(same -> assertThat(same).hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(copy -> assertThat(copy).isEqualTo(same.get(0))));
            await().alias("watermarks moved by the republication")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> count("SELECT count(*) FROM stream_health WHERE health_status = 'HAS_GAPS'") == 0);
        }
        long committed = count("SELECT count(*) FROM events");
        List<ConsumerRecord<byte[], EventRecord>> events =
                pipeline.events(read -> read.size() >= 2 * committed);
        assertPublishedInStreamOrder(events, committed);
    }

    @Test
    void sharesPartitionsWithAJoiningWorkerAndHandsThemBackWhenOneLeaves() throws Exception {
        List<AppendCommand> sent = new ArrayList<>();
        IngestWorker first = pipeline.startWorker(pipeline.settings("worker-5").withConsumerThreads(1));
        sent.addAll(sendBurst("share", 0, 400));
        try (IngestWorker second = pipeline.startWorker(pipeline.settings("worker-6").withConsumerThreads(1))) {
            sent.addAll(sendBurst("share", 400, 400));
            first.close();
            sent.addAll(sendBurst("share", 800, 400));
            assertEveryCommandAppliedOnce(sent);
            assertThat(strings("SELECT DISTINCT owner_id FROM partition_state")).contains("worker-6");
        }
    }

    @Test
    void fencesAStaleOwnerAndClaimsThePartitionBackWhileTheGroupStillAssignsItHere() throws Exception {
        String stream = "fenced-stream";
        int partition = PartitionFunction.partitionOf(stream);
        WorkerSettings settings = pipeline.settings("worker-7")
                .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(1));
        try (IngestWorker worker = pipeline.startWorker(settings)) {
            AppendCommand first = pipeline.send(command(stream, ExpectedVersionKind.ANY, 0, 1));
            pipeline.flush();
            pipeline.results(read -> commandIds(read).contains(first.getCommandId()));

            EventStore intruder = new EventStore(pipeline.database.dataSource(), StoreSettings.DEFAULT);
            long intruderEpoch = intruder.claim(partition, "intruder").ownerEpoch();
            AppendCommand second = pipeline.send(command(stream, ExpectedVersionKind.EXACT, 1, 1));
            pipeline.flush();

            CommandResult result = pipeline.results(read -> commandIds(read).contains(second.getCommandId()))
                    .stream().map(ConsumerRecord::value)
                    .filter(r -> r.getCommandId().equals(second.getCommandId())).findFirst().orElseThrow();
            assertThat(result.getStreams().get(0).getLastVersion()).isEqualTo(2L);
            assertThat(count("SELECT count(*) FROM command_results WHERE command_id = '" + second.getCommandId()
                    + "'")).isEqualTo(1);
            assertThat(strings("SELECT owner_id FROM partition_state WHERE partition_id = " + partition))
                    .containsExactly("worker-7");
            io.allsource.ingest.command.AppendCommand late = new io.allsource.ingest.command.AppendCommand(
                    java.util.UUID.randomUUID().toString(), "tenant-1", null,
                    List.of(new io.allsource.ingest.command.StreamAppend(stream,
                            io.allsource.ingest.command.ExpectedVersion.any(),
                            List.of(io.allsource.ingest.command.NewEvent.of("Late", stream, "{}")))),
                    java.time.Instant.now());
            BatchOutcome stale = intruder.appendBatch(partition, intruderEpoch,
                    new io.allsource.ingest.batch.BatchChecker(partition, new io.allsource.ingest.command
                            .CommandValidator(io.allsource.ingest.command.CommandLimits.DEFAULT))
                            .prepare(List.of(new BatchEntry.Decoded(1_000_000, late, ReplyRoute.DEFAULT))));
            assertThat(stale).isInstanceOf(BatchOutcome.Fenced.class);
        }
    }

    private List<AppendCommand> sendBurst(String prefix, int from, int count) {
        List<AppendCommand> sent = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String stream = prefix + "-" + (i % 97);
            sent.add(pipeline.send(command(stream, i % 7 == 0 ? ExpectedVersionKind.NO_STREAM
                    : ExpectedVersionKind.ANY, 0, 1 + i % 2)));
        }
        pipeline.flush();
        return sent;
    }

    private void assertEveryCommandAppliedOnce(List<AppendCommand> sent) throws SQLException {
        Set<String> ids = ids(sent);
        List<ConsumerRecord<byte[], CommandResult>> results = pipeline.results(read -> commandIds(read).containsAll(ids));
        assertThat(commandIds(results)).containsAll(ids);
        results.stream().map(ConsumerRecord::value).filter(result -> ids.contains(result.getCommandId()))
                .collect(Collectors.groupingBy(CommandResult::getCommandId))
                .values().forEach(copies -> assertThat(copies).allSatisfy(copy -> assertThat(copy)
                        .isEqualTo(copies.get(0))));
        assertThat(storedResults(ids)).as("one stored result per command").isEqualTo(ids.size());
        assertThat(count("SELECT count(*) FROM event_streams WHERE NOT verify_stream_gapless(stream_id)")).isZero();
        assertThat(count("SELECT count(*) FROM partition_state WHERE NOT verify_partition_gapless(partition_id)"))
                .isZero();
    }

    private static Set<String> ids(Collection<AppendCommand> commands) {
        return commands.stream().map(AppendCommand::getCommandId).collect(Collectors.toSet());
    }

    private long storedResults(Set<String> ids) throws SQLException {
        try (Connection connection = pipeline.database.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(*) FROM command_results WHERE command_id = ANY (?)")) {
            Array array = connection.createArrayOf("varchar", ids.toArray());
            statement.setArray(1, array);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private long count(String sql) {
        return pipeline.database.queryForLong(sql);
    }

    private List<String> strings(String sql) {
        return pipeline.database.queryForStrings(sql);
    }

    private void execute(String sql) throws SQLException {
        pipeline.database.execute(sql);
    }
}
