package io.allsource.ingest.store;

/**
 * How far a partition's publication has got: results of offsets below {@code publishedOffset} and events up to
 * {@code publishedSequence} are on the broker. Recorded only while {@code epoch} is the partition's epoch.
 */
public record PublicationMark(int partition, long epoch, long publishedOffset, long publishedSequence) {

    public static PublicationMark of(int partition, long epoch, Progress published) {
        return new PublicationMark(partition, epoch, published.offset(), published.sequence());
    }

    public Progress published() {
        return new Progress(publishedOffset, publishedSequence);
    }
}
