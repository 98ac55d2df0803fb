package io.allsource.ingest.store;

import io.allsource.ingest.batch.StoredResult;
import io.allsource.ingest.batch.StreamState;
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
import java.util.function.Function;

/**
 * The reads of one batch transaction, in one round trip: the fence (its partitions' rows, locked), and what the
 * database holds about the batch's keys (stored results, taken event ids, uncached streams), one statement each
 * whatever the batch's size, each an index lookup by the batch's own keys. Works on the caller's connection and
 * transaction.
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
            SELECT command_id, partition_id, command_offset, status, reason, operation, message,
                   streams::text AS streams, first_sequence, last_sequence, committed_at, content_fingerprint
            FROM command_results WHERE command_id = ANY (?)""";

    /** The ids come as text ({@link SqlArrays#uuids}). */
    private static final String SELECT_TAKEN_EVENT_IDS =
            "SELECT event_id FROM events WHERE event_id = ANY (?::varchar[]::uuid[])";

    /**
     * A stream's tenant is its row's; a row without one (written by a worker of before V9 while the migration ran, or
     * by a tool that writes rows directly) takes the tenant of the stream's first event, one index lookup, evaluated
     * only for such rows. A stream with neither has no owner yet.
     */
    private static final String SELECT_STREAMS = """
            SELECT s.stream_id, s.partition_id, s.current_version,
                   COALESCE(s.tenant_id, (SELECT e.tenant_id FROM events e WHERE e.stream_id = s.stream_id
                                          ORDER BY e.version LIMIT 1)) AS tenant_id,
                   s.deleted_at_version
            FROM event_streams s WHERE s.stream_id = ANY (?)""";

    private final Connection connection;

    BatchLookups(Connection connection) {
        this.connection = connection;
    }

    /**
     * What the transaction found: the locked rows of its partitions that have one (a partition never claimed has
     * none), the transaction's database time (milliseconds), and what the database holds about the keys looked up.
     */
    record Found(Map<Integer, PartitionState> partitions, Instant batchTime, Map<String, StoredResult> storedResults,
            Set<UUID> takenEventIds, Map<String, StreamState> streams) {
    }

    /**
     * Locks and reads the rows of {@code partitions}, then looks the keys up, in one round trip: the lookups run after
     * the lock is granted, so they see everything the partitions' previous owners committed.
     */
    Found lookUp(Collection<Integer> partitions, Collection<String> resultKeys, Collection<UUID> eventIds,
            Collection<String> streamIds) throws SQLException {
        Map<Integer, PartitionState> states = new HashMap<>();
        Instant[] batchTime = new Instant[1];
        Map<String, StoredResult> results = new HashMap<>();
        Set<UUID> taken = new HashSet<>();
        Map<String, StreamState> streams = new HashMap<>();
        StatementPipeline pipeline = new StatementPipeline(connection).query(LOCK_PARTITIONS, rows -> {
            while (rows.next()) {
                PartitionState state = StoreRows.partitionState(rows);
                states.put(state.partition(), state);
                batchTime[0] = rows.getTimestamp("batch_time").toInstant();
            }
        }, SqlArrays.integers(connection, partitions, Function.identity()));
        if (!resultKeys.isEmpty()) {
            pipeline.query(SELECT_RESULTS, rows -> {
                while (rows.next()) {
                    results.put(rows.getString("command_id"), new StoredResult(StoreRows.commandResult(rows, false),
                            StoreRows.fingerprint(rows)));
                }
            }, SqlArrays.varchars(connection, resultKeys, Function.identity()));
        }
        if (!eventIds.isEmpty()) {
            pipeline.query(SELECT_TAKEN_EVENT_IDS, rows -> {
                while (rows.next()) {
                    taken.add(rows.getObject(1, UUID.class));
                }
            }, SqlArrays.uuids(connection, eventIds, Function.identity()));
        }
        if (!streamIds.isEmpty()) {
            pipeline.query(SELECT_STREAMS, rows -> {
                while (rows.next()) {
                    long deletedAt = rows.getLong(5);
                    Long deleted = rows.wasNull() ? null : deletedAt; // before the next getter: wasNull is the last's
                    streams.put(rows.getString(1), new StreamState(rows.getInt(2), rows.getLong(3),
                            rows.getString(4), deleted));
                }
            }, SqlArrays.varchars(connection, streamIds, Function.identity()));
        }
        pipeline.run();
        return new Found(states, batchTime[0] == null ? databaseTime() : batchTime[0], results, taken, streams);
    }

    private Instant databaseTime() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT date_trunc('milliseconds', now())");
                ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getTimestamp(1).toInstant();
        }
    }
}
