package io.allsource.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The rule deciding, at a claim, whether a partition's stored offsets belong to its log. */
class LogCheckTest {

    private static final String TOPIC_ID = "6vE0nqP3RRu4pyaZ3Gc3ug";
    private static final String OTHER_TOPIC_ID = "Xr1cQ8K9T2mTqg6jVq1Jxw";

    private static LogRange log(long start, long end) {
        return new LogRange("ingest.commands", 7, TOPIC_ID, start, end);
    }

    @Test
    void matchesWhenTheStoredOffsetLiesWithinTheLogUnderTheSameTopicId() {
        assertThat(LogCheck.mismatch(TOPIC_ID, 5, log(0, 10))).isEmpty();
    }

    @Test
    void matchesAtEitherEndOfTheLog() {
        assertThat(LogCheck.mismatch(TOPIC_ID, 3, log(3, 10))).isEmpty();
        assertThat(LogCheck.mismatch(TOPIC_ID, 10, log(3, 10))).isEmpty();
        assertThat(LogCheck.mismatch(TOPIC_ID, 0, log(0, 0))).isEmpty();
    }

    @Test
    void matchesOnTheFirstClaimEverWhenNoTopicIdIsStored() {
        assertThat(LogCheck.mismatch(null, 0, log(0, 3))).isEmpty();
    }

    @Test
    void holdsWhenTheTopicWasRecreatedEvenThoughTheOffsetLiesWithinTheNewLog() {
        assertThat(LogCheck.mismatch(OTHER_TOPIC_ID, 2, log(0, 3))).hasValueSatisfying(reason -> assertThat(reason)
                .contains("partition 7 of ingest.commands is held", "stored next offset 2", "log range [0, 3)",
                        "topic id stored " + OTHER_TOPIC_ID + ", now " + TOPIC_ID, "deleted and created again",
                        "ingest offsets --partition 7 --reset-to")
                .doesNotContain("\n"));
    }

    @Test
    void matchesARecreatedTopicWhenThePartitionNeverAppliedAnything() {
        assertThat(LogCheck.mismatch(OTHER_TOPIC_ID, 0, log(0, 3))).isEmpty();
        assertThat(LogCheck.mismatch(OTHER_TOPIC_ID, 0, log(2, 3))).isPresent();
    }

    @Test
    void holdsWhenRecordsWereDeletedBeforeTheyWereApplied() {
        assertThat(LogCheck.mismatch(TOPIC_ID, 2, log(5, 9))).hasValueSatisfying(reason -> assertThat(reason)
                .contains("stored next offset 2", "log range [5, 9)", "offsets 2 to 4 were deleted before they"
                        + " were applied"));
    }

    @Test
    void holdsWhenTheLogEndsBeforeTheStoredOffset() {
        assertThat(LogCheck.mismatch(null, 2, log(0, 0))).hasValueSatisfying(reason -> assertThat(reason)
                .contains("stored next offset 2", "log range [0, 0)", "truncated or replaced"));
    }

    @Test
    void refusesALogRangeThatIsNotARange() {
        assertThatThrownBy(() -> log(5, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ingest.commands-7");
    }
}
