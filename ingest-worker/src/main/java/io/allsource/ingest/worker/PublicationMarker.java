package io.allsource.ingest.worker;

import io.allsource.ingest.failure.FailureClassifier;
import io.allsource.ingest.failure.FailureKind;
import io.allsource.ingest.failure.Step;
import io.allsource.ingest.failure.WorkerAccess;
import io.allsource.ingest.metrics.WorkerMetrics;
import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.PublicationMark;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records partitions' publication progress (and with it the streams' watermarks) in marks transactions. A partition
 * that keeps applying records it in its batches' transactions instead; the marks are for partitions with nothing to
 * apply, written on a thread of their own, one transaction after another, so that no consumer stops polling while the
 * watermarks of the streams published since move; and for a partition given up or a worker stopping, waited for. A
 * partition found fenced is dropped; a transient failure leaves the progress to be written next time; a fatal one
 * stops the worker. Shared by the worker's consumers; {@link #start} and {@link #complete} are called on a consumer's
 * thread for its own partitions.
 */
final class PublicationMarker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PublicationMarker.class);

    private final String workerId;
    private final EventStore store;
    private final WorkerMetrics metrics;
    private final FailureResponse failures;
    private final Duration closeTimeout;
    private final ExecutorService executor;

    /**
     * @param closeTimeout how long {@link #close} waits for the marks being written
     */
    PublicationMarker(String workerId, EventStore store, WorkerMetrics metrics, WorkerAccess access,
            Duration closeTimeout) {
        this.workerId = workerId;
        this.store = store;
        this.metrics = metrics;
        this.failures = new FailureResponse(workerId, metrics, access);
        this.closeTimeout = closeTimeout;
        this.executor = Executors.newSingleThreadExecutor(WorkerThreads.named("ingest-" + workerId + "-marks-"));
    }

    /**
     * Writes the progress of those of {@code partitions} whose progress moved, in one transaction, and waits for it.
     *
     * @throws io.allsource.ingest.failure.FatalWorkerException when the failure is fatal for the worker
     */
    void markNow(Collection<OwnedPartition> partitions) {
        MarksInFlight marks = MarksInFlight.of(partitions, null);
        if (!marks.isEmpty()) {
            record(marks, () -> store.markPublished(marks.marks()));
        }
    }

    /**
     * Starts writing the progress of those of {@code partitions} whose progress moved and that have handed no batch
     * over for {@code quietFor} (the next batch of a partition still applying records it, so that a partition under
     * load never waits for a marks transaction's lock), on the marker's thread: {@link #complete} records the outcome.
     * Null when there is nothing to write.
     */
    MarksInFlight start(Collection<OwnedPartition> partitions, Duration quietFor) {
        MarksInFlight marks = MarksInFlight.of(partitions, quietFor);
        if (marks.isEmpty()) {
            return null;
        }
        return marks.written(CompletableFuture.supplyAsync(() -> store.markPublished(marks.marks()), executor));
    }

    /**
     * Records the outcome of marks {@linkplain #start started} before, once they are written; false while they are not.
     *
     * @throws io.allsource.ingest.failure.FatalWorkerException when the failure is fatal for the worker
     */
    boolean complete(MarksInFlight marks) {
        if (!marks.fenced().isDone()) {
            return false;
        }
        record(marks, () -> {
            try {
                return marks.fenced().join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException failure ? failure : e;
            }
        });
        return true;
    }

    private void record(MarksInFlight marks, Supplier<Set<Integer>> written) {
        try {
            Set<Integer> fenced = written.get();
            for (int i = 0; i < marks.partitions().size(); i++) {
                OwnedPartition partition = marks.partitions().get(i);
                PublicationMark mark = marks.marks().get(i);
                if (partition.epoch() != mark.epoch()) {
                    continue; // claimed again since: the marks were written under the epoch before, or not at all
                }
                if (fenced.contains(partition.partition())) {
                    partition.fenced();
                    log.warn("{} - partition {}: fenced while recording publication; dropping it", workerId,
                            partition.partition());
                } else {
                    partition.marked(mark.published());
                }
            }
        } catch (RuntimeException e) {
            if (FailureClassifier.classify(e) == FailureKind.FATAL) {
                throw failures.fatal(Step.MARK, marks.marks().get(0).partition(), e);
            }
            metrics.failed(Step.MARK, FailureKind.TRANSIENT);
            log.warn("{} - partitions {}: could not record publication progress, will try again: {}", workerId,
                    marks.marks().stream().map(PublicationMark::partition).toList(), e.getMessage());
        }
    }

    /** Waits for the marks being written, then stops the thread. */
    @Override
    public void close() {
        WorkerThreads.stop(executor, closeTimeout, "Publication marks");
    }
}
