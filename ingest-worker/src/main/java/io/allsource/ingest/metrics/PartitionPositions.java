package io.allsource.ingest.metrics;

import java.util.OptionalLong;

/**
 * How far the worker has come in each partition of the commands topic, beyond the next offset stored in PostgreSQL:
 * an offset below which every record a {@code read_committed} consumer can receive has been applied. The stored next
 * offset is one past the last <em>applied</em> record, so it stays behind the transaction markers and aborted records
 * that follow it; a {@code read_committed} consumer's position moves past those, so once every record a partition's
 * consumer has fetched is applied, its position is such an offset. Thread-safe: the lag monitor asks from its own
 * thread.
 */
@FunctionalInterface
public interface PartitionPositions {

    /** Knows no position: the lag is measured from the stored next offset alone. */
    PartitionPositions UNKNOWN = partition -> OptionalLong.empty();

    /**
     * @param partition a partition of the commands topic, 0 to 31
     * @return the offset below which everything receivable of the partition is applied, or empty when this worker
     *         does not own the partition or still holds fetched records of it that are not applied
     */
    OptionalLong position(int partition);
}
