package io.allsource.ingest.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The whole machine's CPU as Linux counts it: the time its CPUs were busy ({@code /proc/stat}, every process and the
 * kernel, not only the benchmark's) and the time at least one runnable task waited for a CPU (pressure stall
 * information, the {@code some} line of {@code /proc/pressure/cpu}). Read at phase boundaries, they tell whether a
 * phase's latencies include waiting for a CPU. Empty where {@code /proc/stat} is missing (not Linux); the wait is
 * unknown where the kernel keeps no pressure figures. Thread-safe.
 */
final class MachineCpu implements Supplier<Optional<MachineCpu.Reading>> {

    private static final Path STAT = Path.of("/proc/stat");
    private static final Path PRESSURE = Path.of("/proc/pressure/cpu");

    /**
     * Counters since boot.
     *
     * @param busyTicks     clock ticks the CPUs spent in user, nice, system, irq and softirq time, summed over CPUs
     * @param allTicks      those plus idle, iowait and steal
     * @param waitedMicros  microseconds during which some runnable task waited for a CPU; null when not counted
     */
    record Reading(long busyTicks, long allTicks, Long waitedMicros) {
    }

    @Override
    public Optional<Reading> get() {
        try {
            String stat = Files.readString(STAT);
            String pressure = Files.isReadable(PRESSURE) ? Files.readString(PRESSURE) : "";
            return parse(stat, pressure);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The reading in the two files' text; empty when {@code stat} has no aggregate {@code cpu} line or a counter that
     * is not a number; the wait is null when {@code pressure} has no {@code some} total.
     */
    static Optional<Reading> parse(String stat, String pressure) {
        try {
            return readingOf(stat, pressure);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Reading> readingOf(String stat, String pressure) {
        Optional<String> cpuLine = stat.lines().filter(line -> line.startsWith("cpu ")).findFirst();
        if (cpuLine.isEmpty()) {
            return Optional.empty();
        }
        // user nice system idle iowait irq softirq steal (guest time is already in user and nice)
        String[] fields = cpuLine.get().trim().split("\\s+");
        if (fields.length < 9) {
            return Optional.empty();
        }
        long[] ticks = new long[8];
        for (int i = 0; i < ticks.length; i++) {
            ticks[i] = Long.parseLong(fields[i + 1]);
        }
        long busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6];
        long all = busy + ticks[3] + ticks[4] + ticks[7];
        return Optional.of(new Reading(busy, all, waitedMicros(pressure)));
    }

    private static Long waitedMicros(String pressure) {
        return pressure.lines().filter(line -> line.startsWith("some ")).findFirst()
                .flatMap(line -> Arrays.stream(line.split("\\s+"))
                        .filter(field -> field.startsWith("total=")).findFirst())
                .map(field -> Long.parseLong(field.substring("total=".length())))
                .orElse(null);
    }
}
