package io.allsource.ingest.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The records a topic holds now, for tests that check what the pipeline published. Stateless. */
final class TopicRecords {

    private static final Duration READ_LIMIT = Duration.ofSeconds(30);

    private TopicRecords() {
    }

    /**
     * Every record of {@code topic} now, as a {@code read_committed} consumer without a group sees them: each
     * partition read from its start up to its end at the time of the call (at most 30 s of reading).
     */
    static List<ConsumerRecord<byte[], byte[]>> of(String bootstrapServers, String topic) {
        return of(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic);
    }

    /** As {@link #of(String, String)}, with the consumer's properties given (credentials, TLS). */
    static List<ConsumerRecord<byte[], byte[]>> of(Map<String, Object> kafkaProperties, String topic) {
        Map<String, Object> properties = new HashMap<>(kafkaProperties);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + READ_LIMIT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
