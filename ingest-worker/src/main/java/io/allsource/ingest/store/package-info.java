/**
 * Step 4 of the write path, <b>store</b>: the PostgreSQL event store applies the planned batches of several
 * partitions in one transaction, each fenced by its owner epoch
 * ({@link io.allsource.ingest.store.EventStore#appendBatches}), and reads streams, partitions and results back for
 * republication. Next step: {@link io.allsource.ingest.publish}.
 */
package io.allsource.ingest.store;
