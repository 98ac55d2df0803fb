package io.allsource.ingest.store;

import io.allsource.ingest.batch.BatchEntry;
import java.util.List;

/**
 * One partition's part of a batch transaction: consecutive entries of the partition in offset order, applied only while
 * {@code epoch} is still the partition's owner epoch.
 */
public record PartitionBatch(int partition, long epoch, List<BatchEntry> entries) {

    public PartitionBatch {
        entries = List.copyOf(entries);
    }
}
