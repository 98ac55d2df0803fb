package io.allsource.ingest.views.state;

import io.allsource.ingest.avro.EventRecord;
import java.time.Instant;

/**
 * What the catalogue needs of an event, carried on the views' internal topic from the deduplication to the catalogue
 * as JSON (so that the internal topic needs no schema registry). Immutable.
 */
public record StreamEvent(String streamId, long version, int partition, String tenantId, String eventType,
        Instant recordedAt) {

    public static StreamEvent of(EventRecord event) {
        return new StreamEvent(event.getStreamId(), event.getVersion(), event.getPartition(), event.getTenantId(),
                event.getEventType(), event.getRecordedAt());
    }
}
