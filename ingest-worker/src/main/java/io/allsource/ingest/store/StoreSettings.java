package io.allsource.ingest.store;

/**
 * Settings of the event store.
 *
 * @param streamCacheCapacity stream versions kept in memory per partition; beyond it the least recently used are
 *                            evicted and read again when needed
 */
public record StoreSettings(int streamCacheCapacity) {

    public static final StoreSettings DEFAULT = new StoreSettings(50_000);

    public StoreSettings {
        if (streamCacheCapacity <= 0) {
            throw new IllegalArgumentException("streamCacheCapacity must be positive, got " + streamCacheCapacity);
        }
    }
}
