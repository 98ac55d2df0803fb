/**
 * Steps 2 and 3 of the write path: <b>check</b> ({@link io.allsource.ingest.batch.BatchChecker}, before any
 * connection is taken) and <b>plan</b> ({@link io.allsource.ingest.batch.BatchPlanner}, pure rules deciding every
 * command of a batch in memory, called by the store inside its transaction). Next step:
 * {@link io.allsource.ingest.store}.
 */
package io.allsource.ingest.batch;
