package io.allsource.ingest.replay;

import java.util.Optional;

/**
 * Where each (target topic, partition) replay stands: {@link StoredReplayProgress} keeps it in the table
 * {@code replay_progress}. Implementations are thread-safe.
 */
public interface ReplayProgress {

    /**
     * A partition's stored progress.
     *
     * @param startFrom            the start it was given, as {@link ReplayStart#describe()} wrote it
     * @param firstSequence        the sequence that start resolved to
     * @param acknowledgedSequence the highest sequence the broker acknowledged; {@code firstSequence - 1} before any
     * @param eventsReplayed       events acknowledged since it began (a chunk produced twice counts twice)
     */
    record Position(String startFrom, long firstSequence, long acknowledgedSequence, long eventsReplayed) {
    }

    Optional<Position> find(String targetTopic, int partition);

    /** Records that the partition's replay starts (over) at {@code firstSequence}, replacing any stored progress. */
    void begin(String targetTopic, int partition, ReplayStart start, long firstSequence);

    /** Records that the broker acknowledged every event of the partition through {@code sequence}. */
    void acknowledge(String targetTopic, int partition, long sequence, long events);
}
