package io.allsource.ingest.metrics;

import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.RejectionReason;
import io.allsource.ingest.failure.FailureKind;
import io.allsource.ingest.failure.Step;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.store.RoutedResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The worker's meters: commands applied (accepted, rejected by reason, redelivered), batch sizes, transaction and
 * publication times, dead letters, republications, failures by step and kind, retries by step, refused commands, and
 * per partition whether it is held ({@code ingest.partition.held}: 1 while its log does not match its stored offsets).
 * Thread-safe.
 */
public final class WorkerMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary batchSize;
    private final Timer transactionTime;
    private final Timer publicationTime;
    private final Timer dwellTime;
    private final Timer queueTime;
    private final DistributionSummary transactionBatches;
    private final Counter deadLetters;
    private final Counter republishedResults;
    private final Counter republishedEvents;
    private final Counter fenced;
    private final Counter refused;
    private final AtomicIntegerArray held = new AtomicIntegerArray(PartitionFunction.PARTITION_COUNT);

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.batchSize = DistributionSummary.builder("ingest.batch.size")
                .description("Commands applied per partition batch").register(registry);
        this.transactionTime = Timer.builder("ingest.transaction.time")
                .description("Time of one batch transaction").publishPercentileHistogram().register(registry);
        this.publicationTime = Timer.builder("ingest.publication.time")
                .description("Time to publish a committed batch and have it acknowledged").register(registry);
        this.dwellTime = Timer.builder("ingest.batch.dwell.time")
                .description("Time the oldest command of a partition batch waited, from its fetch to its hand-over to"
                        + " an apply thread (linger, the partition's previous batch)").register(registry);
        this.queueTime = Timer.builder("ingest.batch.queue.time")
                .description("Time a partition batch waited for an apply thread").register(registry);
        this.transactionBatches = DistributionSummary.builder("ingest.transaction.batches")
                .description("Partition batches sharing one transaction").register(registry);
        this.deadLetters = Counter.builder("ingest.commands.dead.lettered")
                .description("Undecodable commands copied to the dead-letter topic").register(registry);
        this.republishedResults = Counter.builder("ingest.republished")
                .tag("kind", "result").description("Records published again from the database").register(registry);
        this.republishedEvents = Counter.builder("ingest.republished")
                .tag("kind", "event").description("Records published again from the database").register(registry);
        this.fenced = Counter.builder("ingest.batches.fenced")
                .description("Batches refused because another worker had claimed their partition").register(registry);
        this.refused = Counter.builder("ingest.commands.refused")
                .description("Commands rejected because they failed their batch for a reason of their own")
                .register(registry);
        // The outcome, failure and retry series exist from the start at 0, so that alerting on their increase
        // (deploy/prometheus) sees the first one, and a dashboard shows 0 rather than no data.
        applied("accepted", "none");
        applied("duplicate", "none");
        for (RejectionReason reason : RejectionReason.values()) {
            applied("rejected", reason.name());
        }
        for (Step step : Step.values()) {
            for (FailureKind kind : FailureKind.values()) {
                failures(step, kind);
            }
            retries(step);
        }
        for (int partition = 0; partition < PartitionFunction.PARTITION_COUNT; partition++) {
            int index = partition;
            Gauge.builder("ingest.partition.held", held, values -> values.get(index))
                    .description("1 while the partition is held: its log does not match its stored offsets (topic"
                            + " recreated, records deleted before they were applied); reset it with ingest offsets")
                    .tag("partition", Integer.toString(partition)).register(registry);
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void committed(List<RoutedResult> results) {
        batchSize.record(results.size());
        for (RoutedResult routed : results) {
            CommandResult result = routed.result();
            String outcome = result.duplicate() ? "duplicate" : result.isAccepted() ? "accepted" : "rejected";
            String reason = result.reason() == null ? "none" : result.reason().name();
            applied(outcome, reason).increment();
        }
    }

    /** A transaction of {@code batches} partition batches took {@code nanos}. */
    public void transaction(int batches, long nanos) {
        transactionTime.record(nanos, TimeUnit.NANOSECONDS);
        transactionBatches.record(batches);
    }

    /** A partition batch was handed to the apply threads {@code nanos} after its oldest command was fetched. */
    public void dwelled(long nanos) {
        dwellTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A partition batch waited {@code nanos} for an apply thread. */
    public void queued(long nanos) {
        queueTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void publication(long nanos) {
        publicationTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void deadLettered(int count) {
        deadLetters.increment(count);
    }

    public void republished(int results, int events) {
        republishedResults.increment(results);
        republishedEvents.increment(events);
    }

    public void fenced() {
        fenced.increment();
    }

    /** A step failed; a transient failure is retried ({@code ingest.retries}, as before, by step). */
    public void failed(Step step, FailureKind kind) {
        failures(step, kind).increment();
        if (kind == FailureKind.TRANSIENT) {
            retries(step).increment();
        }
    }

    private Counter applied(String outcome, String reason) {
        return Counter.builder("ingest.commands.applied").tag("outcome", outcome).tag("reason", reason)
                .description("Commands with a stored outcome: accepted, rejected (by reason) or duplicate")
                .register(registry);
    }

    private Counter failures(Step step, FailureKind kind) {
        return Counter.builder("ingest.failures").tag("step", step.tag())
                .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                .description("Failures by the step where they happened and how they were sorted").register(registry);
    }

    private Counter retries(Step step) {
        return Counter.builder("ingest.retries").tag("step", step.tag())
                .description("Steps tried again after a transient failure").register(registry);
    }

    /** A record was refused after it failed its batch for a reason of its own. */
    public void refused() {
        refused.increment();
    }

    /** Whether {@code partition} is held ({@code true}) or consumed again ({@code false}). */
    public void held(int partition, boolean isHeld) {
        held.set(partition, isHeld ? 1 : 0);
    }

    /** Whether {@code partition} is held, as the gauge says. */
    public boolean isHeld(int partition) {
        return held.get(partition) == 1;
    }
}
