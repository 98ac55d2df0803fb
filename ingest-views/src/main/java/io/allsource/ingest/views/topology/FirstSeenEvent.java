package io.allsource.ingest.views.topology;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.views.state.PartitionStatistics.NewStream;

/**
 * An event seen for the first time by (stream_id, version), passed from the deduplication to the partition statistics
 * within one task (never serialized).
 *
 * @param event     the event
 * @param newStream whether it is the first event seen of its stream
 */
record FirstSeenEvent(EventRecord event, NewStream newStream) {
}
