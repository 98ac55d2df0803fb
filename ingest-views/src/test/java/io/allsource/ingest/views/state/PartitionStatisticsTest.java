package io.allsource.ingest.views.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.views.state.PartitionStatistics.NewStream;
import io.allsource.ingest.views.state.PartitionStatistics.Recorded;
import io.allsource.ingest.views.state.PartitionStatistics.SequenceArrival;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionStatisticsTest {

    @Test
    void countsStreamsEventsAndTheHighestVersionWithoutGapsInOrder() {
        PartitionStatistics statistics = PartitionStatistics.empty(3)
                .record(1, 1, NewStream.YES).statistics()
                .record(2, 2, NewStream.NO).statistics()
                .record(1, 3, NewStream.YES).statistics();

        assertThat(statistics).isEqualTo(new PartitionStatistics(3, 2, 3, 2, 3, 0, List.of()));
    }

    @Test
    void aJumpInTheSequenceIsOneGapNamingTheMissingSequences() {
        PartitionStatistics before = PartitionStatistics.empty(0).record(1, 1, NewStream.YES).statistics();

        Recorded jumped = before.record(2, 5, NewStream.NO);

        assertThat(jumped.arrival()).isEqualTo(SequenceArrival.IN_ORDER);
        assertThat(jumped.gap()).contains(new SequenceRange(2, 4));
        assertThat(jumped.statistics().gapsSeen()).isEqualTo(1);
        assertThat(jumped.statistics().lastSequence()).isEqualTo(5);
        assertThat(jumped.statistics().missingCount()).isEqualTo(3);
        assertThat(jumped.statistics().record(3, 6, NewStream.NO).gap()).isEmpty();
    }

    @Test
    void aLateSequenceFillsItsGapWithoutAnotherAlert() {
        PartitionStatistics gapped = PartitionStatistics.empty(0).record(1, 1, NewStream.YES).statistics()
                .record(1, 5, NewStream.YES).statistics();

        Recorded late = gapped.record(2, 3, NewStream.NO);

        assertThat(late.arrival()).isEqualTo(SequenceArrival.LATE);
        assertThat(late.gap()).isEmpty();
        assertThat(late.statistics().missingSequences())
                .containsExactly(new SequenceRange(2, 2), new SequenceRange(4, 4));
        assertThat(late.statistics().gapsSeen()).isEqualTo(1);
        assertThat(late.statistics().lastSequence()).isEqualTo(5);
        assertThat(late.statistics().events()).isEqualTo(3);
    }

    @Test
    void aSequenceCarriedTwiceIsReportedAsRepeated() {
        PartitionStatistics statistics = PartitionStatistics.empty(0).record(1, 1, NewStream.YES).statistics()
                .record(2, 2, NewStream.NO).statistics();

        Recorded repeated = statistics.record(1, 2, NewStream.YES);

        assertThat(repeated.arrival()).isEqualTo(SequenceArrival.REPEATED);
        assertThat(repeated.statistics().missingSequences()).isEmpty();
        assertThat(repeated.statistics().lastSequence()).isEqualTo(2);
    }
}
