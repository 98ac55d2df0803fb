package io.allsource.ingest.audit;

import java.util.function.Consumer;

/**
 * The commands a producer sent, as it recorded them (a load generator keeps one), so that the audit can check that
 * each was answered. A command id sent several times (a retry) may appear several times. Implementations must be
 * safe to read while nothing is being added.
 */
public interface CommandHistory {

    /** One command as sent: its id and the partition of the commands topic it was sent to. */
    record SentCommand(String commandId, int partition) {
    }

    /** How many sends were recorded, retries included. */
    long size();

    /** Calls {@code action} for each recorded send, in any order. */
    void forEach(Consumer<SentCommand> action);
}
