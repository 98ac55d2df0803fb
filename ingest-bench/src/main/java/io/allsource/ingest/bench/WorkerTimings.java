package io.allsource.ingest.bench;

import io.allsource.ingest.bench.report.WorkerPhase;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads the in-process worker's meters at every phase boundary of a workload and turns the differences into
 * {@link WorkerPhase}s. Used by the workload's thread only.
 */
final class WorkerTimings {

    private final MeterRegistry meters;
    private final List<WorkerPhase> phases = new ArrayList<>();
    private Reading last;

    WorkerTimings(MeterRegistry meters) {
        this.meters = meters;
        this.last = read();
    }

    /** Ends the phase named {@code phase}: what the meters counted since the previous boundary. */
    void phaseEnded(String phase) {
        Reading now = read();
        phases.add(new WorkerPhase(phase, now.transaction.count - last.transaction.count,
                mean(now.batchesPerTransaction, last.batchesPerTransaction), mean(now.batchSize, last.batchSize),
                mean(now.dwell, last.dwell), mean(now.queue, last.queue), mean(now.transaction, last.transaction),
                mean(now.publication, last.publication)));
        last = now;
    }

    List<WorkerPhase> phases() {
        return List.copyOf(phases);
    }

    private static double mean(Sum now, Sum before) {
        long count = now.count - before.count;
        return count == 0 ? 0 : (now.total - before.total) / count;
    }

    private Reading read() {
        return new Reading(summary("ingest.transaction.batches"),
                summary("ingest.batch.size"), timer("ingest.batch.dwell.time"), timer("ingest.batch.queue.time"),
                timer("ingest.transaction.time"), timer("ingest.publication.time"));
    }

    /** A timer's count and total in milliseconds; nothing when the worker has not registered it. */
    private Sum timer(String name) {
        Timer timer = meters.find(name).timer();
        return timer == null ? Sum.NONE : new Sum(timer.count(), timer.totalTime(TimeUnit.MILLISECONDS));
    }

    private Sum summary(String name) {
        DistributionSummary summary = meters.find(name).summary();
        return summary == null ? Sum.NONE : new Sum(summary.count(), summary.totalAmount());
    }

    private record Sum(long count, double total) {
        static final Sum NONE = new Sum(0, 0);
    }

    private record Reading(Sum batchesPerTransaction, Sum batchSize, Sum dwell, Sum queue,
            Sum transaction, Sum publication) {
    }
}
