package io.allsource.ingest.chaos;

import io.allsource.ingest.audit.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The soak's deletes and erases: how many the broker acknowledged, how many were accepted, the rejections by reason,
 * and the end-of-run checks of their invariants ({@link LifecycleChecks}).
 *
 * @param deletesSent       deletes the broker acknowledged
 * @param erasesSent        erases the broker acknowledged
 * @param deletesAccepted   of them, accepted
 * @param erasesAccepted    of them, accepted
 * @param rejected          rejections by operation and reason code, such as {@code DELETE STREAM_NOT_FOUND}
 * @param appendsAfterDelete fresh appends the load sent to a stream after it had sent a delete of it
 * @param checks            the invariants, as checked
 */
public record LifecycleReport(long deletesSent, long erasesSent, long deletesAccepted, long erasesAccepted,
        Map<String, Long> rejected, long appendsAfterDelete, List<Check> checks) {

    public LifecycleReport {
        rejected = Map.copyOf(rejected);
        checks = List.copyOf(checks);
    }

    /** For a soak that sent no delete or erase. */
    static final LifecycleReport NONE = new LifecycleReport(0, 0, 0, 0, Map.of(), 0, List.of());

    public boolean holds() {
        return checks.stream().allMatch(Check::holds);
    }

    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("deletes sent (acknowledged):    " + deletesSent + " (" + deletesAccepted + " accepted)");
        lines.add("erases sent (acknowledged):     " + erasesSent + " (" + erasesAccepted + " accepted)");
        new TreeMap<>(rejected).forEach((reason, count) ->
                lines.add(String.format("  rejected %-28s %d", reason + ":", count)));
        lines.add("appends sent after a delete:    " + appendsAfterDelete);
        return lines;
    }
}
