package io.allsource.ingest.bench.report;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a workload's schema held before the workload started, and how long filling it took.
 *
 * @param events  events written before the workload (0: it started on empty tables)
 * @param streams streams those events belong to
 * @param seconds time to write them (COPY), {@code VACUUM ANALYZE} included
 */
public record PreloadFigures(long events, long streams, double seconds) {

    /** An empty schema. */
    public static final PreloadFigures NONE = new PreloadFigures(0, 0, 0);

    @JsonProperty
    public double eventsPerSecond() {
        return seconds == 0 ? 0 : events / seconds;
    }

    /** Whether the schema held events before the workload. */
    public boolean preloaded() {
        return events > 0;
    }
}
