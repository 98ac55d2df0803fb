package io.allsource.ingest.views.state;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The events of one tenant in one time window, counted by event type. Immutable.
 *
 * @param byEventType event type to count, sorted by type
 */
public record TenantCounts(Map<String, Long> byEventType) {

    public static final TenantCounts NONE = new TenantCounts(Map.of());

    public TenantCounts {
        byEventType = Collections.unmodifiableSortedMap(
                byEventType == null ? new TreeMap<>() : new TreeMap<>(byEventType));
    }

    /** These counts with one more event of {@code eventType}. */
    public TenantCounts plus(String eventType) {
        Map<String, Long> counts = new TreeMap<>(byEventType);
        counts.merge(eventType, 1L, Long::sum);
        return new TenantCounts(counts);
    }
}
