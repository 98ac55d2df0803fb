package io.allsource.ingest.replay;

import java.time.Duration;

/**
 * What one run of a replay did.
 *
 * @param targetTopic        the topic republished to
 * @param events             events the broker acknowledged in this run
 * @param partitions         partitions this run looked at
 * @param partitionsResumed  of them, those that continued stored progress
 * @param elapsed            from the first read to the last acknowledgement
 * @param complete           every partition reached the last sequence it had committed when the run began
 * @param stoppedBy          why the run ended before that: {@code --limit}, or a stop (Ctrl-C); null when complete
 */
public record ReplaySummary(String targetTopic, long events, int partitions, int partitionsResumed, Duration elapsed,
        boolean complete, String stoppedBy) {

    /** Events acknowledged a second over the whole run; 0 for a run without events. */
    public double eventsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return events == 0 || seconds <= 0 ? 0 : events / seconds;
    }
}
