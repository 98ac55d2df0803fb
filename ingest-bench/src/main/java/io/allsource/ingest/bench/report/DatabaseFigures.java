package io.allsource.ingest.bench.report;

import java.util.List;

/**
 * What a workload did in the database, read from PostgreSQL's own statistics: table activity from
 * {@code pg_stat_user_tables} for the workload's schema, and the top statements from {@code pg_stat_statements}.
 *
 * <p>The table counters come from readings before the warm-up, after each phase, and once more after the worker was
 * closed. A backend sends its counters to the shared statistics at the end of a transaction when a second has passed
 * since it last did, at the latest 10 s after it went idle, and at once when it exits; so the phase figures can be
 * late by about a second (more for the last transactions before a pause, which then show in the next phase or under
 * "worker closed"), while the workload's totals, read after the worker's sessions ended, are complete.
 *
 * @param tables     per table, the activity of the whole workload, warm-up and closing included
 * @param phases     the same per phase, in order, last "worker closed"
 * @param statements the statements that took the most execution time over the workload
 */
public record DatabaseFigures(List<TableCounters> tables, List<PhaseTables> phases, TopStatements statements) {

    public DatabaseFigures {
        tables = List.copyOf(tables);
        phases = List.copyOf(phases);
    }
}
