package io.allsource.ingest.bench.report;

import java.util.List;
import java.util.Map;

/**
 * Everything one benchmark run measured; written as JSON, printed as a table and drawn as a chart.
 *
 * @param ratios named ratios of events per second ("new-streams / seed design", "batch / database ceiling", ...)
 */
public record BenchReport(String startedAt, String preset, MachineInfo machine, List<WorkloadFigures> pipeline,
        Throughput seedDesign, Throughput batchStore, Throughput databaseCeiling, Map<String, Double> ratios,
        List<TargetCheck> targets) {
}
