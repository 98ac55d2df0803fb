package io.allsource.ingest.bench;

import io.allsource.ingest.bench.report.CpuPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Reads the processes' CPU time at every phase boundary of a workload and turns the differences into
 * {@link CpuPhase}s: cores used per process in each phase, and how busy the whole machine was. Used by the workload's
 * thread only.
 */
final class CpuTimings {

    private final Supplier<Map<String, Duration>> cpu;
    private final Supplier<Optional<MachineCpu.Reading>> machine;
    private final LongSupplier nanoTime;
    private final List<CpuPhase> phases = new ArrayList<>();
    private Map<String, Duration> lastCpu;
    private Optional<MachineCpu.Reading> lastMachine;
    private long lastNanos;

    /**
     * @param cpu      CPU time used so far per process ({@link ProcessCpu})
     * @param machine  the machine's CPU counters ({@link MachineCpu})
     * @param nanoTime the wall clock the phases are timed with ({@code System::nanoTime})
     */
    CpuTimings(Supplier<Map<String, Duration>> cpu, Supplier<Optional<MachineCpu.Reading>> machine,
            LongSupplier nanoTime) {
        this.cpu = cpu;
        this.machine = machine;
        this.nanoTime = nanoTime;
        this.lastCpu = cpu.get();
        this.lastMachine = machine.get();
        this.lastNanos = nanoTime.getAsLong();
    }

    /**
     * Ends the phase named {@code phase}: the CPU time each process used since the previous boundary, over the wall
     * time since then. A process first seen in this phase counts all of its time here; one gone is left out.
     */
    void phaseEnded(String phase) {
        Map<String, Duration> now = cpu.get();
        Optional<MachineCpu.Reading> machineNow = machine.get();
        long nanos = nanoTime.getAsLong();
        long wall = Math.max(1, nanos - lastNanos);
        Map<String, Double> cores = new LinkedHashMap<>();
        now.forEach((process, used) -> {
            Duration before = lastCpu.getOrDefault(process, Duration.ZERO);
            cores.put(process, Math.max(0, used.minus(before).toNanos()) / (double) wall);
        });
        Double busy = null;
        Double waiting = null;
        if (machineNow.isPresent() && lastMachine.isPresent()) {
            MachineCpu.Reading before = lastMachine.get();
            MachineCpu.Reading after = machineNow.get();
            long all = after.allTicks() - before.allTicks();
            busy = all <= 0 ? null : (after.busyTicks() - before.busyTicks()) / (double) all;
            waiting = after.waitedMicros() == null || before.waitedMicros() == null ? null
                    : Math.min(1, Math.max(0, after.waitedMicros() - before.waitedMicros()) * 1_000.0 / wall);
        }
        phases.add(new CpuPhase(phase, wall / 1e9, cores, busy, waiting));
        lastCpu = now;
        lastMachine = machineNow;
        lastNanos = nanos;
    }

    List<CpuPhase> phases() {
        return List.copyOf(phases);
    }
}
