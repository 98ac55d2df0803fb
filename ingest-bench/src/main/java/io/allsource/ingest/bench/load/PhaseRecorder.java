package io.allsource.ingest.bench.load;

import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.bench.report.LatencySummary;
import io.allsource.ingest.bench.report.PhaseFigures;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Collects the outcomes of one load phase as they arrive, on any thread: latency from each command's intended send time
 * (HdrHistogram, microseconds, 3 significant digits), outcomes by kind, events written, and the last arrival.
 */
final class PhaseRecorder {

    private final Histogram latency = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(10), 3);
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final LongAdder commands = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final AtomicLong lastArrival = new AtomicLong();

    /** Records one outcome: a result, or the failure that stands for it. */
    void record(long intendedNanos, CommandResult result, Throwable failure) {
        long now = System.nanoTime();
        latency.recordValue(Math.min(latency.getHighestTrackableValue(), Math.max(1, (now - intendedNanos) / 1_000)));
        outcomes.computeIfAbsent(label(result, failure), key -> new LongAdder()).increment();
        if (result != null) {
            events.add(CommandGenerator.eventsWritten(result));
        }
        commands.increment();
        lastArrival.accumulateAndGet(now, Math::max);
    }

    /** The figures of the phase that started at {@code startedNanos}. */
    PhaseFigures figures(String phase, double targetRate, long startedNanos) {
        long end = Math.max(lastArrival.get(), startedNanos + 1);
        Map<String, Long> counts = new TreeMap<>();
        outcomes.forEach((label, count) -> counts.put(label, count.sum()));
        return new PhaseFigures(phase, targetRate, commands.sum(), events.sum(), (end - startedNanos) / 1e9,
                LatencySummary.of(latency), counts);
    }

    static String label(CommandResult result, Throwable failure) {
        if (failure != null) {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            return "ERROR " + cause.getClass().getSimpleName();
        }
        return result.getStatus() == CommandStatus.ACCEPTED ? "ACCEPTED" : "REJECTED " + result.getReason();
    }
}
