package io.allsource.ingest.views.topology;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.views.state.PartitionStatistics.NewStream;
import io.allsource.ingest.views.state.VersionSet;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes on each event the first time its (stream_id, version) is seen and drops every later copy, whatever the order
 * copies arrive in. Keeps the versions seen per stream in {@value ViewsTopology#VERSIONS_STORE}. Runs in the task of
 * the events topic's partition, where all of a stream's events arrive.
 */
final class Deduplicator implements Processor<String, EventRecord, String, FirstSeenEvent> {

    private static final Logger log = LoggerFactory.getLogger(Deduplicator.class);

    private final ViewsMetrics metrics;
    private ProcessorContext<String, FirstSeenEvent> context;
    private KeyValueStore<String, VersionSet> versions;
    private boolean partitionMismatchReported;

    Deduplicator(ViewsMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, FirstSeenEvent> processorContext) {
        this.context = processorContext;
        this.versions = processorContext.getStateStore(ViewsTopology.VERSIONS_STORE);
    }

    @Override
    public void process(Record<String, EventRecord> record) {
        EventRecord event = record.value();
        if (event == null) {
            metrics.skip("no-value");
            log.warn("Skipped a record without value on {}", where());
            return;
        }
        if (event.getVersion() < 1 || event.getPartitionSequence() < 1) {
            metrics.skip("invalid-event");
            log.warn("Skipped event {} of stream {} with version {} and partition sequence {} on {}: both start at 1",
                    event.getEventId(), event.getStreamId(), event.getVersion(), event.getPartitionSequence(),
                    where());
            return;
        }
        checkPartition(event);
        String streamId = event.getStreamId();
        VersionSet seen = versions.get(streamId);
        if (seen != null && seen.contains(event.getVersion())) {
            metrics.duplicate();
            log.debug("Dropped a copy of version {} of stream {}", event.getVersion(), streamId);
            return;
        }
        VersionSet before = seen == null ? VersionSet.EMPTY : seen;
        versions.put(streamId, before.plus(event.getVersion()));
        context.forward(record.withKey(streamId)
                .withValue(new FirstSeenEvent(event, seen == null ? NewStream.YES : NewStream.NO)));
    }

    /** The contract puts every event on the topic partition its {@code partition} field names; warns once if not. */
    private void checkPartition(EventRecord event) {
        if (partitionMismatchReported) {
            return;
        }
        context.recordMetadata().map(RecordMetadata::partition)
                .filter(partition -> partition != event.getPartition())
                .ifPresent(partition -> {
                    partitionMismatchReported = true;
                    log.warn("Event {} of stream {} says partition {} but arrived on partition {}; it is counted under"
                                    + " {} (reported once per task)", event.getEventId(), event.getStreamId(),
                            event.getPartition(), partition, event.getPartition());
                });
    }

    private String where() {
        return context.recordMetadata().map(meta -> meta.topic() + "-" + meta.partition() + "@" + meta.offset())
                .orElse("an unknown offset");
    }
}
