package io.allsource.ingest.bench;

import java.time.Duration;

/**
 * How big a store contender's next run is, so that it lasts at least a given time: the last run's rate, scaled to a
 * quarter beyond that time (a rate measured over a short or cold run is usually low, so the next run rather
 * overshoots), never smaller than the last run and never above {@link #MAX_COMMANDS}. Pure: no I/O.
 */
final class StoreSizing {

    /** The most commands a sized run holds (the batch store keeps each partition's command numbers in memory). */
    static final int MAX_COMMANDS = 5_000_000;

    /**
     * Runs of a contender at most: the warm-up, then sized runs until one lasts long enough. A run falls short only
     * when it went more than a quarter faster than the one it was sized from (a contender still warming up), which
     * does not go on for long.
     */
    static final int MAX_RUNS = 8;

    private static final double MARGIN = 1.25;

    private StoreSizing() {
    }

    /**
     * @param commands     the commands of the last run
     * @param elapsedNanos how long it took
     * @param minimum      how long the next run should last at least
     * @return the commands of the next run
     */
    static int nextCommands(int commands, long elapsedNanos, Duration minimum) {
        double scale = Math.max(1.0, MARGIN * minimum.toNanos() / Math.max(1, elapsedNanos));
        return (int) Math.min(MAX_COMMANDS, Math.max(commands, (long) Math.ceil(commands * scale)));
    }

    /** Whether a run of {@code elapsedNanos} lasted long enough. */
    static boolean longEnough(long elapsedNanos, Duration minimum) {
        return elapsedNanos >= minimum.toNanos();
    }
}
