package io.allsource.ingest.audit;

import java.util.List;

/**
 * What an audit found.
 *
 * @param checks                      every invariant checked, with counts
 * @param eventsLost                  events promised by an accepted outcome but not stored, plus stored events never
 *                                    published; must be 0
 * @param commandsAppliedTwice        commands whose events were written outside their one stored outcome, or whose
 *                                    published result shows other sequences than the stored one; must be 0
 * @param duplicateResultPublications result copies beyond one per recorded delivery (allowed: at least once)
 * @param duplicateEventPublications  event copies beyond the first (allowed: at least once)
 * @param resultsRead                 result records read from the results topic
 * @param eventsRead                  event records read from the events topic
 */
public record AuditReport(List<Check> checks, long eventsLost, long commandsAppliedTwice,
        long duplicateResultPublications, long duplicateEventPublications, long resultsRead, long eventsRead) {

    public AuditReport {
        checks = List.copyOf(checks);
    }

    /** True when every check holds, no event is lost and no command was applied twice. */
    public boolean holds() {
        return eventsLost == 0 && commandsAppliedTwice == 0 && checks.stream().allMatch(Check::holds);
    }

    /** The check of that name. */
    public Check check(String name) {
        return checks.stream().filter(check -> check.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No check named " + name));
    }
}
