package io.allsource.ingest.bench.report;

import java.util.List;

/**
 * The table activity of one phase of a workload: the difference between the readings before and after it.
 *
 * @param phase  "warm-up", "maximum", the share of the maximum ("50 %"), or "worker closed" (what the worker's sessions
 *               reported only as they ended)
 * @param tables every table of the workload's schema, by name
 */
public record PhaseTables(String phase, List<TableCounters> tables) {

    public PhaseTables {
        tables = List.copyOf(tables);
    }
}
