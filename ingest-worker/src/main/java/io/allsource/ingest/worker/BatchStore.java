package io.allsource.ingest.worker;

import io.allsource.ingest.store.BatchOutcome;
import io.allsource.ingest.store.PartitionBatch;
import java.util.List;

/**
 * Where the apply threads write checked batches: {@link io.allsource.ingest.store.EventStore#appendBatches}, one
 * transaction for all the batches given, an outcome per batch in the same order; throws when the transaction failed
 * as a whole.
 */
@FunctionalInterface
interface BatchStore {

    List<BatchOutcome> appendBatches(List<PartitionBatch> batches);
}
