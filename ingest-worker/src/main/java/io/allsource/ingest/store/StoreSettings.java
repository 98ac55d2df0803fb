package io.allsource.ingest.store;

import io.allsource.ingest.command.CommandLimits;
import java.util.Objects;

/**
 * Settings of the event store.
 *
 * @param streamCacheCapacity stream versions kept in memory per partition; beyond it the least recently used are
 *                            evicted and read again when needed
 * @param limits              the size limits commands must respect
 */
public record StoreSettings(int streamCacheCapacity, CommandLimits limits) {

    public static final StoreSettings DEFAULT = new StoreSettings(50_000, CommandLimits.DEFAULT);

    public StoreSettings {
        if (streamCacheCapacity <= 0) {
            throw new IllegalArgumentException("streamCacheCapacity must be positive, got " + streamCacheCapacity);
        }
        Objects.requireNonNull(limits, "limits");
    }
}
