package io.allsource.ingest.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Waits until topics just created are served on every partition. Metadata lags creation, and a broker names itself
 * leader in its metadata a moment before it serves the partition: a producer that sends at once is told
 * NOT_LEADER_OR_FOLLOWER and retries (and an idempotent one with several batches in flight can stall on out-of-order
 * sequences). So this waits for a leader on every partition, then lists their end offsets, which only a serving leader
 * answers (the consumer retries quietly until it does).
 */
final class TopicLeaders {

    private TopicLeaders() {
    }

    /** @throws IllegalStateException when some partition is still not served after {@code timeout} */
    static void await(String bootstrapServers, List<String> topics, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                partitions.addAll(ledPartitions(consumer, topic, deadline, timeout));
            }
            consumer.assign(partitions); // else the client warns that it keeps no high watermark of theirs
            consumer.endOffsets(partitions, remaining(deadline));
        } catch (TimeoutException e) {
            throw new IllegalStateException("The topics " + topics + " are not served on every partition after "
                    + timeout, e);
        }
    }

    private static List<TopicPartition> ledPartitions(KafkaConsumer<byte[], byte[]> consumer, String topic,
            long deadline, Duration timeout) throws InterruptedException {
        while (true) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, remaining(deadline));
            if (!partitions.isEmpty() && partitions.stream()
                    .allMatch(partition -> partition.leader() != null && partition.leader().id() >= 0)) {
                return partitions.stream().map(partition -> new TopicPartition(topic, partition.partition())).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The topic " + topic + " has no leader on every partition after "
                        + timeout);
            }
            // the client offers no way to be told, so the metadata is asked again
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }
}
