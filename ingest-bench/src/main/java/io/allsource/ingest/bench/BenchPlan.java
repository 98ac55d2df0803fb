package io.allsource.ingest.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;

/**
 * How long and how big one benchmark run is.
 *
 * <p>The ceilings and store contenders are sized by time, not by a count: each runs first as a warm-up that is not
 * reported (producer and consumer start-up, metadata, connections, JIT), then is timed over at least
 * {@code ceilingTime} of steady work. The broker ceiling sends its {@code brokerRecords} once as its warm-up, then
 * keeps sending them in turn until {@code ceilingTime} has passed, and is timed from the first of those sends to the
 * last record consumed; each store contender (seed design, batch store, COPY) runs {@code storeCommands} as its
 * warm-up, then runs again on emptied tables sized from that rate to last at least {@code ceilingTime}
 * ({@link StoreSizing}).
 *
 * @param name          "quick", "full" or "custom"
 * @param warmUp        one step of the closed loop before measuring each workload (JIT, group join, caches), not
 *                      recorded; steps repeat until the JIT compilers are quiet ({@code WarmUp})
 * @param warmUpLimit   the longest the warm-up steps may go on
 * @param maximum       the closed loop at maximum rate
 * @param perFixedRate  each open loop at a fixed rate
 * @param rateShares    the fixed rates, as shares of the measured maximum, in the order they run; each in (0, 1], no
 *                      two with the same {@linkplain #rateLabel label}
 * @param inFlight      commands awaiting results in the closed loop
 * @param streams       streams (orders, for multi-stream) the pipeline workloads go round
 * @param hotStreams    streams of the contended workload
 * @param storeCommands commands of each store contender's warm-up run, and the least of its timed run (one event each)
 * @param storeStreams  streams those commands go round
 * @param storeThreads  connections of the seed design and the batch store
 * @param brokerRecords distinct command records of a workload's broker ceiling, sent once untimed as its warm-up, then
 *                      in turn while it is timed
 * @param ceilingTime   the least time each broker ceiling and store contender is timed over, after its warm-up
 * @param preloadEvents events written into a fresh schema before new-streams runs again there (10 per stream); 0 for
 *                      no such run
 */
public record BenchPlan(String name, Duration warmUp, Duration warmUpLimit, Duration maximum, Duration perFixedRate, List<Double> rateShares,
        int inFlight, int streams, int hotStreams, int storeCommands, int storeStreams, int storeThreads,
        int brokerRecords, Duration ceilingTime, long preloadEvents) {

    public BenchPlan {
        rateShares = List.copyOf(rateShares);
        if (inFlight <= 0 || streams <= 0 || hotStreams <= 0 || storeCommands <= 0 || storeStreams <= 0
                || storeThreads <= 0 || brokerRecords <= 0) {
            throw new IllegalArgumentException("in-flight, streams and command counts must be positive");
        }
        if (rateShares.stream().anyMatch(share -> share <= 0 || share > 1)) {
            throw new IllegalArgumentException("rate shares must be in (0, 1], got " + rateShares);
        }
        if (rateShares.stream().map(BenchPlan::rateLabel).distinct().count() < rateShares.size()) {
            throw new IllegalArgumentException("rate shares must differ in their first two decimals of a percent, got "
                    + rateShares);
        }
        if (warmUpLimit.compareTo(warmUp) < 0) {
            throw new IllegalArgumentException("the warm-up limit must be at least one warm-up step, got " + warmUpLimit);
        }
        if (ceilingTime.isNegative()) {
            throw new IllegalArgumentException("the ceiling time must not be negative, got " + ceilingTime);
        }
        if (preloadEvents != 0) {
            EventPreload.checkCount(preloadEvents);
        }
    }

    /**
     * About three minutes with four workloads, server start-up included: warm-up steps of 3 s (at most 9 s), 6 s at the
     * maximum, 4 s per fixed rate; every ceiling and store contender timed over at least 3 s after its warm-up.
     */
    public static BenchPlan quick() {
        return new BenchPlan("quick", Duration.ofSeconds(3), Duration.ofSeconds(9), Duration.ofSeconds(6),
                Duration.ofSeconds(4), List.of(0.25, 0.5, 0.75), 1000, 20_000, 32, 5_000, 500, 4, 20_000, Duration.ofSeconds(3), 0);
    }

    /**
     * About fifteen minutes with four workloads, server start-up included: warm-up steps of 10 s (at most 90 s; the
     * first workload takes most of that, the later ones find the JIT quiet), 40 s at the maximum, 30 s per fixed rate;
     * every ceiling and store contender timed over at least 10 s after its warm-up.
     */
    public static BenchPlan full() {
        return new BenchPlan("full", Duration.ofSeconds(10), Duration.ofSeconds(90), Duration.ofSeconds(40),
                Duration.ofSeconds(30), List.of(0.25, 0.5, 0.75), 1000, 100_000, 32, 20_000, 2_000, 4, 100_000,
                Duration.ofSeconds(10), 0);
    }

    public BenchPlan withInFlight(int commands) {
        return new BenchPlan(name, warmUp, warmUpLimit, maximum, perFixedRate, rateShares, commands, streams,
                hotStreams, storeCommands, storeStreams, storeThreads, brokerRecords, ceilingTime, preloadEvents);
    }

    /** This plan with other fixed rates, shares of the maximum in (0, 1], run in the order given. */
    public BenchPlan withRateShares(List<Double> shares) {
        return new BenchPlan(name, warmUp, warmUpLimit, maximum, perFixedRate, shares, inFlight, streams, hotStreams,
                storeCommands, storeStreams, storeThreads, brokerRecords, ceilingTime, preloadEvents);
    }

    /**
     * The name of the fixed-rate phase at {@code share} of the maximum, as the report and the JSON give it: the
     * percentage rounded to two decimals without trailing zeros, "50 %", "12.5 %".
     */
    public static String rateLabel(double share) {
        return BigDecimal.valueOf(share * 100).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString()
                + " %";
    }

    /** This plan, then new-streams again on a schema preloaded with {@code events} events (a multiple of 10). */
    public BenchPlan withPreload(long events) {
        EventPreload.checkCount(events);
        return new BenchPlan(name, warmUp, warmUpLimit, maximum, perFixedRate, rateShares, inFlight, streams,
                hotStreams, storeCommands, storeStreams, storeThreads, brokerRecords, ceilingTime, events);
    }
}
