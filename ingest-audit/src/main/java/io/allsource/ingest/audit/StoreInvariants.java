package io.allsource.ingest.audit;

import io.allsource.ingest.partition.PartitionFunction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Checks the promises the database keeps, and counts what it checked: every stream gapless from 1 to its current
 * version (which is its highest event version) and living in the partition of its key; every partition's sequences
 * gapless; every command offset below a partition's next offset holding exactly one outcome, and none at or beyond
 * it; every event belonging to an accepted result whose sequences cover exactly its events. Reads only: run on its
 * own, it reads one consistent snapshot (a read-only repeatable-read transaction), so it is safe against a running
 * pipeline. Thread-safe.
 *
 * <p>The offset check counts from offset 0 and expects every offset of the commands topic to hold a record, which holds
 * for a topic written by plain (non-transactional) producers and never compacted. A transactional producer's commit
 * markers take offsets that no consumer sees, so on such a topic they show up as offsets without an outcome.
 */
public final class StoreInvariants {

    static final String APPLIED_TWICE = "no command applied twice (events outside its result's sequences)";

    private static final String OUTCOMES = "(SELECT partition_id, command_offset FROM command_results UNION ALL"
            + " SELECT partition_id, command_offset FROM command_redeliveries)";

    private final DataSource dataSource;

    public StoreInvariants(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs every check in one snapshot of the database. */
    public List<Check> run() {
        try (Connection connection = dataSource.getConnection()) {
            Snapshots.begin(connection);
            try {
                return run(connection);
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new AuditException("The database checks failed: " + e.getMessage(), e);
        }
    }

    /** Runs every check on {@code connection}, in whatever transaction it is in. */
    static List<Check> run(Connection connection) throws SQLException {
        List<Check> checks = new ArrayList<>();
        checks.add(check(connection, "streams gapless 1..current_version, current_version = highest version",
                "SELECT count(*) FROM event_streams",
                "SELECT stream_id FROM event_streams WHERE NOT verify_stream_gapless(stream_id)"));
        checks.add(streamPlacement(connection));
        checks.add(check(connection, "events in the partition of their stream",
                "SELECT count(*) FROM events",
                "SELECT e.event_id::text || ' of ' || e.stream_id || ' in partition ' || e.partition_id"
                        + " FROM events e JOIN event_streams s ON s.stream_id = e.stream_id"
                        + " WHERE e.partition_id <> s.partition_id"));
        checks.add(check(connection, "partition sequences gapless 1..last_sequence",
                "SELECT count(*) FROM partition_state",
                "SELECT 'partition ' || partition_id FROM partition_state"
                        + " WHERE NOT verify_partition_gapless(partition_id)"));
        checks.add(new OffsetOutcomes(connection).check());
        checks.add(check(connection, "no outcome stored at or beyond the next offset",
                "SELECT (SELECT count(*) FROM command_results) + (SELECT count(*) FROM command_redeliveries)",
                "SELECT 'partition ' || p.partition_id || ' offset ' || x.command_offset FROM partition_state p"
                        + " JOIN " + OUTCOMES + " x"
                        + " ON x.partition_id = p.partition_id WHERE x.command_offset >= p.next_offset"));
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
        checks.add(check(connection, APPLIED_TWICE,
                "SELECT count(*) FROM command_results WHERE status = 'ACCEPTED'",
                "SELECT e.command_id FROM events e JOIN command_results r ON r.command_id = e.command_id"
                        + " WHERE r.status = 'ACCEPTED'"
                        + " AND e.partition_sequence NOT BETWEEN r.first_sequence AND r.last_sequence"
                        + " GROUP BY e.command_id"));
        return checks;
    }

    /**
     * Events an accepted result promises that the database does not hold: the sum over accepted results of their
     * sequence range's size minus the events found in it.
     */
    static long eventsMissing(Connection connection) throws SQLException {
        return longValue(connection, "SELECT COALESCE(sum(r.last_sequence - r.first_sequence + 1 - (SELECT count(*)"
                + " FROM events e WHERE e.command_id = r.command_id"
                + " AND e.partition_sequence BETWEEN r.first_sequence AND r.last_sequence)), 0)"
                + " FROM command_results r WHERE r.status = 'ACCEPTED'");
    }

    private static Check streamPlacement(Connection connection) throws SQLException {
        CheckTally tally = new CheckTally("streams live in the partition of their key");
        try (Statement statement = connection.createStatement()) {
            statement.setFetchSize(10_000);
            try (ResultSet rows = statement.executeQuery(
                    "SELECT stream_id, partition_id, COALESCE(partition_key, stream_id) FROM event_streams")) {
                while (rows.next()) {
                    tally.checked();
                    int expected = PartitionFunction.partitionOf(rows.getString(3));
                    if (expected != rows.getInt(2)) {
                        tally.violation(rows.getString(1) + " in partition " + rows.getInt(2)
                                + ", its key maps to " + expected);
                    }
                }
            }
        }
        return tally.toCheck();
    }

    private static Check check(Connection connection, String name, String countSql, String violationsSql)
            throws SQLException {
        CheckTally tally = new CheckTally(name);
        tally.checked(longValue(connection, countSql));
        try (Statement statement = connection.createStatement()) {
            statement.setFetchSize(1_000);
            try (ResultSet rows = statement.executeQuery(violationsSql)) {
                while (rows.next()) {
                    tally.violation(rows.getString(1));
                }
            }
        }
        return tally.toCheck();
    }

    static long longValue(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Every offset in [0, next_offset) of every partition holds exactly one outcome: a result or a redelivery. */
    private static final class OffsetOutcomes {

        private static final String PER_PARTITION = "SELECT p.partition_id, p.next_offset, count(o.command_offset),"
                + " count(DISTINCT o.command_offset) FROM partition_state p LEFT JOIN " + OUTCOMES + " o"
                + " ON o.partition_id = p.partition_id AND o.command_offset < p.next_offset"
                + " GROUP BY p.partition_id, p.next_offset ORDER BY p.partition_id";

        private static final String MISSING = "SELECT g.o FROM generate_series(0, ? - 1) AS g(o)"
                + " WHERE NOT EXISTS (SELECT 1 FROM command_results r WHERE r.partition_id = ? AND r.command_offset = g.o)"
                + " AND NOT EXISTS (SELECT 1 FROM command_redeliveries d WHERE d.partition_id = ?"
                + " AND d.command_offset = g.o) ORDER BY g.o LIMIT 10";

        private static final String DOUBLED = "SELECT command_offset FROM " + OUTCOMES + " o WHERE partition_id = ?"
                + " GROUP BY command_offset HAVING count(*) > 1 ORDER BY command_offset LIMIT 10";

        private final Connection connection;
        private final CheckTally tally =
                new CheckTally("every offset below next_offset has exactly one outcome");

        OffsetOutcomes(Connection connection) {
            this.connection = connection;
        }

        Check check() throws SQLException {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(PER_PARTITION)) {
                while (rows.next()) {
                    partition(rows.getInt(1), rows.getLong(2), rows.getLong(3), rows.getLong(4));
                }
            }
            return tally.toCheck();
        }

        private void partition(int partition, long nextOffset, long outcomes, long distinctOffsets)
                throws SQLException {
            tally.checked(nextOffset);
            long missing = nextOffset - distinctOffsets;
            long doubled = outcomes - distinctOffsets;
            if (missing > 0) {
                for (long offset : offsets(MISSING, nextOffset, partition)) {
                    tally.violation("partition " + partition + " offset " + offset + " has no outcome");
                }
            }
            if (doubled > 0) {
                for (long offset : offsets(DOUBLED, -1, partition)) {
                    tally.violation("partition " + partition + " offset " + offset + " has two outcomes");
                }
            }
        }

        private List<Long> offsets(String sql, long nextOffset, int partition) throws SQLException {
            List<Long> offsets = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int index = 1;
                if (nextOffset >= 0) {
                    statement.setLong(index++, nextOffset);
                    statement.setInt(index++, partition);
                }
                statement.setInt(index, partition);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        offsets.add(rows.getLong(1));
                    }
                }
            }
            return offsets;
        }
    }
}
