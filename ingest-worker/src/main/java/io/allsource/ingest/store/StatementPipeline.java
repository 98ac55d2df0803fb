package io.allsource.ingest.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Statements sent to the server together and answered in one round trip, in the order added, on the caller's
 * connection and transaction. pgjdbc sends the parts of a multi-statement prepared statement, each bound and executed
 * as a server-side prepared statement of its own, before a single Sync, and reads every answer before it returns;
 * PostgreSQL runs them one after another, each seeing what the ones before it wrote (every part still takes its own
 * snapshot under READ COMMITTED). A failing part fails the whole call and the parts after it are not run: the caller
 * rolls back. Nothing in pgjdbc or HikariCP offers this as an API; this class only assembles the statement and reads
 * its answers part by part.
 *
 * <p>Used once, on one thread.
 */
final class StatementPipeline {

    /** Reads the rows a query part answered with. */
    @FunctionalInterface
    interface Rows {
        void read(ResultSet rows) throws SQLException;
    }

    /** Checks the row count an update part answered with; throws to fail the transaction. */
    @FunctionalInterface
    interface Count {
        void check(int count) throws SQLException;
    }

    private record Part(String sql, Object[] parameters, Rows rows, Count count) {
    }

    private final Connection connection;
    private final List<Part> parts = new ArrayList<>();

    StatementPipeline(Connection connection) {
        this.connection = connection;
    }

    /** The connection the statements run on, to make their array parameters with. */
    Connection connection() {
        return connection;
    }

    /**
     * Adds a statement that returns rows (a SELECT, or a write with RETURNING).
     *
     * @param parameters the values of its {@code ?} placeholders in order: {@link java.sql.Array}s, timestamps,
     *                   numbers or strings, as {@link PreparedStatement#setObject(int, Object)} takes them
     */
    StatementPipeline query(String sql, Rows rows, Object... parameters) {
        parts.add(new Part(sql, parameters, rows, null));
        return this;
    }

    /** Adds a statement that returns a row count, checked by {@code count} once it is answered. */
    StatementPipeline update(String sql, Count count, Object... parameters) {
        parts.add(new Part(sql, parameters, null, count));
        return this;
    }

    /** Adds a statement whose row count does not matter. */
    StatementPipeline update(String sql, Object... parameters) {
        return update(sql, count -> { }, parameters);
    }

    /**
     * Sends every part added, in one round trip, and hands each answer to its reader in order; does nothing when none
     * was added.
     *
     * @throws SQLException the first part's failure, or what a reader threw; the transaction must be rolled back
     */
    void run() throws SQLException {
        if (parts.isEmpty()) {
            return;
        }
        String sql = parts.stream().map(Part::sql).collect(Collectors.joining(";\n"));
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = 1;
            for (Part part : parts) {
                for (Object parameter : part.parameters()) {
                    statement.setObject(index++, parameter);
                }
            }
            boolean rows = statement.execute();
            for (Part part : parts) {
                if (part.rows() != null) {
                    if (!rows) {
                        throw new SQLException("Expected rows, got a row count, from: " + firstLine(part.sql()));
                    }
                    try (ResultSet resultSet = statement.getResultSet()) {
                        part.rows().read(resultSet);
                    }
                } else {
                    if (rows) {
                        throw new SQLException("Expected a row count, got rows, from: " + firstLine(part.sql()));
                    }
                    part.count().check(statement.getUpdateCount());
                }
                rows = statement.getMoreResults();
            }
        }
    }

    private static String firstLine(String sql) {
        int end = sql.indexOf('\n');
        return end < 0 ? sql : sql.substring(0, end);
    }
}
