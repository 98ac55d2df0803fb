package io.allsource.ingest.failure;

/**
 * A failure no retry can fix and no record is to blame for: the worker stops, with this message as its one-line
 * reason, and exits with a non-zero status.
 */
public class FatalWorkerException extends RuntimeException {

    private final Step step;

    public FatalWorkerException(Step step, String message, Throwable cause) {
        super(message, cause);
        this.step = step;
    }

    /** The step that failed. */
    public Step step() {
        return step;
    }
}
