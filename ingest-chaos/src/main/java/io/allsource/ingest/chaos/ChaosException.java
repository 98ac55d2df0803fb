package io.allsource.ingest.chaos;

/** The soak could not go on (a server would not start, a signal could not be sent); the message says what. */
public final class ChaosException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ChaosException(String message) {
        super(message);
    }

    public ChaosException(String message, Throwable cause) {
        super(message, cause);
    }
}
