package io.allsource.ingest.bench.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * What one load phase of a workload achieved.
 *
 * @param phase                   "maximum" (closed loop) or the share of the maximum ("50 %")
 * @param targetCommandsPerSecond the fixed rate of an open-loop phase; 0 for the closed loop
 * @param commands                commands that got an outcome (a result or an error)
 * @param events                  events written by the accepted ones
 * @param seconds                 from the first send to the last outcome
 * @param latencyMs               intended send time to result, in milliseconds
 * @param outcomes                commands per outcome: ACCEPTED, REJECTED reason, or ERROR exception
 */
public record PhaseFigures(String phase, double targetCommandsPerSecond, long commands, long events, double seconds,
        LatencySummary latencyMs, Map<String, Long> outcomes) {

    @JsonProperty
    public double commandsPerSecond() {
        return seconds == 0 ? 0 : commands / seconds;
    }

    @JsonProperty
    public double eventsPerSecond() {
        return seconds == 0 ? 0 : events / seconds;
    }
}
