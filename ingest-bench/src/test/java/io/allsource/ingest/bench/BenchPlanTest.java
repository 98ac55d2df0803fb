package io.allsource.ingest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchPlanTest {

    @Test
    void thePresetsTimeEveryCeilingOverAtLeastSomeSecondsAndPreloadNothing() {
        assertThat(BenchPlan.quick().ceilingTime()).isEqualTo(Duration.ofSeconds(3));
        assertThat(BenchPlan.full().ceilingTime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(BenchPlan.quick().preloadEvents()).isZero();
    }

    @Test
    void aPreloadIsAPositiveMultipleOfTenEvents() {
        assertThat(BenchPlan.quick().withPreload(10_000_000).preloadEvents()).isEqualTo(10_000_000);
        assertThatThrownBy(() -> BenchPlan.quick().withPreload(2_005))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--preload must be a positive"
                        + " multiple of 10");
        assertThatThrownBy(() -> BenchPlan.quick().withPreload(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anotherInFlightKeepsThePreload() {
        assertThat(BenchPlan.quick().withPreload(2_000).withInFlight(10).preloadEvents()).isEqualTo(2_000);
    }

    @Test
    void theFixedRatesRunInTheOrderGivenAndAreNamedByTheirPercentage() {
        BenchPlan plan = BenchPlan.full().withPreload(2_000).withRateShares(List.of(0.1, 0.05, 0.125, 1.0));

        assertThat(plan.rateShares()).containsExactly(0.1, 0.05, 0.125, 1.0);
        assertThat(plan.preloadEvents()).isEqualTo(2_000);
        assertThat(plan.rateShares()).extracting(BenchPlan::rateLabel).containsExactly("10 %", "5 %", "12.5 %",
                "100 %");
        assertThat(BenchPlan.full().rateShares()).extracting(BenchPlan::rateLabel)
                .containsExactly("25 %", "50 %", "75 %");
        assertThat(BenchPlan.rateLabel(0.333)).isEqualTo("33.3 %");
    }

    @Test
    void twoRatesWithTheSameNameOrOneOutsideTheMaximumAreRefused() {
        assertThatThrownBy(() -> BenchPlan.full().withRateShares(List.of(0.5, 0.500001)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must differ");
        assertThatThrownBy(() -> BenchPlan.full().withRateShares(List.of(0.5, 1.5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(0, 1]");
    }

    @Test
    void theWarmUpGoesOnInStepsUpToItsLimitWhichIsAtLeastOneStep() {
        assertThat(BenchPlan.full().warmUp()).isEqualTo(Duration.ofSeconds(10));
        assertThat(BenchPlan.full().warmUpLimit()).isEqualTo(Duration.ofSeconds(90));
        assertThat(BenchPlan.quick().warmUpLimit()).isEqualTo(Duration.ofSeconds(9));
        BenchPlan full = BenchPlan.full();
        assertThatThrownBy(() -> new BenchPlan("custom", Duration.ofSeconds(10), Duration.ofSeconds(5),
                full.maximum(), full.perFixedRate(), full.rateShares(), full.inFlight(), full.streams(),
                full.hotStreams(), full.storeCommands(), full.storeStreams(), full.storeThreads(),
                full.brokerRecords(), full.ceilingTime(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the warm-up limit must be at least one warm-up step");
    }
}
