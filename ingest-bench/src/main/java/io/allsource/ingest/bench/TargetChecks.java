package io.allsource.ingest.bench;

import io.allsource.ingest.bench.load.PipelineWorkload;
import io.allsource.ingest.bench.report.PhaseFigures;
import io.allsource.ingest.bench.report.TableCounters;
import io.allsource.ingest.bench.report.TargetCheck;
import io.allsource.ingest.bench.report.Throughput;
import io.allsource.ingest.bench.report.WorkloadFigures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The ratios a run reports and the targets of the benchmark's issues, judged on them: {@code new-streams} at least 5x
 * the seed design, {@code batch} at least 60 % of the database ceiling, p99 at most 50 ms at 50 % of the maximum rate
 * ({@code new-streams}); on a preloaded schema, {@code new-streams} keeping at least 80 % of its throughput on an empty
 * one and a p99 at 50 % at most 1.5 times it; and for every workload, no sequential scan of the write path's tables
 * during the whole workload, warm-up included. Pure: no I/O.
 */
final class TargetChecks {

    static final double SEED_MULTIPLE = 5;
    static final double CEILING_SHARE = 0.6;
    static final double P99_AT_HALF_MS = 50;
    /** The fixed-rate phase the latency targets are judged at. */
    static final String HALF_RATE = BenchPlan.rateLabel(0.5);
    static final double PRELOADED_THROUGHPUT_SHARE = 0.8;
    static final double PRELOADED_P99_FACTOR = 1.5;

    /** The tables the worker's write path reads by key only: a sequential scan of one of them is a missing index. */
    static final List<String> WRITE_PATH_TABLES = List.of("events", "event_streams", "command_results",
            "command_redeliveries");

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
        preloaded(pipeline).ifPresent(preloaded -> find(pipeline, PipelineWorkload.NEW_STREAMS).ifPresent(empty -> {
            ratios.put(preloaded.workload() + " / new-streams", throughputShare(preloaded, empty));
            p99Factor(preloaded, empty).ifPresent(factor -> ratios.put(preloaded.workload()
                    + " / new-streams, p99 at 50 %", factor));
        }));
        return ratios;
    }

    static List<TargetCheck> judge(List<WorkloadFigures> pipeline, Throughput seed, Throughput ceiling) {
        List<TargetCheck> checks = new ArrayList<>();
        find(pipeline, PipelineWorkload.NEW_STREAMS).ifPresent(workload -> {
            double multiple = workload.maximum().eventsPerSecond() / seed.eventsPerSecond();
            checks.add(new TargetCheck("new-streams >= 5x seed design (events/s)",
                    String.format("%.2fx (%,.0f vs %,.0f events/s)", multiple, workload.maximum().eventsPerSecond(),
                            seed.eventsPerSecond()), multiple >= SEED_MULTIPLE));
            String target = "new-streams p99 <= 50 ms at 50 % of the maximum rate";
            halfRate(workload).ifPresentOrElse(half -> checks.add(new TargetCheck(target,
                    String.format("%.1f ms at %,.0f commands/s", half.latencyMs().p99(),
                            half.targetCommandsPerSecond()), half.latencyMs().p99() <= P99_AT_HALF_MS)),
                    () -> checks.add(notMeasuredAtHalf(target)));
        });
        find(pipeline, PipelineWorkload.BATCH).ifPresent(workload -> {
            double share = workload.maximum().eventsPerSecond() / ceiling.eventsPerSecond();
            checks.add(new TargetCheck("batch >= 60 % of the database ceiling (events/s)",
                    String.format("%.1f %% (%,.0f vs %,.0f events/s)", share * 100,
                            workload.maximum().eventsPerSecond(), ceiling.eventsPerSecond()), share >= CEILING_SHARE));
        });
        preloaded(pipeline).ifPresent(preloaded -> find(pipeline, PipelineWorkload.NEW_STREAMS)
                .ifPresent(empty -> checks.addAll(preloadChecks(preloaded, empty))));
        pipeline.forEach(workload -> checks.add(noSequentialScans(workload)));
        return checks;
    }

    /** New-streams on a preloaded schema against new-streams on an empty one. */
    static List<TargetCheck> preloadChecks(WorkloadFigures preloaded, WorkloadFigures empty) {
        List<TargetCheck> checks = new ArrayList<>();
        double share = throughputShare(preloaded, empty);
        checks.add(new TargetCheck(preloaded.workload() + " / new-streams >= 0.80 (events/s)",
                String.format("%.2f (%,.0f vs %,.0f events/s)", share, preloaded.maximum().eventsPerSecond(),
                        empty.maximum().eventsPerSecond()), share >= PRELOADED_THROUGHPUT_SHARE));
        String target = preloaded.workload() + " / new-streams, p99 at 50 % <= 1.5x";
        p99Factor(preloaded, empty).ifPresentOrElse(factor -> checks.add(new TargetCheck(target,
                String.format("%.2fx (%.1f vs %.1f ms)", factor, halfRate(preloaded).orElseThrow().latencyMs().p99(),
                        halfRate(empty).orElseThrow().latencyMs().p99()), factor <= PRELOADED_P99_FACTOR)),
                () -> checks.add(notMeasuredAtHalf(target)));
        return checks;
    }

    /** A target at 50 % of the maximum in a run whose fixed rates ({@code --rates}) left that rate out. */
    private static TargetCheck notMeasuredAtHalf(String target) {
        return new TargetCheck(target, "not measured: no open loop at " + HALF_RATE + " (--rates)", false);
    }

    /**
     * Met when the workload's table activity shows no sequential scan of any {@link #WRITE_PATH_TABLES} table; not met
     * either when one of them has no statistics at all (nothing was read, so nothing is shown).
     */
    static TargetCheck noSequentialScans(WorkloadFigures workload) {
        String target = workload.workload() + ": no sequential scan of " + String.join(", ", WRITE_PATH_TABLES);
        Map<String, TableCounters> tables = new LinkedHashMap<>();
        workload.database().tables().forEach(table -> tables.put(table.table(), table));
        List<String> missing = WRITE_PATH_TABLES.stream().filter(name -> !tables.containsKey(name)).toList();
        if (!missing.isEmpty()) {
            return new TargetCheck(target, "no statistics for " + String.join(", ", missing), false);
        }
        List<TableCounters> scanned = WRITE_PATH_TABLES.stream().map(tables::get)
                .filter(table -> table.seqScans() > 0).toList();
        if (scanned.isEmpty()) {
            long indexScans = WRITE_PATH_TABLES.stream().mapToLong(name -> tables.get(name).indexScans()).sum();
            return new TargetCheck(target, String.format("none (%,d index scans)", indexScans), true);
        }
        return new TargetCheck(target, scanned.stream().map(table -> String.format("%s %,d", table.table(),
                table.seqScans())).collect(Collectors.joining(", ")) + String.format(" (%,d rows read)",
                scanned.stream().mapToLong(TableCounters::seqRowsRead).sum()), false);
    }

    private static double throughputShare(WorkloadFigures preloaded, WorkloadFigures empty) {
        return preloaded.maximum().eventsPerSecond() / empty.maximum().eventsPerSecond();
    }

    private static Optional<Double> p99Factor(WorkloadFigures preloaded, WorkloadFigures empty) {
        Optional<PhaseFigures> before = halfRate(empty);
        Optional<PhaseFigures> after = halfRate(preloaded);
        if (before.isEmpty() || after.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(after.get().latencyMs().p99() / before.get().latencyMs().p99());
    }

    private static Optional<WorkloadFigures> preloaded(List<WorkloadFigures> pipeline) {
        return pipeline.stream().filter(figures -> figures.preload().preloaded()).findFirst();
    }

    private static Optional<WorkloadFigures> find(List<WorkloadFigures> pipeline, PipelineWorkload workload) {
        return pipeline.stream().filter(figures -> figures.workload().equals(workload.label())
                && !figures.preload().preloaded()).findFirst();
    }

    private static Optional<PhaseFigures> halfRate(WorkloadFigures workload) {
        return workload.fixedRates().stream().filter(phase -> phase.phase().equals(HALF_RATE)).findFirst();
    }
}
