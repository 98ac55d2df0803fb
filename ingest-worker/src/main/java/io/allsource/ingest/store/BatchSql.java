package io.allsource.ingest.store;

import io.allsource.ingest.batch.PlannedCommand;
import io.allsource.ingest.batch.PlannedEvent;
import io.allsource.ingest.batch.StreamErasure;
import io.allsource.ingest.batch.StreamWrite;
import io.allsource.ingest.command.ExpectedVersion;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The writes of one batch transaction, each a single statement whatever the number of commands and partitions it
 * holds, all sent in one round trip by {@link #send()}: rows go in as arrays through {@code unnest}, each row naming its
 * partition, and every statement is driven by the batch's own keys. {@link BatchLookups} does the reads. Works on the
 * caller's connection and transaction; used once.
 */
final class BatchSql {

    private static final String INSERT_STREAMS = """
            INSERT INTO event_streams (stream_id, partition_id, partition_key, tenant_id, current_version,
                                       expected_version, created_at, updated_at)
            SELECT t.stream_id, t.partition_id, t.partition_key, t.tenant_id, t.version, t.expected, ?, ?
            FROM unnest(?::varchar[], ?::int[], ?::varchar[], ?::varchar[], ?::bigint[], ?::bigint[])
                 AS t(stream_id, partition_id, partition_key, tenant_id, version, expected)""";

    /**
     * Guarded by the prior version and the tenant, so that a stale cache can never overwrite a stream nor write to
     * another tenant's: the count tells. A row without a tenant gets the one the planner gave the stream.
     */
    private static final String UPDATE_STREAMS = """
            UPDATE event_streams AS s SET current_version = t.version, expected_version = t.expected,
                                          tenant_id = t.tenant_id
            FROM unnest(?::varchar[], ?::int[], ?::varchar[], ?::bigint[], ?::bigint[], ?::bigint[])
                 AS t(stream_id, partition_id, tenant_id, prior, version, expected)
            WHERE s.stream_id = t.stream_id AND s.partition_id = t.partition_id AND s.current_version = t.prior
              AND (s.tenant_id IS NULL OR s.tenant_id = t.tenant_id)""";

    private static final String INSERT_EVENTS = """
            INSERT INTO events (stream_id, version, tenant_id, event_type, entity_id, payload, metadata, timestamp,
                                partition_id, partition_sequence, event_id, command_id)
            SELECT t.stream_id, t.version, t.tenant_id, t.event_type, t.entity_id, t.payload::jsonb, t.metadata::jsonb,
                   ?, t.partition_id, t.sequence, t.event_id::uuid, t.command_id
            FROM unnest(?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::text[], ?::text[],
                        ?::int[], ?::bigint[], ?::varchar[], ?::varchar[])
                 AS t(stream_id, version, tenant_id, event_type, entity_id, payload, metadata, partition_id, sequence,
                      event_id, command_id)
            RETURNING event_id, payload::text AS payload""";

    /** With each result, the trace context of the delivery that decided it, which its events are published with. */
    private static final String INSERT_RESULTS = """
            INSERT INTO command_results (command_id, partition_id, command_offset, status, reason, operation, message,
                                         streams,
                                         first_sequence, last_sequence, committed_at, reply_topic, reply_partition,
                                         correlation_id, reply_key, content_fingerprint, traceparent, tracestate)
            SELECT t.command_id, t.partition_id, t.command_offset, t.status, t.reason, t.operation, t.message,
                   t.streams::jsonb,
                   t.first_sequence, t.last_sequence, ?, t.reply_topic, t.reply_partition, t.correlation_id,
                   t.reply_key, t.content_fingerprint, t.traceparent, t.tracestate
            FROM unnest(?::varchar[], ?::int[], ?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::text[],
                        ?::text[], ?::bigint[], ?::bigint[], ?::varchar[], ?::int[], ?::bytea[], ?::bytea[],
                        ?::varchar[], ?::varchar[], ?::varchar[])
                 AS t(command_id, partition_id, command_offset, status, reason, operation, message, streams, first_sequence,
                      last_sequence, reply_topic, reply_partition, correlation_id, reply_key, content_fingerprint,
                      traceparent, tracestate)""";

    /** With each redelivery, its own trace context, which its (duplicate) result is published with. */
    private static final String INSERT_REDELIVERIES = """
            INSERT INTO command_redeliveries (partition_id, command_offset, command_id, received_at, reply_topic,
                                              reply_partition, correlation_id, reply_key, content_fingerprint,
                                              traceparent, tracestate)
            SELECT t.partition_id, t.command_offset, t.command_id, ?, t.reply_topic, t.reply_partition,
                   t.correlation_id, t.reply_key, t.content_fingerprint, t.traceparent, t.tracestate
            FROM unnest(?::int[], ?::bigint[], ?::varchar[], ?::varchar[], ?::int[], ?::bytea[], ?::bytea[],
                        ?::varchar[], ?::varchar[], ?::varchar[])
                 AS t(partition_id, command_offset, command_id, reply_topic, reply_partition, correlation_id, reply_key,
                      content_fingerprint, traceparent, tracestate)""";

    private static final String ADVANCE_PARTITIONS = """
            UPDATE partition_state AS p SET next_offset = t.next_offset, last_sequence = t.last_sequence,
                                            published_offset = GREATEST(p.published_offset, t.published_offset),
                                            published_sequence = GREATEST(p.published_sequence, t.published_sequence),
                                            updated_at = now()
            FROM unnest(?::int[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])
                 AS t(partition_id, epoch, next_offset, last_sequence, published_offset, published_sequence)
            WHERE p.partition_id = t.partition_id AND p.owner_epoch = t.epoch""";

    /**
     * Redacts one chunk of a stream's events, by version range on the (stream_id, version) index; rows redacted before
     * are skipped. Ids, versions, sequences, tenant, type, command id and time stay.
     */
    private static final String ERASE_EVENTS = """
            UPDATE events SET payload = '%s'::jsonb, metadata = '{}'::jsonb, entity_id = '%s', erased = true
            WHERE stream_id = ? AND version BETWEEN ? AND ? AND NOT erased""".formatted(
            RedactionMarker.PAYLOAD, RedactionMarker.ENTITY_ID);

    /** Records the erasure (and a deletion) on the stream's row, guarded by its partition and version. */
    private static final String MARK_STREAMS_ERASED = """
            UPDATE event_streams AS s
            SET erased_through_version = GREATEST(COALESCE(s.erased_through_version, 0), t.through),
                deleted_at_version = CASE WHEN t.is_delete THEN t.through ELSE s.deleted_at_version END
            FROM unnest(?::varchar[], ?::int[], ?::bigint[], ?::boolean[]) AS t(stream_id, partition_id, through, is_delete)
            WHERE s.stream_id = t.stream_id AND s.partition_id = t.partition_id AND s.current_version >= t.through
              AND s.deleted_at_version IS NULL""";

    /** The versions one statement of an erase redacts: {@code BatchPlanner.ERASE_LIMIT} over this many statements. */
    static final int ERASE_CHUNK = 10_000;

    private final Connection connection;
    private final StatementPipeline pipeline;

    BatchSql(Connection connection) {
        this.connection = connection;
        this.pipeline = new StatementPipeline(connection);
    }

    /** A row of a table the transaction writes, and the partition it belongs to. */
    record Row<T>(int partition, T value) {
    }

    /**
     * Creates the new streams and moves the others; when sent, fails with {@link EventStore.StaleStreamCacheException}
     * if an existing stream was not at its prior version.
     */
    void writeStreams(List<Row<StreamWrite>> writes, Instant batchTime) throws SQLException {
        List<Row<StreamWrite>> created = writes.stream().filter(write -> write.value().created()).toList();
        List<Row<StreamWrite>> moved = writes.stream().filter(write -> !write.value().created()).toList();
        if (!created.isEmpty()) {
            Timestamp time = Timestamp.from(batchTime);
            pipeline.update(INSERT_STREAMS, time, time, varchars(created, StreamWrite::streamId),
                    partitions(created), varchars(created, StreamWrite::partitionKey),
                    varchars(created, StreamWrite::tenantId), bigints(created, StreamWrite::newVersion),
                    bigints(created, BatchSql::exactVersion));
        }
        if (!moved.isEmpty()) {
            pipeline.update(UPDATE_STREAMS, count -> {
                if (count != moved.size()) {
                    throw new EventStore.StaleStreamCacheException(
                            "a stream was not at the version or of the tenant cached for it");
                }
            }, varchars(moved, StreamWrite::streamId), partitions(moved),
                    varchars(moved, StreamWrite::tenantId),
                    bigints(moved, StreamWrite::priorVersion), bigints(moved, StreamWrite::newVersion),
                    bigints(moved, BatchSql::exactVersion));
        }
    }

    private static Long exactVersion(StreamWrite write) {
        return write.lastExpected() instanceof ExpectedVersion.Exact exact ? exact.version() : null;
    }

    /**
     * Inserts the events; the map returned holds their payloads as the database normalised them, by event id, once
     * sent.
     */
    Map<UUID, String> insertEvents(List<Row<PlannedEvent>> events, Instant batchTime) throws SQLException {
        Map<UUID, String> payloads = new HashMap<>(events.size() * 2);
        if (events.isEmpty()) {
            return payloads;
        }
        pipeline.query(INSERT_EVENTS, rows -> {
            while (rows.next()) {
                payloads.put(rows.getObject(1, UUID.class), rows.getString(2));
            }
        }, Timestamp.from(batchTime), varchars(events, PlannedEvent::streamId),
                bigints(events, PlannedEvent::version), varchars(events, PlannedEvent::tenantId),
                varchars(events, PlannedEvent::eventType), varchars(events, PlannedEvent::entityId),
                texts(events, PlannedEvent::payload),
                texts(events, event -> JsonColumns.metadataToJson(event.metadata())), partitions(events),
                bigints(events, PlannedEvent::partitionSequence), uuids(events, PlannedEvent::eventId),
                varchars(events, PlannedEvent::commandId));
        return payloads;
    }

    /**
     * Redacts the events of the deleted and erased streams, in chunks of {@link #ERASE_CHUNK} versions, and marks
     * their rows; when sent, fails with {@link EventStore.StaleStreamCacheException} if a stream was not as planned.
     */
    void eraseStreams(List<Row<StreamErasure>> erasures) throws SQLException {
        if (erasures.isEmpty()) {
            return;
        }
        for (Row<StreamErasure> row : erasures) {
            StreamErasure erasure = row.value();
            for (long from = 1; from <= erasure.throughVersion(); from += ERASE_CHUNK) {
                pipeline.update(ERASE_EVENTS, erasure.streamId(), from,
                        Math.min(erasure.throughVersion(), from + ERASE_CHUNK - 1));
            }
        }
        List<Row<StreamErasure>> marked = new ArrayList<>(new LinkedHashMap<>(erasures.stream().collect(
                Collectors.toMap(row -> row.value().streamId(), row -> row, BatchSql::laterErasure,
                        LinkedHashMap::new))).values());
        pipeline.update(MARK_STREAMS_ERASED, count -> {
            if (count != marked.size()) {
                throw new EventStore.StaleStreamCacheException("a stream to erase was not at the version cached for"
                        + " it, or was deleted");
            }
        }, varchars(marked, StreamErasure::streamId), partitions(marked),
                bigints(marked, StreamErasure::throughVersion),
                booleans(marked, StreamErasure::delete));
    }

    /**
     * Of two erasures of one stream in a batch, the one its row must record: the later, which erased through the
     * higher version (a stream's version only grows, and nothing follows its delete); the first of them would leave
     * {@code erased_through_version} below events the later one redacted.
     */
    private static Row<StreamErasure> laterErasure(Row<StreamErasure> earlier, Row<StreamErasure> later) {
        return later.value().delete() || later.value().throughVersion() >= earlier.value().throughVersion()
                ? later : earlier;
    }

    void insertResults(List<Row<PlannedCommand.Decided>> decided, Instant batchTime) throws SQLException {
        if (decided.isEmpty()) {
            return;
        }
        pipeline.update(INSERT_RESULTS, Timestamp.from(batchTime),
                varchars(decided, PlannedCommand.Decided::resultKey), partitions(decided),
                bigints(decided, d -> d.entry().offset()),
                varchars(decided, d -> d.result().status().name()),
                varchars(decided, d -> d.result().reason() == null ? null : d.result().reason().name()),
                varchars(decided, d -> d.result().operation() == null ? null
                        : d.result().operation().name()),
                texts(decided, d -> StoreRows.storable(d.result().message())),
                texts(decided, d -> JsonColumns.outcomesToJson(d.result().streams())),
                bigints(decided, d -> d.result().firstSequence()),
                bigints(decided, d -> d.result().lastSequence()),
                routeTopics(decided), routePartitions(decided), correlationIds(decided), replyKeys(decided),
                fingerprints(decided), traceparents(decided), tracestates(decided));
    }

    void insertRedeliveries(List<Row<PlannedCommand.Redelivered>> redelivered, Instant batchTime)
            throws SQLException {
        if (redelivered.isEmpty()) {
            return;
        }
        pipeline.update(INSERT_REDELIVERIES, Timestamp.from(batchTime), partitions(redelivered),
                bigints(redelivered, r -> r.entry().offset()),
                varchars(redelivered, PlannedCommand.Redelivered::resultKey),
                routeTopics(redelivered), routePartitions(redelivered), correlationIds(redelivered),
                replyKeys(redelivered), fingerprints(redelivered), traceparents(redelivered),
                tracestates(redelivered));
    }

    private Array fingerprints(List<? extends Row<? extends PlannedCommand>> commands) throws SQLException {
        return varchars(commands, command -> command.fingerprint() == null ? null
                : command.fingerprint().hex());
    }

    private Array traceparents(List<? extends Row<? extends PlannedCommand>> commands) throws SQLException {
        return varchars(commands, command -> command.entry().route().trace() == null ? null
                : command.entry().route().trace().traceparent());
    }

    private Array tracestates(List<? extends Row<? extends PlannedCommand>> commands) throws SQLException {
        return varchars(commands, command -> command.entry().route().trace() == null ? null
                : command.entry().route().trace().tracestate());
    }

    private Array routeTopics(List<? extends Row<? extends PlannedCommand>> commands) throws SQLException {
        return varchars(commands, command -> StoreRows.storable(command.entry().route().topic()));
    }

    private Array routePartitions(List<? extends Row<? extends PlannedCommand>> commands) throws SQLException {
        return integers(commands, command -> command.entry().route().partition());
    }

    private Array correlationIds(List<? extends Row<? extends PlannedCommand>> commands) throws SQLException {
        return bytes(commands, command -> command.entry().route().correlationId());
    }

    private Array replyKeys(List<? extends Row<? extends PlannedCommand>> commands) throws SQLException {
        return bytes(commands, command -> command.entry().route().key());
    }

    private <T> Array bytes(List<? extends Row<? extends T>> rows, Function<T, byte[]> column) throws SQLException {
        return SqlArrays.byteas(connection, rows, row -> column.apply(row.value()));
    }

    /**
     * Moves each partition's next offset and last sequence, under its epoch.
     *
     * @param advances the new state of every partition of the transaction
     */
    void advancePartitions(List<PartitionState> advances) throws SQLException {
        pipeline.update(ADVANCE_PARTITIONS, count -> {
            if (count != advances.size()) {
                throw new SQLException("partition_state of partitions " + advances.stream()
                        .map(PartitionState::partition).toList() + " changed owner under its lock");
            }
        }, SqlArrays.integers(connection, advances, PartitionState::partition),
                SqlArrays.bigints(connection, advances, PartitionState::ownerEpoch),
                SqlArrays.bigints(connection, advances, PartitionState::nextOffset),
                SqlArrays.bigints(connection, advances, PartitionState::lastSequence),
                SqlArrays.bigints(connection, advances, PartitionState::publishedOffset),
                SqlArrays.bigints(connection, advances, PartitionState::publishedSequence));
    }

    /** Moves the watermarks of the streams whose events lie in the partitions' newly published ranges. */
    void advanceWatermarks(List<PublicationMarks.Range> published) throws SQLException {
        PublicationMarks.advanceWatermarks(pipeline, published);
    }

    /**
     * Sends every write added, in one round trip.
     *
     * @throws SQLException a write's failure, or a failed guard: roll back
     */
    void send() throws SQLException {
        pipeline.run();
    }

    private <T> Array varchars(List<? extends Row<? extends T>> rows, Function<T, String> column)
            throws SQLException {
        return SqlArrays.varchars(connection, rows, row -> column.apply(row.value()));
    }

    private <T> Array texts(List<? extends Row<? extends T>> rows, Function<T, String> column) throws SQLException {
        return SqlArrays.texts(connection, rows, row -> column.apply(row.value()));
    }

    private <T> Array bigints(List<? extends Row<? extends T>> rows, Function<T, Long> column) throws SQLException {
        return SqlArrays.bigints(connection, rows, row -> column.apply(row.value()));
    }

    private <T> Array integers(List<? extends Row<? extends T>> rows, Function<T, Integer> column)
            throws SQLException {
        return SqlArrays.integers(connection, rows, row -> column.apply(row.value()));
    }

    private <T> Array booleans(List<? extends Row<? extends T>> rows, Function<T, Boolean> column)
            throws SQLException {
        return SqlArrays.booleans(connection, rows, row -> column.apply(row.value()));
    }

    private <T> Array uuids(List<? extends Row<? extends T>> rows, Function<T, UUID> column) throws SQLException {
        return SqlArrays.uuids(connection, rows, row -> column.apply(row.value()));
    }

    private Array partitions(List<? extends Row<?>> rows) throws SQLException {
        return SqlArrays.integers(connection, rows, Row::partition);
    }
}
