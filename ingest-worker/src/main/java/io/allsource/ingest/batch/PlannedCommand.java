package io.allsource.ingest.batch;

import io.allsource.ingest.command.CommandResult;

/** The decision a batch takes for one entry. */
public sealed interface PlannedCommand {

    BatchEntry entry();

    /** The result to publish for this delivery. */
    CommandResult result();

    /** A first outcome, stored under {@code resultKey}. */
    record Decided(BatchEntry entry, String resultKey, CommandResult result) implements PlannedCommand {
    }

    /** A later delivery of a command id that has a result already: that result comes back, flagged duplicate. */
    record Redelivered(BatchEntry entry, String resultKey, CommandResult result) implements PlannedCommand {
    }
}
