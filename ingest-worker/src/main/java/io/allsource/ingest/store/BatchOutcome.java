package io.allsource.ingest.store;

import io.allsource.ingest.failure.Step;
import java.util.List;

/**
 * What became of a partition's batch: committed, fenced (both told by {@link EventStore#appendBatch}), or failed at a
 * step of the write path before anything was written (told by the worker, which catches what the steps throw).
 */
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

    /**
     * Nothing was written: {@code step} failed with {@code cause}, to be sorted by its kind. {@code alone} tells that
     * the failure was the batch's own: it failed decoding its records, or in a transaction that held no other
     * partition's batch, so that no other batch's rows can have caused it.
     */
    record Failed(Step step, RuntimeException cause, boolean alone) implements BatchOutcome {

        /** A failure that may have been another batch's. */
        public Failed(Step step, RuntimeException cause) {
            this(step, cause, false);
        }
    }
}
