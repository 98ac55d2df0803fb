package io.allsource.ingest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.bench.report.TableCounters;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableSnapshotTest {

    @Test
    void theDifferenceOfTwoReadingsIsWhatEachTableDidBetweenThem() {
        TableSnapshot before = TableSnapshot.of(List.of(
                new TableCounters("events", 2, 10, 100, 1_000, 0, 0),
                new TableCounters("event_streams", 1, 5, 50, 200, 300, 120)));
        TableSnapshot after = TableSnapshot.of(List.of(
                new TableCounters("events", 2, 10, 160, 1_600, 0, 0),
                new TableCounters("event_streams", 3, 905, 90, 260, 390, 200)));

        assertThat(after.since(before)).containsExactly(
                new TableCounters("event_streams", 2, 900, 40, 60, 90, 80),
                new TableCounters("events", 0, 0, 60, 600, 0, 0));
    }

    @Test
    void aTableThatDidNotExistAtTheEarlierReadingCountsFromZero() {
        TableSnapshot before = TableSnapshot.of(List.of());
        TableSnapshot after = TableSnapshot.of(List.of(new TableCounters("command_results", 1, 0, 7, 7, 0, 0)));

        assertThat(after.since(before)).containsExactly(new TableCounters("command_results", 1, 0, 7, 7, 0, 0));
    }

    @Test
    void aTableGoneByTheLaterReadingIsLeftOut() {
        TableSnapshot before = TableSnapshot.of(List.of(new TableCounters("offset_resets", 0, 0, 0, 0, 0, 0)));

        assertThat(TableSnapshot.of(List.of()).since(before)).isEmpty();
    }

    @Test
    void countersOfDifferentTablesAreNeverSubtracted() {
        TableCounters events = new TableCounters("events", 1, 1, 1, 1, 1, 1);

        assertThatThrownBy(() -> events.minus(TableCounters.none("event_streams")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event_streams");
    }

    @Test
    void aTableIsActiveWhenAnyCounterMoved() {
        assertThat(TableCounters.none("events").active()).isFalse();
        assertThat(new TableCounters("events", 0, 0, 0, 0, 1, 0).active()).isTrue();
    }
}
