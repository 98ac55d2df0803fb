package io.allsource.ingest.bench.report;

import java.util.List;

/**
 * The statements that took the most execution time during a workload, from {@code pg_stat_statements}, or why there
 * are none.
 *
 * @param available  whether the extension could be read on this server
 * @param note       why it could not (one line), or empty when it could
 * @param statements the top statements by total execution time, most first; empty when not available
 */
public record TopStatements(boolean available, String note, List<TopStatement> statements) {

    /** How many statements a workload keeps. */
    public static final int KEPT = 15;

    /** How long a statement's text may be once on one line. */
    public static final int STATEMENT_LENGTH = 120;

    public TopStatements {
        statements = List.copyOf(statements);
    }

    public static TopStatements of(List<TopStatement> statements) {
        return new TopStatements(true, "", statements);
    }

    public static TopStatements unavailable(String why) {
        return new TopStatements(false, why, List.of());
    }

    /**
     * {@code sql} on one line (every run of white space one blank) and at most {@link #STATEMENT_LENGTH} characters,
     * ending in "..." when cut.
     */
    public static String oneLine(String sql) {
        String line = sql.strip().replaceAll("\\s+", " ");
        return line.length() <= STATEMENT_LENGTH ? line : line.substring(0, STATEMENT_LENGTH - 3) + "...";
    }
}
