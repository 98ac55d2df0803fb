package io.allsource.ingest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.allsource.ingest.bench.report.DatabaseFigures;
import io.allsource.ingest.bench.report.LatencySummary;
import io.allsource.ingest.bench.report.PhaseFigures;
import io.allsource.ingest.bench.report.PreloadFigures;
import io.allsource.ingest.bench.report.TableCounters;
import io.allsource.ingest.bench.report.TargetCheck;
import io.allsource.ingest.bench.report.Throughput;
import io.allsource.ingest.bench.report.TopStatements;
import io.allsource.ingest.bench.report.WorkloadFigures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetChecksTest {

    private static final Throughput SEED = new Throughput("seed", 3_000, 1);
    private static final Throughput CEILING = new Throughput("COPY", 45_000, 1);
    private static final List<TableCounters> INDEX_ONLY = List.of(
            new TableCounters("events", 0, 0, 10, 100, 0, 0),
            new TableCounters("event_streams", 0, 0, 20, 50, 50, 50),
            new TableCounters("command_results", 0, 0, 30, 100, 0, 0),
            new TableCounters("command_redeliveries", 0, 0, 0, 0, 0, 0),
            new TableCounters("partition_state", 4, 128, 0, 0, 32, 32));

    @Test
    void eachTargetIsMetOnlyWhenItsFigureReachesIt() {
        List<WorkloadFigures> pipeline = List.of(
                workload("new-streams", 15_000, 50.0),
                workload("batch", 26_999, 10.0));

        List<TargetCheck> checks = TargetChecks.judge(pipeline, SEED, CEILING);

        assertThat(checks).extracting(TargetCheck::met).containsExactly(true, true, false, true, true);
        assertThat(checks.get(0).measured()).startsWith("5.00x");
        assertThat(checks.get(1).measured()).startsWith("50.0 ms");
        assertThat(checks.get(2).measured()).startsWith("60.0 %");
    }

    @Test
    void slowerThanTheSeedAndALateP99AreNotMet() {
        List<TargetCheck> checks = TargetChecks.judge(List.of(workload("new-streams", 2_000, 50.1)), SEED, CEILING);

        assertThat(checks).extracting(TargetCheck::met).containsExactly(false, false, true);
    }

    @Test
    void aRunWithoutTheHalfRateSaysTheLatencyTargetsWereNotMeasured() {
        WorkloadFigures empty = withoutFixedRates(workload("new-streams", 15_000, 10.0));
        WorkloadFigures preloaded = preloaded(withoutFixedRates(workload("new-streams preloaded 2,000", 15_000, 10.0)));

        List<TargetCheck> checks = TargetChecks.judge(List.of(empty, preloaded), SEED, CEILING);

        assertThat(checks).filteredOn(check -> check.target().contains("p99"))
                .extracting(TargetCheck::target, TargetCheck::measured, TargetCheck::met)
                .containsExactly(
                        tuple("new-streams p99 <= 50 ms at 50 % of the maximum rate",
                                "not measured: no open loop at 50 % (--rates)", false),
                        tuple("new-streams preloaded 2,000 / new-streams, p99 at 50 % <= 1.5x",
                                "not measured: no open loop at 50 % (--rates)", false));
    }

    @Test
    void ratiosCompareEveryWorkloadWithTheSeedTheDatabaseAndItsBrokerCeiling() {
        Map<String, Double> ratios = TargetChecks.ratios(List.of(workload("batch", 9_000, 1)), SEED, CEILING);

        assertThat(ratios).containsEntry("batch / seed design", 3.0).containsEntry("batch / database ceiling", 0.2)
                .containsEntry("batch / broker ceiling", 0.1);
    }

    @Test
    void noSequentialScanOfTheWritePathIsMetAndCountsTheIndexScans() {
        TargetCheck check = TargetChecks.noSequentialScans(workload("batch", 9_000, 1));

        assertThat(check.met()).isTrue();
        assertThat(check.target()).isEqualTo("batch: no sequential scan of events, event_streams, command_results,"
                + " command_redeliveries");
        assertThat(check.measured()).isEqualTo("none (60 index scans)");
    }

    @Test
    void oneSequentialScanOfAWritePathTableDuringTheWorkloadIsNotMetAndNamesTheTable() {
        List<TableCounters> scanned = List.of(
                new TableCounters("events", 0, 0, 10, 100, 0, 0),
                new TableCounters("event_streams", 0, 0, 20, 50, 50, 50),
                new TableCounters("command_results", 1, 2_500, 30, 100, 0, 0),
                new TableCounters("command_redeliveries", 0, 0, 0, 0, 0, 0));

        TargetCheck check = TargetChecks.noSequentialScans(withTables(workload("new-streams", 9_000, 1), scanned));

        assertThat(check.met()).isFalse();
        assertThat(check.measured()).isEqualTo("command_results 1 (2,500 rows read)");
    }

    @Test
    void aWritePathTableWithoutStatisticsIsNotMetRatherThanTakenForClean() {
        List<TableCounters> partial = INDEX_ONLY.subList(0, 2);

        TargetCheck check = TargetChecks.noSequentialScans(withTables(workload("batch", 9_000, 1), partial));

        assertThat(check.met()).isFalse();
        assertThat(check.measured()).isEqualTo("no statistics for command_results, command_redeliveries");
    }

    @Test
    void aPreloadedSchemaKeepingFourFifthsOfTheThroughputAndAP99WithinOneAndAHalfTimesMeetsBoth() {
        WorkloadFigures empty = workload("new-streams", 10_000, 20.0);
        WorkloadFigures preloaded = preloaded(workload("new-streams preloaded 2,000", 8_000, 30.0));

        List<TargetCheck> checks = TargetChecks.judge(List.of(empty, preloaded), SEED, CEILING);

        assertThat(checks).extracting(TargetCheck::target).contains(
                "new-streams preloaded 2,000 / new-streams >= 0.80 (events/s)",
                "new-streams preloaded 2,000 / new-streams, p99 at 50 % <= 1.5x");
        assertThat(TargetChecks.preloadChecks(preloaded, empty)).extracting(TargetCheck::met, TargetCheck::measured)
                .containsExactly(tuple(true, "0.80 (8,000 vs 10,000 events/s)"),
                        tuple(true, "1.50x (30.0 vs 20.0 ms)"));
        assertThat(TargetChecks.ratios(List.of(empty, preloaded), SEED, CEILING))
                .containsEntry("new-streams preloaded 2,000 / new-streams", 0.8)
                .containsEntry("new-streams preloaded 2,000 / new-streams, p99 at 50 %", 1.5);
    }

    @Test
    void aPreloadedSchemaSlowerOrLaterThanThatMeetsNeither() {
        WorkloadFigures empty = workload("new-streams", 10_000, 20.0);
        WorkloadFigures preloaded = preloaded(workload("new-streams preloaded 2,000", 7_999, 30.1));

        assertThat(TargetChecks.preloadChecks(preloaded, empty)).extracting(TargetCheck::met)
                .containsExactly(false, false);
    }

    @Test
    void thePreloadedRunIsNeverTakenForTheEmptyOne() {
        WorkloadFigures preloaded = preloaded(workload("new-streams", 20_000, 1.0));

        List<TargetCheck> checks = TargetChecks.judge(List.of(preloaded), SEED, CEILING);

        assertThat(checks).extracting(TargetCheck::target).noneMatch(target -> target.contains("5x seed"));
    }

    private static WorkloadFigures workload(String name, long eventsPerSecond, double p99AtHalf) {
        LatencySummary latency = new LatencySummary(10, 1, 1, p99AtHalf, p99AtHalf, p99AtHalf);
        PhaseFigures maximum = new PhaseFigures("maximum", 0, eventsPerSecond, eventsPerSecond, 1, latency, Map.of());
        PhaseFigures half = new PhaseFigures("50 %", eventsPerSecond / 2.0, 10, 10, 1, latency, Map.of());
        return new WorkloadFigures(name, name, PreloadFigures.NONE, maximum, List.of(half), Map.of(),
                new Throughput("broker", eventsPerSecond * 10, 1),
                new DatabaseFigures(INDEX_ONLY, List.of(), TopStatements.of(List.of())));
    }

    private static WorkloadFigures withTables(WorkloadFigures workload, List<TableCounters> tables) {
        return new WorkloadFigures(workload.workload(), workload.description(), workload.preload(),
                workload.maximum(), workload.fixedRates(), workload.outcomes(), workload.brokerCeiling(),
                new DatabaseFigures(tables, List.of(), workload.database().statements()));
    }

    private static WorkloadFigures withoutFixedRates(WorkloadFigures workload) {
        PhaseFigures quarter = new PhaseFigures("25 %", 1, 1, 1, 1, workload.maximum().latencyMs(), Map.of());
        return new WorkloadFigures(workload.workload(), workload.description(), workload.preload(),
                workload.maximum(), List.of(quarter), workload.outcomes(), workload.brokerCeiling(),
                workload.database());
    }

    private static WorkloadFigures preloaded(WorkloadFigures workload) {
        return new WorkloadFigures(workload.workload(), workload.description(), new PreloadFigures(2_000, 200, 1),
                workload.maximum(), workload.fixedRates(), workload.outcomes(), workload.brokerCeiling(),
                workload.database());
    }
}
