package io.allsource.ingest.worker;

import java.util.HashMap;
import java.util.Map;

/**
 * How a partition finds the record that fails its batch for a reason that lies in a record: its batches are halved,
 * each in a transaction of its own, until one record fails alone; that record is refused with the reason, so that it
 * gets a rejection and its neighbours commit. Narrowing ends once the batch that first failed is behind. State of one
 * {@link OwnedPartition}; used by its consumer's thread only.
 */
final class Narrowing {

    private final Map<Long, String> refusals = new HashMap<>();
    /** The most records a batch may hold while narrowing; 0 when not narrowing. */
    private int batchSize;
    /** The offset of the last record of the batch that first failed; past it, batches are whole again. */
    private long untilOffset;

    /** The size of the next batch, {@code full} when not narrowing. */
    int batchSize(int full) {
        return batchSize > 0 ? Math.min(full, batchSize) : full;
    }

    boolean isActive() {
        return batchSize > 0;
    }

    /**
     * A batch of {@code size} records, whose last record is at {@code lastOffset} and first at {@code firstOffset},
     * failed for a reason that lies in a record: the next batch holds half as many, and when a single record failed
     * alone, it is refused with {@code reason}.
     *
     * @param alone whether the batch failed in a transaction of its own (no other partition's batch shared it)
     * @return the offset of the record refused, or -1 when the batch was only narrowed
     */
    long failed(int size, long firstOffset, long lastOffset, String reason, boolean alone) {
        if (size > 1 || (batchSize == 0 && !alone)) {
            // A record is refused only once it failed in a transaction of its own: in a shared one, another
            // partition's rows may have been the cause.
            if (batchSize == 0) {
                untilOffset = lastOffset;
            }
            batchSize = Math.max(1, size / 2);
            return -1;
        }
        if (firstOffset >= 0) {
            refusals.put(firstOffset, reason);
        }
        batchSize = 0;
        return firstOffset;
    }

    /** The record at {@code offset} committed (applied or answered with its refusal). */
    void committed(long offset) {
        refusals.remove(offset);
    }

    /** The partition's stored next offset moved to {@code nextOffset}. */
    void advanced(long nextOffset) {
        if (batchSize > 0 && nextOffset > untilOffset) {
            // the batch that failed is behind us, every record of it committed: the failure was not in a record
            batchSize = 0;
        }
    }

    boolean isRefused(long offset) {
        return refusals.containsKey(offset);
    }

    /** Offsets of pending records refused, with why. */
    Map<Long, String> refusals() {
        return refusals;
    }

    void reset() {
        refusals.clear();
        batchSize = 0;
    }
}
