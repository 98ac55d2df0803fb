package io.allsource.ingest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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
