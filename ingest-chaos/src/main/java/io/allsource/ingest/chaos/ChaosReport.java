package io.allsource.ingest.chaos;

import io.allsource.ingest.audit.AuditReport;
import io.allsource.ingest.audit.AuditText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The figures of one soak and the audit that followed it.
 *
 * @param commandsSent          commands the broker acknowledged (resends included, hostile records not)
 * @param sendsFailed           sends that failed in the end (not judged by the audit)
 * @param hostileSent           hostile records the broker acknowledged, by kind; holds every kind of the soak's mix,
 *                              0 for one never drawn, and no other
 * @param figures               what the database holds once caught up
 * @param faults                faults injected, by kind
 * @param workersStarted        worker processes started in all
 * @param unexpectedWorkerExits workers that exited on their own and were replaced
 * @param stalledPartitions     partitions whose stored next offset had not reached the topic's end by the catch-up
 *                              deadline
 * @param lifecycle             the load's deletes and erases, and the checks of their invariants
 */
public record ChaosReport(long seed, Duration length, long commandsSent, long sendsFailed,
        Map<HostileKind, Long> hostileSent, Figures figures, Map<FaultKind, Integer> faults, int workersStarted,
        int unexpectedWorkerExits, List<StalledPartition> stalledPartitions, AuditReport audit,
        LifecycleReport lifecycle) {

    public ChaosReport {
        hostileSent = hostileSent.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(hostileSent));
        faults = Map.copyOf(faults);
        stalledPartitions = List.copyOf(stalledPartitions);
    }

    /**
     * Every partition caught up and every invariant held: no event lost, no command applied twice, deletes and erases
     * as their invariants say.
     */
    public boolean holds() {
        return stalledPartitions.isEmpty() && audit.holds() && lifecycle.holds();
    }

    /** Hostile records acknowledged, of every kind. */
    public long hostileTotal() {
        return hostileSent.values().stream().mapToLong(Long::longValue).sum();
    }

    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("Chaos soak: " + length.toSeconds() + " s of load, seed " + seed);
        lines.add("commands sent (acknowledged):   " + commandsSent + (sendsFailed > 0 ? " (" + sendsFailed
                + " sends failed, not judged)" : ""));
        lines.addAll(hostileLines());
        lines.add("results stored:                 " + figures.outcomes() + " (" + figures.redeliveries()
                + " of them redeliveries of a resent command id)");
        lines.add("results read from the topic:    " + audit.resultsRead());
        lines.add("accepted:                       " + figures.accepted());
        figures.rejectedByReason().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry ->
                lines.add(String.format("rejected %-22s %d", entry.getKey() + ":", entry.getValue())));
        lines.addAll(lifecycle.lines());
        lines.add("partitions stalled:             " + stalledPartitions.size() + (stalledPartitions.isEmpty() ? ""
                : " (" + stalledPartitions.stream().map(StalledPartition::toString).collect(Collectors.joining("; "))
                        + ")"));
        lines.add("events committed:               " + figures.events());
        lines.add("worker processes started:       " + workersStarted + " (" + unexpectedWorkerExits
                + " exited on their own and were replaced)");
        lines.add("partition claims (epochs):      " + figures.claims());
        lines.add("batches refused, fenced:        " + figures.fencedBatches()
                + " (a worker that lost its partition tried to commit; the database said no)");
        lines.addAll(faultLines());
        lines.add("");
        lines.addAll(AuditText.report(audit));
        lines.add("");
        if (!lifecycle.checks().isEmpty()) {
            lines.add("Deletes and erases, from the load's own record:");
            lines.addAll(AuditText.checks(lifecycle.checks()));
            lines.add("");
        }
        if (!stalledPartitions.isEmpty()) {
            lines.add("Stalled partitions: records in them were never applied.");
        }
        lines.add(holds() ? "All invariants hold." : "VIOLATIONS FOUND.");
        return lines;
    }

    private List<String> hostileLines() {
        List<String> lines = new ArrayList<>();
        lines.add("hostile records sent:           " + hostileTotal());
        hostileSent.forEach((kind, count) -> lines.add(String.format("  %s %-24s %3d  %s", kind.letter(),
                kind.label(), count, kind.description())));
        String off = Stream.of(HostileKind.values()).filter(kind -> !hostileSent.containsKey(kind))
                .map(kind -> kind.letter() + " " + kind.label()).collect(Collectors.joining(", "));
        if (!off.isEmpty()) {
            lines.add("  not in the mix: " + off);
        }
        return lines;
    }

    private List<String> faultLines() {
        List<String> lines = new ArrayList<>();
        lines.add("faults injected:");
        for (FaultKind kind : FaultKind.values()) {
            lines.add(String.format("  %-20s %3d  %s", kind.name().toLowerCase().replace('_', '-'),
                    faults.getOrDefault(kind, 0), kind.description()));
        }
        return lines;
    }
}
