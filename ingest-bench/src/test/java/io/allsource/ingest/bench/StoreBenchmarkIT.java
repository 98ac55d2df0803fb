package io.allsource.ingest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.testing.PostgresExtension;
import io.allsource.ingest.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The store benchmark at a tiny size, so that it cannot rot: every contender writes every event, and it reports. */
@ExtendWith(PostgresExtension.class)
class StoreBenchmarkIT {

    @Test
    void everyContenderWritesTheSameEventsAndTheReportGivesTheRatios(TestDatabase database) throws Exception {
        StoreBenchmark benchmark = new StoreBenchmark();
        benchmark.threads = 2;
        benchmark.batchSize = 50;
        Workload workload = new Workload(300, 40, 2);

        List<Measurement> results = benchmark.measure(database.jdbcUrl(), workload);

        assertThat(results).hasSize(3).allSatisfy(result -> {
            assertThat(result.events()).isEqualTo(600);
            assertThat(result.eventsPerSecond()).isPositive();
        });
        assertThat(database.queryForLong("SELECT count(*) FROM seed.events")).isEqualTo(600);
        assertThat(database.queryForLong("SELECT max(current_version) FROM seed.event_streams")).isEqualTo(16);
        StringWriter report = new StringWriter();
        benchmark.out = new PrintWriter(report);
        benchmark.print(results);
        assertThat(report.toString()).contains("seed design", "batch store", "COPY", "x seed",
                "batch store / database ceiling");
    }

    @Test
    void withAMinimumTimeEachContenderIsTimedAfterAWarmUpOverARunAtLeastThatLong(TestDatabase database)
            throws Exception {
        StoreBenchmark benchmark = new StoreBenchmark();
        benchmark.threads = 2;
        benchmark.batchSize = 50;
        benchmark.minimumTime = Duration.ofMillis(400);

        List<Measurement> results = benchmark.measure(database.jdbcUrl(), new Workload(100, 20, 1));

        assertThat(results).hasSize(3).allSatisfy(result -> {
            assertThat(result.events()).isGreaterThanOrEqualTo(100);
            assertThat(result.nanos()).as(result.contender()).isGreaterThanOrEqualTo(Duration.ofMillis(400).toNanos());
        });
        assertThat(database.queryForLong("SELECT count(*) FROM seed.events")).isEqualTo(results.get(2).events());
    }

    @Test
    void theBatchStoreLeavesEveryStreamGapless(TestDatabase database) throws Exception {
        StoreBenchmark benchmark = new StoreBenchmark();
        benchmark.threads = 2;
        benchmark.batchSize = 25;
        BenchDatabase.prepare(database.dataSource());
        BenchDatabase.empty(database.dataSource());

        BatchStoreRun.run(database.dataSource(), new Workload(200, 30, 1), 2, 25);

        assertThat(database.queryForLong("SELECT count(*) FROM public.events")).isEqualTo(200);
        assertThat(database.queryForLong(
                "SELECT count(*) FROM public.event_streams WHERE NOT verify_stream_gapless(stream_id)")).isZero();
    }
}
