package io.allsource.ingest.chaos;

/**
 * A partition of the commands topic whose stored next offset had not reached the topic's end when the soak's
 * catch-up deadline passed: records in it have no outcome, and the pipeline was not moving them on.
 *
 * @param nextOffset the next offset stored in {@code partition_state} (0 when the partition was never claimed)
 * @param endOffset  the topic's end offset once the load had stopped
 */
public record StalledPartition(int partition, long nextOffset, long endOffset) {

    @Override
    public String toString() {
        return "partition " + partition + " at offset " + nextOffset + " of " + endOffset;
    }
}
