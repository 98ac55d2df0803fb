package io.allsource.ingest.audit;

import java.util.ArrayList;
import java.util.List;

/** Counts the items of one check as they are looked at, keeping the first few violations. Not thread-safe. */
final class CheckTally {

    static final int MAX_EXAMPLES = 10;

    private final String name;
    private final List<String> examples = new ArrayList<>();
    private long checked;
    private long violations;

    CheckTally(String name) {
        this.name = name;
    }

    void checked() {
        checked++;
    }

    void checked(long count) {
        checked += count;
    }

    void violation(String example) {
        violations++;
        if (examples.size() < MAX_EXAMPLES) {
            examples.add(example);
        }
    }

    long violations() {
        return violations;
    }

    Check toCheck() {
        return new Check(name, checked, violations, examples);
    }
}
