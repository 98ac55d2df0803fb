package io.allsource.ingest.bench.report;

import org.HdrHistogram.Histogram;

/**
 * Latency percentiles in milliseconds, from a command's intended send time to its result's arrival.
 *
 * @param count the latencies recorded
 */
public record LatencySummary(long count, double p50, double p95, double p99, double p999, double max) {

    /** The summary of {@code histogram}, which holds microseconds. */
    public static LatencySummary of(Histogram histogram) {
        return new LatencySummary(histogram.getTotalCount(), millis(histogram, 50), millis(histogram, 95),
                millis(histogram, 99), millis(histogram, 99.9), histogram.getTotalCount() == 0 ? 0
                        : histogram.getMaxValue() / 1000.0);
    }

    private static double millis(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
