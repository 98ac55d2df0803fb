package io.allsource.ingest.store;

import io.allsource.ingest.batch.StreamErasure;
import io.allsource.ingest.batch.StreamState;
import io.allsource.ingest.batch.StreamWrite;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The current versions and tenants of a partition's streams, valid for one owner epoch: while it owns the partition,
 * the worker is the only writer of its streams, so what it wrote is what the database holds. A stream's tenant is
 * cached with its version, so that the tenant check holds alike whether a stream's state comes from here or from the
 * database. Least recently used streams are evicted beyond {@code capacity} and simply read again. Used by one thread
 * at a time (the partition's batch).
 */
final class StreamVersionCache {

    private final long epoch;
    private final int partition;
    private final LinkedHashMap<String, StreamState> states;

    StreamVersionCache(int partition, long epoch, int capacity) {
        this.partition = partition;
        this.epoch = epoch;
        this.states = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, StreamState> eldest) {
                return size() > capacity;
            }
        };
    }

    long epoch() {
        return epoch;
    }

    /** The cached states of those of {@code streamIds} that are cached. */
    Map<String, StreamState> find(Collection<String> streamIds) {
        Map<String, StreamState> found = new HashMap<>();
        for (String streamId : streamIds) {
            StreamState state = states.get(streamId);
            if (state != null) {
                found.put(streamId, state);
            }
        }
        return found;
    }

    /** Caches a stream of this partition as read from the database. */
    void put(String streamId, StreamState state) {
        if (state.partition() != partition) {
            throw new IllegalArgumentException("Stream " + streamId + " lives in partition " + state.partition()
                    + ", this cache holds partition " + partition);
        }
        states.put(streamId, state);
    }

    /** Records what a committed batch wrote. */
    void apply(Collection<StreamWrite> writes) {
        for (StreamWrite write : writes) {
            states.put(write.streamId(), new StreamState(partition, write.newVersion(), write.tenantId()));
        }
    }

    /**
     * Records what a committed batch's deletes did (after {@link #apply}): a deleted stream stays cached as deleted,
     * at the version it holds. Erasures change no version and need nothing.
     */
    void applyErasures(Collection<StreamErasure> erasures) {
        for (StreamErasure erasure : erasures) {
            StreamState state = states.get(erasure.streamId());
            if (erasure.delete()) {
                states.put(erasure.streamId(), new StreamState(partition, Math.max(erasure.throughVersion(),
                        state == null ? 0 : state.currentVersion()), erasure.tenantId(), erasure.throughVersion()));
            }
        }
    }

    int size() {
        return states.size();
    }
}
