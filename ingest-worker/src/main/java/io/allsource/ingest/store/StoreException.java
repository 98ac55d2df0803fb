package io.allsource.ingest.store;

/** A failure of the event store that retrying will not cure: a bug, a schema mismatch, a constraint broken. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
