package io.allsource.ingest.bench.report;

/**
 * One statement as {@code pg_stat_statements} sums it up over a workload (statements that differ only in their
 * constants are one).
 *
 * @param statement the normalised text, on one line and cut to {@value TopStatements#STATEMENT_LENGTH} characters
 * @param calls     times it ran
 * @param totalMs   execution time of all those runs, in milliseconds (planning not included)
 * @param meanMs    execution time per run, in milliseconds
 * @param rows      rows it returned or changed, over all runs
 * @param plans     times it was planned: as often as it ran when every run gets a plan of its own, fewer when a
 *                  prepared statement's plan is reused; 0 where the server does not track planning
 *                  ({@code pg_stat_statements.track_planning}, on in the embedded server)
 * @param planMs    planning time of those plans, in milliseconds
 */
public record TopStatement(String statement, long calls, double totalMs, double meanMs, long rows, long plans,
        double planMs) {

    /** A statement whose planning was not tracked. */
    public TopStatement(String statement, long calls, double totalMs, double meanMs, long rows) {
        this(statement, calls, totalMs, meanMs, rows, 0, 0);
    }
}
