package io.allsource.ingest.audit;

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
 * version (which is its highest event version), living in the partition of its key and holding events of its own
 * tenant only; every partition's sequences
 * gapless; every command offset below a partition's next offset holding exactly one outcome, and none at or beyond
 * it; every event belonging to an accepted result whose sequences cover exactly its events. Reads only: run on its
 * own, it reads one consistent snapshot (a read-only repeatable-read transaction), so it is safe against a running
 * pipeline. Thread-safe.
 *
 * <p>Offsets are accounted in each partition's current log only. An offset reset ({@code ingest offsets --reset-to})
 * that makes stored offsets be consumed again (the commands topic recreated, the partition moved back) leaves the
 * outcomes stored there in place, marked {@code superseded_by} the reset, and the new log's commands get outcomes of
 * their own at the same offsets: the checks of offsets (one outcome per offset below the next offset, none at or beyond
 * it) count only outcomes with {@code superseded_by} null, or every reset would read as doubled offsets and outcomes
 * beyond the next offset. The other checks keep the superseded rows: a superseded accepted result's events are still
 * stored, in their streams and partition sequences, and must still be covered exactly by it.
 *
 * <p>Stored outcomes older than the worker's {@code result-retention-ms} may have been pruned: offsets below a
 * partition's {@code pruned_offset} are not accounted for, and events at or below its {@code pruned_sequence} may have
 * no result any more (or one of a later command that used the same command id again).
 *
 * <p>Erased and deleted streams (issue 18): every event of a stream at or below its {@code erased_through_version}
 * carries the redaction marker (the worker's {@code RedactionMarker}: payload {@code {"erased": true}}, entity id {@code erased},
 * metadata {@code {}}) and {@code erased}; no event above it is marked erased; a deleted stream holds no event above
 * its {@code deleted_at_version} and is erased through it. An erase keeps ids, versions and sequences, so every other
 * check holds for such streams unchanged.
 *
 * <p>The offset check counts from the pruned offset, 0 unless outcomes were pruned. The database alone cannot tell an offset whose command has no outcome from
 * one that a transactional producer's commit or abort marker (or an aborted record) takes, which no consumer receives
 * and which therefore has none: given {@link ReceivedOffsets} that read the commands topic, only the first kind is
 * reported; given {@link ReceivedOffsets#EVERY_OFFSET}, both are.
 */
public final class StoreInvariants {

    static final String APPLIED_TWICE = "no command applied twice (events outside its result's sequences)";

    /**
     * A stream's events are all of its tenant: the one its row records, or for a row without one (written before V9
     * or by a tool) the tenant of its first event.
     */
    static final String TENANTS = "events carry their stream's tenant";

    /**
     * The outcomes of all partitions' offsets in their current logs: results and redeliveries that no offset reset has
     * superseded.
     */
    static final String OUTCOMES = "(SELECT partition_id, command_offset FROM command_results"
            + " WHERE superseded_by IS NULL UNION ALL"
            + " SELECT partition_id, command_offset FROM command_redeliveries WHERE superseded_by IS NULL)";

    /**
     * An event {@code e} whose command's result is still stored: above its partition's pruned sequence. Below it the
     * result may have been pruned (the worker's {@code result-retention-ms}), and its command id used again by a
     * later command.
     */
    static final String NOT_PRUNED = "e.partition_sequence > COALESCE((SELECT p.pruned_sequence FROM partition_state p"
            + " WHERE p.partition_id = e.partition_id), 0)";

    static final String ERASED_MARKED = "events of erased versions carry the redaction marker";

    static final String ERASED_WITHIN = "events marked erased lie within their stream's erased versions";

    static final String DELETED = "deleted streams: no event above deleted_at_version, erased through it";

    /**
     * The payload of an erased event: the worker's {@code RedactionMarker.PAYLOAD}, repeated here because the audit
     * depends on the contract only, not on the worker ({@code RedactionMarkerTest} holds the two equal).
     */
    static final String REDACTED_PAYLOAD = "{\"erased\": true}";

    /** The entity id of an erased event: the worker's {@code RedactionMarker.ENTITY_ID}. */
    static final String REDACTED_ENTITY_ID = "erased";

    /** The redaction marker, as SQL: an event {@code e} that does not carry it in full. */
    private static final String NOT_REDACTED = "(NOT e.erased OR e.payload IS DISTINCT FROM '"
            + REDACTED_PAYLOAD + "'::jsonb OR e.entity_id <> '" + REDACTED_ENTITY_ID + "'"
            + " OR e.metadata IS DISTINCT FROM '{}'::jsonb)";

    private final DataSource dataSource;
    private final ReceivedOffsets receivedOffsets;

    /** Checks with the database alone: every offset of the commands topic is taken to hold a record. */
    public StoreInvariants(DataSource dataSource) {
        this(dataSource, ReceivedOffsets.EVERY_OFFSET);
    }

    /** Checks with {@code receivedOffsets} telling which offsets without an outcome hold a record. */
    public StoreInvariants(DataSource dataSource, ReceivedOffsets receivedOffsets) {
        this.dataSource = dataSource;
        this.receivedOffsets = receivedOffsets;
    }

    /** Runs every check in one snapshot of the database. */
    public List<Check> run() {
        try (Connection connection = dataSource.getConnection()) {
            Snapshots.begin(connection);
            try {
                return run(connection, receivedOffsets);
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new AuditException("The database checks failed: " + e.getMessage(), e);
        }
    }

    /** Runs every check on {@code connection}, in whatever transaction it is in. */
    static List<Check> run(Connection connection, ReceivedOffsets receivedOffsets) throws SQLException {
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
        checks.add(check(connection, TENANTS,
                "SELECT count(*) FROM events",
                "SELECT e.event_id::text || ' of ' || e.stream_id || ' is of another tenant than its stream'"
                        + " FROM events e JOIN event_streams s ON s.stream_id = e.stream_id"
                        + " WHERE e.tenant_id <> COALESCE(s.tenant_id, (SELECT f.tenant_id FROM events f"
                        + " WHERE f.stream_id = s.stream_id ORDER BY f.version LIMIT 1))"));
        checks.add(check(connection, "partition sequences gapless 1..last_sequence",
                "SELECT count(*) FROM partition_state",
                "SELECT 'partition ' || partition_id FROM partition_state"
                        + " WHERE NOT verify_partition_gapless(partition_id)"));
        checks.add(new OffsetOutcomes(connection, receivedOffsets).check());
        checks.add(check(connection, "no outcome stored at or beyond the next offset",
                "SELECT count(*) FROM " + OUTCOMES + " x",
                "SELECT 'partition ' || p.partition_id || ' offset ' || x.command_offset FROM partition_state p"
                        + " JOIN " + OUTCOMES + " x"
                        + " ON x.partition_id = p.partition_id WHERE x.command_offset >= p.next_offset"));
        checks.add(check(connection, "every event belongs to an accepted command",
                "SELECT count(*) FROM events",
                "SELECT e.event_id::text FROM events e LEFT JOIN command_results r"
                        + " ON r.command_id = e.command_id AND r.status = 'ACCEPTED'"
                        + " WHERE r.command_id IS NULL AND " + NOT_PRUNED));
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
                        + " AND " + NOT_PRUNED + " GROUP BY e.command_id"));
        checks.addAll(erasures(connection));
        return checks;
    }

    /** The checks of erased and deleted streams. */
    private static List<Check> erasures(Connection connection) throws SQLException {
        return List.of(
                check(connection, ERASED_MARKED,
                        "SELECT count(*) FROM events e JOIN event_streams s ON s.stream_id = e.stream_id"
                                + " WHERE e.version <= s.erased_through_version",
                        "SELECT e.stream_id || ' version ' || e.version || ' (' || e.event_id::text || ')'"
                                + " FROM events e JOIN event_streams s ON s.stream_id = e.stream_id"
                                + " WHERE e.version <= s.erased_through_version AND " + NOT_REDACTED
                                + " ORDER BY e.stream_id, e.version"),
                check(connection, ERASED_WITHIN,
                        "SELECT count(*) FROM events WHERE erased",
                        "SELECT e.stream_id || ' version ' || e.version || ' erased, the stream erased through '"
                                + " || COALESCE(s.erased_through_version::text, 'none')"
                                + " FROM events e JOIN event_streams s ON s.stream_id = e.stream_id WHERE e.erased"
                                + " AND e.version > COALESCE(s.erased_through_version, 0)"
                                + " ORDER BY e.stream_id, e.version"),
                check(connection, DELETED,
                        "SELECT count(*) FROM event_streams WHERE deleted_at_version IS NOT NULL",
                        "SELECT s.stream_id || ' deleted at version ' || s.deleted_at_version || ': version '"
                                + " || s.current_version || ', highest event '"
                                + " || COALESCE((SELECT max(e.version) FROM events e"
                                + " WHERE e.stream_id = s.stream_id)::text, 'none')"
                                + " || ', erased through ' || COALESCE(s.erased_through_version::text, 'none')"
                                + " FROM event_streams s WHERE s.deleted_at_version IS NOT NULL"
                                + " AND (s.current_version <> s.deleted_at_version"
                                + " OR COALESCE(s.erased_through_version, 0) < s.deleted_at_version"
                                + " OR EXISTS (SELECT 1 FROM events e WHERE e.stream_id = s.stream_id"
                                + " AND e.version > s.deleted_at_version))"
                                + " ORDER BY s.stream_id"));
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

    /** Each partition's pruned offset, by partition number; 0 for a partition without a row. */
    static long[] prunedOffsets(Connection connection) throws SQLException {
        long[] pruned = new long[PartitionFunction.PARTITION_COUNT];
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT partition_id, pruned_offset FROM partition_state")) {
            while (rows.next()) {
                pruned[rows.getInt(1)] = rows.getLong(2);
            }
        }
        return pruned;
    }

    static long longValue(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
