package io.allsource.ingest.store;

import java.util.List;

/** What became of a batch handed to {@link EventStore#appendBatch}. */
public sealed interface BatchOutcome {

    /**
     * The batch committed. {@code results} answer every entry that was not applied before, in offset order;
     * {@code events} are the events written, in partition sequence order; {@code state} is the partition's state after
     * the commit. {@code skipped} counts entries below the stored next offset, which an earlier batch had applied.
     */
    record Committed(List<RoutedResult> results, List<StoredEvent> events, PartitionState state, int skipped)
            implements BatchOutcome {
        public Committed {
            results = List.copyOf(results);
            events = List.copyOf(events);
        }
    }

    /**
     * Nothing was written: the partition is owned under another epoch now ({@code currentEpoch}, -1 when the partition
     * was never claimed). The caller must drop the partition.
     */
    record Fenced(int partition, long epoch, long currentEpoch, String currentOwner) implements BatchOutcome {
    }
}
