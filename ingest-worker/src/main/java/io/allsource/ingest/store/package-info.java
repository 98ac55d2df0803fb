/**
 * Step 3 of the write path, <b>store</b>: the PostgreSQL event store takes the checked batches of several
 * partitions, fences them, looks up what their keys need ({@link io.allsource.ingest.store.BatchLookups}), plans them
 * with {@link io.allsource.ingest.batch.BatchPlanner} and writes them ({@link io.allsource.ingest.store.BatchSql}) in one
 * transaction ({@link io.allsource.ingest.store.EventStore#appendBatches}); and reads streams, partitions and results
 * back for republication. Next step: {@link io.allsource.ingest.publish}.
 */
package io.allsource.ingest.store;
