package io.allsource.ingest.command;

import java.util.Map;
import java.util.Objects;

/**
 * One event to append, as a producer sent it.
 *
 * @param eventId   the event's UUID, or {@code null} to derive it from the command id and the event's index
 * @param eventType 1 to 255 characters
 * @param entityId  1 to 255 characters
 * @param payload   a JSON value as text, stored as JSONB
 * @param metadata  string pairs, possibly empty
 */
public record NewEvent(String eventId, String eventType, String entityId, String payload, Map<String, String> metadata) {

    public NewEvent {
        metadata = metadata == null ? Map.of() : metadata;
    }

    /** An event with a derived id and no metadata. */
    public static NewEvent of(String eventType, String entityId, String payload) {
        return new NewEvent(null, eventType, entityId, Objects.requireNonNull(payload, "payload"), Map.of());
    }
}
