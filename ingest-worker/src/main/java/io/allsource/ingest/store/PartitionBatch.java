package io.allsource.ingest.store;

import io.allsource.ingest.batch.PreparedBatch;
import java.util.Objects;

/**
 * One partition's checked batch, to be written under the epoch its partition was claimed with.
 *
 * @param prepared consecutive records of the partition, in offset order, after the check step
 */
public record PartitionBatch(int partition, long epoch, PreparedBatch prepared) {

    public PartitionBatch {
        Objects.requireNonNull(prepared, "prepared");
    }
}
