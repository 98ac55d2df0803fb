package io.allsource.ingest.store;

import io.allsource.ingest.batch.StoredResult;
import io.allsource.ingest.batch.StreamState;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The reads of one batch transaction: the fence (its partitions' rows, locked), and what the database holds about the
 * batch's keys (stored results, taken event ids, uncached streams), one statement each whatever the batch's size, each
 * an index lookup by the batch's own keys. Works on the caller's connection and transaction.
 */
final class BatchLookups {

    /**
     * Locks the rows of the transaction's partitions, in ascending order so that two transactions never wait for each
     * other, and reads them: the caller compares each epoch to its own (the fence).
     */
    private static final String LOCK_PARTITIONS = """
            SELECT partition_id, owner_epoch, owner_id, next_offset, last_sequence, published_offset,
                   published_sequence, log_reset_id, date_trunc('milliseconds', now()) AS batch_time
            FROM partition_state WHERE partition_id = ANY (?) ORDER BY partition_id FOR UPDATE""";

    private static final String SELECT_RESULTS = """
            SELECT command_id, partition_id, command_offset, status, reason, message, streams::text AS streams,
                   first_sequence, last_sequence, committed_at, content_fingerprint
            FROM command_results WHERE command_id = ANY (?)""";

    private static final String SELECT_TAKEN_EVENT_IDS = "SELECT event_id FROM events WHERE event_id = ANY (?)";

    private static final String SELECT_STREAMS =
            "SELECT stream_id, partition_id, current_version FROM event_streams WHERE stream_id = ANY (?)";

    private final Connection connection;

    BatchLookups(Connection connection) {
        this.connection = connection;
    }

    /**
     * Locks and reads the rows of {@code partitions}, with the transaction's time (milliseconds). A partition never
     * claimed has no row.
     */
    LockedPartitions lockPartitions(Collection<Integer> partitions) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(LOCK_PARTITIONS)) {
            statement.setArray(1, array("int4", partitions.toArray()));
            Map<Integer, PartitionState> states = new HashMap<>();
            Instant batchTime = null;
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    PartitionState state = StoreRows.partitionState(rows);
                    states.put(state.partition(), state);
                    batchTime = rows.getTimestamp("batch_time").toInstant();
                }
            }
            return new LockedPartitions(states, batchTime == null ? databaseTime() : batchTime);
        }
    }

    private Instant databaseTime() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT date_trunc('milliseconds', now())");
                ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getTimestamp(1).toInstant();
        }
    }

    /** The states of the locked partitions that have a row, and the transaction's database time. */
    record LockedPartitions(Map<Integer, PartitionState> states, Instant batchTime) {
    }

    Map<String, StoredResult> storedResults(Collection<String> keys) throws SQLException {
        Map<String, StoredResult> results = new HashMap<>();
        if (keys.isEmpty()) {
            return results;
        }
        try (PreparedStatement statement = connection.prepareStatement(SELECT_RESULTS)) {
            statement.setArray(1, array("varchar", keys.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    results.put(rows.getString("command_id"), new StoredResult(StoreRows.commandResult(rows, false),
                            StoreRows.fingerprint(rows)));
                }
            }
        }
        return results;
    }

    Set<UUID> takenEventIds(Collection<UUID> ids) throws SQLException {
        Set<UUID> taken = new HashSet<>();
        if (ids.isEmpty()) {
            return taken;
        }
        try (PreparedStatement statement = connection.prepareStatement(SELECT_TAKEN_EVENT_IDS)) {
            statement.setArray(1, array("uuid", ids.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    taken.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return taken;
    }

    Map<String, StreamState> streams(Collection<String> streamIds) throws SQLException {
        Map<String, StreamState> states = new HashMap<>();
        if (streamIds.isEmpty()) {
            return states;
        }
        try (PreparedStatement statement = connection.prepareStatement(SELECT_STREAMS)) {
            statement.setArray(1, array("varchar", streamIds.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    states.put(rows.getString(1), new StreamState(rows.getInt(2), rows.getLong(3)));
                }
            }
        }
        return states;
    }

    private Array array(String type, Object[] values) throws SQLException {
        return connection.createArrayOf(type, values);
    }
}
