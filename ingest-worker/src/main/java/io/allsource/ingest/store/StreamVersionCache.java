package io.allsource.ingest.store;

import io.allsource.ingest.batch.StreamWrite;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The current versions of a partition's streams, valid for one owner epoch: while it owns the partition, the worker is
 * the only writer of its streams, so what it wrote is what the database holds. Least recently used streams are
 * evicted beyond {@code capacity} and simply read again. Used by one thread at a time (the partition's batch).
 */
final class StreamVersionCache {

    private final long epoch;
    private final LinkedHashMap<String, Long> versions;

    StreamVersionCache(long epoch, int capacity) {
        this.epoch = epoch;
        this.versions = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > capacity;
            }
        };
    }

    long epoch() {
        return epoch;
    }

    /** The cached versions of those of {@code streamIds} that are cached. */
    Map<String, Long> find(Collection<String> streamIds) {
        Map<String, Long> found = new HashMap<>();
        for (String streamId : streamIds) {
            Long version = versions.get(streamId);
            if (version != null) {
                found.put(streamId, version);
            }
        }
        return found;
    }

    void put(String streamId, long version) {
        versions.put(streamId, version);
    }

    /** Records what a committed batch wrote. */
    void apply(Collection<StreamWrite> writes) {
        for (StreamWrite write : writes) {
            versions.put(write.streamId(), write.newVersion());
        }
    }

    int size() {
        return versions.size();
    }
}
