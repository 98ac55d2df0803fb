package io.allsource.ingest.batch;

import java.util.Map;
import java.util.UUID;

/** An event row the batch will insert, with its stream version and partition sequence assigned. */
public record PlannedEvent(
        UUID eventId,
        String streamId,
        long version,
        long partitionSequence,
        String tenantId,
        String eventType,
        String entityId,
        String payload,
        Map<String, String> metadata,
        String commandId) {
}
