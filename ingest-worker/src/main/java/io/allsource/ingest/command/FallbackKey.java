package io.allsource.ingest.command;

/**
 * The key a record without a usable command id (undecodable, or an id that is not a canonical UUID) is answered and
 * its outcome stored under, in place of a command id:
 *
 * <ul>
 *   <li>{@code invalid:<partition>:<offset>} while no offset reset has superseded stored outcomes of the partition (its
 *       first log, and every key stored before the suffix existed);</li>
 *   <li>{@code invalid:<partition>:<offset>:<resetId>} once one has, {@code resetId} being the latest such reset
 *       ({@code offset_resets.reset_id}, kept as {@code partition_state.log_reset_id}).</li>
 * </ul>
 *
 * <p>The suffix keeps the logs of a partition apart. A reset that supersedes outcomes (the commands topic recreated, or
 * the partition moved back) makes offsets that already hold an outcome be consumed again from a new log; without it, a
 * new record at an offset whose old record got such a key would get the same key, which {@code command_results}
 * already holds as its primary key. Reset ids only grow, so a key is never reused; a reset that supersedes nothing
 * keeps the suffix, since the log's offsets go on without ever meeting an earlier one. Neither form is a UUID, so no
 * command id can take one. Thread-safe (no state).
 */
public final class FallbackKey {

    /** The {@code logResetId} of a partition none of whose outcomes an offset reset has superseded. */
    public static final long FIRST_LOG = 0;

    private FallbackKey() {
    }

    /**
     * The key of the record at {@code offset} of {@code partition}.
     *
     * @param logResetId the latest offset reset that superseded stored outcomes of the partition, or
     *                   {@link #FIRST_LOG} when none has
     * @throws IllegalArgumentException when a number is negative
     */
    public static String of(int partition, long offset, long logResetId) {
        if (partition < 0 || offset < 0 || logResetId < 0) {
            throw new IllegalArgumentException("partition " + partition + ", offset " + offset + " and log reset id "
                    + logResetId + " cannot be negative");
        }
        String key = "invalid:" + partition + ":" + offset;
        return logResetId == FIRST_LOG ? key : key + ":" + logResetId;
    }
}
