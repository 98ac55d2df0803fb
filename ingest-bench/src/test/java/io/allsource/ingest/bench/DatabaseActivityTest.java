package io.allsource.ingest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.bench.report.DatabaseFigures;
import io.allsource.ingest.bench.report.PhaseTables;
import io.allsource.ingest.bench.report.TableCounters;
import io.allsource.ingest.bench.report.TopStatements;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatabaseActivityTest {

    private static TableSnapshot reading(long seqScans, long indexScans, long inserted) {
        return TableSnapshot.of(List.of(new TableCounters("events", seqScans, seqScans * 10, indexScans, inserted, 0,
                0)));
    }

    @Test
    void eachPhaseGetsTheDifferenceOfTheReadingsAroundItAndTheWorkloadTheFirstToTheLast() {
        List<TableSnapshot> readings = List.of(reading(5, 0, 0), reading(5, 100, 50), reading(6, 400, 250),
                reading(6, 410, 260));

        DatabaseFigures figures = DatabaseActivity.figures(List.of("warm-up", "maximum",
                DatabaseActivity.WORKER_CLOSED), readings, TopStatements.unavailable("not loaded"));

        assertThat(figures.phases()).extracting(PhaseTables::phase)
                .containsExactly("warm-up", "maximum", "worker closed");
        assertThat(figures.phases().get(0).tables()).containsExactly(new TableCounters("events", 0, 0, 100, 50, 0, 0));
        assertThat(figures.phases().get(1).tables())
                .containsExactly(new TableCounters("events", 1, 10, 300, 200, 0, 0));
        assertThat(figures.phases().get(2).tables()).containsExactly(new TableCounters("events", 0, 0, 10, 10, 0, 0));
        assertThat(figures.tables()).containsExactly(new TableCounters("events", 1, 10, 410, 260, 0, 0));
        assertThat(figures.statements().note()).isEqualTo("not loaded");
    }

    @Test
    void everyPhaseNeedsAReadingOnEachSide() {
        assertThatThrownBy(() -> DatabaseActivity.figures(List.of("warm-up", "maximum"),
                List.of(reading(0, 0, 0), reading(0, 1, 1)), TopStatements.of(List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 phases need 3 readings");
    }
}
