package io.allsource.ingest.worker;

import io.allsource.ingest.store.PublicationMark;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The publication progress of a consumer's partitions being written, each partition beside its mark (its number, the
 * epoch it was claimed under and what the broker had acknowledged), and the partitions the write found fenced, once
 * it has ended.
 */
record MarksInFlight(List<OwnedPartition> partitions, List<PublicationMark> marks,
        CompletableFuture<Set<Integer>> fenced) {

    MarksInFlight {
        partitions = List.copyOf(partitions);
        marks = List.copyOf(marks);
    }

    /**
     * The marks of those of {@code partitions} whose progress moved since it was last written. A partition not
     * claimed under an epoch of its own has none to write: trying would only find it fenced again, and a partition
     * being claimed again after a fence would never get to its claim.
     *
     * @param quietFor leave out the partitions that handed a batch over less than this long ago, or have one in a
     *                 transaction or records to apply: their next batch records their progress, and a marks
     *                 transaction would hold their rows' locks while it runs; null to leave none out
     */
    static MarksInFlight of(Collection<OwnedPartition> partitions, Duration quietFor) {
        List<OwnedPartition> behind = new ArrayList<>();
        List<PublicationMark> marks = new ArrayList<>();
        for (OwnedPartition partition : partitions) {
            boolean stopped = partition.phase() == OwnedPartition.Phase.FENCED
                    || partition.phase() == OwnedPartition.Phase.HELD
                    || partition.phase() == OwnedPartition.Phase.CLAIMING;
            boolean busy = quietFor != null && !partition.isQuietFor(quietFor);
            if (partition.markersBehind() && !stopped && !busy) {
                behind.add(partition);
                marks.add(PublicationMark.of(partition.partition(), partition.epoch(), partition.published()));
            }
        }
        return new MarksInFlight(behind, marks, null);
    }

    boolean isEmpty() {
        return marks.isEmpty();
    }

    /** The same marks, being written: {@code fenced} completes with the partitions found under another epoch. */
    MarksInFlight written(CompletableFuture<Set<Integer>> fencedPartitions) {
        return new MarksInFlight(partitions, marks, fencedPartitions);
    }
}
