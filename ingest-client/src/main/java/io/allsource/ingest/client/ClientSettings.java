package io.allsource.ingest.client;

import io.allsource.ingest.kafka.KafkaSecrets;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.topics.IngestTopics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How an {@link IngestClient} reaches the pipeline. Start from {@link #of(Map, RegistrySettings)} or
 * {@link #of(Map, SchemaRegistryClient)} and change the defaults with the {@code with...} methods. Immutable, so
 * thread-safe.
 *
 * @param kafka               Kafka client properties given to the client's producer and consumer; must name
 *                            {@code bootstrap.servers}. The client sets {@code acks=all} and idempotence on the
 *                            producer, and reads results without a consumer group
 * @param registry            the schema registry client for the commands' and results' schemas
 * @param topics              the pipeline's topics; default {@link IngestTopics#DEFAULT}
 * @param timeout             how long a command waits for its result unless the call names another; default 30 s
 * @param autoRegisterSchemas whether the {@code AppendCommand} schema is registered on first use (embedded mode and
 *                            tests); default false: in production a deployment step registers it
 */
public record ClientSettings(Map<String, Object> kafka, SchemaRegistryClient registry, IngestTopics topics,
        Duration timeout, boolean autoRegisterSchemas) {

    /** How long a command waits for its result by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public ClientSettings {
        Objects.requireNonNull(kafka, "kafka");
        kafka = Map.copyOf(kafka);
        Object bootstrap = kafka.get("bootstrap.servers");
        if (bootstrap == null || bootstrap.toString().isBlank()) {
            throw new IllegalArgumentException("kafka properties must name bootstrap.servers");
        }
        if (registry == null) {
            throw new IllegalArgumentException("registry is required");
        }
        if (topics == null) {
            throw new IllegalArgumentException("topics is required");
        }
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be a positive duration, got " + timeout);
        }
    }

    /** Settings with the default topics and timeout, and without auto-registration, using {@code registry}. */
    public static ClientSettings of(Map<String, ?> kafka, SchemaRegistryClient registry) {
        return new ClientSettings(Map.copyOf(kafka), registry, IngestTopics.DEFAULT, DEFAULT_TIMEOUT, false);
    }

    /** Settings with the default topics and timeout, and without auto-registration, using a new registry client. */
    public static ClientSettings of(Map<String, ?> kafka, RegistrySettings registry) {
        Objects.requireNonNull(registry, "registry");
        return of(kafka, new SchemaRegistryClient(registry));
    }

    public ClientSettings withTopics(IngestTopics newTopics) {
        return new ClientSettings(kafka, registry, newTopics, timeout, autoRegisterSchemas);
    }

    public ClientSettings withTimeout(Duration newTimeout) {
        return new ClientSettings(kafka, registry, topics, newTimeout, autoRegisterSchemas);
    }

    public ClientSettings withAutoRegisterSchemas(boolean register) {
        return new ClientSettings(kafka, registry, topics, timeout, register);
    }

    /** Like the record's own, but with the values of Kafka secrets masked and the registry's settings printed. */
    @Override
    public String toString() {
        return "ClientSettings[kafka=" + KafkaSecrets.masked(kafka) + ", registry=" + registry.settings()
                + ", topics=" + topics + ", timeout=" + timeout + ", autoRegisterSchemas=" + autoRegisterSchemas + "]";
    }
}
