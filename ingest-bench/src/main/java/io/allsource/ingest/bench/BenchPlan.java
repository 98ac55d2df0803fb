package io.allsource.ingest.bench;

import java.time.Duration;
import java.util.List;

/**
 * How long and how big one benchmark run is.
 *
 * @param name           "quick", "full" or "custom"
 * @param warmUp         closed loop before measuring each workload (JIT, group join, caches), not recorded
 * @param maximum        the closed loop at maximum rate
 * @param perFixedRate   each open loop at a fixed rate
 * @param rateShares     the fixed rates, as shares of the measured maximum
 * @param inFlight       commands awaiting results in the closed loop
 * @param streams        streams (orders, for multi-stream) the pipeline workloads go round
 * @param hotStreams     streams of the contended workload
 * @param storeCommands  commands of the seed design, batch store and COPY contenders (one event each)
 * @param storeStreams   streams those commands go round
 * @param storeThreads   connections of the seed design and the batch store
 * @param brokerCommands commands produced and consumed for the broker ceiling, per workload
 */
public record BenchPlan(String name, Duration warmUp, Duration maximum, Duration perFixedRate, List<Double> rateShares,
        int inFlight, int streams, int hotStreams, int storeCommands, int storeStreams, int storeThreads,
        int brokerCommands) {

    public BenchPlan {
        rateShares = List.copyOf(rateShares);
        if (inFlight <= 0 || streams <= 0 || hotStreams <= 0 || storeCommands <= 0 || storeStreams <= 0
                || storeThreads <= 0 || brokerCommands <= 0) {
            throw new IllegalArgumentException("in-flight, streams and command counts must be positive");
        }
        if (rateShares.stream().anyMatch(share -> share <= 0 || share > 1)) {
            throw new IllegalArgumentException("rate shares must be in (0, 1], got " + rateShares);
        }
    }

    /** About two and a half minutes with four workloads, server start-up included. */
    public static BenchPlan quick() {
        return new BenchPlan("quick", Duration.ofSeconds(3), Duration.ofSeconds(6), Duration.ofSeconds(4),
                List.of(0.25, 0.5, 0.75), 1000, 20_000, 32, 5_000, 500, 4, 20_000);
    }

    /** About eleven minutes with four workloads, server start-up included. */
    public static BenchPlan full() {
        return new BenchPlan("full", Duration.ofSeconds(10), Duration.ofSeconds(40), Duration.ofSeconds(30),
                List.of(0.25, 0.5, 0.75), 1000, 100_000, 32, 20_000, 2_000, 4, 100_000);
    }

    public BenchPlan withInFlight(int commands) {
        return new BenchPlan(name, warmUp, maximum, perFixedRate, rateShares, commands, streams, hotStreams,
                storeCommands, storeStreams, storeThreads, brokerCommands);
    }
}
