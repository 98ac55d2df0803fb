package io.allsource.ingest.chaos;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How much hostile input the soak's load mixes in, and of which kinds (drawn evenly among them).
 *
 * @param rate  the share of records sent that are hostile, 0 (none) to 0.5
 * @param kinds the kinds drawn from; not empty when {@code rate} is above 0
 */
public record HostileMix(double rate, Set<HostileKind> kinds) {

    /** The soak's default share: one record in fifty. */
    public static final double DEFAULT_RATE = 0.02;
    /** No hostile input. */
    public static final HostileMix NONE = new HostileMix(0, Set.of());

    public HostileMix {
        if (!(rate >= 0 && rate <= 0.5)) {
            throw new IllegalArgumentException("the hostile rate must be 0 to 0.5, not " + rate);
        }
        if (rate > 0 && kinds.isEmpty()) {
            throw new IllegalArgumentException("a hostile rate above 0 needs at least one hostile kind");
        }
        kinds = kinds.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(kinds));
    }

    /** Every kind, at the default share. */
    public static HostileMix everyKind() {
        return new HostileMix(DEFAULT_RATE, EnumSet.allOf(HostileKind.class));
    }

    /** The kinds in their declared order, for drawing. */
    List<HostileKind> ordered() {
        return List.copyOf(kinds);
    }
}
