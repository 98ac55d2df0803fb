package io.allsource.ingest.metrics;

/**
 * Looks into a partition of the commands topic as a {@code read_committed} consumer sees it, which skips transaction
 * markers (commit and abort) and the records of aborted transactions: offsets that take room in the log but that no
 * such consumer ever receives.
 */
@FunctionalInterface
interface ReceivableRecords {

    /**
     * What lies in [from, until) of a partition.
     *
     * @param clearUntil    nothing receivable lies in [from, clearUntil); with {@code recordThere}, the offset of the
     *                      first receivable record, else how far the look got (until, or less when it was cut short)
     * @param recordThere   a receivable record lies at {@code clearUntil}
     */
    record Look(long clearUntil, boolean recordThere) {
    }

    /**
     * @param partition the partition of the commands topic
     * @param from      the first offset to look at
     * @param until     the last stable offset: where a {@code read_committed} consumer stops
     */
    Look look(int partition, long from, long until);
}
