package io.allsource.ingest.views.state;

/**
 * Partition sequences {@code from} to {@code to}, both included. Immutable.
 */
public record SequenceRange(long from, long to) {

    public SequenceRange {
        if (from < 1 || to < from) {
            throw new IllegalArgumentException("a sequence range needs 1 <= from <= to, got " + from + ".." + to);
        }
    }

    public boolean includes(long sequence) {
        return sequence >= from && sequence <= to;
    }

    /** How many sequences the range holds. */
    public long length() {
        return to - from + 1;
    }
}
