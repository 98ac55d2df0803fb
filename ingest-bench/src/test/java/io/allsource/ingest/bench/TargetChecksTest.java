package io.allsource.ingest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.bench.report.LatencySummary;
import io.allsource.ingest.bench.report.PhaseFigures;
import io.allsource.ingest.bench.report.TargetCheck;
import io.allsource.ingest.bench.report.Throughput;
import io.allsource.ingest.bench.report.WorkloadFigures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetChecksTest {

    private static final Throughput SEED = new Throughput("seed", 3_000, 1);
    private static final Throughput CEILING = new Throughput("COPY", 45_000, 1);

    @Test
    void eachTargetIsMetOnlyWhenItsFigureReachesIt() {
        List<WorkloadFigures> pipeline = List.of(
                workload("new-streams", 15_000, 50.0),
                workload("batch", 26_999, 10.0));

        List<TargetCheck> checks = TargetChecks.judge(pipeline, SEED, CEILING);

        assertThat(checks).extracting(TargetCheck::met).containsExactly(true, true, false);
        assertThat(checks.get(0).measured()).startsWith("5.00x");
        assertThat(checks.get(1).measured()).startsWith("50.0 ms");
        assertThat(checks.get(2).measured()).startsWith("60.0 %");
    }

    @Test
    void slowerThanTheSeedAndALateP99AreNotMet() {
        List<TargetCheck> checks = TargetChecks.judge(List.of(workload("new-streams", 2_000, 50.1)), SEED, CEILING);

        assertThat(checks).extracting(TargetCheck::met).containsExactly(false, false);
    }

    @Test
    void ratiosCompareEveryWorkloadWithTheSeedTheDatabaseAndItsBrokerCeiling() {
        Map<String, Double> ratios = TargetChecks.ratios(List.of(workload("batch", 9_000, 1)), SEED, CEILING);

        assertThat(ratios).containsEntry("batch / seed design", 3.0).containsEntry("batch / database ceiling", 0.2)
                .containsEntry("batch / broker ceiling", 0.1);
    }

    private static WorkloadFigures workload(String name, long eventsPerSecond, double p99AtHalf) {
        LatencySummary latency = new LatencySummary(10, 1, 1, p99AtHalf, p99AtHalf, p99AtHalf);
        PhaseFigures maximum = new PhaseFigures("maximum", 0, eventsPerSecond, eventsPerSecond, 1, latency, Map.of());
        PhaseFigures half = new PhaseFigures("50 %", eventsPerSecond / 2.0, 10, 10, 1, latency, Map.of());
        return new WorkloadFigures(name, name, maximum, List.of(half), Map.of(),
                new Throughput("broker", eventsPerSecond * 10, 1));
    }
}
