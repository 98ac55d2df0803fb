package io.allsource.ingest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.topics.IngestTopics;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientSettingsTest {

    private static final Map<String, Object> KAFKA = Map.of("bootstrap.servers", "localhost:9092");
    private static final RegistrySettings REGISTRY = RegistrySettings.of("http://localhost:8081");

    @Test
    void defaultsToTheDefaultTopicsThirtySecondsAndNoAutoRegistration() {
        ClientSettings settings = ClientSettings.of(KAFKA, REGISTRY);

        assertThat(settings.topics()).isEqualTo(IngestTopics.DEFAULT);
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.autoRegisterSchemas()).isFalse();
        assertThat(settings.registry().settings()).isEqualTo(REGISTRY);
    }

    @Test
    void changesOneSettingAtATime() {
        IngestTopics topics = IngestTopics.DEFAULT.withPrefix("test.");

        ClientSettings settings = ClientSettings.of(KAFKA, REGISTRY)
                .withTopics(topics)
                .withTimeout(Duration.ofSeconds(3))
                .withAutoRegisterSchemas(true);

        assertThat(settings.topics()).isEqualTo(topics);
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.autoRegisterSchemas()).isTrue();
        assertThat(settings.kafka()).isEqualTo(KAFKA);
    }

    @Test
    void requiresBootstrapServers() {
        assertThatThrownBy(() -> ClientSettings.of(Map.of("acks", "all"), REGISTRY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kafka properties must name bootstrap.servers");
    }

    @Test
    void requiresAPositiveTimeout() {
        ClientSettings settings = ClientSettings.of(KAFKA, REGISTRY);

        assertThatThrownBy(() -> settings.withTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout must be a positive duration, got PT0S");
        assertThatThrownBy(() -> settings.withTimeout(null)).hasMessageStartingWith("timeout must be");
        assertThatThrownBy(() -> settings.withTopics(null)).hasMessage("topics is required");
    }

    @Test
    void keepsItsOwnCopyOfTheKafkaProperties() {
        Map<String, Object> kafka = new java.util.HashMap<>(KAFKA);
        ClientSettings settings = ClientSettings.of(kafka, REGISTRY);

        kafka.put("acks", "0");

        assertThat(settings.kafka()).doesNotContainKey("acks");
    }

    @Test
    void masksKafkaSecretsWhenPrinted() {
        ClientSettings settings = ClientSettings.of(Map.of(
                "bootstrap.servers", "broker:9093",
                "sasl.jaas.config", "PlainLoginModule required username=\"u\" password=\"hunter2\";",
                "ssl.truststore.password", "trust-secret",
                "ssl.key.password", "key-secret"), REGISTRY.withBasicAuth("user:registry-secret"));

        String printed = settings.toString();

        assertThat(printed).contains("broker:9093", "sasl.jaas.config=****", "ssl.truststore.password=****")
                .doesNotContain("hunter2", "trust-secret", "key-secret", "registry-secret");
    }
}
