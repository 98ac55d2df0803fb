package io.allsource.ingest.store;

/**
 * The stored progress of one partition.
 *
 * @param ownerEpoch        the epoch of the current owner; a batch commits only under it
 * @param ownerId           who claimed the partition last
 * @param nextOffset        the first command offset not yet applied: where the consumer resumes
 * @param lastSequence      the highest partition sequence written
 * @param publishedOffset   results of offsets below it have been published
 * @param publishedSequence events up to this sequence have been published
 */
public record PartitionState(int partition, long ownerEpoch, String ownerId, long nextOffset, long lastSequence,
        long publishedOffset, long publishedSequence) {

    /** What is applied: offsets below {@code nextOffset}, sequences up to {@code lastSequence}. */
    public Progress committed() {
        return new Progress(nextOffset, lastSequence);
    }

    /** What is published: results below {@code publishedOffset}, events up to {@code publishedSequence}. */
    public Progress published() {
        return new Progress(publishedOffset, publishedSequence);
    }
}
