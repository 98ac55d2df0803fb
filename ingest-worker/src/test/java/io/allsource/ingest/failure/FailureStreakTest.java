package io.allsource.ingest.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailureStreakTest {

    private final AtomicLong progress = new AtomicLong();
    private final FailureStreak streak = new FailureStreak(3, progress::get);

    @Test
    void treatsATransientFailureRepeatingPastTheBoundWhileOthersProgressAsPermanentForTheRecord() {
        assertThat(streak.record(timeout())).isEqualTo(FailureKind.TRANSIENT);
        progress.incrementAndGet();
        assertThat(streak.record(timeout())).isEqualTo(FailureKind.TRANSIENT);

        assertThat(streak.record(timeout())).isEqualTo(FailureKind.PERMANENT_FOR_RECORD);
        assertThat(streak.count()).isEqualTo(3);
    }

    @Test
    void keepsAnOutageTransientWhenNothingElseProgresses() {
        for (int i = 0; i < 10; i++) {
            assertThat(streak.record(timeout())).isEqualTo(FailureKind.TRANSIENT);
        }
    }

    @Test
    void neverPromotesAnOutageByItsTypeHoweverOftenItRepeatsWhileOthersProgress() {
        for (int i = 0; i < 10; i++) {
            progress.incrementAndGet();
            assertThat(streak.record(new SQLException("connection reset", "08006"))).isEqualTo(FailureKind.TRANSIENT);
            assertThat(streak.record(new io.allsource.ingest.registry.RegistryUnavailableException("GET /schemas/ids/7",
                    null))).isEqualTo(FailureKind.TRANSIENT);
        }
    }

    @Test
    void startsAgainWhenTheFailureChanges() {
        streak.record(timeout());
        streak.record(timeout());
        progress.incrementAndGet();

        assertThat(streak.record(new SQLException("connection reset", "08006"))).isEqualTo(FailureKind.TRANSIENT);
        assertThat(streak.count()).isEqualTo(1);
    }

    @Test
    void startsAgainAfterASuccess() {
        streak.record(timeout());
        streak.record(timeout());
        progress.incrementAndGet();
        streak.reset();

        assertThat(streak.record(timeout())).isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void neverTurnsAFatalFailureIntoARecordsFault() {
        progress.incrementAndGet();
        for (int i = 0; i < 5; i++) {
            assertThat(streak.record(new SQLException("no such table", "42P01"))).isEqualTo(FailureKind.FATAL);
        }
    }

    @Test
    void countsWhatOthersCommittedDuringTheFailingAttemptAsProgress() {
        long before = progress.get();
        progress.incrementAndGet(); // another partition of the same round committed
        streak.record(timeout(), before);
        streak.record(timeout(), progress.get());

        assertThat(streak.record(timeout(), progress.get())).isEqualTo(FailureKind.PERMANENT_FOR_RECORD);
    }

    @Test
    void refusesABoundBelowOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> new FailureStreak(0, progress::get));
    }

    private static SQLException timeout() {
        return new SQLException("canceling statement due to statement timeout", "57014");
    }
}
