package io.allsource.ingest.store;

import io.allsource.ingest.partition.PartitionFunction;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Checks the promises the database keeps, and counts what it checked: every stream gapless from 1 to its current
 * version and living in the partition of its key; every partition's sequences gapless; every event belonging to an
 * accepted result whose sequences cover exactly its events; no outcome stored at or beyond a partition's next offset.
 * Reads only; safe against a running pipeline (each check is one consistent statement).
 */
public final class StoreInvariants {

    private final DataSource dataSource;

    public StoreInvariants(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One check: how many items it looked at, and the ones that break it (at most ten named). */
    public record Check(String name, long checked, long violations, List<String> examples) {

        public boolean holds() {
            return violations == 0;
        }
    }

    public List<Check> run() {
        try (Connection connection = dataSource.getConnection()) {
            connection.setReadOnly(true);
            List<Check> checks = new ArrayList<>();
            checks.add(check(connection, "streams gapless from 1 to current_version",
                    "SELECT count(*) FROM event_streams",
                    "SELECT stream_id FROM event_streams WHERE NOT verify_stream_gapless(stream_id)"));
            checks.add(streamPlacement(connection));
            checks.add(check(connection, "partition sequences gapless from 1 to last_sequence",
                    "SELECT count(*) FROM partition_state",
                    "SELECT 'partition ' || partition_id FROM partition_state"
                            + " WHERE NOT verify_partition_gapless(partition_id)"));
            checks.add(check(connection, "every event belongs to an accepted command",
                    "SELECT count(*) FROM events",
                    "SELECT e.event_id::text FROM events e LEFT JOIN command_results r"
                            + " ON r.command_id = e.command_id AND r.status = 'ACCEPTED' WHERE r.command_id IS NULL"));
            checks.add(check(connection, "accepted results cover exactly their events",
                    "SELECT count(*) FROM command_results WHERE status = 'ACCEPTED'",
                    "SELECT r.command_id FROM command_results r WHERE r.status = 'ACCEPTED'"
                            + " AND (SELECT count(*) FROM events e WHERE e.command_id = r.command_id"
                            + " AND e.partition_sequence BETWEEN r.first_sequence AND r.last_sequence)"
                            + " <> r.last_sequence - r.first_sequence + 1"));
            checks.add(check(connection, "no outcome stored at or beyond the next offset",
                    "SELECT (SELECT count(*) FROM command_results) + (SELECT count(*) FROM command_redeliveries)",
                    "SELECT 'partition ' || p.partition_id || ' offset ' || x.command_offset FROM partition_state p"
                            + " JOIN (SELECT partition_id, command_offset FROM command_results UNION ALL"
                            + " SELECT partition_id, command_offset FROM command_redeliveries) x"
                            + " ON x.partition_id = p.partition_id WHERE x.command_offset >= p.next_offset"));
            return checks;
        } catch (SQLException e) {
            throw SqlFailures.wrap("Invariant checks", e);
        }
    }

    private static Check streamPlacement(Connection connection) throws SQLException {
        long checked = 0;
        long violations = 0;
        List<String> examples = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            statement.setFetchSize(10_000);
            try (ResultSet rows = statement.executeQuery(
                    "SELECT stream_id, partition_id, COALESCE(partition_key, stream_id) FROM event_streams")) {
                while (rows.next()) {
                    checked++;
                    int expected = PartitionFunction.partitionOf(rows.getString(3));
                    if (expected != rows.getInt(2)) {
                        violations++;
                        if (examples.size() < 10) {
                            examples.add(rows.getString(1) + " in partition " + rows.getInt(2) + ", its key maps to "
                                    + expected);
                        }
                    }
                }
            }
        }
        return new Check("streams live in the partition of their key", checked, violations, examples);
    }

    private static Check check(Connection connection, String name, String countSql, String violationsSql)
            throws SQLException {
        long checked;
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(countSql)) {
            row.next();
            checked = row.getLong(1);
        }
        long violations = 0;
        List<String> examples = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(violationsSql)) {
            while (rows.next()) {
                violations++;
                if (examples.size() < 10) {
                    examples.add(rows.getString(1));
                }
            }
        }
        return new Check(name, checked, violations, examples);
    }
}
