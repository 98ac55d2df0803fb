package io.allsource.ingest.worker;

import static io.allsource.ingest.worker.IngestWorkerIT.commandIds;
import static io.allsource.ingest.worker.PipelineFixture.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.metrics.WorkerMetrics;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.store.Database;
import io.allsource.ingest.store.DatabaseSettings;
import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.ResultPruning;
import io.allsource.ingest.store.StoreSettings;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.KafkaExtension;
import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.SchemaRegistryExtension;
import io.allsource.ingest.testing.TestDatabase;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every statement the worker runs on the tables that grow (events, streams, results, redeliveries) is answered
 * through an index, whatever the tables hold: here they start empty, where a planner left to itself picks sequential
 * scans because they are cheapest on a tiny table, and keeps such a plan cached as the table grows. The worker's
 * sessions ({@link Database.Sessions#WRITE_PATH}) leave it no plan but index lookups; the server's own counters
 * ({@code pg_stat_user_tables}) show no sequential scan over new streams, appends at expected versions, conflicts,
 * multi-stream commands, duplicates, claims, publication marks, a restart and the pruning of stored outcomes.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class, SchemaRegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HotPathScansIT {

    private static final List<String> GROWING_TABLES = List.of("events", "event_streams", "command_results",
            "command_redeliveries");

    /** The size of {@link io.allsource.ingest.testing.TestDatabase#dataSource()}'s pool. */
    private static final int TEST_POOL_SIZE = 8;

    private final PipelineFixture pipeline;

    HotPathScansIT(KafkaBroker broker, TestDatabase database, TestSchemaRegistry registry) {
        this.pipeline = new PipelineFixture(broker, database, registry);
    }

    @AfterAll
    void close() {
        pipeline.close();
    }

    @Test
    void noWritePathStatementScansATableThatGrows() throws Exception {
        flushStatisticsOfEarlierSessions();
        Map<String, long[]> before = counters();
        List<AppendCommand> sent = new ArrayList<>();
        try (Database database = Database.open(new DatabaseSettings(pipeline.database.jdbcUrl(), null, null, 4,
                Duration.ofSeconds(5)), "scans")) {
            EventStore store = new EventStore(database.dataSource(), StoreSettings.DEFAULT);
            try (IngestWorker worker = start(store)) {
                for (int i = 0; i < 200; i++) {
                    sent.add(pipeline.send(command("scan-" + i, ExpectedVersionKind.NO_STREAM, 0, 2)));
                }
                awaitResults(sent);
                for (int i = 0; i < 100; i++) {
                    sent.add(pipeline.send(command("scan-" + i, ExpectedVersionKind.EXACT, 2, 1)));
                    sent.add(pipeline.send(command("scan-" + (100 + i), ExpectedVersionKind.EXACT, 7, 1)));
                }
                AppendCommand twoStreams = command("scan-0", ExpectedVersionKind.ANY, 0, 1);
                twoStreams.setAppends(List.of(twoStreams.getAppends().get(0),
                        command("scan-new-pair", ExpectedVersionKind.NO_STREAM, 0, 1).getAppends().get(0)));
                sent.add(pipeline.send(twoStreams));
                for (int i = 0; i < 20; i++) {
                    pipeline.send(sent.get(i)); // redelivered: answered again from the stored outcome
                }
                awaitResults(sent);
            }
            try (IngestWorker restarted = start(store)) {
                sent.add(pipeline.send(command("scan-after-restart", ExpectedVersionKind.NO_STREAM, 0, 1)));
                awaitResults(sent);
            }
            ResultPruning pruning = new ResultPruning(database.dataSource());
            int pruned = 0;
            for (int partition = 0; partition < PartitionFunction.PARTITION_COUNT; partition++) {
                pruned += pruning.prune(partition, Duration.ofMillis(1), 500).outcomesDeleted();
            }
            assertThat(pruned).as("outcomes pruned, the published ones").isPositive();
        }

        Map<String, long[]> delta = new LinkedHashMap<>();
        await().alias("the closed sessions' statistics flushed").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    delta.putAll(minus(counters(), before));
                    return delta.get("command_results")[2] >= sent.size()
                            && delta.get("command_redeliveries")[2] >= 20;
                });
        for (String table : GROWING_TABLES) {
            assertThat(delta.get(table)[0]).as("sequential scans of " + table).isZero();
        }
        for (String read : List.of("events", "event_streams", "command_results")) {
            assertThat(delta.get(read)[1]).as("index scans of " + read).isPositive();
        }
    }

    private IngestWorker start(EventStore store) {
        return IngestWorker.start(pipeline.settings("worker-scans"), store, pipeline.registry,
                ContractSettings.EMBEDDED, new WorkerMetrics(new SimpleMeterRegistry()));
    }

    private void awaitResults(List<AppendCommand> sent) {
        pipeline.flush();
        Set<String> ids = sent.stream().map(AppendCommand::getCommandId).collect(Collectors.toSet());
        pipeline.results(read -> commandIds(read).containsAll(ids));
    }

    /**
     * Has every session of the test's pool (the migration ran on it) report the statistics it holds back, so that
     * they are in the counters before the test reads them: a session reports its scans at the end of a transaction at
     * most once a second, else up to ten seconds later, so the migration's scans (a constraint checked over a table)
     * could otherwise arrive during the test. Borrows all the pool's connections at once, so each is a distinct session.
     */
    private void flushStatisticsOfEarlierSessions() throws SQLException {
        List<Connection> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < TEST_POOL_SIZE; i++) {
                Connection session = pipeline.database.dataSource().getConnection();
                sessions.add(session);
                try (Statement flush = session.createStatement()) {
                    flush.execute("SELECT pg_stat_force_next_flush()");
                }
            }
        } finally {
            for (Connection session : sessions) {
                session.close();
            }
        }
    }

    /** Per table: sequential scans, index scans, rows inserted. */
    private Map<String, long[]> counters() {
        Map<String, long[]> counters = new LinkedHashMap<>();
        for (String table : GROWING_TABLES) {
            counters.put(table, new long[] {
                    pipeline.database.queryForLong("SELECT seq_scan FROM pg_stat_user_tables WHERE relname = '"
                            + table + "'"),
                    pipeline.database.queryForLong("SELECT coalesce(idx_scan, 0) FROM pg_stat_user_tables"
                            + " WHERE relname = '" + table + "'"),
                    pipeline.database.queryForLong("SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = '"
                            + table + "'")});
        }
        return counters;
    }

    private static Map<String, long[]> minus(Map<String, long[]> after, Map<String, long[]> before) {
        Map<String, long[]> delta = new LinkedHashMap<>();
        after.forEach((table, now) -> {
            long[] then = before.get(table);
            delta.put(table, new long[] {now[0] - then[0], now[1] - then[1], now[2] - then[2]});
        });
        return delta;
    }
}
