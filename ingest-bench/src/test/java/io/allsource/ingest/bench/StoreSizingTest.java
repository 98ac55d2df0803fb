package io.allsource.ingest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StoreSizingTest {

    private static final long MILLIS = 1_000_000L;

    @Test
    void aShortRunIsScaledToAQuarterBeyondTheMinimumTime() {
        // 5,000 rows in 0.12 s, as the quick COPY ceiling did: about 156,000 rows for 3.75 s
        assertThat(StoreSizing.nextCommands(5_000, 120 * MILLIS, Duration.ofSeconds(3))).isEqualTo(156_250);
    }

    @Test
    void aRunThatWasLongEnoughIsNeverMadeSmaller() {
        assertThat(StoreSizing.nextCommands(20_000, 10_000 * MILLIS, Duration.ofSeconds(3))).isEqualTo(20_000);
    }

    @Test
    void theSizeIsCappedSoThatATinyElapsedTimeCannotAskForMillionsOfCommandsMore() {
        assertThat(StoreSizing.nextCommands(5_000, 1, Duration.ofSeconds(10))).isEqualTo(StoreSizing.MAX_COMMANDS);
    }

    @Test
    void aRunIsLongEnoughFromTheMinimumTimeOn() {
        assertThat(StoreSizing.longEnough(3_000 * MILLIS, Duration.ofSeconds(3))).isTrue();
        assertThat(StoreSizing.longEnough(2_999 * MILLIS, Duration.ofSeconds(3))).isFalse();
    }
}
