package io.allsource.ingest.store;

/**
 * A failure of the event store that may pass: the connection was lost or refused, the server is shutting down or out
 * of resources, a serialization failure or deadlock. Nothing of the failed transaction was written; the caller retries
 * the same batch later with back-off.
 */
public class TransientStoreException extends StoreException {

    public TransientStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
