package io.allsource.ingest.store;

/**
 * What the store holds of one stream's life.
 *
 * @param currentVersion       the stream's version (its last event's)
 * @param deletedAtVersion     the version it was deleted at, or {@code null} while not deleted; a deleted stream is
 *                             never written again
 * @param erasedThroughVersion the highest version an erase (or the delete) redacted, or {@code null} when none did
 */
public record StreamStatus(String streamId, long currentVersion, Long deletedAtVersion, Long erasedThroughVersion) {

    public boolean deleted() {
        return deletedAtVersion != null;
    }

    /** One line for people: {@code stream 'S' was deleted at version 3}, or its version and what was erased. */
    public String describe() {
        if (deleted()) {
            return "stream '" + streamId + "' was deleted at version " + deletedAtVersion
                    + "; its events are erased and the stream id is never used again";
        }
        return "stream '" + streamId + "' is at version " + currentVersion
                + (erasedThroughVersion == null ? "" : "; versions 1 to " + erasedThroughVersion + " are erased");
    }
}
