package io.allsource.ingest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The machine's CPU counters, from the text of /proc/stat and /proc/pressure/cpu as Linux writes them. */
class MachineCpuTest {

    private static final String STAT = """
            cpu  4705 150 1120 16250 520 0 90 30 0 0
            cpu0 2400 70 560 8100 260 0 50 15 0 0
            cpu1 2305 80 560 8150 260 0 40 15 0 0
            intr 114930548 113199788 3 0 5 263 0 4 [truncated]
            ctxt 1990473
            """;

    private static final String PRESSURE = """
            some avg10=61.23 avg60=29.90 avg300=12.01 total=605463151
            full avg10=0.00 avg60=0.00 avg300=0.00 total=0
            """;

    @Test
    void countsUserNiceSystemIrqAndSoftirqAsBusyAndAddsIdleIowaitAndStealForAll() {
        Optional<MachineCpu.Reading> reading = MachineCpu.parse(STAT, PRESSURE);

        assertThat(reading).contains(new MachineCpu.Reading(4705 + 150 + 1120 + 0 + 90,
                4705 + 150 + 1120 + 0 + 90 + 16250 + 520 + 30, 605_463_151L));
    }

    @Test
    void leavesTheWaitUnknownWhereTheKernelKeepsNoCpuPressure() {
        assertThat(MachineCpu.parse(STAT, "")).get().extracting(MachineCpu.Reading::waitedMicros).isNull();
    }

    @Test
    void givesNothingWithoutTheAggregateCpuLine() {
        assertThat(MachineCpu.parse("cpu0 1 2 3 4 5 6 7 8\n", PRESSURE)).isEmpty();
        assertThat(MachineCpu.parse("", PRESSURE)).isEmpty();
    }

    @Test
    void givesNothingForACounterThatIsNotANumber() {
        assertThat(MachineCpu.parse("cpu  4705 150 x 16250 520 0 90 30 0 0\n", PRESSURE)).isEmpty();
        assertThat(MachineCpu.parse(STAT, "some avg10=1.00 avg60=1.00 avg300=1.00 total=many\n")).isEmpty();
    }

    @Test
    void readsThisMachinesCountersWhereLinuxHasThem() {
        Optional<MachineCpu.Reading> reading = new MachineCpu().get();

        if (System.getProperty("os.name").startsWith("Linux")) {
            assertThat(reading).get().satisfies(r -> assertThat(r.allTicks()).isGreaterThan(r.busyTicks()));
        } else {
            assertThat(reading).isEmpty();
        }
    }
}
