package io.allsource.ingest.bench.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPU the benchmark's processes used in one phase of a workload, in cores: CPU time (user and system) over the
 * phase's wall time, so that 1.0 is one core busy throughout.
 *
 * @param phase        "warm-up", "maximum", "25 %", ...
 * @param seconds      the phase's wall time, from boundary to boundary
 * @param cores        cores used per process ("benchmark JVM": the worker and the client; the servers the run started,
 *                     with their children: PostgreSQL's backends), in the order measured
 * @param machineBusy  share (0 to 1) of all the CPU time of the machine the benchmark runs on that was busy,
 *                     whoever used it; null when unknown
 * @param cpuWaiting   share (0 to 1) of the phase's wall time during which at least one runnable task waited for a CPU
 *                     (Linux's CPU pressure, "some"); null when unknown
 */
public record CpuPhase(String phase, double seconds, Map<String, Double> cores, Double machineBusy,
        Double cpuWaiting) {

    public CpuPhase {
        cores = Collections.unmodifiableMap(new LinkedHashMap<>(cores));
    }

    /** Cores used by all the measured processes together. */
    public double total() {
        return cores.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
