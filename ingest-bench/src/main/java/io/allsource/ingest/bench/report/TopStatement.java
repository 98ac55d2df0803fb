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
 */
public record TopStatement(String statement, long calls, double totalMs, double meanMs, long rows) {
}
