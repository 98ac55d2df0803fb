package io.allsource.ingest.replay;

import io.allsource.ingest.partition.PartitionFunction;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * What to replay and how: checked when built, each problem named by its {@code ingest replay} flag. Immutable; build
 * with {@link #to(String)} and the {@code with...} methods.
 *
 * @param targetTopic   the topic to republish to ({@code --to-topic})
 * @param partitions    the partitions, ascending ({@code --partition}, else all 32)
 * @param start         where each partition starts when it has no progress, or on {@code --restart}; null when not
 *                      given (then a partition without progress starts at sequence 1, and one with progress continues
 *                      whatever start it was given)
 * @param eventsPerSecond the most events a second over all partitions ({@code --rate}); 0 for no limit
 * @param limit         the most events this run replays ({@code --limit}); 0 for no limit. A later run continues
 * @param restart       forget the stored progress of these partitions and start over ({@code --restart})
 * @param chunkSize     events read from the database, and acknowledged by the broker, per step
 */
public record ReplayRequest(String targetTopic, List<Integer> partitions, ReplayStart start, double eventsPerSecond,
        long limit, boolean restart, int chunkSize) {

    /** Events read and acknowledged per step unless told otherwise. */
    public static final int DEFAULT_CHUNK = 1_000;

    public ReplayRequest {
        Objects.requireNonNull(partitions, "partitions");
        if (targetTopic == null || targetTopic.isBlank()) {
            throw new ReplayException("--to-topic is required: the topic to republish the events to");
        }
        for (int partition : partitions) {
            if (partition < 0 || partition >= PartitionFunction.PARTITION_COUNT) {
                throw new ReplayException("--partition " + partition + " is out of range: the pipeline's partitions"
                        + " are 0 to " + (PartitionFunction.PARTITION_COUNT - 1));
            }
        }
        partitions = partitions.stream().distinct().sorted().toList();
        if (partitions.isEmpty()) {
            throw new ReplayException("--partition names no partition");
        }
        if (!(eventsPerSecond >= 0) || Double.isInfinite(eventsPerSecond)) {
            throw new ReplayException("--rate is " + eventsPerSecond + "; give events a second, more than 0");
        }
        if (limit < 0) {
            throw new ReplayException("--limit is " + limit + "; give a number of events, more than 0");
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be positive, got " + chunkSize);
        }
    }

    /** Every partition to {@code targetTopic}, from the start or the stored progress, without limits. */
    public static ReplayRequest to(String targetTopic) {
        return new ReplayRequest(targetTopic, IntStream.range(0, PartitionFunction.PARTITION_COUNT).boxed().toList(),
                null, 0, 0, false, DEFAULT_CHUNK);
    }

    public ReplayRequest withPartition(int partition) {
        return new ReplayRequest(targetTopic, List.of(partition), start, eventsPerSecond, limit, restart, chunkSize);
    }

    public ReplayRequest withStart(ReplayStart value) {
        return new ReplayRequest(targetTopic, partitions, value, eventsPerSecond, limit, restart, chunkSize);
    }

    /** At most {@code value} events a second; the flag's check: more than 0. */
    public ReplayRequest withRate(double value) {
        if (!(value > 0)) {
            throw new ReplayException("--rate is " + value + "; give events a second, more than 0");
        }
        return new ReplayRequest(targetTopic, partitions, start, value, limit, restart, chunkSize);
    }

    /** At most {@code value} events in this run; the flag's check: more than 0. */
    public ReplayRequest withLimit(long value) {
        if (value < 1) {
            throw new ReplayException("--limit is " + value + "; give a number of events, more than 0");
        }
        return new ReplayRequest(targetTopic, partitions, start, eventsPerSecond, value, restart, chunkSize);
    }

    public ReplayRequest withRestart() {
        return new ReplayRequest(targetTopic, partitions, start, eventsPerSecond, limit, true, chunkSize);
    }

    public ReplayRequest withChunkSize(int value) {
        return new ReplayRequest(targetTopic, partitions, start, eventsPerSecond, limit, restart, value);
    }

    /** The start of a partition replayed from scratch. */
    ReplayStart startOrBeginning() {
        return start == null ? ReplayStart.BEGINNING : start;
    }
}
