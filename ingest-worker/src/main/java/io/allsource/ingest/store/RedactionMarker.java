package io.allsource.ingest.store;

/**
 * What an erased event holds instead of its content, in the store and in its redacted copy on the events topic: the
 * payload {@value #PAYLOAD} (as PostgreSQL's JSONB prints it), the entity id {@value #ENTITY_ID}, empty metadata, and
 * the column {@code events.erased} (the record's {@code erased}) true. Its event id, stream id, version, partition,
 * partition sequence, tenant, event type, command id and recorded time stay.
 */
public final class RedactionMarker {

    /** The payload of an erased event, as the store prints it. */
    public static final String PAYLOAD = "{\"erased\": true}";

    /** The entity id of an erased event. */
    public static final String ENTITY_ID = "erased";

    private RedactionMarker() {
    }
}
