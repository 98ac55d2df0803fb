package io.allsource.ingest.views.state;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code GET /tenants/{tenant}/counts?from=&to=} answers: the tenant's one-minute windows that overlap
 * [{@code from}, {@code to}), each with its counts by event type, and the totals over them. Windows without events
 * are left out. Immutable.
 */
public record TenantCountsView(String tenant, Instant from, Instant to, List<WindowCounts> windows,
        Map<String, Long> totals) {

    public TenantCountsView {
        windows = windows == null ? List.of() : List.copyOf(windows);
        totals = Collections.unmodifiableSortedMap(totals == null ? new TreeMap<>() : new TreeMap<>(totals));
    }

    /** The view of {@code windows}, with their totals added up. */
    public static TenantCountsView of(String tenant, Instant from, Instant to, List<WindowCounts> windows) {
        Map<String, Long> totals = new TreeMap<>();
        windows.forEach(window -> window.counts().forEach((type, count) -> totals.merge(type, count, Long::sum)));
        return new TenantCountsView(tenant, from, to, windows, totals);
    }

    /**
     * One window's counts.
     *
     * @param start  the window's start, included
     * @param end    the window's end, excluded
     * @param counts event type to count
     */
    public record WindowCounts(Instant start, Instant end, Map<String, Long> counts) {

        public WindowCounts {
            counts = Collections.unmodifiableSortedMap(counts == null ? new TreeMap<>() : new TreeMap<>(counts));
        }
    }
}
