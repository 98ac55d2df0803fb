package io.allsource.ingest.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts the items of one check as they are looked at, keeping the first {@value #MAX_EXAMPLES} violations as examples;
 * the audit's checks and the chaos soak's own build their {@link Check}s with it. Not thread-safe.
 */
public final class CheckTally {

    public static final int MAX_EXAMPLES = 10;

    private final String name;
    private final List<String> examples = new ArrayList<>();
    private long checked;
    private long violations;

    public CheckTally(String name) {
        this.name = name;
    }

    public void checked() {
        checked++;
    }

    public void checked(long count) {
        checked += count;
    }

    public void violation(String example) {
        violations++;
        if (examples.size() < MAX_EXAMPLES) {
            examples.add(example);
        }
    }

    public long violations() {
        return violations;
    }

    public Check toCheck() {
        return new Check(name, checked, violations, examples);
    }
}
