package io.allsource.ingest.publish;

/**
 * Results or events could not be published (the broker or the registry unavailable, a send not acknowledged in time).
 * Transient: what was committed is still in the database and is published again from there.
 */
public class PublishException extends RuntimeException {

    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
