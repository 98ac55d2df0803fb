/**
 * Step 2 of the write path, <b>check</b> ({@link io.allsource.ingest.batch.BatchChecker}: the rules that need no
 * I/O, before any connection is taken), and the rules the store applies inside its transaction in step 3, <b>plan</b>
 * ({@link io.allsource.ingest.batch.BatchPlanner}: pure, no I/O, deciding every command of a batch against what the
 * store looked up). The store calls the planner; the planner calls nothing.
 */
package io.allsource.ingest.batch;
