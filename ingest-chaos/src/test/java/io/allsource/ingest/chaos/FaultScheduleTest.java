package io.allsource.ingest.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A seed repeats a fault schedule, and every kind comes once before any comes again. */
class FaultScheduleTest {

    private static final List<FaultKind> ALL = List.of(FaultKind.values());

    @Test
    void theSameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
        FaultSchedule first = FaultSchedule.random(7, Duration.ofMinutes(5), ALL);

        assertThat(FaultSchedule.random(7, Duration.ofMinutes(5), ALL)).isEqualTo(first);
        assertThat(FaultSchedule.random(8, Duration.ofMinutes(5), ALL)).isNotEqualTo(first);
    }

    @Test
    void injectsEveryKindOnceBeforeAnyKindAgain() {
        List<FaultSchedule.PlannedFault> faults = FaultSchedule.random(3, Duration.ofMinutes(10), ALL).faults();

        assertThat(faults.size()).isGreaterThanOrEqualTo(2 * ALL.size());
        for (int round = 0; round + ALL.size() <= faults.size(); round += ALL.size()) {
            Set<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
            faults.subList(round, round + ALL.size()).forEach(fault -> kinds.add(fault.kind()));
            assertThat(kinds).as("round starting at fault %d", round).containsExactlyInAnyOrderElementsOf(ALL);
        }
    }

    @Test
    void startsAfterAWarmUpAndPausesThreeToEightSecondsBetweenFaults() {
        List<FaultSchedule.PlannedFault> faults = FaultSchedule.random(11, Duration.ofMinutes(5), ALL).faults();

        assertThat(faults.get(0).after()).isEqualTo(Duration.ofSeconds(10));
        assertThat(faults.subList(1, faults.size())).allSatisfy(fault -> assertThat(fault.after())
                .isBetween(Duration.ofSeconds(3), Duration.ofSeconds(8)));
    }

    @Test
    void aFixedScheduleIsExactlyTheKindsGivenInOrder() {
        FaultSchedule fixed = FaultSchedule.fixed(Duration.ofSeconds(6),
                List.of(FaultKind.WORKER_KILL, FaultKind.POSTGRES_TERMINATE));

        assertThat(fixed.faults()).extracting(FaultSchedule.PlannedFault::kind)
                .containsExactly(FaultKind.WORKER_KILL, FaultKind.POSTGRES_TERMINATE);
        assertThat(fixed.faults()).allSatisfy(fault -> assertThat(fault.after()).isEqualTo(Duration.ofSeconds(6)));
    }
}
