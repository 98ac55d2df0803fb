package io.allsource.ingest.command;

/** Why a command was rejected; the names are the contract's. */
public enum RejectionReason {
    /** An expected version did not match the stream's current version. */
    CONCURRENCY_CONFLICT,
    /** The command's partition key, or one of its streams, belongs to another partition. */
    WRONG_PARTITION,
    /** An event id of the command is already taken, by an earlier event or by another event of the command. */
    DUPLICATE_EVENT_ID,
    /** The command could not be decoded or breaks a rule of the contract; the message names the field. */
    INVALID_COMMAND
}
