package io.allsource.ingest.bench.report;

import java.util.List;
import java.util.Map;

/**
 * The pipeline's figures for one workload.
 *
 * @param workload      the workload's label ("new-streams", or "new-streams preloaded 10,000,000")
 * @param preload       what the schema held before the workload started
 * @param maximum       the closed loop at maximum rate
 * @param fixedRates    the open loops at fixed shares of that maximum
 * @param outcomes      commands per outcome over all measured phases (rejections by reason)
 * @param brokerCeiling the same command bytes produced to and consumed from a topic with no processing
 * @param database      table activity and top statements in the workload's schema
 * @param worker        the worker's own timings per phase
 * @param warmUp        how long the workload was warmed up before its maximum was measured
 * @param cpu           cores used per process in each phase (the benchmark's JVM, and the servers it started)
 */
public record WorkloadFigures(String workload, String description, PreloadFigures preload, PhaseFigures maximum,
        List<PhaseFigures> fixedRates, Map<String, Long> outcomes, Throughput brokerCeiling,
        DatabaseFigures database, List<WorkerPhase> worker, WarmUpFigures warmUp, List<CpuPhase> cpu) {

    public WorkloadFigures {
        worker = List.copyOf(worker);
        cpu = List.copyOf(cpu);
    }

    /** Figures without the processes' CPU. */
    public WorkloadFigures(String workload, String description, PreloadFigures preload, PhaseFigures maximum,
            List<PhaseFigures> fixedRates, Map<String, Long> outcomes, Throughput brokerCeiling,
            DatabaseFigures database, List<WorkerPhase> worker, WarmUpFigures warmUp) {
        this(workload, description, preload, maximum, fixedRates, outcomes, brokerCeiling, database, worker, warmUp,
                List.of());
    }

    /** Figures without a recorded warm-up. */
    public WorkloadFigures(String workload, String description, PreloadFigures preload, PhaseFigures maximum,
            List<PhaseFigures> fixedRates, Map<String, Long> outcomes, Throughput brokerCeiling,
            DatabaseFigures database, List<WorkerPhase> worker) {
        this(workload, description, preload, maximum, fixedRates, outcomes, brokerCeiling, database, worker,
                WarmUpFigures.NONE);
    }

    /** Figures without the worker's own timings. */
    public WorkloadFigures(String workload, String description, PreloadFigures preload, PhaseFigures maximum,
            List<PhaseFigures> fixedRates, Map<String, Long> outcomes, Throughput brokerCeiling,
            DatabaseFigures database) {
        this(workload, description, preload, maximum, fixedRates, outcomes, brokerCeiling, database, List.of(),
                WarmUpFigures.NONE);
    }
}
