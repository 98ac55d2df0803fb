package io.allsource.ingest.audit;

import java.util.List;

/**
 * One invariant, as checked: how many items it looked at, how many break it, and up to ten of those named.
 *
 * @param name       what the invariant says, in a few words
 * @param checked    how many items (streams, partitions, offsets, events, commands) were checked
 * @param violations how many of them break it
 * @param examples   at most {@value CheckTally#MAX_EXAMPLES} of the violations, described
 */
public record Check(String name, long checked, long violations, List<String> examples) {

    public Check {
        examples = List.copyOf(examples);
    }

    public boolean holds() {
        return violations == 0;
    }
}
