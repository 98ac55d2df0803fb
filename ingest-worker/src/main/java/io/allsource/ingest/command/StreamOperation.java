package io.allsource.ingest.command;

import java.util.Objects;

/**
 * A command's operation on one whole stream instead of appends, checked against the stream's current version like an
 * append.
 *
 * @param streamId        the stream
 * @param kind            what to do with it
 * @param expectedVersion what the operation expects of the stream's current version
 */
public record StreamOperation(String streamId, Kind kind, ExpectedVersion expectedVersion) {

    /** The operations of the contract's {@code StreamOperationKind}; {@link #UNKNOWN} is rejected. */
    public enum Kind {
        /** A symbol newer than this worker's schema, read as the enum's default: rejected as invalid. */
        UNKNOWN,
        /** Erase the stream, then refuse every later append to it: the stream id is never used again. */
        DELETE,
        /** Replace the content of the stream's stored events by the redaction marker; appends go on. */
        ERASE
    }

    public StreamOperation {
        Objects.requireNonNull(kind, "kind");
    }
}
