package io.allsource.ingest.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One soak's settings.
 *
 * @param length            how long the load runs with faults injected
 * @param seed              draws the fault schedule (and the load), so that a seed repeats a schedule
 * @param commandsPerSecond the load's rate
 * @param dataDirectory     where the servers keep their data and every process its log
 * @param registryHome      where the Apicurio Registry 2 build is unpacked
 * @param schedule          the faults to inject
 * @param catchUpTimeout    how long the pipeline may take to apply every command once the load stops; a partition
 *                          whose stored next offset has not reached the topic's end by then is reported stalled
 * @param hostile           the share and kinds of hostile records mixed into the load
 */
public record ChaosSettings(Duration length, long seed, int commandsPerSecond, Path dataDirectory,
        Path registryHome, FaultSchedule schedule, Duration catchUpTimeout, HostileMix hostile) {

    public ChaosSettings {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(registryHome, "registryHome");
        Objects.requireNonNull(hostile, "hostile");
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("the soak's length must be positive, not " + length);
        }
        if (catchUpTimeout.isNegative() || catchUpTimeout.isZero()) {
            throw new IllegalArgumentException("the catch-up timeout must be positive, not " + catchUpTimeout);
        }
        if (commandsPerSecond < 1 || commandsPerSecond > 10_000) {
            throw new IllegalArgumentException("commands per second must be 1 to 10000, not " + commandsPerSecond);
        }
    }

    /**
     * Every kind of fault at random moments, drawn from {@code seed}; 150 commands a second, with every kind of hostile
     * record at the default share ({@link HostileMix#everyKind()}).
     */
    public static ChaosSettings of(Duration length, long seed, Path dataDirectory, Path registryHome) {
        return new ChaosSettings(length, seed, 150, dataDirectory, registryHome,
                FaultSchedule.random(seed, length, List.of(FaultKind.values())), Duration.ofMinutes(5),
                HostileMix.everyKind());
    }

    /** Exactly {@code kinds}, in order, {@code pause} apart, instead of a random schedule. */
    public ChaosSettings withFaults(Duration pause, List<FaultKind> kinds) {
        return new ChaosSettings(length, seed, commandsPerSecond, dataDirectory, registryHome,
                FaultSchedule.fixed(pause, kinds), catchUpTimeout, hostile);
    }

    public ChaosSettings withRate(int perSecond) {
        return new ChaosSettings(length, seed, perSecond, dataDirectory, registryHome, schedule, catchUpTimeout,
                hostile);
    }

    /** Mixes {@code mix} into the load instead ({@link HostileMix#NONE} for none). */
    public ChaosSettings withHostile(HostileMix mix) {
        return new ChaosSettings(length, seed, commandsPerSecond, dataDirectory, registryHome, schedule,
                catchUpTimeout, mix);
    }

    /** Waits up to {@code timeout} for the pipeline to catch up once the load stops. */
    public ChaosSettings withCatchUpTimeout(Duration timeout) {
        return new ChaosSettings(length, seed, commandsPerSecond, dataDirectory, registryHome, schedule, timeout,
                hostile);
    }
}
