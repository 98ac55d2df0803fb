/**
 * The loop that drives the write path: consumers of the commands topic
 * ({@link io.allsource.ingest.worker.ConsumerLoop}, {@link io.allsource.ingest.worker.AssignedPartitions}), the state of
 * each owned partition ({@link io.allsource.ingest.worker.OwnedPartition}), its steps
 * ({@link io.allsource.ingest.worker.PartitionProcessor}), the fan-out of due batches over transactions through decode,
 * check and store ({@link io.allsource.ingest.worker.BatchApplier}), and what a failed step leads to
 * ({@link io.allsource.ingest.worker.FailureResponse}). The classes of the steps are called from here and never call
 * back.
 */
package io.allsource.ingest.worker;
