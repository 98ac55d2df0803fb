package io.allsource.ingest.client;

/**
 * The root of the client's unchecked exceptions. A future returned by {@link IngestClient} fails with one of its
 * subclasses when the client itself gives up on a command; Kafka's own exceptions pass through unchanged when sending
 * fails. Immutable, so thread-safe.
 */
public class IngestClientException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public IngestClientException(String message) {
        super(message);
    }

    public IngestClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
