package io.allsource.ingest.bench;

import io.allsource.ingest.bench.load.PipelineWorkload;
import io.allsource.ingest.bench.report.PhaseFigures;
import io.allsource.ingest.bench.report.TargetCheck;
import io.allsource.ingest.bench.report.Throughput;
import io.allsource.ingest.bench.report.WorkloadFigures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ratios a run reports and the targets of the benchmark's issue, judged on them: {@code new-streams} at least 5x
 * the seed design, {@code batch} at least 60 % of the database ceiling, p99 at most 50 ms at 50 % of the maximum rate
 * ({@code new-streams}). Pure: no I/O.
 */
final class TargetChecks {

    static final double SEED_MULTIPLE = 5;
    static final double CEILING_SHARE = 0.6;
    static final double P99_AT_HALF_MS = 50;

    private TargetChecks() {
    }

    /** Events per second of every workload against the seed design, the database ceiling and its broker ceiling. */
    static Map<String, Double> ratios(List<WorkloadFigures> pipeline, Throughput seed, Throughput ceiling) {
        Map<String, Double> ratios = new LinkedHashMap<>();
        for (WorkloadFigures workload : pipeline) {
            double events = workload.maximum().eventsPerSecond();
            ratios.put(workload.workload() + " / seed design", events / seed.eventsPerSecond());
            ratios.put(workload.workload() + " / database ceiling", events / ceiling.eventsPerSecond());
            ratios.put(workload.workload() + " / broker ceiling", events / workload.brokerCeiling().eventsPerSecond());
        }
        return ratios;
    }

    static List<TargetCheck> judge(List<WorkloadFigures> pipeline, Throughput seed, Throughput ceiling) {
        List<TargetCheck> checks = new ArrayList<>();
        find(pipeline, PipelineWorkload.NEW_STREAMS).ifPresent(workload -> {
            double multiple = workload.maximum().eventsPerSecond() / seed.eventsPerSecond();
            checks.add(new TargetCheck("new-streams >= 5x seed design (events/s)",
                    String.format("%.2fx (%,.0f vs %,.0f events/s)", multiple, workload.maximum().eventsPerSecond(),
                            seed.eventsPerSecond()), multiple >= SEED_MULTIPLE));
            halfRate(workload).ifPresent(half -> checks.add(new TargetCheck(
                    "new-streams p99 <= 50 ms at 50 % of the maximum rate",
                    String.format("%.1f ms at %,.0f commands/s", half.latencyMs().p99(),
                            half.targetCommandsPerSecond()), half.latencyMs().p99() <= P99_AT_HALF_MS)));
        });
        find(pipeline, PipelineWorkload.BATCH).ifPresent(workload -> {
            double share = workload.maximum().eventsPerSecond() / ceiling.eventsPerSecond();
            checks.add(new TargetCheck("batch >= 60 % of the database ceiling (events/s)",
                    String.format("%.1f %% (%,.0f vs %,.0f events/s)", share * 100,
                            workload.maximum().eventsPerSecond(), ceiling.eventsPerSecond()), share >= CEILING_SHARE));
        });
        return checks;
    }

    private static Optional<WorkloadFigures> find(List<WorkloadFigures> pipeline, PipelineWorkload workload) {
        return pipeline.stream().filter(figures -> figures.workload().equals(workload.label())).findFirst();
    }

    private static Optional<PhaseFigures> halfRate(WorkloadFigures workload) {
        return workload.fixedRates().stream().filter(phase -> phase.phase().equals("50 %")).findFirst();
    }
}
