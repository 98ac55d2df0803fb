package io.allsource.ingest.views.topology;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.views.state.PartitionStatistics;
import io.allsource.ingest.views.state.SequenceRange;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each partition's statistics in {@value ViewsTopology#PARTITIONS_STORE}, keyed by the partition number, from the
 * deduplicated events of the task, and forwards one {@link GapAlert} (as JSON, keyed by the partition number) each time
 * a partition sequence jumps. Runs in the task of the events topic's partition, so it sees the partition's events in
 * the order they were published.
 */
final class PartitionStatisticsProcessor implements Processor<String, FirstSeenEvent, String, String> {

    private static final Logger log = LoggerFactory.getLogger(PartitionStatisticsProcessor.class);

    private final ViewsMetrics metrics;
    private ProcessorContext<String, String> context;
    private KeyValueStore<Integer, PartitionStatistics> partitions;

    PartitionStatisticsProcessor(ViewsMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, String> processorContext) {
        this.context = processorContext;
        this.partitions = processorContext.getStateStore(ViewsTopology.PARTITIONS_STORE);
    }

    @Override
    public void process(Record<String, FirstSeenEvent> record) {
        EventRecord event = record.value().event();
        int partition = event.getPartition();
        PartitionStatistics before = partitions.get(partition);
        PartitionStatistics.Recorded recorded = (before == null ? PartitionStatistics.empty(partition) : before)
                .record(event.getVersion(), event.getPartitionSequence(), record.value().newStream());
        partitions.put(partition, recorded.statistics());
        switch (recorded.arrival()) {
            case LATE -> log.info("Partition {}: sequence {} (stream {} version {}) arrived late and fills part of a"
                            + " gap; {} sequences still missing", partition, event.getPartitionSequence(),
                    event.getStreamId(), event.getVersion(), recorded.statistics().missingCount());
            case REPEATED -> log.warn("Partition {}: sequence {} arrived again with stream {} version {}, another"
                            + " event than before", partition, event.getPartitionSequence(), event.getStreamId(),
                    event.getVersion());
            case IN_ORDER -> recorded.gap().ifPresent(gap -> alert(record, event, gap));
        }
    }

    private void alert(Record<String, FirstSeenEvent> record, EventRecord event, SequenceRange gap) {
        metrics.sequenceGap(event.getPartition());
        GapAlert alert = GapAlert.of(event, gap);
        log.warn("Partition {}: sequence jumped to {} (stream {} version {}); sequences {} to {} missing",
                event.getPartition(), event.getPartitionSequence(), event.getStreamId(), event.getVersion(),
                gap.from(), gap.to());
        context.forward(record.withKey(Integer.toString(event.getPartition())).withValue(alert.toJson()));
    }
}
