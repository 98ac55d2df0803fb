package io.allsource.ingest.command;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one command, as stored and as published. Exactly one is stored per command id; later deliveries of
 * the same id get it back with {@code duplicate} set.
 *
 * @param commandId     the command id, or, when none could be read, {@code invalid:<partition>:<offset>} with
 *                      {@code :<resetId>} after it once an offset reset has superseded outcomes of the partition
 *                      (see {@link FallbackKey})
 * @param reason        why rejected; {@code null} when accepted
 * @param message       detail naming the field or the versions; {@code null} when accepted
 * @param offset        the command's offset in its partition
 * @param firstSequence the partition sequence of the first event written, {@code null} unless accepted
 * @param lastSequence  the partition sequence of the last event written, {@code null} unless accepted
 * @param committedAt   the database time of the transaction that decided the outcome
 * @param operation     the stream operation an accepted delete or erase applied (its stream and version are the one
 *                      outcome in {@code streams}); {@code null} for every other result. Not on the wire: it tells
 *                      the publisher to publish the redacted copies and the tombstone with the result.
 */
public record CommandResult(
        String commandId,
        Status status,
        RejectionReason reason,
        String message,
        int partition,
        long offset,
        List<StreamOutcome> streams,
        Long firstSequence,
        Long lastSequence,
        boolean duplicate,
        Instant committedAt,
        StreamOperation.Kind operation) {

    /** Whether the command's events were written. */
    public enum Status { ACCEPTED, REJECTED }

    /** A result of no stream operation. */
    public CommandResult(String commandId, Status status, RejectionReason reason, String message, int partition,
            long offset, List<StreamOutcome> streams, Long firstSequence, Long lastSequence, boolean duplicate,
            Instant committedAt) {
        this(commandId, status, reason, message, partition, offset, streams, firstSequence, lastSequence, duplicate,
                committedAt, null);
    }

    public CommandResult {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(committedAt, "committedAt");
        streams = streams == null ? List.of() : List.copyOf(streams);
        if ((status == Status.ACCEPTED) != (reason == null)) {
            throw new IllegalArgumentException("An accepted result has no reason and a rejected one has: "
                    + status + " / " + reason);
        }
        if (operation != null && (status != Status.ACCEPTED || streams.size() != 1)) {
            throw new IllegalArgumentException("Only an accepted result of one stream carries an operation");
        }
    }

    public static CommandResult accepted(String commandId, int partition, long offset, List<StreamOutcome> streams,
            long firstSequence, long lastSequence, Instant committedAt) {
        return new CommandResult(commandId, Status.ACCEPTED, null, null, partition, offset, streams,
                firstSequence, lastSequence, false, committedAt);
    }

    public static CommandResult rejected(String commandId, RejectionReason reason, String message, int partition,
            long offset, List<StreamOutcome> streams, Instant committedAt) {
        return new CommandResult(commandId, Status.REJECTED, Objects.requireNonNull(reason, "reason"), message,
                partition, offset, streams, null, null, false, committedAt);
    }

    public boolean isAccepted() {
        return status == Status.ACCEPTED;
    }

    /** This stored result as returned to a later delivery of the same command id. */
    public CommandResult asDuplicate() {
        return new CommandResult(commandId, status, reason, message, partition, offset, streams,
                firstSequence, lastSequence, true, committedAt, operation);
    }

    /**
     * Whether publishing this result also publishes the redacted copies of its stream's events and a tombstone: an
     * accepted delete or erase, at its first delivery (a duplicate's were published with the first).
     */
    public boolean publishesErasure() {
        return operation != null && !duplicate;
    }

    /**
     * This stored result as returned to a later delivery of the same command id whose content differs from the
     * delivery that decided it (see {@link CommandFingerprint}): the stored outcome still stands, and the message says
     * so, followed by the stored message if there is one.
     */
    public CommandResult asDuplicateOfDifferentContent() {
        String note = "command_id " + commandId + " was already " + (isAccepted() ? "applied" : "rejected")
                + " with different content; this is its stored result"
                + (message == null ? "" : ". Stored message: " + message);
        return new CommandResult(commandId, status, reason, note, partition, offset, streams,
                firstSequence, lastSequence, true, committedAt, operation);
    }
}
