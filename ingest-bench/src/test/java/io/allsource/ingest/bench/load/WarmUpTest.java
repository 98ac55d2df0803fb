package io.allsource.ingest.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.bench.report.WarmUpFigures;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarmUpTest {

    private static final Duration STEP = Duration.ofSeconds(10);

    /** A closed loop that takes exactly its length on a fake clock, while the compilers run the given ms per step. */
    private static final class FakeJvm {
        long nanos;
        long compiledMillis;
        final Deque<Long> compilationPerStep;
        final List<Duration> loops = new ArrayList<>();

        FakeJvm(Long... compilationPerStep) {
            this.compilationPerStep = new ArrayDeque<>(List.of(compilationPerStep));
        }

        WarmUp warmUp() {
            return new WarmUp(length -> {
                loops.add(length);
                nanos += length.toNanos();
                compiledMillis += compilationPerStep.isEmpty() ? 0 : compilationPerStep.poll();
            }, () -> compiledMillis, () -> nanos);
        }
    }

    @Test
    void repeatsStepsUntilTheCompilersTookAtMostATenthOfAStep() throws InterruptedException {
        FakeJvm jvm = new FakeJvm(6_000L, 4_000L, 1_500L, 900L, 5_000L);

        WarmUpFigures figures = jvm.warmUp().run(STEP, Duration.ofSeconds(90));

        assertThat(jvm.loops).containsExactly(STEP, STEP, STEP, STEP);
        assertThat(figures.steps()).isEqualTo(4);
        assertThat(figures.seconds()).isEqualTo(40.0);
        assertThat(figures.compilationShare()).isEqualTo(0.09);
        assertThat(figures.settled()).isTrue();
    }

    @Test
    void stopsAtTheLimitWhenTheCompilersNeverQuietenAndSaysSo() throws InterruptedException {
        FakeJvm jvm = new FakeJvm(5_000L, 5_000L, 5_000L, 5_000L, 5_000L);

        WarmUpFigures figures = jvm.warmUp().run(STEP, Duration.ofSeconds(30));

        assertThat(figures.steps()).as("a fourth step would end after the 30 s limit").isEqualTo(3);
        assertThat(figures.seconds()).isEqualTo(30.0);
        assertThat(figures.compilationShare()).isEqualTo(0.5);
        assertThat(figures.settled()).isFalse();
    }

    @Test
    void runsOneStepWhenTheJvmDoesNotMeasureItsCompilers() throws InterruptedException {
        List<Duration> loops = new ArrayList<>();
        long[] nanos = {0};
        WarmUp warmUp = new WarmUp(length -> {
            loops.add(length);
            nanos[0] += length.toNanos();
        }, () -> -1, () -> nanos[0]);

        WarmUpFigures figures = warmUp.run(STEP, Duration.ofSeconds(90));

        assertThat(loops).hasSize(1);
        assertThat(figures).isEqualTo(new WarmUpFigures(1, 10.0, -1, false));
    }

    @Test
    void aQuietFirstStepIsEnough() throws InterruptedException {
        FakeJvm jvm = new FakeJvm(200L);

        WarmUpFigures figures = jvm.warmUp().run(STEP, Duration.ofSeconds(90));

        assertThat(figures.steps()).isEqualTo(1);
        assertThat(figures.settled()).isTrue();
    }

    @Test
    void describesItselfForTheProgressAndTheReport() {
        assertThat(new WarmUpFigures(6, 60.4, 0.04, true).describe())
                .isEqualTo("6 steps, 60 s (JIT compilers 4 % of the last step, quiet)");
        assertThat(new WarmUpFigures(9, 90, 0.31, false).describe())
                .isEqualTo("9 steps, 90 s (JIT compilers 31 % of the last step, not yet quiet at the limit)");
        assertThat(new WarmUpFigures(1, 10, -1, false).describe())
                .isEqualTo("1 step, 10 s (this JVM does not measure its JIT compilers)");
    }
}
