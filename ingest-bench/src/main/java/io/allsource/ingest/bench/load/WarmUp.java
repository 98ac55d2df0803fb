package io.allsource.ingest.bench.load;

import io.allsource.ingest.bench.report.WarmUpFigures;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The closed loop before a workload is measured, run in steps until this JVM's JIT compilers have gone quiet, so that
 * the maximum is not measured while the compiler takes part of the machine.
 *
 * <p>Why steps rather than a fixed time: on two cores C2 kept about half a core busy for more than a minute after the
 * benchmark started (issue 15's profiles: a quarter of the machine's samples in the phase after a 10 s warm-up), and
 * the same code measured 0.6 to 0.75 times the maximum after a 10 s warm-up that it made after a 40 s one. A step counts
 * as quiet when the compilers ran for at most {@link #QUIET_SHARE} of its wall time
 * ({@link CompilationMXBean#getTotalCompilationTime()}, summed over the compiler threads). The worker, the client and
 * the load generator all run in this JVM; the broker's and the registry's JVMs are not watched.
 */
public final class WarmUp {

    /** The compilers' share of a step's wall time at or below which the JIT counts as settled. */
    public static final double QUIET_SHARE = 0.10;

    /** One closed loop of the given length, its commands in flight awaited. */
    @FunctionalInterface
    interface ClosedLoop {
        void run(Duration length) throws InterruptedException;
    }

    private final ClosedLoop loop;
    private final LongSupplier compilationMillis;
    private final LongSupplier nanoTime;

    /**
     * @param compilationMillis the JIT compilers' total time so far in milliseconds, or a negative value when the JVM
     *                          does not measure it (then one step is run)
     * @param nanoTime          the clock, in nanoseconds
     */
    WarmUp(ClosedLoop loop, LongSupplier compilationMillis, LongSupplier nanoTime) {
        this.loop = loop;
        this.compilationMillis = compilationMillis;
        this.nanoTime = nanoTime;
    }

    /** A warm-up on {@code driver} with {@code inFlight} commands in flight, watching this JVM's compilers. */
    public static WarmUp of(LoadDriver driver, int inFlight) {
        CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
        boolean measured = compilation != null && compilation.isCompilationTimeMonitoringSupported();
        return new WarmUp(length -> driver.closedLoop("warm-up", length, inFlight),
                measured ? compilation::getTotalCompilationTime : () -> -1, System::nanoTime);
    }

    /** Runs closed loops of {@code step} until one is quiet or {@code limit} has been spent (at least one step). */
    public WarmUpFigures run(Duration step, Duration limit) throws InterruptedException {
        long started = nanoTime.getAsLong();
        int steps = 0;
        double share;
        do {
            long compiledBefore = compilationMillis.getAsLong();
            long stepStarted = nanoTime.getAsLong();
            loop.run(step);
            steps++;
            long compiledAfter = compilationMillis.getAsLong();
            if (compiledBefore < 0 || compiledAfter < 0) {
                return new WarmUpFigures(steps, seconds(started), -1, false);
            }
            share = (compiledAfter - compiledBefore) / (double) Math.max(1, millis(stepStarted));
        } while (share > QUIET_SHARE && millis(started) + step.toMillis() <= limit.toMillis());
        return new WarmUpFigures(steps, seconds(started), share, share <= QUIET_SHARE);
    }

    private long millis(long startedNanos) {
        return (nanoTime.getAsLong() - startedNanos) / 1_000_000;
    }

    private double seconds(long startedNanos) {
        return (nanoTime.getAsLong() - startedNanos) / 1e9;
    }
}
