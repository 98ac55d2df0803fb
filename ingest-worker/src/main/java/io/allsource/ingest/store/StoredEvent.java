package io.allsource.ingest.store;

import io.allsource.ingest.contract.TraceContext;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A committed event, as read back from the store and as published on the events topic.
 *
 * @param payload  the payload's JSON text as the database normalises it (so that every publication is identical)
 * @param metadata sorted by key
 * @param trace    the trace context of the command that wrote the event, published with it; {@code null} when that
 *                 command had none (or was stored before trace contexts were kept)
 * @param erased   true when the event was erased: payload, metadata and entity id hold the {@link RedactionMarker}
 */
public record StoredEvent(
        UUID eventId,
        String streamId,
        long version,
        int partition,
        long partitionSequence,
        String tenantId,
        String eventType,
        String entityId,
        String payload,
        Map<String, String> metadata,
        String commandId,
        Instant recordedAt,
        TraceContext trace,
        boolean erased) {

    /** An event that was not erased. */
    public StoredEvent(UUID eventId, String streamId, long version, int partition, long partitionSequence,
            String tenantId, String eventType, String entityId, String payload, Map<String, String> metadata,
            String commandId, Instant recordedAt, TraceContext trace) {
        this(eventId, streamId, version, partition, partitionSequence, tenantId, eventType, entityId, payload,
                metadata, commandId, recordedAt, trace, false);
    }

    /** An event without a trace context. */
    public StoredEvent(UUID eventId, String streamId, long version, int partition, long partitionSequence,
            String tenantId, String eventType, String entityId, String payload, Map<String, String> metadata,
            String commandId, Instant recordedAt) {
        this(eventId, streamId, version, partition, partitionSequence, tenantId, eventType, entityId, payload,
                metadata, commandId, recordedAt, null);
    }
}
