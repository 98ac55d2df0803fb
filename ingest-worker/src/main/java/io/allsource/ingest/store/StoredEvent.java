package io.allsource.ingest.store;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A committed event, as read back from the store and as published on the events topic.
 *
 * @param payload  the payload's JSON text as the database normalises it (so that every publication is identical)
 * @param metadata sorted by key
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
        Instant recordedAt) {
}
