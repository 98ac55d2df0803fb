package io.allsource.ingest.failure;

import java.util.Locale;

/** The steps of the write path and of a partition's life where a failure can happen; used as a metric tag. */
public enum Step {
    /** Claiming a partition under a new epoch and reading its stored offsets. */
    CLAIM,
    /** Publishing again what was committed but not acknowledged by the broker. */
    REPUBLISH,
    /** Decoding a commands record with the registry. */
    DECODE,
    /** Copying an undecodable record to the dead-letter topic. */
    DEAD_LETTER,
    /** Writing a batch in one database transaction. */
    STORE,
    /** Publishing a committed batch's results and events. */
    PUBLISH,
    /** Recording publication progress and stream watermarks. */
    MARK;

    /** The name used as a metric tag and in log lines: {@code dead-letter}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
