package io.allsource.ingest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.bench.report.WorkerPhase;
import io.allsource.ingest.metrics.WorkerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The worker's timings per phase, from what the worker's own meters counted between phase boundaries. */
class WorkerTimingsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final WorkerMetrics metrics = new WorkerMetrics(meters);

    @Test
    void givesEachPhaseTheMeansOfWhatWasCountedInItAlone() {
        metrics.transaction(9, TimeUnit.MILLISECONDS.toNanos(100)); // before the first boundary: not counted
        WorkerTimings timings = new WorkerTimings(meters);
        metrics.transaction(2, TimeUnit.MILLISECONDS.toNanos(10));
        metrics.transaction(4, TimeUnit.MILLISECONDS.toNanos(30));
        metrics.dwelled(TimeUnit.MILLISECONDS.toNanos(6));
        metrics.queued(TimeUnit.MILLISECONDS.toNanos(2));
        metrics.publication(TimeUnit.MILLISECONDS.toNanos(8));
        timings.phaseEnded("warm-up");
        metrics.transaction(1, TimeUnit.MILLISECONDS.toNanos(5));
        timings.phaseEnded("maximum");
        timings.phaseEnded("25 %");

        List<WorkerPhase> phases = timings.phases();

        assertThat(phases).extracting(WorkerPhase::phase).containsExactly("warm-up", "maximum", "25 %");
        WorkerPhase warmUp = phases.get(0);
        assertThat(warmUp.transactions()).isEqualTo(2);
        assertThat(warmUp.batchesPerTransaction()).isEqualTo(3.0);
        assertThat(warmUp.transactionMs()).isEqualTo(20.0);
        assertThat(warmUp.dwellMs()).isEqualTo(6.0);
        assertThat(warmUp.queueMs()).isEqualTo(2.0);
        assertThat(warmUp.publicationMs()).isEqualTo(8.0);
        assertThat(phases.get(1).transactions()).isEqualTo(1);
        assertThat(phases.get(1).transactionMs()).isEqualTo(5.0);
        assertThat(phases.get(1).dwellMs()).as("nothing dwelled in the phase").isZero();
        assertThat(phases.get(2).transactions()).isZero();
    }
}
