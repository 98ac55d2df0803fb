package io.allsource.ingest.store;

import io.allsource.ingest.command.CommandResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The store's statements outside the batch transaction: claims, progress markers and reads. Thread-safe. */
final class StoreReads {

    private static final String PARTITION_COLUMNS =
            "partition_id, owner_epoch, owner_id, next_offset, last_sequence, published_offset, published_sequence,"
                    + " log_reset_id";

    private static final String CLAIM = """
            INSERT INTO partition_state (partition_id, owner_epoch, owner_id, claimed_at)
            VALUES (?, 1, ?, now())
            ON CONFLICT (partition_id) DO UPDATE
                SET owner_epoch = partition_state.owner_epoch + 1, owner_id = EXCLUDED.owner_id,
                    claimed_at = now(), updated_at = now()
            RETURNING %s""".formatted(PARTITION_COLUMNS);

    private static final String SELECT_PARTITION =
            "SELECT " + PARTITION_COLUMNS + " FROM partition_state WHERE partition_id = ?";

    /**
     * An event with the trace context of the command that wrote it, kept on the command's result row: one read, one
     * primary-key lookup per event, so that a republished event carries what its first publication carried. The
     * result must be the one that wrote the event: once outcomes are pruned, a command id can be used again.
     */
    private static final String EVENTS = """
            SELECT e.event_id, e.stream_id, e.version, e.partition_id, e.partition_sequence, e.tenant_id, e.event_type,
                   e.entity_id, e.payload::text AS payload, e.metadata::text AS metadata, e.command_id, e.timestamp,
                   e.erased, r.traceparent, r.tracestate
            FROM events e LEFT JOIN command_results r ON r.command_id = e.command_id
                AND e.partition_sequence BETWEEN r.first_sequence AND r.last_sequence""";

    private static final String READ_STREAM = EVENTS
            + " WHERE e.stream_id = ? AND e.version >= ? ORDER BY e.version LIMIT ?";

    private static final String READ_PARTITION = EVENTS
            + " WHERE e.partition_id = ? AND e.partition_sequence >= ? ORDER BY e.partition_sequence LIMIT ?";

    private static final String RESULT_COLUMNS = """
            r.command_id, r.partition_id, r.command_offset, r.status, r.reason, r.operation, r.message,
            r.streams::text AS streams, r.first_sequence, r.last_sequence, r.committed_at""";

    private static final String READ_RESULTS = """
            SELECT * FROM (
                SELECT r.command_offset AS delivery_offset, false AS duplicate, false AS content_differs,
                       r.reply_topic, r.reply_partition, r.correlation_id, r.reply_key, r.traceparent, r.tracestate,
                       %1$s
                FROM command_results r
                WHERE r.partition_id = ? AND r.command_offset >= ? AND r.superseded_by IS NULL
                UNION ALL
                SELECT d.command_offset, true, (d.content_fingerprint <> r.content_fingerprint) IS TRUE,
                       d.reply_topic, d.reply_partition, d.correlation_id, d.reply_key, d.traceparent, d.tracestate,
                       %1$s
                FROM command_redeliveries d JOIN command_results r ON r.command_id = d.command_id
                WHERE d.partition_id = ? AND d.command_offset >= ? AND d.superseded_by IS NULL
            ) AS deliveries
            ORDER BY delivery_offset LIMIT ?""".formatted(RESULT_COLUMNS);

    private static final String STREAM_STATUS = """
            SELECT current_version, deleted_at_version, erased_through_version FROM event_streams WHERE stream_id = ?""";

    private static final String SELECT_TOPIC_ID = "SELECT topic_id FROM partition_state WHERE partition_id = ?";

    private static final String REMEMBER_TOPIC_ID = """
            UPDATE partition_state SET topic_id = ?, updated_at = now()
            WHERE partition_id = ? AND owner_epoch = ? AND (topic_id IS NULL OR next_offset = 0)""";

    private final DataSource dataSource;

    StoreReads(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    PartitionState claim(int partition, String ownerId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(CLAIM)) {
            statement.setInt(1, partition);
            statement.setString(2, StoreRows.storable(ownerId));
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return StoreRows.partitionState(row);
            }
        } catch (SQLException e) {
            throw SqlFailures.wrap("Claim of partition " + partition, e);
        }
    }

    Optional<PartitionState> partitionState(int partition) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(SELECT_PARTITION)) {
            statement.setInt(1, partition);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(StoreRows.partitionState(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw SqlFailures.wrap("Read of partition " + partition + "'s state", e);
        }
    }

    Optional<String> topicId(int partition) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(SELECT_TOPIC_ID)) {
            statement.setInt(1, partition);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw SqlFailures.wrap("Read of partition " + partition + "'s topic id", e);
        }
    }

    boolean rememberTopicId(int partition, long epoch, String topicId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(REMEMBER_TOPIC_ID)) {
            statement.setString(1, topicId);
            statement.setInt(2, partition);
            statement.setLong(3, epoch);
            return statement.executeUpdate() == 1;
        } catch (SQLException e) {
            throw SqlFailures.wrap("Recording partition " + partition + "'s topic id", e);
        }
    }

    List<StoredEvent> readStream(String streamId, long fromVersion, int maxCount) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(READ_STREAM)) {
            statement.setString(1, streamId);
            statement.setLong(2, fromVersion);
            statement.setInt(3, maxCount);
            return events(statement);
        } catch (SQLException e) {
            throw SqlFailures.wrap("Read of stream " + streamId, e);
        }
    }

    Optional<StreamStatus> streamStatus(String streamId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(STREAM_STATUS)) {
            statement.setString(1, streamId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                long version = row.getLong(1);
                long deleted = row.getLong(2);
                Long deletedAt = row.wasNull() ? null : deleted;
                long erased = row.getLong(3);
                return Optional.of(new StreamStatus(streamId, version, deletedAt, row.wasNull() ? null : erased));
            }
        } catch (SQLException e) {
            throw SqlFailures.wrap("Read of stream " + streamId + "'s status", e);
        }
    }

    List<StoredEvent> readPartition(int partition, long fromSequence, int maxCount) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(READ_PARTITION)) {
            statement.setInt(1, partition);
            statement.setLong(2, fromSequence);
            statement.setInt(3, maxCount);
            return events(statement);
        } catch (SQLException e) {
            throw SqlFailures.wrap("Read of partition " + partition, e);
        }
    }

    private static List<StoredEvent> events(PreparedStatement statement) throws SQLException {
        List<StoredEvent> events = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                events.add(StoreRows.storedEvent(rows));
            }
        }
        return events;
    }

    List<RoutedResult> readResults(int partition, long fromOffset, int maxCount) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(READ_RESULTS)) {
            statement.setInt(1, partition);
            statement.setLong(2, fromOffset);
            statement.setInt(3, partition);
            statement.setLong(4, fromOffset);
            statement.setInt(5, maxCount);
            List<RoutedResult> results = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    CommandResult result = StoreRows.commandResult(rows, rows.getBoolean("duplicate"));
                    if (rows.getBoolean("content_differs")) {
                        result = result.asDuplicateOfDifferentContent();
                    }
                    results.add(new RoutedResult(rows.getLong("delivery_offset"), result, StoreRows.replyRoute(rows)));
                }
            }
            return results;
        } catch (SQLException e) {
            throw SqlFailures.wrap("Read of partition " + partition + "'s results", e);
        }
    }
}
