package io.allsource.ingest.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.metrics.ReceivableRecords.Look;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The lag counted in offsets a read_committed consumer receives, with what a look into the topic would find. */
class PartitionLagsTest {

    /** A look asked for: partition, from, until. */
    private record Asked(int partition, long from, long until) {
    }

    private final List<Asked> asked = new ArrayList<>();

    private PartitionLags lagsFinding(Function<Asked, Look> answer) {
        return new PartitionLags((partition, from, until) -> {
            Asked question = new Asked(partition, from, until);
            asked.add(question);
            return answer.apply(question);
        });
    }

    @Test
    void isZeroWithoutALookWhenEverythingBelowTheStableEndIsApplied() {
        PartitionLags lags = lagsFinding(question -> new Look(question.from(), true));

        assertThat(lags.lag(3, 40, 40)).isZero();
        assertThat(lags.lag(3, 40, 41)).isZero();
        assertThat(asked).isEmpty();
    }

    @Test
    void isZeroWhenOnlyATransactionMarkerFollowsTheLastAppliedRecordAndLooksOnlyOnce() {
        PartitionLags lags = lagsFinding(question -> new Look(question.until(), false));

        assertThat(lags.lag(3, 6, 5)).isZero();
        assertThat(lags.lag(3, 6, 5)).isZero();
        assertThat(asked).containsExactly(new Asked(3, 5, 6));
    }

    @Test
    void countsFromTheFirstReceivableRecordAndKeepsItWhileTheAppliedOffsetStays() {
        PartitionLags lags = lagsFinding(question -> new Look(12, true));

        assertThat(lags.lag(7, 20, 10)).isEqualTo(8);
        assertThat(lags.lag(7, 25, 10)).isEqualTo(13);
        assertThat(asked).containsExactly(new Asked(7, 10, 20));
    }

    @Test
    void resumesALookThatWasCutShortWhereItStopped() {
        PartitionLags lags = lagsFinding(question -> new Look(Math.min(question.from() + 5, question.until()), false));

        assertThat(lags.lag(1, 20, 10)).isEqualTo(5);
        assertThat(lags.lag(1, 20, 10)).isZero();
        assertThat(asked).containsExactly(new Asked(1, 10, 20), new Asked(1, 15, 20));
    }

    @Test
    void looksFromTheStableEndItKnewOnceTheEndMovesOn() {
        PartitionLags lags = lagsFinding(question -> question.from() < 8
                ? new Look(question.until(), false) : new Look(question.from() + 1, true));

        assertThat(lags.lag(2, 8, 5)).isZero();
        assertThat(lags.lag(2, 12, 5)).isEqualTo(3);
        assertThat(asked).containsExactly(new Asked(2, 5, 8), new Asked(2, 8, 12));
    }

    @Test
    void looksAgainWhenTheAppliedOffsetMoves() {
        PartitionLags lags = lagsFinding(question -> new Look(question.from(), true));

        assertThat(lags.lag(0, 30, 10)).isEqualTo(20);
        assertThat(lags.lag(0, 30, 20)).isEqualTo(10);
        assertThat(asked).containsExactly(new Asked(0, 10, 30), new Asked(0, 20, 30));
    }

    @Test
    void countsEveryOffsetUpToTheStableEndWhenALookLearnsNothing() {
        PartitionLags lags = lagsFinding(question -> new Look(question.from(), false));

        assertThat(lags.lag(4, 30, 10)).isEqualTo(20);
        assertThat(lags.lag(4, 30, 10)).isEqualTo(20);
        assertThat(asked).hasSize(2);
    }
}
