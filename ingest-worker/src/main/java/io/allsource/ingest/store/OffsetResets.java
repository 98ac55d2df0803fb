package io.allsource.ingest.store;

import io.allsource.ingest.partition.PartitionFunction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The operator's moves of a partition's stored next offset ({@code ingest offsets --reset-to}), each recorded in
 * {@code offset_resets} with who, from where and why, in the same transaction as the move: no offset is ever skipped
 * without such a row. A reset also bumps the partition's owner epoch, so that a worker still applying it is fenced
 * instead of writing over the move, and marks the outcomes stored at offsets the new log will reuse (all of them when
 * the topic was replaced) as superseded by the reset: they stay, so that a resent command id still finds its first
 * result. A reset that superseded any outcome becomes the partition's {@linkplain PartitionState#logResetId() log reset
 * id}, with which the records of the new log that have no usable command id are keyed
 * ({@link io.allsource.ingest.command.FallbackKey}), so that they never take the key of an old log's record at the
 * same offset. Thread-safe.
 */
public final class OffsetResets {

    /** A partition's stored next offset and the topic id it belongs to (null when none was stored). */
    public record StoredOffset(long nextOffset, String topicId) {
    }

    private static final String ENSURE_ROW =
            "INSERT INTO partition_state (partition_id) VALUES (?) ON CONFLICT (partition_id) DO NOTHING";
    private static final String LOCK_ROW =
            "SELECT next_offset, topic_id FROM partition_state WHERE partition_id = ? FOR UPDATE";
    private static final String RECORD = """
            INSERT INTO offset_resets (partition_id, from_offset, to_offset, from_topic_id, topic_id, operator, host,
                                       reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING reset_id, reset_at""";
    private static final String SUPERSEDE = """
            UPDATE %s SET superseded_by = ?
            WHERE partition_id = ? AND superseded_by IS NULL AND (command_offset >= ? OR ?)""";
    private static final String MOVE = """
            UPDATE partition_state
            SET next_offset = ?, published_offset = LEAST(published_offset, ?), topic_id = ?,
                pruned_offset = CASE WHEN ? THEN 0 ELSE LEAST(pruned_offset, ?) END,
                owner_epoch = owner_epoch + 1, owner_id = ?, updated_at = now(),
                log_reset_id = CASE WHEN ? THEN ? ELSE log_reset_id END
            WHERE partition_id = ?""";
    private static final String SELECT_STORED = "SELECT partition_id, next_offset, topic_id FROM partition_state";

    private final DataSource dataSource;

    public OffsetResets(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Moves the partition's stored next offset to {@code toOffset} in the log of topic {@code topicId}, and records
     * the move, in one transaction.
     *
     * @throws IllegalArgumentException when the reason, the operator or the host is blank
     */
    public OffsetReset reset(int partition, long toOffset, String topicId, String operator, String host,
            String reason) {
        if (partition < 0 || partition >= PartitionFunction.PARTITION_COUNT || toOffset < 0) {
            throw new IllegalArgumentException("partition " + partition + " offset " + toOffset + " is not valid");
        }
        requireText("reason", reason);
        requireText("operator", operator);
        requireText("host", host);
        Objects.requireNonNull(topicId, "topicId");
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                OffsetReset reset = reset(connection, partition, toOffset, topicId, operator, host, reason);
                connection.commit();
                return reset;
            } catch (SQLException | RuntimeException e) {
                SqlFailures.rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw SqlFailures.wrap("Reset of partition " + partition + "'s offset", e);
        }
    }

    private static OffsetReset reset(Connection connection, int partition, long toOffset, String topicId,
            String operator, String host, String reason) throws SQLException {
        try (PreparedStatement ensure = connection.prepareStatement(ENSURE_ROW)) {
            ensure.setInt(1, partition);
            ensure.executeUpdate();
        }
        StoredOffset before;
        try (PreparedStatement lock = connection.prepareStatement(LOCK_ROW)) {
            lock.setInt(1, partition);
            try (ResultSet row = lock.executeQuery()) {
                row.next();
                before = new StoredOffset(row.getLong(1), row.getString(2));
            }
        }
        long resetId;
        java.sql.Timestamp at;
        try (PreparedStatement record = connection.prepareStatement(RECORD)) {
            record.setInt(1, partition);
            record.setLong(2, before.nextOffset());
            record.setLong(3, toOffset);
            record.setString(4, before.topicId());
            record.setString(5, topicId);
            record.setString(6, StoreRows.storable(operator));
            record.setString(7, StoreRows.storable(host));
            record.setString(8, StoreRows.storable(reason));
            try (ResultSet row = record.executeQuery()) {
                row.next();
                resetId = row.getLong(1);
                at = row.getTimestamp(2);
            }
        }
        boolean topicReplaced = before.topicId() != null && !before.topicId().equals(topicId);
        int superseded = 0;
        for (String table : new String[] {"command_results", "command_redeliveries"}) {
            try (PreparedStatement supersede = connection.prepareStatement(SUPERSEDE.formatted(table))) {
                supersede.setLong(1, resetId);
                supersede.setInt(2, partition);
                supersede.setLong(3, toOffset);
                supersede.setBoolean(4, topicReplaced);
                superseded += supersede.executeUpdate();
            }
        }
        try (PreparedStatement move = connection.prepareStatement(MOVE)) {
            move.setLong(1, toOffset);
            move.setLong(2, toOffset);
            move.setString(3, topicId);
            // the new log's offsets from where it starts are all to be accounted for; a replaced topic's, all of them
            move.setBoolean(4, topicReplaced);
            move.setLong(5, toOffset);
            move.setString(6, StoreRows.storable("offset reset #" + resetId + " by " + operator + "@" + host));
            // only a reset that left outcomes behind starts a log whose offsets may meet theirs
            move.setBoolean(7, superseded > 0);
            move.setLong(8, resetId);
            move.setInt(9, partition);
            move.executeUpdate();
        }
        return new OffsetReset(resetId, partition, before.nextOffset(), toOffset, before.topicId(), topicId, operator,
                host, reason, at.toInstant());
    }

    /** The stored next offset and topic id of every partition claimed at least once, by partition. */
    public Map<Integer, StoredOffset> stored() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(SELECT_STORED);
                ResultSet rows = statement.executeQuery()) {
            Map<Integer, StoredOffset> stored = new TreeMap<>();
            while (rows.next()) {
                stored.put(rows.getInt(1), new StoredOffset(rows.getLong(2), rows.getString(3)));
            }
            return stored;
        } catch (SQLException e) {
            throw SqlFailures.wrap("Read of the stored offsets", e);
        }
    }

    private static void requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("an offset reset needs a " + name);
        }
    }
}
