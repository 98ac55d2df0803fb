package io.allsource.ingest.views.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * The views' own meters: {@code ingest_views_sequence_gaps_total{partition}} (each jump of a partition sequence, the
 * same events as the alerts), {@code ingest_views_duplicates_total} (copies of events dropped) and
 * {@code ingest_views_skipped_events_total{reason}} (records of the events topic that could not be used).
 *
 * <p>Counters count processing, not committed output: should a task be processed again after a crash, its gaps count
 * again, while the alerts topic, written in the task's transaction, holds each alert once. Thread-safe.
 */
public final class ViewsMetrics {

    private final MeterRegistry registry;
    private final Counter duplicates;

    public ViewsMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.duplicates = Counter.builder("ingest.views.duplicates")
                .description("Copies of events already counted, dropped by (stream_id, version)")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    void sequenceGap(int partition) {
        Counter.builder("ingest.views.sequence.gaps")
                .description("Jumps of a partition sequence seen on the events topic; each is one alert")
                .tag("partition", Integer.toString(partition))
                .register(registry)
                .increment();
    }

    void duplicate() {
        duplicates.increment();
    }

    void skip(String reason) {
        Counter.builder("ingest.views.skipped.events")
                .description("Records of the events topic left out of the views because they cannot be used")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    /** Sequence gaps counted for {@code partition} so far. */
    public double sequenceGapCount(int partition) {
        Counter counter = registry.find("ingest.views.sequence.gaps").tag("partition", Integer.toString(partition))
                .counter();
        return counter == null ? 0 : counter.count();
    }

    /** Duplicates dropped so far. */
    public double duplicateCount() {
        return duplicates.count();
    }

    /** Records skipped so far for {@code reason}. */
    public double skippedCount(String reason) {
        Counter counter = registry.find("ingest.views.skipped.events").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }
}
