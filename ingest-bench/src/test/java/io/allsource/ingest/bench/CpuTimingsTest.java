package io.allsource.ingest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.allsource.ingest.bench.report.CpuPhase;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Cores per process and phase, from the CPU time each process used between phase boundaries. */
class CpuTimingsTest {

    private final Deque<Map<String, Duration>> readings = new ArrayDeque<>();
    private final Deque<Long> clock = new ArrayDeque<>();

    @Test
    void givesEachPhaseTheCpuTimeUsedInItOverItsWallTime() {
        reading(0, Map.of("benchmark JVM", ms(5_000), "PostgreSQL", ms(1_000)));
        reading(2_000, Map.of("benchmark JVM", ms(6_000), "PostgreSQL", ms(2_500)));
        reading(6_000, Map.of("benchmark JVM", ms(6_400), "PostgreSQL", ms(2_900)));
        CpuTimings timings = new CpuTimings(readings::poll, Optional::empty, clock::poll);

        timings.phaseEnded("maximum");
        timings.phaseEnded("25 %");

        List<CpuPhase> phases = timings.phases();
        assertThat(phases).extracting(CpuPhase::phase).containsExactly("maximum", "25 %");
        assertThat(phases.get(0).seconds()).isEqualTo(2.0);
        assertThat(phases.get(0).cores()).containsEntry("benchmark JVM", 0.5).containsEntry("PostgreSQL", 0.75);
        assertThat(phases.get(0).total()).isEqualTo(1.25);
        assertThat(phases.get(1).cores().get("benchmark JVM")).isCloseTo(0.1, within(1e-9));
        assertThat(phases.get(1).cores().get("PostgreSQL")).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void givesEachPhaseTheMachinesBusyShareAndTheShareOfItsTimeSomeTaskWaitedForACpu() {
        reading(0, Map.of());
        reading(2_000, Map.of());
        reading(4_000, Map.of());
        Deque<Optional<MachineCpu.Reading>> machine = new ArrayDeque<>(List.of(
                Optional.of(new MachineCpu.Reading(1_000, 5_000, 7_000_000L)),
                Optional.of(new MachineCpu.Reading(1_300, 5_400, 8_500_000L)),
                Optional.of(new MachineCpu.Reading(1_400, 5_800, null))));
        CpuTimings timings = new CpuTimings(readings::poll, machine::poll, clock::poll);

        timings.phaseEnded("maximum");
        timings.phaseEnded("25 %");

        CpuPhase maximum = timings.phases().get(0);
        assertThat(maximum.machineBusy()).isCloseTo(0.75, within(1e-9));
        assertThat(maximum.cpuWaiting()).isCloseTo(0.75, within(1e-9)); // 1.5 s of 2 s
        CpuPhase quarter = timings.phases().get(1);
        assertThat(quarter.machineBusy()).isCloseTo(0.25, within(1e-9));
        assertThat(quarter.cpuWaiting()).isNull();
    }

    @Test
    void leavesTheMachinesSharesUnknownWithoutItsCounters() {
        reading(0, Map.of("benchmark JVM", ms(0)));
        reading(1_000, Map.of("benchmark JVM", ms(500)));
        CpuTimings timings = new CpuTimings(readings::poll, Optional::empty, clock::poll);

        timings.phaseEnded("maximum");

        assertThat(timings.phases().get(0).machineBusy()).isNull();
        assertThat(timings.phases().get(0).cpuWaiting()).isNull();
    }

    @Test
    void countsAProcessFirstSeenInAPhaseWhollyThereAndLeavesOutOneThatIsGone() {
        reading(0, Map.of("benchmark JVM", ms(1_000), "registry", ms(300)));
        reading(1_000, Map.of("benchmark JVM", ms(1_500), "broker", ms(250)));
        CpuTimings timings = new CpuTimings(readings::poll, Optional::empty, clock::poll);

        timings.phaseEnded("warm-up");

        assertThat(timings.phases().get(0).cores()).containsOnlyKeys("benchmark JVM", "broker")
                .containsEntry("broker", 0.25);
    }

    @Test
    void keepsTheProcessesInTheOrderTheyWereRead() {
        Map<String, Duration> ordered = new LinkedHashMap<>();
        ordered.put("benchmark JVM", ms(10));
        ordered.put("PostgreSQL", ms(10));
        ordered.put("broker", ms(10));
        ordered.put("registry", ms(10));
        reading(0, Map.of());
        reading(1_000, ordered);
        CpuTimings timings = new CpuTimings(readings::poll, Optional::empty, clock::poll);

        timings.phaseEnded("maximum");

        assertThat(timings.phases().get(0).cores().keySet())
                .containsExactly("benchmark JVM", "PostgreSQL", "broker", "registry");
    }

    private void reading(long atMillis, Map<String, Duration> cpu) {
        clock.add(Duration.ofMillis(atMillis).toNanos());
        readings.add(cpu);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
