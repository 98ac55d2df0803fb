package io.allsource.ingest.testkit;

/** The events topic did not hold the events a test waited for in time; the message says how many it held. */
public final class EventsMissingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    EventsMissingException(String message) {
        super(message);
    }
}
