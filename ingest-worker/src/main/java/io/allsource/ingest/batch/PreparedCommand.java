package io.allsource.ingest.batch;

import io.allsource.ingest.command.CommandFingerprint;
import java.util.List;
import java.util.UUID;

/** A batch entry after the checks that need no I/O, with the key its result is stored under. */
public sealed interface PreparedCommand {

    BatchEntry entry();

    /**
     * The primary key of the command's stored result: its command id, or {@code invalid:<partition>:<offset>}, with
     * {@code :<resetId>} after it once an offset reset has superseded outcomes of the partition ({@link
     * io.allsource.ingest.command.FallbackKey}).
     */
    String resultKey();

    /** The fingerprint of the command's content, or {@code null} for a record without a usable command id. */
    CommandFingerprint fingerprint();

    /** A record with no usable command id (undecodable, or an id that is not a UUID): rejected as invalid. */
    record Unreadable(BatchEntry entry, String resultKey, String message) implements PreparedCommand {
        @Override
        public CommandFingerprint fingerprint() {
            return null;
        }
    }

    /**
     * A command with a usable id that breaks a rule, or that a later step refused ({@link BatchEntry.Refused}):
     * rejected as invalid unless its id already has a result.
     */
    record Invalid(BatchEntry entry, String resultKey, String message, CommandFingerprint fingerprint)
            implements PreparedCommand {
    }

    /** A command that follows every rule that needs no I/O; {@code eventIds} given or derived, in event order. */
    record Valid(BatchEntry.Decoded entry, String resultKey, List<UUID> eventIds, int homePartition,
            CommandFingerprint fingerprint) implements PreparedCommand {
        public Valid {
            eventIds = List.copyOf(eventIds);
        }
    }
}
