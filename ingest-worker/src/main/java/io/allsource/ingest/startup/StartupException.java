package io.allsource.ingest.startup;

/** The worker cannot start: the message says what is wrong and what to do about it. */
public class StartupException extends RuntimeException {

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
