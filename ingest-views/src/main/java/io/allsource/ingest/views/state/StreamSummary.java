package io.allsource.ingest.views.state;

import java.time.Instant;
import java.util.Objects;

/**
 * One stream in the catalogue: what {@code GET /streams/{id}} answers. Built from each event of the stream exactly
 * once, in whatever order copies arrived. Immutable.
 *
 * @param streamId        the stream
 * @param partition       the partition it lives in
 * @param tenantId        the tenant of its latest event
 * @param latestVersion   its highest version seen, which equals its current version once the views have caught up
 * @param eventCount      its distinct events seen
 * @param lastEventType   the event type of its latest version
 * @param firstRecordedAt the earliest commit time of its events
 * @param lastRecordedAt  the latest commit time of its events
 */
public record StreamSummary(String streamId, int partition, String tenantId, long latestVersion, long eventCount,
        String lastEventType, Instant firstRecordedAt, Instant lastRecordedAt) {

    public StreamSummary {
        Objects.requireNonNull(streamId, "streamId");
    }

    /** The summary of a stream of which {@code event} is the first event seen. */
    public static StreamSummary of(StreamEvent event) {
        return new StreamSummary(event.streamId(), event.partition(), event.tenantId(), event.version(), 1,
                event.eventType(), event.recordedAt(), event.recordedAt());
    }

    /** This summary with {@code event}, a version of the stream not counted yet, added. */
    public StreamSummary plus(StreamEvent event) {
        boolean latest = event.version() > latestVersion;
        return new StreamSummary(streamId, partition, latest ? event.tenantId() : tenantId,
                Math.max(latestVersion, event.version()), eventCount + 1,
                latest ? event.eventType() : lastEventType,
                earlier(firstRecordedAt, event.recordedAt()), later(lastRecordedAt, event.recordedAt()));
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null || (b != null && b.isBefore(a)) ? b : a;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || (b != null && b.isAfter(a)) ? b : a;
    }
}
