package io.allsource.ingest.store;

import io.allsource.ingest.batch.BatchEntry;
import io.allsource.ingest.batch.PlannedCommand;
import io.allsource.ingest.batch.PlannedEvent;
import io.allsource.ingest.batch.StoredResult;
import io.allsource.ingest.batch.StreamState;
import io.allsource.ingest.batch.StreamWrite;
import io.allsource.ingest.command.ExpectedVersion;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The statements of one batch transaction, each a single round trip whatever the batch size: rows go in as arrays
 * through {@code unnest}. Works on the caller's connection and transaction.
 */
final class BatchSql {

    /** The fence: locks the partition's row under the caller's epoch, or finds no row when fenced. */
    private static final String LOCK_PARTITION = """
            UPDATE partition_state SET updated_at = now()
            WHERE partition_id = ? AND owner_epoch = ?
            RETURNING partition_id, owner_epoch, owner_id, next_offset, last_sequence, published_offset,
                      published_sequence, date_trunc('milliseconds', now()) AS batch_time""";

    private static final String SELECT_RESULTS = """
            SELECT command_id, partition_id, command_offset, status, reason, message, streams::text AS streams,
                   first_sequence, last_sequence, committed_at, content_fingerprint
            FROM command_results WHERE command_id = ANY (?)""";

    private static final String SELECT_TAKEN_EVENT_IDS = "SELECT event_id FROM events WHERE event_id = ANY (?)";

    private static final String SELECT_STREAMS =
            "SELECT stream_id, partition_id, current_version FROM event_streams WHERE stream_id = ANY (?)";

    private static final String INSERT_STREAMS = """
            INSERT INTO event_streams (stream_id, partition_id, partition_key, current_version, expected_version,
                                       created_at, updated_at)
            SELECT t.stream_id, ?, t.partition_key, t.version, t.expected, ?, ?
            FROM unnest(?::varchar[], ?::varchar[], ?::bigint[], ?::bigint[])
                 AS t(stream_id, partition_key, version, expected)""";

    /** Guarded by the prior version, so that a stale cache can never overwrite a stream: the count tells. */
    private static final String UPDATE_STREAMS = """
            UPDATE event_streams AS s SET current_version = t.version, expected_version = t.expected
            FROM unnest(?::varchar[], ?::bigint[], ?::bigint[], ?::bigint[]) AS t(stream_id, prior, version, expected)
            WHERE s.stream_id = t.stream_id AND s.partition_id = ? AND s.current_version = t.prior""";

    private static final String INSERT_EVENTS = """
            INSERT INTO events (stream_id, version, tenant_id, event_type, entity_id, payload, metadata, timestamp,
                                partition_id, partition_sequence, event_id, command_id)
            SELECT t.stream_id, t.version, t.tenant_id, t.event_type, t.entity_id, t.payload::jsonb, t.metadata::jsonb,
                   ?, ?, t.sequence, t.event_id, t.command_id
            FROM unnest(?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::text[], ?::text[],
                        ?::bigint[], ?::uuid[], ?::varchar[])
                 AS t(stream_id, version, tenant_id, event_type, entity_id, payload, metadata, sequence, event_id,
                      command_id)
            RETURNING event_id, payload::text AS payload""";

    private static final String INSERT_RESULTS = """
            INSERT INTO command_results (command_id, partition_id, command_offset, status, reason, message, streams,
                                         first_sequence, last_sequence, committed_at, reply_topic, reply_partition,
                                         correlation_id, reply_key, content_fingerprint)
            SELECT t.command_id, ?, t.command_offset, t.status, t.reason, t.message, t.streams::jsonb,
                   t.first_sequence, t.last_sequence, ?, t.reply_topic, t.reply_partition, t.correlation_id, t.reply_key,
                   t.content_fingerprint
            FROM unnest(?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[], ?::text[], ?::text[], ?::bigint[],
                        ?::bigint[], ?::varchar[], ?::int[], ?::text[], ?::text[], ?::varchar[])
                 AS t(command_id, command_offset, status, reason, message, streams, first_sequence, last_sequence,
                      reply_topic, reply_partition, correlation_id, reply_key, content_fingerprint)""";

    private static final String INSERT_REDELIVERIES = """
            INSERT INTO command_redeliveries (partition_id, command_offset, command_id, received_at, reply_topic,
                                              reply_partition, correlation_id, reply_key, content_fingerprint)
            SELECT ?, t.command_offset, t.command_id, ?, t.reply_topic, t.reply_partition, t.correlation_id, t.reply_key,
                   t.content_fingerprint
            FROM unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::int[], ?::text[], ?::text[], ?::varchar[])
                 AS t(command_offset, command_id, reply_topic, reply_partition, correlation_id, reply_key,
                      content_fingerprint)""";

    private static final String ADVANCE_PARTITION = """
            UPDATE partition_state SET next_offset = ?, last_sequence = ?
            WHERE partition_id = ? AND owner_epoch = ?""";

    private final Connection connection;
    private final int partition;

    BatchSql(Connection connection, int partition) {
        this.connection = connection;
        this.partition = partition;
    }

    /** The partition's state and the batch's time, with the partition's row locked; empty when fenced. */
    Optional<LockedPartition> lockPartition(long epoch) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(LOCK_PARTITION)) {
            statement.setInt(1, partition);
            statement.setLong(2, epoch);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new LockedPartition(StoreRows.partitionState(row),
                        row.getTimestamp("batch_time").toInstant()));
            }
        }
    }

    /** The partition's state when locked for a batch, and the batch's database time (milliseconds). */
    record LockedPartition(PartitionState state, Instant batchTime) {
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

    /** Creates the new streams and moves the others; false when an existing stream was not at its prior version. */
    boolean writeStreams(List<StreamWrite> writes, Instant batchTime) throws SQLException {
        List<StreamWrite> created = writes.stream().filter(StreamWrite::created).toList();
        List<StreamWrite> moved = writes.stream().filter(write -> !write.created()).toList();
        if (!created.isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement(INSERT_STREAMS)) {
                Timestamp time = Timestamp.from(batchTime);
                statement.setInt(1, partition);
                statement.setTimestamp(2, time);
                statement.setTimestamp(3, time);
                statement.setArray(4, array("varchar", created.stream().map(StreamWrite::streamId).toArray()));
                statement.setArray(5, array("varchar", created.stream().map(StreamWrite::partitionKey).toArray()));
                statement.setArray(6, array("int8", created.stream().map(StreamWrite::newVersion).toArray()));
                statement.setArray(7, array("int8", created.stream().map(BatchSql::exactVersion).toArray()));
                statement.executeUpdate();
            }
        }
        if (moved.isEmpty()) {
            return true;
        }
        try (PreparedStatement statement = connection.prepareStatement(UPDATE_STREAMS)) {
            statement.setArray(1, array("varchar", moved.stream().map(StreamWrite::streamId).toArray()));
            statement.setArray(2, array("int8", moved.stream().map(StreamWrite::priorVersion).toArray()));
            statement.setArray(3, array("int8", moved.stream().map(StreamWrite::newVersion).toArray()));
            statement.setArray(4, array("int8", moved.stream().map(BatchSql::exactVersion).toArray()));
            statement.setInt(5, partition);
            return statement.executeUpdate() == moved.size();
        }
    }

    private static Long exactVersion(StreamWrite write) {
        return write.lastExpected() instanceof ExpectedVersion.Exact exact ? exact.version() : null;
    }

    /** Inserts the events and returns their payloads as the database normalised them, by event id. */
    Map<UUID, String> insertEvents(List<PlannedEvent> events, Instant batchTime) throws SQLException {
        Map<UUID, String> payloads = new HashMap<>(events.size() * 2);
        if (events.isEmpty()) {
            return payloads;
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT_EVENTS)) {
            statement.setTimestamp(1, Timestamp.from(batchTime));
            statement.setInt(2, partition);
            statement.setArray(3, array("varchar", events.stream().map(PlannedEvent::streamId).toArray()));
            statement.setArray(4, array("int8", events.stream().map(PlannedEvent::version).toArray()));
            statement.setArray(5, array("varchar", events.stream().map(PlannedEvent::tenantId).toArray()));
            statement.setArray(6, array("varchar", events.stream().map(PlannedEvent::eventType).toArray()));
            statement.setArray(7, array("varchar", events.stream().map(PlannedEvent::entityId).toArray()));
            statement.setArray(8, array("text", events.stream().map(PlannedEvent::payload).toArray()));
            statement.setArray(9, array("text",
                    events.stream().map(event -> JsonColumns.metadataToJson(event.metadata())).toArray()));
            statement.setArray(10, array("int8", events.stream().map(PlannedEvent::partitionSequence).toArray()));
            statement.setArray(11, array("uuid", events.stream().map(PlannedEvent::eventId).toArray()));
            statement.setArray(12, array("varchar", events.stream().map(PlannedEvent::commandId).toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    payloads.put(rows.getObject(1, UUID.class), rows.getString(2));
                }
            }
        }
        return payloads;
    }

    void insertResults(List<PlannedCommand.Decided> decided, Instant batchTime) throws SQLException {
        if (decided.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT_RESULTS)) {
            statement.setInt(1, partition);
            statement.setTimestamp(2, Timestamp.from(batchTime));
            statement.setArray(3, array("varchar", decided.stream().map(PlannedCommand.Decided::resultKey).toArray()));
            statement.setArray(4, array("int8", decided.stream().map(d -> d.entry().offset()).toArray()));
            statement.setArray(5, array("varchar", decided.stream().map(d -> d.result().status().name()).toArray()));
            statement.setArray(6, array("varchar", decided.stream()
                    .map(d -> d.result().reason() == null ? null : d.result().reason().name()).toArray()));
            statement.setArray(7, array("text",
                    decided.stream().map(d -> StoreRows.storable(d.result().message())).toArray()));
            statement.setArray(8, array("text",
                    decided.stream().map(d -> JsonColumns.outcomesToJson(d.result().streams())).toArray()));
            statement.setArray(9, array("int8", decided.stream().map(d -> d.result().firstSequence()).toArray()));
            statement.setArray(10, array("int8", decided.stream().map(d -> d.result().lastSequence()).toArray()));
            setRoutes(statement, 11, decided.stream().map(PlannedCommand::entry).toList());
            statement.setArray(15, fingerprints(decided));
            statement.executeUpdate();
        }
    }

    void insertRedeliveries(List<PlannedCommand.Redelivered> redelivered, Instant batchTime) throws SQLException {
        if (redelivered.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT_REDELIVERIES)) {
            statement.setInt(1, partition);
            statement.setTimestamp(2, Timestamp.from(batchTime));
            statement.setArray(3, array("int8", redelivered.stream().map(r -> r.entry().offset()).toArray()));
            statement.setArray(4, array("varchar",
                    redelivered.stream().map(PlannedCommand.Redelivered::resultKey).toArray()));
            setRoutes(statement, 5, redelivered.stream().map(PlannedCommand::entry).toList());
            statement.setArray(9, fingerprints(redelivered));
            statement.executeUpdate();
        }
    }

    private Array fingerprints(List<? extends PlannedCommand> commands) throws SQLException {
        return array("varchar", commands.stream()
                .map(command -> command.fingerprint() == null ? null : command.fingerprint().hex()).toArray());
    }

    private void setRoutes(PreparedStatement statement, int firstIndex, List<BatchEntry> entries) throws SQLException {
        statement.setArray(firstIndex, array("varchar",
                entries.stream().map(entry -> StoreRows.storable(entry.route().topic())).toArray()));
        statement.setArray(firstIndex + 1, array("int4",
                entries.stream().map(entry -> entry.route().partition()).toArray()));
        statement.setArray(firstIndex + 2, array("text",
                entries.stream().map(entry -> StoreRows.storable(entry.route().correlationId())).toArray()));
        statement.setArray(firstIndex + 3, array("text",
                entries.stream().map(entry -> StoreRows.storable(entry.route().key())).toArray()));
    }

    void advancePartition(long epoch, long nextOffset, long lastSequence) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(ADVANCE_PARTITION)) {
            statement.setLong(1, nextOffset);
            statement.setLong(2, lastSequence);
            statement.setInt(3, partition);
            statement.setLong(4, epoch);
            if (statement.executeUpdate() != 1) {
                throw new SQLException("partition_state of partition " + partition + " vanished under its lock");
            }
        }
    }

    private Array array(String type, Object[] values) throws SQLException {
        return connection.createArrayOf(type, values);
    }
}
