package io.allsource.ingest.client;

import java.time.Duration;

/**
 * No result arrived for a command within its timeout. The command may still be applied later: resend it with
 * {@link IngestClient#retry} (same command id) to learn its outcome, which the pipeline keeps. Immutable, so
 * thread-safe.
 */
public final class ResultTimeoutException extends IngestClientException {

    private static final long serialVersionUID = 1L;

    private final String commandId;
    private final Duration timeout;

    public ResultTimeoutException(String commandId, Duration timeout) {
        super("No result for command " + commandId + " within " + timeout
                + "; it may still be applied: retry it with the same command id to learn its outcome");
        this.commandId = commandId;
        this.timeout = timeout;
    }

    /** The command id that got no result. */
    public String commandId() {
        return commandId;
    }

    /** How long the client waited. */
    public Duration timeout() {
        return timeout;
    }
}
