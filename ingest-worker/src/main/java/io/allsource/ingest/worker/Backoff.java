package io.allsource.ingest.worker;

import java.time.Duration;

/**
 * Bounded exponential back-off of one partition's failing step: each failure doubles the pause, up to a maximum; a
 * success resets it. Used by one thread.
 */
final class Backoff {

    private final Duration initial;
    private final Duration max;
    private int attempts;
    private long retryAtNanos;

    Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    /** Records a failure and returns the number of the attempt that failed (1 for the first). */
    int fail() {
        attempts++;
        long pause = Math.min(max.toNanos(), initial.toNanos() << Math.min(attempts - 1, 20));
        retryAtNanos = System.nanoTime() + pause;
        return attempts;
    }

    void succeed() {
        attempts = 0;
        retryAtNanos = 0;
    }

    boolean isWaiting() {
        return attempts > 0 && System.nanoTime() < retryAtNanos;
    }

    int attempts() {
        return attempts;
    }

    boolean isRetrying() {
        return attempts > 0;
    }

    /** How long until the next attempt is due, zero when it is. */
    Duration remaining() {
        return attempts == 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, retryAtNanos - System.nanoTime()));
    }

    Duration currentPause() {
        return Duration.ofNanos(Math.min(max.toNanos(), initial.toNanos() << Math.min(Math.max(attempts - 1, 0), 20)));
    }
}
