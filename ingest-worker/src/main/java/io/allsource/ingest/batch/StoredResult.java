package io.allsource.ingest.batch;

import io.allsource.ingest.command.CommandFingerprint;
import io.allsource.ingest.command.CommandResult;
import java.util.Objects;

/**
 * A command id's result as stored, with the fingerprint of the content of the delivery that decided it.
 *
 * @param fingerprint {@code null} for results stored before fingerprints were kept, and for records without a
 *                    readable command; such a result is returned to every later delivery without comparing content
 */
public record StoredResult(CommandResult result, CommandFingerprint fingerprint) {

    public StoredResult {
        Objects.requireNonNull(result, "result");
    }

    /**
     * The result a later delivery with content {@code redelivered} gets: this one flagged duplicate, with a message
     * saying so when both fingerprints are known and differ.
     */
    public CommandResult answer(CommandFingerprint redelivered) {
        return differsFrom(redelivered) ? result.asDuplicateOfDifferentContent() : result.asDuplicate();
    }

    /** Whether a delivery with content {@code other} is known to differ from the one that decided this result. */
    public boolean differsFrom(CommandFingerprint other) {
        return fingerprint != null && other != null && !fingerprint.equals(other);
    }
}
