package io.allsource.ingest.views.query;

import io.allsource.ingest.views.topology.ViewsTopology;
import java.time.Instant;

/** Which tenant windows a time range asks for: those that overlap [from, to). */
final class TenantWindows {

    private TenantWindows() {
    }

    static void check(Instant from, Instant to) {
        if (from == null || to == null) {
            throw new IllegalArgumentException("from and to are both required");
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to, got from=" + from + " to=" + to);
        }
    }

    /** The earliest window start that overlaps {@code from}: a window starting up to one size before it. */
    static Instant firstStart(Instant from) {
        Instant first = from.minus(ViewsTopology.WINDOW_SIZE).plusMillis(1);
        return first.isBefore(Instant.EPOCH) ? Instant.EPOCH : first;
    }

    /** The latest window start before {@code to}. */
    static Instant lastStart(Instant to) {
        return to.minusMillis(1);
    }
}
