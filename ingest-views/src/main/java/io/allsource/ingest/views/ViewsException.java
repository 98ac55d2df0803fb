package io.allsource.ingest.views;

/** A failure of the live views; the message says what and, where it can, what to fix. */
public class ViewsException extends RuntimeException {

    public ViewsException(String message) {
        super(message);
    }

    public ViewsException(String message, Throwable cause) {
        super(message, cause);
    }
}
