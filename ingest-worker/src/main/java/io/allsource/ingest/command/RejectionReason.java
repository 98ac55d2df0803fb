package io.allsource.ingest.command;

/**
 * Why a command was rejected; the names are the contract's. Stored in {@code command_results.reason} and counted in
 * {@code ingest.commands.applied} by these names; on the wire each goes as the result's {@code reason_code}, with the
 * closest symbol of the Avro enum in {@code reason} ({@link #wireSymbol()}).
 */
public enum RejectionReason {
    /** An expected version did not match the stream's current version. */
    CONCURRENCY_CONFLICT,
    /** The command's partition key, or one of its streams, belongs to another partition. */
    WRONG_PARTITION,
    /** An event id of the command is already taken, by an earlier event or by another event of the command. */
    DUPLICATE_EVENT_ID,
    /** The command could not be decoded or breaks a rule of the contract; the message names the field. */
    INVALID_COMMAND,
    /**
     * A stream of the command belongs to another tenant than the command's. Newer than the Avro enum of the first
     * release, so on the wire its {@code reason} is {@link #INVALID_COMMAND}: a permanent refusal, never to be retried.
     */
    TENANT_MISMATCH,
    /**
     * The stream of an append, delete or erase was deleted; the message names the version it was deleted at. A
     * deleted stream id is never used again. On the wire its {@code reason} is {@link #INVALID_COMMAND}.
     */
    STREAM_DELETED,
    /** A delete or erase names a stream that has no event. On the wire: {@link #INVALID_COMMAND}. */
    STREAM_NOT_FOUND,
    /**
     * A delete or erase names a stream with more events than one command may erase ({@code ERASE_LIMIT} of the
     * planner). On the wire: {@link #INVALID_COMMAND}.
     */
    ERASE_TOO_LARGE;

    /**
     * The symbol of the contract's {@code RejectionReason} enum that stands for this reason in a result's
     * {@code reason}: the reason itself when the enum of the first release has it, else the closest one it has, so that
     * a consumer holding that schema reads every result. The precise reason goes in {@code reason_code}.
     */
    public String wireSymbol() {
        return ordinal() > INVALID_COMMAND.ordinal() ? INVALID_COMMAND.name() : name();
    }
}
