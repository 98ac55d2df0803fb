package io.allsource.ingest.views.topology;

import io.allsource.ingest.avro.EventRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Gives every event its commit time, {@code recorded_at}, as its timestamp, so that the tenant windows count events in
 * the minute they were committed, however late they were published. Falls back to the record's own timestamp for a
 * value that is not an event (such a record is skipped later anyway).
 */
final class RecordedAtTimestamps implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof EventRecord event && event.getRecordedAt() != null) {
            return event.getRecordedAt().toEpochMilli();
        }
        return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
    }
}
