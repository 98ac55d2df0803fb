package io.allsource.ingest.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * The lag of each partition of the commands topic: from the offset the worker has applied everything below, to the
 * last stable offset (LSO, where a {@code read_committed} consumer stops), in offsets, not counting the transaction
 * markers and aborted records that come first in that range. A partition whose remaining offsets hold nothing a
 * {@code read_committed} consumer receives (a commit marker after the last applied command, say) has lag 0.
 *
 * <p>When the range is not empty, where its first receivable record lies is looked up once (one fetch) and kept while
 * the applied offset stays the same, so a caught-up partition behind a trailing marker costs one fetch, not one per
 * measurement; a look cut short is resumed where it stopped. Markers between receivable records still count: the
 * figure is exact at 0 and otherwise an upper bound on the records to apply. Not thread-safe: the lag monitor's thread
 * owns it.
 */
final class PartitionLags {

    /** What is known past {@code applied}: nothing receivable below {@code clearUntil}, maybe a record at it. */
    private record Known(long applied, long clearUntil, boolean recordThere) {
    }

    private final ReceivableRecords records;
    private final Map<Integer, Known> known = new HashMap<>();

    PartitionLags(ReceivableRecords records) {
        this.records = records;
    }

    /**
     * @param partition   the partition
     * @param stableEnd   its last stable offset
     * @param applied     the offset below which the worker has applied every receivable record
     * @return the lag in offsets, 0 or more
     */
    long lag(int partition, long stableEnd, long applied) {
        if (applied >= stableEnd) {
            known.remove(partition);
            return 0;
        }
        Known now = known.get(partition);
        if (now == null || now.applied() != applied) {
            now = new Known(applied, applied, false);
        }
        if (!now.recordThere() && now.clearUntil() < stableEnd) {
            ReceivableRecords.Look look = records.look(partition, now.clearUntil(), stableEnd);
            now = new Known(applied, Math.max(now.clearUntil(), look.clearUntil()), look.recordThere());
        }
        known.put(partition, now);
        return Math.max(0, stableEnd - now.clearUntil());
    }
}
