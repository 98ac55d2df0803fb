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
 */
public record AppendCommand(
        String commandId, String tenantId, String partitionKey, List<StreamAppend> appends, Instant issuedAt) {

    public AppendCommand {
        appends = appends == null ? List.of() : List.copyOf(appends);
    }

    /** The key the partition function is applied to: the partition key, else the first append's stream id. */
    public String effectivePartitionKey() {
        if (partitionKey != null) {
            return partitionKey;
        }
        return appends.isEmpty() ? null : appends.get(0).streamId();
    }
}
