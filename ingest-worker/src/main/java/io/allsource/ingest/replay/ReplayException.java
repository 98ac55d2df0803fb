package io.allsource.ingest.replay;

/**
 * A replay that cannot start or go on: bad input (the message names the flag, such as {@code --to-topic}), or a
 * broker or database failure (the cause is kept). What was acknowledged before it is recorded.
 */
public final class ReplayException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ReplayException(String message) {
        super(message);
    }

    public ReplayException(String message, Throwable cause) {
        super(message, cause);
    }
}
