package io.allsource.ingest.views;

/**
 * A query that cannot be answered now, though it may be soon: the views are starting or rebalancing, or the instance
 * that owns the key does not answer. HTTP answers it with 503.
 */
public final class ViewsUnavailableException extends ViewsException {

    public ViewsUnavailableException(String message) {
        super(message);
    }

    public ViewsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
