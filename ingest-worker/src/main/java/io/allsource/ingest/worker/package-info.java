/**
 * The loop that drives the write path: consumers of the commands topic
 * ({@link io.allsource.ingest.worker.ConsumerLoop}), the state of each owned partition
 * ({@link io.allsource.ingest.worker.OwnedPartition}), its steps ({@link io.allsource.ingest.worker.PartitionProcessor})
 * and the fan-out of due batches over transactions ({@link io.allsource.ingest.worker.BatchApplier}): decode, check,
 * store, then publish. The classes of the steps are called from here and never call back.
 */
package io.allsource.ingest.worker;
