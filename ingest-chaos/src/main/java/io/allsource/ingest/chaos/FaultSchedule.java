package io.allsource.ingest.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * When the soak injects which fault: a pause, then a fault, over and over. Drawn from a seed, so that one seed gives
 * one schedule; the kinds come in shuffled rounds, so that every kind is injected once before any is injected again.
 *
 * @param faults the faults, in order, each after its pause
 */
public record FaultSchedule(List<PlannedFault> faults) {

    /** One fault, injected {@code after} the previous one has ended. */
    public record PlannedFault(Duration after, FaultKind kind) {
    }

    private static final Duration WARM_UP = Duration.ofSeconds(10);

    public FaultSchedule {
        faults = List.copyOf(faults);
    }

    /**
     * Enough faults to fill {@code length} (the run stops injecting when its time is up): pauses of 3 to 8 s, the
     * first after a 10 s warm-up.
     */
    public static FaultSchedule random(long seed, Duration length, List<FaultKind> kinds) {
        Random random = new Random(seed);
        List<PlannedFault> faults = new ArrayList<>();
        long planned = 0;
        while (planned < length.toMillis()) {
            List<FaultKind> round = new ArrayList<>(kinds);
            Collections.shuffle(round, random);
            for (FaultKind kind : round) {
                Duration pause = faults.isEmpty() ? WARM_UP : Duration.ofMillis(3_000 + random.nextInt(5_001));
                faults.add(new PlannedFault(pause, kind));
                planned += pause.toMillis() + 3_000;
            }
        }
        return new FaultSchedule(faults);
    }

    /** Exactly {@code kinds}, in order, {@code pause} apart. */
    public static FaultSchedule fixed(Duration pause, List<FaultKind> kinds) {
        return new FaultSchedule(kinds.stream().map(kind -> new PlannedFault(pause, kind)).toList());
    }
}
