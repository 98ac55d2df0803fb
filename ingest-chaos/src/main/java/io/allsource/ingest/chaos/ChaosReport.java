package io.allsource.ingest.chaos;

import io.allsource.ingest.audit.AuditReport;
import io.allsource.ingest.audit.AuditText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The figures of one soak and the audit that followed it.
 *
 * @param commandsSent          commands the broker acknowledged (resends included)
 * @param sendsFailed           sends that failed in the end (not judged by the audit)
 * @param figures               what the database holds once caught up
 * @param faults                faults injected, by kind
 * @param workersStarted        worker processes started in all
 * @param unexpectedWorkerExits workers that exited on their own and were replaced
 */
public record ChaosReport(long seed, Duration length, long commandsSent, long sendsFailed, Figures figures,
        Map<FaultKind, Integer> faults, int workersStarted, int unexpectedWorkerExits, AuditReport audit) {

    public ChaosReport {
        faults = Map.copyOf(faults);
    }

    /** Every invariant held: no event lost, no command applied twice. */
    public boolean holds() {
        return audit.holds();
    }

    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("Chaos soak: " + length.toSeconds() + " s of load, seed " + seed);
        lines.add("commands sent (acknowledged):   " + commandsSent + (sendsFailed > 0 ? " (" + sendsFailed
                + " sends failed, not judged)" : ""));
        lines.add("results stored:                 " + figures.outcomes() + " (" + figures.redeliveries()
                + " of them redeliveries of a resent command id)");
        lines.add("results read from the topic:    " + audit.resultsRead());
        lines.add("accepted:                       " + figures.accepted());
        figures.rejectedByReason().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry ->
                lines.add(String.format("rejected %-22s %d", entry.getKey() + ":", entry.getValue())));
        lines.add("events committed:               " + figures.events());
        lines.add("worker processes started:       " + workersStarted + " (" + unexpectedWorkerExits
                + " exited on their own and were replaced)");
        lines.add("partition claims (epochs):      " + figures.claims());
        lines.add("batches refused, fenced:        " + figures.fencedBatches()
                + " (a worker that lost its partition tried to commit; the database said no)");
        lines.add("faults injected:");
        for (FaultKind kind : FaultKind.values()) {
            lines.add(String.format("  %-20s %3d  %s", kind.name().toLowerCase().replace('_', '-'),
                    faults.getOrDefault(kind, 0), kind.description()));
        }
        lines.add("");
        lines.addAll(AuditText.report(audit));
        lines.add("");
        lines.add(holds() ? "All invariants hold." : "VIOLATIONS FOUND.");
        return lines;
    }
}
