package io.allsource.ingest.bench.report;

import java.util.List;
import java.util.Map;

/**
 * The pipeline's figures for one workload.
 *
 * @param maximum       the closed loop at maximum rate
 * @param fixedRates    the open loops at fixed shares of that maximum
 * @param outcomes      commands per outcome over all measured phases (rejections by reason)
 * @param brokerCeiling the same command bytes produced to and consumed from a topic with no processing
 */
public record WorkloadFigures(String workload, String description, PhaseFigures maximum, List<PhaseFigures> fixedRates,
        Map<String, Long> outcomes, Throughput brokerCeiling) {
}
