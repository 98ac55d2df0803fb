package io.allsource.ingest.batch;

import io.allsource.ingest.command.CommandFingerprint;
import io.allsource.ingest.command.CommandResult;

/** The decision a batch takes for one entry. */
public sealed interface PlannedCommand {

    BatchEntry entry();

    /** The result to publish for this delivery. */
    CommandResult result();

    /**
     * The fingerprint of this delivery's content, stored beside its outcome; {@code null} for a record without a
     * usable command id.
     */
    CommandFingerprint fingerprint();

    /** A first outcome, stored under {@code resultKey}. */
    record Decided(BatchEntry entry, String resultKey, CommandResult result, CommandFingerprint fingerprint)
            implements PlannedCommand {
    }

    /**
     * A later delivery of a command id that has a result already: that result comes back, flagged duplicate, and with
     * a message saying so if this delivery's content differs from the one that decided it.
     */
    record Redelivered(BatchEntry entry, String resultKey, CommandResult result, CommandFingerprint fingerprint)
            implements PlannedCommand {
    }
}
