package io.allsource.ingest.failure;

import java.util.function.LongSupplier;

/**
 * Tells an outage from a record that fails the same way every time. A transient failure that repeats identically (same
 * {@link FailureClassifier#signature}) {@code bound} times in a row on one partition, while the worker's other
 * partitions keep committing, is no outage: it is treated as {@link FailureKind#PERMANENT_FOR_RECORD}. A failure that
 * is an outage by its type ({@link FailureClassifier#isOutage}: a connection lost, the registry unreachable) and one
 * where every partition fails alike (nothing progresses) stay transient however long they last. Used by the
 * partition's thread only.
 */
public final class FailureStreak {

    /** The default bound: five identical failures in a row. */
    public static final int DEFAULT_BOUND = 5;

    private final int bound;
    private final LongSupplier progress;
    private String signature;
    private int count;
    private long progressAtStart;

    /**
     * @param progress a counter of the worker's committed batches, over all its partitions
     */
    public FailureStreak(int bound, LongSupplier progress) {
        if (bound < 1) {
            throw new IllegalArgumentException("bound must be at least 1, got " + bound);
        }
        this.bound = bound;
        this.progress = progress;
    }

    /**
     * Records a failure of the partition's current step and returns its kind: the classifier's, except that a
     * transient failure past the bound while others progress becomes permanent for the record.
     */
    public FailureKind record(Throwable failure) {
        return record(failure, progress.getAsLong());
    }

    /**
     * As {@link #record(Throwable)}, for an attempt that began when the progress counter stood at
     * {@code progressBeforeAttempt}: what other partitions committed while it ran (in the same round of batches)
     * counts as their progress.
     */
    public FailureKind record(Throwable failure, long progressBeforeAttempt) {
        FailureKind kind = FailureClassifier.classify(failure);
        String current = FailureClassifier.signature(failure);
        if (!current.equals(signature)) {
            signature = current;
            count = 0;
            progressAtStart = progressBeforeAttempt;
        }
        count++;
        if (kind == FailureKind.TRANSIENT && count >= bound && progress.getAsLong() > progressAtStart
                && !FailureClassifier.isOutage(failure)) {
            return FailureKind.PERMANENT_FOR_RECORD;
        }
        return kind;
    }

    /** How many times in a row the current failure has repeated. */
    public int count() {
        return count;
    }

    /** The step succeeded: the streak ends. */
    public void reset() {
        signature = null;
        count = 0;
    }
}
