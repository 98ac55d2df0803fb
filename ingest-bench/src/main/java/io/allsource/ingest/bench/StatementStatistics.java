package io.allsource.ingest.bench;

import io.allsource.ingest.bench.report.TopStatement;
import io.allsource.ingest.bench.report.TopStatements;
import io.allsource.ingest.bench.servers.BenchEndpoints;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The bench database's statement statistics ({@code pg_stat_statements}): reset before each workload, read after it.
 * Only the bench database's entries are reset and read ({@code dbid}), so that other databases of a shared server keep
 * theirs; the benchmark's own reads of the statistics views are left out. The embedded server preloads the extension
 * with {@code pg_stat_statements.track=all}, so that statements run inside functions and triggers show too, and
 * {@code track_planning=on}, so that a statement planned on every run shows its planning time; a server
 * that does not preload it, or where the benchmark's user may not create or reset it, has none, and says why in one
 * line ({@link #note()}).
 */
final class StatementStatistics {

    private static final String DATABASE_ID = "(SELECT oid FROM pg_database WHERE datname = current_database())";

    private final BenchEndpoints endpoints;
    private final String schema;
    private final String note;

    private StatementStatistics(BenchEndpoints endpoints, String schema, String note) {
        this.endpoints = endpoints;
        this.schema = schema;
        this.note = note;
    }

    /** Makes sure the extension exists in the bench database; when it cannot be used, {@link #note()} says why. */
    static StatementStatistics open(BenchEndpoints endpoints) throws SQLException {
        try (Connection connection = BenchSchemas.connect(endpoints);
                Statement statement = connection.createStatement()) {
            String preloaded = single(statement, "SELECT current_setting('shared_preload_libraries')");
            if (!preloaded.contains("pg_stat_statements")) {
                return unavailable(endpoints, "the server does not load pg_stat_statements (shared_preload_libraries"
                        + " = '" + preloaded + "')");
            }
            statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            String schema = single(statement, "SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n"
                    + " ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'");
            StatementStatistics statistics = new StatementStatistics(endpoints, schema, "");
            statistics.reset();
            return statistics;
        } catch (SQLException e) {
            return unavailable(endpoints, "pg_stat_statements cannot be used: " + firstLine(e.getMessage()));
        }
    }

    private static StatementStatistics unavailable(BenchEndpoints endpoints, String why) {
        return new StatementStatistics(endpoints, null, why);
    }

    boolean available() {
        return schema != null;
    }

    /** Why there are no statement statistics, in one line; empty when there are. */
    String note() {
        return note;
    }

    /** Forgets the bench database's statement statistics; does nothing when they are not available. */
    void reset() throws SQLException {
        if (!available()) {
            return;
        }
        try (Connection connection = BenchSchemas.connect(endpoints);
                Statement statement = connection.createStatement()) {
            statement.execute("SELECT " + schema + ".pg_stat_statements_reset(0::oid, " + DATABASE_ID
                    + ", 0::bigint)");
        }
    }

    /** The {@link TopStatements#KEPT} statements with the most execution and planning time since the last reset. */
    TopStatements top() {
        if (!available()) {
            return TopStatements.unavailable(note);
        }
        String sql = "SELECT query, calls, total_exec_time, mean_exec_time, rows, plans, total_plan_time FROM "
                + schema + ".pg_stat_statements WHERE dbid = " + DATABASE_ID + " AND strpos(query, 'pg_stat_') = 0"
                + " ORDER BY total_exec_time + total_plan_time DESC LIMIT ?";
        List<TopStatement> top = new ArrayList<>();
        try (Connection connection = BenchSchemas.connect(endpoints);
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, TopStatements.KEPT);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    top.add(new TopStatement(TopStatements.oneLine(rows.getString(1)), rows.getLong(2),
                            rows.getDouble(3), rows.getDouble(4), rows.getLong(5), rows.getLong(6),
                            rows.getDouble(7)));
                }
            }
            return TopStatements.of(top);
        } catch (SQLException e) {
            return TopStatements.unavailable("pg_stat_statements could not be read: " + firstLine(e.getMessage()));
        }
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
