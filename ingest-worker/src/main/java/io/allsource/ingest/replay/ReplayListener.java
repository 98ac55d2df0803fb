package io.allsource.ingest.replay;

/** Told of a replay's progress after each acknowledged chunk, on the replaying thread; for a progress bar. */
@FunctionalInterface
public interface ReplayListener {

    /**
     * @param partition the partition the chunk belonged to
     * @param done      events acknowledged in this run so far
     * @param total     events this run set out to replay (the partitions' committed events beyond their start, at
     *                  most {@code --limit})
     */
    void acknowledged(int partition, long done, long total);

    ReplayListener NONE = (partition, done, total) -> { };
}
