package io.allsource.ingest.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientPropertiesTest {

    @Test
    void forcesIdempotenceAndAcksAllOnTheProducer() {
        Map<String, Object> producer = KafkaClientProperties.producer(Map.of("bootstrap.servers", "b:9092",
                "acks", "1", "enable.idempotence", false), "client-1", Duration.ofSeconds(7));

        assertThat(producer).containsEntry("acks", "all")
                .containsEntry("enable.idempotence", true)
                .containsEntry("bootstrap.servers", "b:9092")
                .containsEntry("client.id", "client-1-commands")
                .containsEntry("max.block.ms", 7_000L);
    }

    @Test
    void keepsTheCallersMaxBlock() {
        Map<String, Object> producer = KafkaClientProperties.producer(Map.of("bootstrap.servers", "b:9092",
                "max.block.ms", 500), "client-1", Duration.ofSeconds(7));

        assertThat(producer).containsEntry("max.block.ms", 500);
    }

    @Test
    void readsResultsWithoutAGroupOrCommittedOffsets() {
        Map<String, Object> consumer = KafkaClientProperties.resultsConsumer(Map.of("bootstrap.servers", "b:9092",
                "group.id", "my-service", "enable.auto.commit", true), "client-1");

        assertThat(consumer).doesNotContainKey("group.id")
                .containsEntry("enable.auto.commit", false)
                .containsEntry("auto.offset.reset", "latest")
                .containsEntry("client.id", "client-1-results")
                .containsEntry("bootstrap.servers", "b:9092");
    }
}
