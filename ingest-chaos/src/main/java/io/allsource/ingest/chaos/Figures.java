package io.allsource.ingest.chaos;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/** The soak's counts as the database has them once it has caught up. */
record Figures(long outcomes, long accepted, Map<String, Long> rejectedByReason, long redeliveries, long events) {

    static Figures read(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            long accepted = 0;
            long results = 0;
            Map<String, Long> rejected = new HashMap<>();
            try (ResultSet rows = statement.executeQuery(
                    "SELECT status, COALESCE(reason, ''), count(*) FROM command_results GROUP BY 1, 2")) {
                while (rows.next()) {
                    results += rows.getLong(3);
                    if (rows.getString(1).equals("ACCEPTED")) {
                        accepted += rows.getLong(3);
                    } else {
                        rejected.put(rows.getString(2), rows.getLong(3));
                    }
                }
            }
            long redeliveries = count(statement, "SELECT count(*) FROM command_redeliveries");
            long events = count(statement, "SELECT count(*) FROM events");
            return new Figures(results + redeliveries, accepted, rejected, redeliveries, events);
        } catch (SQLException e) {
            throw new ChaosException("Reading the soak's figures failed: " + e.getMessage(), e);
        }
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
