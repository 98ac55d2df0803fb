package io.allsource.ingest.store;

import io.allsource.ingest.batch.PreparedBatch;
import java.util.Objects;

/**
 * One partition's checked batch, to be written under the epoch its partition was claimed with.
 *
 * @param prepared  consecutive records of the partition, in offset order, after the check step
 * @param published what the broker has acknowledged of the partition so far: recorded as its publication progress
 *                  (with the watermarks of the streams published since it was last recorded) in the batch's
 *                  transaction, so that a partition that keeps applying needs no transaction of its own for that
 *                  ({@link Progress#NONE} records nothing)
 */
public record PartitionBatch(int partition, long epoch, PreparedBatch prepared, Progress published) {

    public PartitionBatch {
        Objects.requireNonNull(prepared, "prepared");
        Objects.requireNonNull(published, "published");
    }

    /** A batch that records no publication progress. */
    public PartitionBatch(int partition, long epoch, PreparedBatch prepared) {
        this(partition, epoch, prepared, Progress.NONE);
    }
}
