package io.allsource.ingest.worker;

import java.util.Optional;

/**
 * The rule that decides, at every claim, whether a partition's stored offsets belong to the log it is about to
 * consume: pure, no I/O. They do not when the commands topic's id differs from the one stored (the topic was deleted
 * and created again), when the stored next offset lies below the log start (records were deleted before they were
 * applied), or above the log end (the topic was truncated or replaced). Such a partition is held: nothing is consumed
 * until an operator resets it with {@code ingest offsets}, so that no offset is ever skipped without a record of who
 * and why. A stored next offset equal to the log start or end matches: nothing lies between. A partition that never
 * applied anything (stored next offset 0) matches a new topic of the same name whose log starts at 0: resuming at 0
 * skips nothing, so after a topic is recreated only the partitions that had applied commands are held.
 */
public final class LogCheck {

    private LogCheck() {
    }

    /**
     * @param storedTopicId    the topic id stored with the partition's offsets, or null when none was stored yet (the
     *                         first claim ever, or one before the id was kept): then only the offsets are compared
     * @param storedNextOffset the first offset the store has not applied
     * @param log              the partition's log now
     * @return why the partition must be held, in one line naming the partition, the stored offset, the log's range and
     *         the fix; empty when the stored offsets match the log
     */
    public static Optional<String> mismatch(String storedTopicId, long storedNextOffset, LogRange log) {
        String subject = "partition " + log.partition() + " of " + log.topic() + " is held: stored next offset "
                + storedNextOffset + ", log range " + log;
        String fix = "; after checking what was lost, run `ingest offsets --partition " + log.partition()
                + " --reset-to earliest|latest|N --reason TEXT`";
        boolean nothingApplied = storedNextOffset == 0 && log.start() == 0;
        if (storedTopicId != null && !storedTopicId.equals(log.topicId()) && !nothingApplied) {
            return Optional.of(subject + ", but the offsets belong to another topic of that name (topic id stored "
                    + storedTopicId + ", now " + log.topicId() + "): the topic was deleted and created again" + fix);
        }
        if (storedNextOffset < log.start()) {
            return Optional.of(subject + ": the records at offsets " + storedNextOffset + " to " + (log.start() - 1)
                    + " were deleted before they were applied" + fix);
        }
        if (storedNextOffset > log.end()) {
            return Optional.of(subject + ": the log ends before the stored offset, the topic was truncated or"
                    + " replaced" + fix);
        }
        return Optional.empty();
    }
}
