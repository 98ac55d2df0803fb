/**
 * How every step of the write path sorts its failures: transient, permanent for the record, or fatal for
 * the worker ({@link io.allsource.ingest.failure.FailureClassifier}); and when a repeated transient failure is really
 * a record's fault ({@link io.allsource.ingest.failure.FailureStreak}). Depends on no other package of the worker.
 */
package io.allsource.ingest.failure;
