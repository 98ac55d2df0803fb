package io.allsource.ingest.store;

import io.allsource.ingest.batch.PlannedCommand;
import io.allsource.ingest.batch.PlannedEvent;
import io.allsource.ingest.batch.StreamWrite;
import io.allsource.ingest.command.ExpectedVersion;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The writes of one batch transaction, each a single round trip whatever the number of commands and partitions it
 * holds: rows go in as arrays through {@code unnest}, each row naming its partition, and every statement is driven by
 * the batch's own keys. {@link BatchLookups} does the reads. Works on the caller's connection and transaction.
 */
final class BatchSql {

    private static final String INSERT_STREAMS = """
            INSERT INTO event_streams (stream_id, partition_id, partition_key, current_version, expected_version,
                                       created_at, updated_at)
            SELECT t.stream_id, t.partition_id, t.partition_key, t.version, t.expected, ?, ?
            FROM unnest(?::varchar[], ?::int[], ?::varchar[], ?::bigint[], ?::bigint[])
                 AS t(stream_id, partition_id, partition_key, version, expected)""";

    /** Guarded by the prior version, so that a stale cache can never overwrite a stream: the count tells. */
    private static final String UPDATE_STREAMS = """
            UPDATE event_streams AS s SET current_version = t.version, expected_version = t.expected
            FROM unnest(?::varchar[], ?::int[], ?::bigint[], ?::bigint[], ?::bigint[])
                 AS t(stream_id, partition_id, prior, version, expected)
            WHERE s.stream_id = t.stream_id AND s.partition_id = t.partition_id AND s.current_version = t.prior""";

    private static final String INSERT_EVENTS = """
            INSERT INTO events (stream_id, version, tenant_id, event_type, entity_id, payload, metadata, timestamp,
                                partition_id, partition_sequence, event_id, command_id)
            SELECT t.stream_id, t.version, t.tenant_id, t.event_type, t.entity_id, t.payload::jsonb, t.metadata::jsonb,
                   ?, t.partition_id, t.sequence, t.event_id, t.command_id
            FROM unnest(?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::text[], ?::text[],
                        ?::int[], ?::bigint[], ?::uuid[], ?::varchar[])
                 AS t(stream_id, version, tenant_id, event_type, entity_id, payload, metadata, partition_id, sequence,
                      event_id, command_id)
            RETURNING event_id, payload::text AS payload""";

    private static final String INSERT_RESULTS = """
            INSERT INTO command_results (command_id, partition_id, command_offset, status, reason, message, streams,
                                         first_sequence, last_sequence, committed_at, reply_topic, reply_partition,
                                         correlation_id, reply_key, content_fingerprint)
            SELECT t.command_id, t.partition_id, t.command_offset, t.status, t.reason, t.message, t.streams::jsonb,
                   t.first_sequence, t.last_sequence, ?, t.reply_topic, t.reply_partition, t.correlation_id,
                   t.reply_key, t.content_fingerprint
            FROM unnest(?::varchar[], ?::int[], ?::bigint[], ?::varchar[], ?::varchar[], ?::text[], ?::text[],
                        ?::bigint[], ?::bigint[], ?::varchar[], ?::int[], ?::bytea[], ?::bytea[], ?::varchar[])
                 AS t(command_id, partition_id, command_offset, status, reason, message, streams, first_sequence,
                      last_sequence, reply_topic, reply_partition, correlation_id, reply_key, content_fingerprint)""";

    private static final String INSERT_REDELIVERIES = """
            INSERT INTO command_redeliveries (partition_id, command_offset, command_id, received_at, reply_topic,
                                              reply_partition, correlation_id, reply_key, content_fingerprint)
            SELECT t.partition_id, t.command_offset, t.command_id, ?, t.reply_topic, t.reply_partition,
                   t.correlation_id, t.reply_key, t.content_fingerprint
            FROM unnest(?::int[], ?::bigint[], ?::varchar[], ?::varchar[], ?::int[], ?::bytea[], ?::bytea[],
                        ?::varchar[])
                 AS t(partition_id, command_offset, command_id, reply_topic, reply_partition, correlation_id, reply_key,
                      content_fingerprint)""";

    private static final String ADVANCE_PARTITIONS = """
            UPDATE partition_state AS p SET next_offset = t.next_offset, last_sequence = t.last_sequence,
                                            published_offset = GREATEST(p.published_offset, t.published_offset),
                                            published_sequence = GREATEST(p.published_sequence, t.published_sequence),
                                            updated_at = now()
            FROM unnest(?::int[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])
                 AS t(partition_id, epoch, next_offset, last_sequence, published_offset, published_sequence)
            WHERE p.partition_id = t.partition_id AND p.owner_epoch = t.epoch""";

    private final Connection connection;

    BatchSql(Connection connection) {
        this.connection = connection;
    }

    /** A row of a table the transaction writes, and the partition it belongs to. */
    record Row<T>(int partition, T value) {
    }

    /** Creates the new streams and moves the others; false when an existing stream was not at its prior version. */
    boolean writeStreams(List<Row<StreamWrite>> writes, Instant batchTime) throws SQLException {
        List<Row<StreamWrite>> created = writes.stream().filter(write -> write.value().created()).toList();
        List<Row<StreamWrite>> moved = writes.stream().filter(write -> !write.value().created()).toList();
        if (!created.isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement(INSERT_STREAMS)) {
                Timestamp time = Timestamp.from(batchTime);
                statement.setTimestamp(1, time);
                statement.setTimestamp(2, time);
                statement.setArray(3, values(created, "varchar", StreamWrite::streamId));
                statement.setArray(4, partitions(created));
                statement.setArray(5, values(created, "varchar", StreamWrite::partitionKey));
                statement.setArray(6, values(created, "int8", StreamWrite::newVersion));
                statement.setArray(7, values(created, "int8", BatchSql::exactVersion));
                statement.executeUpdate();
            }
        }
        if (moved.isEmpty()) {
            return true;
        }
        try (PreparedStatement statement = connection.prepareStatement(UPDATE_STREAMS)) {
            statement.setArray(1, values(moved, "varchar", StreamWrite::streamId));
            statement.setArray(2, partitions(moved));
            statement.setArray(3, values(moved, "int8", StreamWrite::priorVersion));
            statement.setArray(4, values(moved, "int8", StreamWrite::newVersion));
            statement.setArray(5, values(moved, "int8", BatchSql::exactVersion));
            return statement.executeUpdate() == moved.size();
        }
    }

    private static Long exactVersion(StreamWrite write) {
        return write.lastExpected() instanceof ExpectedVersion.Exact exact ? exact.version() : null;
    }

    /** Inserts the events and returns their payloads as the database normalised them, by event id. */
    Map<UUID, String> insertEvents(List<Row<PlannedEvent>> events, Instant batchTime) throws SQLException {
        Map<UUID, String> payloads = new HashMap<>(events.size() * 2);
        if (events.isEmpty()) {
            return payloads;
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT_EVENTS)) {
            statement.setTimestamp(1, Timestamp.from(batchTime));
            statement.setArray(2, values(events, "varchar", PlannedEvent::streamId));
            statement.setArray(3, values(events, "int8", PlannedEvent::version));
            statement.setArray(4, values(events, "varchar", PlannedEvent::tenantId));
            statement.setArray(5, values(events, "varchar", PlannedEvent::eventType));
            statement.setArray(6, values(events, "varchar", PlannedEvent::entityId));
            statement.setArray(7, values(events, "text", PlannedEvent::payload));
            statement.setArray(8, values(events, "text", event -> JsonColumns.metadataToJson(event.metadata())));
            statement.setArray(9, partitions(events));
            statement.setArray(10, values(events, "int8", PlannedEvent::partitionSequence));
            statement.setArray(11, values(events, "uuid", PlannedEvent::eventId));
            statement.setArray(12, values(events, "varchar", PlannedEvent::commandId));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    payloads.put(rows.getObject(1, UUID.class), rows.getString(2));
                }
            }
        }
        return payloads;
    }

    void insertResults(List<Row<PlannedCommand.Decided>> decided, Instant batchTime) throws SQLException {
        if (decided.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT_RESULTS)) {
            statement.setTimestamp(1, Timestamp.from(batchTime));
            statement.setArray(2, values(decided, "varchar", PlannedCommand.Decided::resultKey));
            statement.setArray(3, partitions(decided));
            statement.setArray(4, values(decided, "int8", d -> d.entry().offset()));
            statement.setArray(5, values(decided, "varchar", d -> d.result().status().name()));
            statement.setArray(6, values(decided, "varchar",
                    d -> d.result().reason() == null ? null : d.result().reason().name()));
            statement.setArray(7, values(decided, "text", d -> StoreRows.storable(d.result().message())));
            statement.setArray(8, values(decided, "text", d -> JsonColumns.outcomesToJson(d.result().streams())));
            statement.setArray(9, values(decided, "int8", d -> d.result().firstSequence()));
            statement.setArray(10, values(decided, "int8", d -> d.result().lastSequence()));
            setRoutes(statement, 11, decided);
            statement.setArray(15, fingerprints(decided));
            statement.executeUpdate();
        }
    }

    void insertRedeliveries(List<Row<PlannedCommand.Redelivered>> redelivered, Instant batchTime)
            throws SQLException {
        if (redelivered.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT_REDELIVERIES)) {
            statement.setTimestamp(1, Timestamp.from(batchTime));
            statement.setArray(2, partitions(redelivered));
            statement.setArray(3, values(redelivered, "int8", r -> r.entry().offset()));
            statement.setArray(4, values(redelivered, "varchar", PlannedCommand.Redelivered::resultKey));
            setRoutes(statement, 5, redelivered);
            statement.setArray(9, fingerprints(redelivered));
            statement.executeUpdate();
        }
    }

    private Array fingerprints(List<? extends Row<? extends PlannedCommand>> commands) throws SQLException {
        return values(commands, "varchar", command -> command.fingerprint() == null ? null
                : command.fingerprint().hex());
    }

    private void setRoutes(PreparedStatement statement, int firstIndex, List<? extends Row<? extends PlannedCommand>>
            commands) throws SQLException {
        statement.setArray(firstIndex, values(commands, "varchar",
                command -> StoreRows.storable(command.entry().route().topic())));
        statement.setArray(firstIndex + 1, values(commands, "int4", command -> command.entry().route().partition()));
        statement.setArray(firstIndex + 2, bytes(commands, command -> command.entry().route().correlationId()));
        statement.setArray(firstIndex + 3, bytes(commands, command -> command.entry().route().key()));
    }

    /** A {@code bytea[]}: pgjdbc picks the array's encoder by its Java type, so it must be a {@code byte[][]}. */
    private <T> Array bytes(List<? extends Row<? extends T>> rows, Function<T, byte[]> column) throws SQLException {
        byte[][] values = new byte[rows.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i).value());
        }
        return connection.createArrayOf("bytea", values);
    }

    /**
     * Moves each partition's next offset and last sequence, under its epoch.
     *
     * @param advances the new state of every partition of the transaction
     */
    void advancePartitions(List<PartitionState> advances) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(ADVANCE_PARTITIONS)) {
            statement.setArray(1, array("int4", advances.stream().map(PartitionState::partition).toArray()));
            statement.setArray(2, array("int8", advances.stream().map(PartitionState::ownerEpoch).toArray()));
            statement.setArray(3, array("int8", advances.stream().map(PartitionState::nextOffset).toArray()));
            statement.setArray(4, array("int8", advances.stream().map(PartitionState::lastSequence).toArray()));
            statement.setArray(5, array("int8", advances.stream().map(PartitionState::publishedOffset).toArray()));
            statement.setArray(6, array("int8", advances.stream().map(PartitionState::publishedSequence).toArray()));
            if (statement.executeUpdate() != advances.size()) {
                throw new SQLException("partition_state of partitions " + advances.stream()
                        .map(PartitionState::partition).toList() + " changed owner under its lock");
            }
        }
    }

    /** Moves the watermarks of the streams whose events lie in the partitions' newly published ranges. */
    void advanceWatermarks(List<PublicationMarks.Range> published) throws SQLException {
        PublicationMarks.advanceWatermarks(connection, published);
    }

    private <T> Array values(List<? extends Row<? extends T>> rows, String type, Function<T, Object> column)
            throws SQLException {
        Object[] values = new Object[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i).value());
        }
        return array(type, values);
    }

    private Array partitions(List<? extends Row<?>> rows) throws SQLException {
        return array("int4", rows.stream().map(Row::partition).toArray());
    }

    private Array array(String type, Object[] values) throws SQLException {
        return connection.createArrayOf(type, values);
    }
}
