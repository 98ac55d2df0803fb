package io.allsource.ingest.views.topology;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.views.ViewsTopics;
import io.allsource.ingest.views.state.JsonSerde;
import io.allsource.ingest.views.state.PartitionStatistics;
import io.allsource.ingest.views.state.StreamEvent;
import io.allsource.ingest.views.state.StreamSummary;
import io.allsource.ingest.views.state.TenantCounts;
import io.allsource.ingest.views.state.VersionSet;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The views' topology over the events topic, built from the serde it is given so that tests can drive it without a
 * schema registry.
 *
 * <ol>
 *   <li>In the task of each events partition: drop copies by (stream_id, version) ({@value #VERSIONS_STORE}), then
 *       keep the partition's statistics ({@value #PARTITIONS_STORE}, keyed by partition number) and publish an alert
 *       to the alerts topic when its sequence jumps. Events of a partition arrive here in publication order, so a jump
 *       is a real gap, not a reordering.</li>
 *   <li>The first copy of each event, repartitioned by stream id: the stream catalogue ({@value #STREAMS_STORE}),
 *       findable by stream id alone.</li>
 *   <li>Its tenant and event type, repartitioned by tenant: counts per event type in one-minute tumbling windows of
 *       the commit time ({@value #TENANT_COUNTS_STORE}), kept for the window retention; an event committed longer
 *       than that before the newest one seen is no longer counted.</li>
 * </ol>
 * The stores are RocksDB (Kafka Streams' default) with changelogs; every count is exact under exactly-once processing.
 */
public final class ViewsTopology {

    public static final String VERSIONS_STORE = "stream-versions";
    public static final String PARTITIONS_STORE = "partition-statistics";
    public static final String STREAMS_STORE = "stream-catalogue";
    public static final String TENANT_COUNTS_STORE = "tenant-counts";
    /** The tenant windows' size: tumbling, one minute. */
    public static final Duration WINDOW_SIZE = Duration.ofMinutes(1);

    private ViewsTopology() {
    }

    /**
     * @param topics          the events topic to read and the alerts topic to write
     * @param eventSerde      reads the events topic's values
     * @param metrics         where gaps, duplicates and skipped records are counted
     * @param windowRetention how long tenant windows are kept (and how late an event may come and still count); at
     *                        least one window
     */
    public static Topology build(ViewsTopics topics, Serde<EventRecord> eventSerde, ViewsMetrics metrics,
            Duration windowRetention) {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(eventSerde, "eventSerde");
        Objects.requireNonNull(metrics, "metrics");
        if (windowRetention == null || windowRetention.compareTo(WINDOW_SIZE) < 0) {
            throw new IllegalArgumentException("windowRetention must be at least " + WINDOW_SIZE + ", got "
                    + windowRetention);
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VERSIONS_STORE),
                Serdes.String(), JsonSerde.of(VersionSet.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PARTITIONS_STORE),
                Serdes.Integer(), JsonSerde.of(PartitionStatistics.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STREAMS_STORE),
                Serdes.String(), JsonSerde.of(StreamSummary.class)));

        KStream<String, FirstSeenEvent> firstSeen = builder
                .stream(topics.events(), Consumed.with(Serdes.String(), eventSerde)
                        .withTimestampExtractor(new RecordedAtTimestamps()).withName("events"))
                .process(() -> new Deduplicator(metrics), Named.as("deduplicate"), VERSIONS_STORE);

        firstSeen.process(() -> new PartitionStatisticsProcessor(metrics), Named.as("partition-statistics"),
                        PARTITIONS_STORE)
                .to(topics.alerts(), Produced.with(Serdes.String(), Serdes.String()).withName("alerts"));

        firstSeen.mapValues(seen -> StreamEvent.of(seen.event()), Named.as("stream-event"))
                .repartition(Repartitioned.with(Serdes.String(), JsonSerde.of(StreamEvent.class))
                        .withName("stream-events"))
                .process(StreamCatalogueProcessor::new, Named.as("stream-catalogue"), STREAMS_STORE);

        firstSeen.map((streamId, seen) -> KeyValue.pair(seen.event().getTenantId(), seen.event().getEventType()),
                        Named.as("tenant-event"))
                .groupByKey(Grouped.with("tenant-events", Serdes.String(), Serdes.String()))
                .windowedBy(TimeWindows.ofSizeAndGrace(WINDOW_SIZE, windowRetention.minus(WINDOW_SIZE)))
                .aggregate(() -> TenantCounts.NONE, (tenant, eventType, counts) -> counts.plus(eventType),
                        Named.as("tenant-counts"),
                        Materialized.<String, TenantCounts, WindowStore<Bytes, byte[]>>as(TENANT_COUNTS_STORE)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(JsonSerde.of(TenantCounts.class))
                                .withRetention(windowRetention));
        return builder.build();
    }
}
