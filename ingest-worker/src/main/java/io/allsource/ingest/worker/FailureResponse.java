package io.allsource.ingest.worker;

import io.allsource.ingest.failure.FailureClassifier;
import io.allsource.ingest.failure.FailureKind;
import io.allsource.ingest.failure.FailureMessages;
import io.allsource.ingest.failure.FatalWorkerException;
import io.allsource.ingest.failure.Step;
import io.allsource.ingest.failure.WorkerAccess;
import io.allsource.ingest.metrics.WorkerMetrics;
import io.allsource.ingest.trace.TraceLog;
import io.allsource.ingest.worker.PartitionSteps.Stepped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the worker does about a failed step of a partition, once {@link FailureClassifier} and the partition's
 * {@link io.allsource.ingest.failure.FailureStreak} have sorted it: a transient failure starts the partition's
 * back-off, and the same step is tried again when it ends; one that lies in a record narrows the partition's batches
 * down to that record, which is then refused with the reason; a fatal one (or one that lies in a record no outcome can
 * be given for: a record of the pipeline's own that the broker refuses) stops the worker, with a one-line reason that
 * names the operation and the resource when the broker refused one ({@link WorkerAccess}). Thread-safe (stateless
 * beyond its collaborators).
 */
final class FailureResponse {

    private static final Logger log = LoggerFactory.getLogger(FailureResponse.class);

    private final String workerId;
    private final WorkerMetrics metrics;
    private final WorkerAccess access;

    FailureResponse(String workerId, WorkerMetrics metrics, WorkerAccess access) {
        this.workerId = workerId;
        this.metrics = metrics;
        this.access = access;
    }

    /**
     * Sorts a failure of {@code step} and acts on it.
     *
     * @param records        the records of the batch that failed (store and decode steps), 0 for the other steps
     * @param progressBefore the worker's progress counter when the failed attempt began
     * @throws FatalWorkerException when the failure is fatal for the worker
     */
    Stepped failed(OwnedPartition partition, Step step, RuntimeException e, int records, long progressBefore) {
        return failed(partition, step, e, records, progressBefore, false);
    }

    /**
     * As {@link #failed(OwnedPartition, Step, RuntimeException, int, long)}, for a batch that failed on its own
     * ({@code alone}: no other partition's batch shared its transaction): a single record failing so is refused at
     * once, with no narrowing first.
     */
    Stepped failed(OwnedPartition partition, Step step, RuntimeException e, int records, long progressBefore,
            boolean alone) {
        boolean inRecord = records > 0 && (step == Step.STORE || step == Step.DECODE);
        // Only a batch has a record to blame for a failure that keeps repeating; outside one (a claim, a publication)
        // a transient failure stays what it looks like, an outage of that partition's dependencies.
        FailureKind kind = inRecord ? partition.streak().record(e, progressBefore) : FailureClassifier.classify(e);
        metrics.failed(step, kind);
        if (kind == FailureKind.FATAL || (kind == FailureKind.PERMANENT_FOR_RECORD && !inRecord)) {
            // A record of the pipeline's own the broker refuses for good, a table that is not there: no record to
            // blame that could be answered instead, and no retry will help.
            throw fatal(step, partition.partition(), e);
        }
        if (kind == FailureKind.PERMANENT_FOR_RECORD) {
            return narrow(partition, step, e, records, alone);
        }
        int attempt = partition.backoff().fail();
        log.warn("{} - partition {}: {} failed, attempt #{}, retrying in {} ms: {}", workerId, partition.partition(),
                step.tag(), attempt, partition.backoff().currentPause().toMillis(), e.getMessage());
        return Stepped.FAILED;
    }

    private Stepped narrow(OwnedPartition partition, Step step, RuntimeException e, int records, boolean alone) {
        if (records == 1 && partition.isRefused(partition.firstPendingOffset())) {
            // Not even the record's rejection can be stored: no outcome is left to give it.
            throw new FatalWorkerException(step, workerId + " - partition " + partition.partition()
                    + ": the rejection of the record at offset " + partition.firstPendingOffset()
                    + " cannot be stored either: " + FailureMessages.rootMessage(e), e);
        }
        String reason = refusalReason(partition, step, e);
        long refused = partition.narrow(records, reason, alone);
        partition.streak().reset();
        if (refused < 0) {
            log.warn("{} - partition {}: a batch of {} records failed at {} for a reason in a record ({}); trying"
                    + " {} at a time", workerId, partition.partition(), records, step.tag(), e.getMessage(),
                    Math.max(1, records / 2));
        } else {
            metrics.refused();
            try (TraceLog.Scope scope = TraceLog.command(partition.traceAt(refused))) {
                log.error("{} - partition {}: refusing the record at offset {}: {}", workerId, partition.partition(),
                        refused, reason);
            }
        }
        return Stepped.FAILED;
    }

    private static String refusalReason(OwnedPartition partition, Step step, RuntimeException e) {
        String cause = FailureMessages.rootMessage(e);
        String state = FailureClassifier.sqlState(e);
        if (FailureClassifier.classify(e) == FailureKind.PERMANENT_FOR_RECORD) {
            return (step == Step.STORE ? "the database refused the command's data: " : "the command could not be "
                    + "read: ") + cause + (state == null ? "" : " (SQLState " + state + ")");
        }
        return "the command failed " + partition.streak().count() + " times in a row at " + step.tag()
                + " while other partitions progressed: " + cause + (state == null ? "" : " (SQLState " + state + ")");
    }

    FatalWorkerException fatal(Step step, int partition, RuntimeException e) {
        return new FatalWorkerException(step, workerId + " - partition " + partition + ": " + step.tag()
                + " failed and no retry can fix it: " + access.reason(step, e), e);
    }
}
