package io.allsource.ingest.failure;

/**
 * What a failure means for the worker, decided where it happens (DESIGN.md section 5, "Failures").
 */
public enum FailureKind {

    /**
     * The broker, the database or the registry is unavailable or overloaded: back off and try the same step again;
     * nothing is skipped.
     */
    TRANSIENT,

    /**
     * The same record will fail the same way however long we wait (the broker refuses the record or its destination,
     * the database refuses its data, an output too large to publish): the record gets a defined outcome and its
     * partition moves on.
     */
    PERMANENT_FOR_RECORD,

    /**
     * No retry can fix it and no record is to blame (authorization, an unsupported broker, a deployment the worker
     * cannot serve): the worker stops with a one-line reason and a non-zero exit status.
     */
    FATAL
}
