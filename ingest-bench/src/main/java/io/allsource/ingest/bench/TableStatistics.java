package io.allsource.ingest.bench;

import io.allsource.ingest.bench.report.TableCounters;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the activity counters of a schema's tables from {@code pg_stat_user_tables}. The counters are cumulative since
 * the server's statistics were last reset, and hold what backends have reported so far (see {@link DatabaseActivity}
 * for when they report).
 */
final class TableStatistics {

    private static final String READ = """
            SELECT relname, seq_scan, seq_tup_read, coalesce(idx_scan, 0), n_tup_ins, n_tup_upd, n_tup_hot_upd
            FROM pg_stat_user_tables WHERE schemaname = ?""";

    private TableStatistics() {
    }

    /** The counters of every table in {@code schema} now, in a transaction of its own (autocommit). */
    static TableSnapshot read(Connection connection, String schema) throws SQLException {
        List<TableCounters> tables = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(READ)) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(new TableCounters(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getLong(4),
                            rows.getLong(5), rows.getLong(6), rows.getLong(7)));
                }
            }
        }
        return TableSnapshot.of(tables);
    }
}
