package io.allsource.ingest.audit;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * Tells which offsets of the commands topic hold a record that a {@code read_committed} consumer (as the worker's are)
 * receives. Every offset of a topic written by plain producers does; a transactional producer's commit and abort
 * markers, and the records of its aborted transactions, take offsets that no such consumer ever receives, so the
 * worker stores no outcome for them. The offset check asks about exactly the offsets it finds without an outcome.
 */
@FunctionalInterface
public interface ReceivedOffsets {

    /**
     * Takes every offset to hold a record: right for plain producers, and all the database alone can say. Offsets
     * taken by transaction markers are then reported as offsets without an outcome.
     */
    ReceivedOffsets EVERY_OFFSET = (partition, gaps, received) -> gaps.forEach(gap -> {
        for (long offset = gap.from(); offset < gap.to(); offset++) {
            received.accept(offset);
        }
    });

    /**
     * A range of offsets without an outcome.
     *
     * @param from the first offset
     * @param to   one past the last
     */
    record Gap(long from, long to) {

        public Gap {
            if (from < 0 || to <= from) {
                throw new IllegalArgumentException("Not a range of offsets: [" + from + ", " + to + ")");
            }
        }
    }

    /**
     * Reports the offsets of {@code gaps} that hold a received record, or that cannot be told apart (no longer in the
     * log, or beyond it): those lack an outcome.
     *
     * @param partition the partition of the commands topic
     * @param gaps      ranges of that partition, ascending and disjoint
     * @param received  told each such offset
     * @throws AuditException when the topic cannot be read
     */
    void receivedIn(int partition, List<Gap> gaps, LongConsumer received);
}
