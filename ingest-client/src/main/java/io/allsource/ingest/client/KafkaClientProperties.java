package io.allsource.ingest.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The properties of the client's producer and results consumer, derived from the caller's. Stateless. */
final class KafkaClientProperties {

    private KafkaClientProperties() {
    }

    /**
     * The caller's properties with idempotence and {@code acks=all} forced (the pipeline's delivery promise rests on
     * them), and, unless the caller set it, a {@code max.block.ms} of the result timeout, so that a broker that cannot
     * be reached fails a send no later than its result would time out.
     */
    static Map<String, Object> producer(Map<String, Object> kafka, String clientId, Duration timeout) {
        Map<String, Object> properties = new HashMap<>(kafka);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-commands");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        return properties;
    }

    /**
     * The caller's properties for a consumer that reads every partition of the results topic from its end, without a
     * group: no {@code group.id}, no committed offsets.
     */
    static Map<String, Object> resultsConsumer(Map<String, Object> kafka, String clientId) {
        Map<String, Object> properties = new HashMap<>(kafka);
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-results");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        return properties;
    }
}
