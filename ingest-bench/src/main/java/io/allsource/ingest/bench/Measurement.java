package io.allsource.ingest.bench;

/** What one contender achieved: the events it wrote and how long it took. */
record Measurement(String contender, long events, long nanos) {

    double eventsPerSecond() {
        return events / (nanos / 1e9);
    }
}
