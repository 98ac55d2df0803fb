package io.allsource.ingest.store;

/**
 * How far a partition has got in one respect (applied, published, recorded as published): every command offset below
 * {@code offset} and every partition sequence up to {@code sequence}.
 *
 * @param offset   the first command offset not covered
 * @param sequence the highest partition sequence covered (0 for none)
 */
public record Progress(long offset, long sequence) {

    public static final Progress NONE = new Progress(0, 0);

    /** Whether this covers everything {@code other} covers. */
    public boolean covers(Progress other) {
        return offset >= other.offset && sequence >= other.sequence;
    }

    /** The progress covering both. */
    public Progress max(Progress other) {
        return new Progress(Math.max(offset, other.offset), Math.max(sequence, other.sequence));
    }
}
