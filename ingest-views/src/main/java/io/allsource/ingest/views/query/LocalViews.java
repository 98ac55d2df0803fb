package io.allsource.ingest.views.query;

import io.allsource.ingest.views.ViewsUnavailableException;
import io.allsource.ingest.views.state.PartitionStatistics;
import io.allsource.ingest.views.state.StreamSummary;
import io.allsource.ingest.views.state.TenantCounts;
import io.allsource.ingest.views.state.TenantCountsView;
import io.allsource.ingest.views.state.TenantCountsView.WindowCounts;
import io.allsource.ingest.views.topology.ViewsTopology;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The views as this instance's stores hold them: only the keys of the tasks it runs now. Thread-safe.
 */
public final class LocalViews implements ViewsReader {

    private final KafkaStreams streams;

    public LocalViews(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public Optional<StreamSummary> stream(String streamId) {
        return read(() -> Optional.ofNullable(
                store(ViewsTopology.STREAMS_STORE, QueryableStoreTypes.<String, StreamSummary>keyValueStore())
                        .get(streamId)));
    }

    @Override
    public List<PartitionStatistics> partitions() {
        return read(() -> {
            ReadOnlyKeyValueStore<Integer, PartitionStatistics> store =
                    store(ViewsTopology.PARTITIONS_STORE, QueryableStoreTypes.keyValueStore());
            List<PartitionStatistics> all = new ArrayList<>();
            try (KeyValueIterator<Integer, PartitionStatistics> rows = store.all()) {
                rows.forEachRemaining(row -> all.add(row.value));
            }
            all.sort(Comparator.comparingInt(PartitionStatistics::partition));
            return all;
        });
    }

    @Override
    public Optional<PartitionStatistics> partition(int partition) {
        return read(() -> Optional.ofNullable(
                store(ViewsTopology.PARTITIONS_STORE, QueryableStoreTypes.<Integer, PartitionStatistics>keyValueStore())
                        .get(partition)));
    }

    @Override
    public TenantCountsView tenantCounts(String tenant, Instant from, Instant to) {
        TenantWindows.check(from, to);
        return read(() -> {
            ReadOnlyWindowStore<String, TenantCounts> store =
                    store(ViewsTopology.TENANT_COUNTS_STORE, QueryableStoreTypes.windowStore());
            List<WindowCounts> windows = new ArrayList<>();
            try (WindowStoreIterator<TenantCounts> rows = store.fetch(tenant, TenantWindows.firstStart(from),
                    TenantWindows.lastStart(to))) {
                while (rows.hasNext()) {
                    KeyValue<Long, TenantCounts> row = rows.next();
                    Instant start = Instant.ofEpochMilli(row.key);
                    windows.add(new WindowCounts(start, start.plus(ViewsTopology.WINDOW_SIZE),
                            row.value.byEventType()));
                }
            }
            return TenantCountsView.of(tenant, from, to, windows);
        });
    }

    private <T> T store(String name, QueryableStoreType<T> type) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, type));
    }

    private static <T> T read(Supplier<T> query) {
        try {
            return query.get();
        } catch (InvalidStateStoreException e) {
            throw new ViewsUnavailableException("The views' stores cannot be read now (starting or rebalancing): "
                    + e.getMessage(), e);
        }
    }
}
