package io.allsource.ingest.views.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One partition's live statistics: what {@code GET /partitions/{p}} answers, and the real-time form of the database's
 * {@code partition_stats} view. Built from each event of the partition exactly once. Immutable.
 *
 * @param partition         the partition
 * @param streams           streams seen with at least one event ({@code partition_stats.stream_count})
 * @param events            distinct events seen ({@code partition_stats.total_events})
 * @param highestVersion    the highest stream version seen ({@code partition_stats.max_events_in_stream})
 * @param lastSequence      the highest partition sequence seen ({@code partition_state.last_sequence} once caught up)
 * @param gapsSeen          how many times the partition sequence jumped: each jump was one alert
 * @param missingSequences  sequences below {@code lastSequence} still not seen, as ranges; empty when none
 */
public record PartitionStatistics(int partition, long streams, long events, long highestVersion, long lastSequence,
        long gapsSeen, List<SequenceRange> missingSequences) {

    public PartitionStatistics {
        missingSequences = missingSequences == null ? List.of() : List.copyOf(missingSequences);
    }

    public static PartitionStatistics empty(int partition) {
        return new PartitionStatistics(partition, 0, 0, 0, 0, 0, List.of());
    }

    /**
     * The statistics with one more event, not counted before, and the gap it revealed, if any.
     *
     * @param version    the event's version in its stream
     * @param sequence   the event's partition sequence
     * @param newStream  whether it is the first event seen of its stream
     */
    public Recorded record(long version, long sequence, NewStream newStream) {
        long streamCount = streams + (newStream == NewStream.YES ? 1 : 0);
        long highest = Math.max(highestVersion, version);
        if (sequence > lastSequence) {
            Optional<SequenceRange> gap = sequence > lastSequence + 1
                    ? Optional.of(new SequenceRange(lastSequence + 1, sequence - 1))
                    : Optional.empty();
            List<SequenceRange> missing = new ArrayList<>(missingSequences);
            gap.ifPresent(missing::add);
            return new Recorded(new PartitionStatistics(partition, streamCount, events + 1, highest, sequence,
                    gapsSeen + (gap.isPresent() ? 1 : 0), missing), gap, SequenceArrival.IN_ORDER);
        }
        List<SequenceRange> missing = fill(missingSequences, sequence);
        SequenceArrival arrival = missing.equals(missingSequences) ? SequenceArrival.REPEATED : SequenceArrival.LATE;
        return new Recorded(new PartitionStatistics(partition, streamCount, events + 1, highest, lastSequence,
                gapsSeen, missing), Optional.empty(), arrival);
    }

    /** How many sequences below {@code lastSequence} are still missing. */
    public long missingCount() {
        return missingSequences.stream().mapToLong(SequenceRange::length).sum();
    }

    private static List<SequenceRange> fill(List<SequenceRange> ranges, long sequence) {
        List<SequenceRange> result = new ArrayList<>(ranges.size() + 1);
        for (SequenceRange range : ranges) {
            if (!range.includes(sequence)) {
                result.add(range);
                continue;
            }
            if (range.from() < sequence) {
                result.add(new SequenceRange(range.from(), sequence - 1));
            }
            if (sequence < range.to()) {
                result.add(new SequenceRange(sequence + 1, range.to()));
            }
        }
        return result;
    }

    /** Whether an event is the first one seen of its stream. */
    public enum NewStream { YES, NO }

    /** How an event's partition sequence relates to those seen before. */
    public enum SequenceArrival {
        /** Above every sequence seen: the normal case, or a jump that opened a gap. */
        IN_ORDER,
        /** Below the highest, filling a sequence that had been missing. */
        LATE,
        /** Below the highest and not missing: another event already carried this sequence (a broken contract). */
        REPEATED
    }

    /**
     * The outcome of {@link #record}.
     *
     * @param statistics the new statistics
     * @param gap        the sequences skipped by this event, when it jumped ahead
     * @param arrival    how its sequence arrived
     */
    public record Recorded(PartitionStatistics statistics, Optional<SequenceRange> gap, SequenceArrival arrival) {
    }
}
