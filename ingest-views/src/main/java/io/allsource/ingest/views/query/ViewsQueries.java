package io.allsource.ingest.views.query;

import io.allsource.ingest.views.ViewsUnavailableException;
import io.allsource.ingest.views.state.PartitionStatistics;
import io.allsource.ingest.views.state.StreamSummary;
import io.allsource.ingest.views.state.TenantCountsView;
import io.allsource.ingest.views.topology.ViewsTopology;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The views of all instances, answered from this one: a key's query goes to the instance that owns the key now (Kafka
 * Streams' {@code queryMetadataForKey} and each instance's {@code application.server}), answered here when that is
 * this instance and over HTTP otherwise; {@link #partitions()} gathers from every instance. Thread-safe.
 */
public final class ViewsQueries implements ViewsReader {

    /** Partition statistics are keyed by partition number, and partition p's live in the task of events partition p. */
    private static final StreamPartitioner<Integer, Object> BY_PARTITION_NUMBER =
            (topic, partition, value, partitions) -> Optional.of(Set.of(partition));

    private final KafkaStreams streams;
    private final HostInfo self;
    private final int eventPartitions;
    private final LocalViews local;
    private final Function<HostInfo, ViewsReader> remote;
    private final Serializer<String> keys = new StringSerializer();

    /**
     * @param self            this instance's {@code application.server}
     * @param eventPartitions the partitions of the events topic
     * @param remote          a reader of another instance's own stores
     */
    ViewsQueries(KafkaStreams streams, HostInfo self, int eventPartitions, LocalViews local,
            Function<HostInfo, ViewsReader> remote) {
        this.streams = streams;
        this.self = self;
        this.eventPartitions = eventPartitions;
        this.local = local;
        this.remote = remote;
    }

    /** Queries that reach other instances over HTTP, asking each for its own stores only. */
    public static ViewsQueries over(KafkaStreams streams, HostInfo self, int eventPartitions) {
        Map<HostInfo, ViewsReader> clients = new ConcurrentHashMap<>();
        return new ViewsQueries(streams, self, eventPartitions, new LocalViews(streams),
                host -> clients.computeIfAbsent(host, h -> ViewsHttpClient.of(
                        URI.create("http://" + h.host() + ":" + h.port())).withScope(ViewsHttpClient.Scope.LOCAL)));
    }

    /** This instance's own stores only. */
    public LocalViews local() {
        return local;
    }

    @Override
    public Optional<StreamSummary> stream(String streamId) {
        return owner(ViewsTopology.STREAMS_STORE,
                () -> streams.queryMetadataForKey(ViewsTopology.STREAMS_STORE, streamId, keys)).stream(streamId);
    }

    @Override
    public List<PartitionStatistics> partitions() {
        requireRunning();
        Collection<StreamsMetadata> owners;
        try {
            owners = streams.streamsMetadataForStore(ViewsTopology.PARTITIONS_STORE);
        } catch (InvalidStateStoreException | IllegalStateException e) {
            throw new ViewsUnavailableException("The owners of the partition statistics cannot be found now: "
                    + e.getMessage(), e);
        }
        Map<Integer, PartitionStatistics> byPartition = new TreeMap<>();
        for (HostInfo host : owners.stream().map(StreamsMetadata::hostInfo).collect(Collectors.toSet())) {
            for (PartitionStatistics statistics : reader(host).partitions()) {
                byPartition.put(statistics.partition(), statistics);
            }
        }
        return new ArrayList<>(byPartition.values());
    }

    @Override
    public Optional<PartitionStatistics> partition(int partition) {
        if (partition < 0 || partition >= eventPartitions) {
            return Optional.empty();
        }
        return owner(ViewsTopology.PARTITIONS_STORE,
                () -> streams.queryMetadataForKey(ViewsTopology.PARTITIONS_STORE, partition, BY_PARTITION_NUMBER))
                .partition(partition);
    }

    @Override
    public TenantCountsView tenantCounts(String tenant, Instant from, Instant to) {
        TenantWindows.check(from, to);
        return owner(ViewsTopology.TENANT_COUNTS_STORE,
                () -> streams.queryMetadataForKey(ViewsTopology.TENANT_COUNTS_STORE, tenant, keys))
                .tenantCounts(tenant, from, to);
    }

    private ViewsReader owner(String store, Supplier<KeyQueryMetadata> lookup) {
        KeyQueryMetadata metadata;
        try {
            metadata = lookup.get();
        } catch (InvalidStateStoreException | IllegalStateException e) {
            throw new ViewsUnavailableException("The owner of the key in " + store + " cannot be found now: "
                    + e.getMessage(), e);
        }
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)
                || metadata.activeHost().equals(HostInfo.unavailable())) {
            throw new ViewsUnavailableException("No instance owns the key in " + store + " now (state "
                    + streams.state() + "); the views are starting or rebalancing");
        }
        return reader(metadata.activeHost());
    }

    private ViewsReader reader(HostInfo host) {
        return host.equals(self) ? local : remote.apply(host);
    }

    private void requireRunning() {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw new ViewsUnavailableException("The views are " + streams.state() + ", not RUNNING: an answer from"
                    + " every instance cannot be gathered now");
        }
    }
}
