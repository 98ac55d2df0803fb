package io.allsource.ingest.views.topology;

import io.allsource.ingest.views.state.StreamEvent;
import io.allsource.ingest.views.state.StreamSummary;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the stream catalogue in {@value ViewsTopology#STREAMS_STORE}, keyed by stream id, from the deduplicated events
 * repartitioned by stream id, so that a stream's owner is found from its id alone (a stream may live in the partition
 * of another partition key). Each event arrives here exactly once.
 */
final class StreamCatalogueProcessor implements Processor<String, StreamEvent, Void, Void> {

    private KeyValueStore<String, StreamSummary> catalogue;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.catalogue = context.getStateStore(ViewsTopology.STREAMS_STORE);
    }

    @Override
    public void process(Record<String, StreamEvent> record) {
        StreamEvent event = record.value();
        StreamSummary before = catalogue.get(event.streamId());
        catalogue.put(event.streamId(), before == null ? StreamSummary.of(event) : before.plus(event));
    }
}
