package io.allsource.ingest.command;

import java.time.Instant;
import java.util.List;

/**
 * A producer's request to append events to one or more streams of one partition, atomically.
 *
 * @param commandId    a UUID; the idempotency key: a resent command gets its first result back and writes nothing
 * @param tenantId     owner of the events
 * @param partitionKey the key that places the command, or {@code null} for the stream id of the first append
 * @param appends      one or more appends, applied all or nothing
 * @param issuedAt     the producer's clock, informational
 * @param operation    the delete or erase the command carries instead of appends, or {@code null} for an append
 */
public record AppendCommand(String commandId, String tenantId, String partitionKey, List<StreamAppend> appends,
        Instant issuedAt, StreamOperation operation) {

    public AppendCommand {
        appends = appends == null ? List.of() : List.copyOf(appends);
    }

    /** An append command. */
    public AppendCommand(String commandId, String tenantId, String partitionKey, List<StreamAppend> appends,
            Instant issuedAt) {
        this(commandId, tenantId, partitionKey, appends, issuedAt, null);
    }

    /**
     * The streams the command touches, each with what it expects of it: its appends, or its stream operation as one
     * append without events.
     */
    public List<StreamAppend> targets() {
        return operation == null ? appends
                : List.of(new StreamAppend(operation.streamId(), operation.expectedVersion(), List.of()));
    }

    /** The contract's name of the field of target {@code index}: {@code appends[i]} or {@code stream_operation}. */
    public String targetField(int index) {
        return operation == null ? "appends[" + index + "]" : "stream_operation";
    }

    /** The key the partition function is applied to: the partition key, else the first append's stream id. */
    public String effectivePartitionKey() {
        if (partitionKey != null) {
            return partitionKey;
        }
        if (!appends.isEmpty()) {
            return appends.get(0).streamId();
        }
        return operation == null ? null : operation.streamId();
    }
}
