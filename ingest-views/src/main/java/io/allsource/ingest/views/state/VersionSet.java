package io.allsource.ingest.views.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The versions of one stream seen so far, kept small: every version from 1 to {@code contiguous}, plus the versions
 * above it that arrived before the ones under them ({@code above}, ascending; empty while copies arrive in order).
 * Immutable.
 *
 * @param contiguous the highest version v such that 1..v have all been seen; 0 when version 1 has not
 * @param above      versions seen above {@code contiguous + 1}, ascending, no repeats
 */
public record VersionSet(long contiguous, List<Long> above) {

    public static final VersionSet EMPTY = new VersionSet(0, List.of());

    public VersionSet {
        if (contiguous < 0) {
            throw new IllegalArgumentException("contiguous must not be negative, got " + contiguous);
        }
        above = above == null ? List.of() : List.copyOf(above);
    }

    /** Whether {@code version} has been seen. */
    public boolean contains(long version) {
        return version <= contiguous || Collections.binarySearch(above, version) >= 0;
    }

    /** This set with {@code version} (positive, not yet seen) added. */
    public VersionSet plus(long version) {
        if (version < 1) {
            throw new IllegalArgumentException("versions start at 1, got " + version);
        }
        if (contains(version)) {
            return this;
        }
        List<Long> higher = new ArrayList<>(above);
        int insertion = -Collections.binarySearch(higher, version) - 1;
        higher.add(insertion, version);
        long newContiguous = contiguous;
        while (!higher.isEmpty() && higher.get(0) == newContiguous + 1) {
            newContiguous = higher.remove(0);
        }
        return new VersionSet(newContiguous, higher);
    }

    /** How many distinct versions have been seen. */
    public long size() {
        return contiguous + above.size();
    }

    /** The highest version seen, 0 when none. */
    public long highest() {
        return above.isEmpty() ? contiguous : above.get(above.size() - 1);
    }
}
