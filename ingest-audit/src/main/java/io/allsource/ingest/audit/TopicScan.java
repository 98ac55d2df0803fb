package io.allsource.ingest.audit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of a topic from its beginning to the end offsets it has when the scan starts, then, while
 * something expected has not turned up, on for a grace period (a record committed in the database just before the
 * audit may still be on its way). Uses no consumer group and commits nothing.
 */
final class TopicScan {

    private static final Logger log = LoggerFactory.getLogger(TopicScan.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final AuditSettings settings;

    TopicScan(AuditSettings settings) {
        this.settings = settings;
    }

    /**
     * @param outstanding how many expected records have not been seen yet; the grace period ends when it is 0
     * @return how many records were read
     */
    long scan(String topic, LongSupplier outstanding, Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        Map<String, Object> properties = new HashMap<>(settings.kafkaProperties());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, settings.timeout());
            long read = 0;
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new AuditException("Reading " + topic + " to its end offsets took longer than "
                            + settings.timeout() + " (" + read + " records read)");
                }
                read += poll(consumer, handler);
            }
            long graceEnd = System.nanoTime() + settings.grace().toNanos();
            while (outstanding.getAsLong() > 0 && System.nanoTime() < graceEnd) {
                read += poll(consumer, handler);
            }
            log.info("Read {} records of {} (end offsets {})", read, topic, end.values().stream()
                    .mapToLong(Long::longValue).sum());
            return read;
        } catch (KafkaException e) {
            throw new AuditException("Reading " + topic + " failed: " + e.getMessage(), e);
        }
    }

    private static long poll(KafkaConsumer<byte[], byte[]> consumer,
            Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        long read = 0;
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
            handler.accept(record);
            read++;
        }
        return read;
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, settings.timeout());
        if (infos == null || infos.isEmpty()) {
            throw new AuditException("The topic " + topic + " does not exist");
        }
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey(), settings.timeout()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }
}
