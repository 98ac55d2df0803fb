package io.allsource.ingest.worker;

import java.util.Objects;

/**
 * What a commands partition's log holds now, as a {@code read_committed} consumer (as the worker's are) sees it.
 *
 * @param topic     the commands topic's name
 * @param partition the partition
 * @param topicId   the topic's id (Kafka topic ids, base64): a topic deleted and created again under the same name gets
 *                  another
 * @param start     the log start offset: records below it were deleted (retention, {@code deleteRecords})
 * @param end       the last stable offset: where a {@code read_committed} consumer stops
 */
public record LogRange(String topic, int partition, String topicId, long start, long end) {

    public LogRange {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(topicId, "topicId");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("log range of " + topic + "-" + partition + " is not a range: ["
                    + start + ", " + end + ")");
        }
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + ")";
    }
}
