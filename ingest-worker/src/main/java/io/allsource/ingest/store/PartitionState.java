package io.allsource.ingest.store;

import io.allsource.ingest.command.FallbackKey;

/**
 * The stored progress of one partition.
 *
 * @param ownerEpoch        the epoch of the current owner; a batch commits only under it
 * @param ownerId           who claimed the partition last
 * @param nextOffset        the first command offset not yet applied: where the consumer resumes
 * @param lastSequence      the highest partition sequence written
 * @param publishedOffset   results of offsets below it have been published
 * @param publishedSequence events up to this sequence have been published
 * @param logResetId        the latest offset reset that superseded stored outcomes of the partition: the log its
 *                          offsets belong to began with it, and records without a usable command id are keyed with
 *                          it ({@link FallbackKey}); {@link FallbackKey#FIRST_LOG} when none has. Only a reset
 *                          changes it, and a reset bumps the epoch, so it is the same for every batch of one epoch
 */
public record PartitionState(int partition, long ownerEpoch, String ownerId, long nextOffset, long lastSequence,
        long publishedOffset, long publishedSequence, long logResetId) {

    /** The state of a partition none of whose outcomes an offset reset has superseded. */
    public PartitionState(int partition, long ownerEpoch, String ownerId, long nextOffset, long lastSequence,
            long publishedOffset, long publishedSequence) {
        this(partition, ownerEpoch, ownerId, nextOffset, lastSequence, publishedOffset, publishedSequence,
                FallbackKey.FIRST_LOG);
    }

    /** What is applied: offsets below {@code nextOffset}, sequences up to {@code lastSequence}. */
    public Progress committed() {
        return new Progress(nextOffset, lastSequence);
    }

    /** What is published: results below {@code publishedOffset}, events up to {@code publishedSequence}. */
    public Progress published() {
        return new Progress(publishedOffset, publishedSequence);
    }
}
