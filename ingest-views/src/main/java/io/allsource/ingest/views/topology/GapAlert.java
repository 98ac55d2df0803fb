package io.allsource.ingest.views.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.views.state.Json;
import io.allsource.ingest.views.state.SequenceRange;
import java.time.Instant;

/**
 * The record published to the alerts topic when a partition sequence jumps: keyed by the partition number (as text),
 * valued with this record as JSON, for example
 * {@code {"alert":"PARTITION_SEQUENCE_GAP","partition":7,"missing_from":12,"missing_to":14,"missing_count":3,
 * "sequence":15,"stream_id":"order-42","version":3,"event_id":"...","recorded_at":"2026-01-01T00:00:00Z"}}.
 * Immutable.
 *
 * @param alert        the kind of alert, always {@value #KIND}
 * @param partition    the partition whose sequence jumped
 * @param missingFrom  the first sequence skipped
 * @param missingTo    the last sequence skipped
 * @param missingCount how many sequences were skipped
 * @param sequence     the sequence that arrived
 * @param streamId     the stream of the event that arrived
 * @param version      its version
 * @param eventId      its id
 * @param recordedAt   its commit time
 */
public record GapAlert(String alert, int partition, long missingFrom, long missingTo, long missingCount, long sequence,
        String streamId, long version, String eventId, Instant recordedAt) {

    public static final String KIND = "PARTITION_SEQUENCE_GAP";

    static GapAlert of(EventRecord event, SequenceRange gap) {
        return new GapAlert(KIND, event.getPartition(), gap.from(), gap.to(), gap.length(),
                event.getPartitionSequence(), event.getStreamId(), event.getVersion(), event.getEventId(),
                event.getRecordedAt());
    }

    /** Reads an alert from its JSON, as published. */
    public static GapAlert fromJson(String json) {
        try {
            return Json.mapper().readValue(json, GapAlert.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not a gap alert: " + e.getOriginalMessage(), e);
        }
    }

    String toJson() {
        try {
            return Json.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a gap alert as JSON", e);
        }
    }
}
