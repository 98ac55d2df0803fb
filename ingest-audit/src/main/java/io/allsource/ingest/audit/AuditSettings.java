package io.allsource.ingest.audit;

import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.topics.IngestTopics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the audit reaches the topics.
 *
 * @param kafkaProperties Kafka client properties (bootstrap servers, security); a group id is ignored
 * @param registry        decodes the records
 * @param topics          the pipeline's topic names
 * @param grace           how long to read on past the end offsets while stored events or results have not appeared
 *                        (they may be on their way when the audit starts against a running pipeline)
 * @param timeout         how long any one step may take before the audit gives up
 */
public record AuditSettings(Map<String, Object> kafkaProperties, SchemaRegistryClient registry, IngestTopics topics,
        Duration grace, Duration timeout) {

    public AuditSettings {
        kafkaProperties = Map.copyOf(kafkaProperties);
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(topics, "topics");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /** Ten seconds of grace, two minutes of timeout. */
    public static AuditSettings of(Map<String, Object> kafkaProperties, SchemaRegistryClient registry,
            IngestTopics topics) {
        return new AuditSettings(kafkaProperties, registry, topics, Duration.ofSeconds(10), Duration.ofMinutes(2));
    }

    public AuditSettings withGrace(Duration newGrace) {
        return new AuditSettings(kafkaProperties, registry, topics, newGrace, timeout);
    }
}
