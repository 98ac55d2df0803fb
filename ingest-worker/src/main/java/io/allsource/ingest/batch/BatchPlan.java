package io.allsource.ingest.batch;

import java.util.List;

/**
 * Everything one batch transaction writes, decided in memory.
 *
 * @param commands     one decision per entry, in offset order
 * @param events       the events of the accepted commands, in partition sequence order
 * @param streamWrites one change per stream the batch appends to
 * @param erasures     the streams the batch deletes or erases, in command order
 * @param lastSequence the partition's highest sequence after the batch
 * @param nextOffset   the first offset after the batch
 */
public record BatchPlan(List<PlannedCommand> commands, List<PlannedEvent> events, List<StreamWrite> streamWrites,
        List<StreamErasure> erasures, long lastSequence, long nextOffset) {

    public BatchPlan {
        commands = List.copyOf(commands);
        events = List.copyOf(events);
        streamWrites = List.copyOf(streamWrites);
        erasures = List.copyOf(erasures);
    }

    /** A plan that deletes and erases nothing. */
    public BatchPlan(List<PlannedCommand> commands, List<PlannedEvent> events, List<StreamWrite> streamWrites,
            long lastSequence, long nextOffset) {
        this(commands, events, streamWrites, List.of(), lastSequence, nextOffset);
    }
}
