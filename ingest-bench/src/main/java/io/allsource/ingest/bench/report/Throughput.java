package io.allsource.ingest.bench.report;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Events written (or carried, for the broker) by one contender, and how long it took. */
public record Throughput(String contender, long events, double seconds) {

    @JsonProperty
    public double eventsPerSecond() {
        return seconds == 0 ? 0 : events / seconds;
    }
}
