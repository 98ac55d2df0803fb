package io.allsource.ingest.metrics;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ReceivableRecords} with one {@code read_committed} consumer of the commands topic, in no group and committing
 * nothing, created on the first look. A look seeks to its first offset and polls until a record arrives, the consumer's
 * position (which moves past markers and aborted records) reaches the end of the range, or a short budget is spent.
 * A look that fails (the broker unreachable, the offset no longer in the log) learns nothing and says so by returning
 * its first offset. One thread looks; {@link #wakeup()} may be called from any thread, {@link #close()} once the
 * looking thread has stopped.
 */
final class CommittedReader implements ReceivableRecords, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CommittedReader.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Map<String, Object> properties;
    private final String topic;
    private final Duration budget;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    /**
     * @param kafkaProperties the worker's Kafka client properties (bootstrap servers, security); a group id is ignored
     * @param budget          how long one look may poll
     */
    CommittedReader(Map<String, Object> kafkaProperties, String topic, Duration budget) {
        this.properties = new HashMap<>(kafkaProperties);
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        // A look needs the first record: the broker still sends one whole batch however small the limit, where the
        // default (1 MiB per partition) made each look under load read and check a megabyte of the backlog.
        properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1);
        properties.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1);
        this.topic = topic;
        this.budget = budget;
    }

    @Override
    public Look look(int partition, long from, long until) {
        TopicPartition topicPartition = new TopicPartition(topic, partition);
        try {
            KafkaConsumer<byte[], byte[]> reader = consumer();
            reader.assign(List.of(topicPartition));
            reader.seek(topicPartition, from);
            long deadline = System.nanoTime() + budget.toNanos();
            long position = from;
            while (position < until && System.nanoTime() < deadline) {
                List<ConsumerRecord<byte[], byte[]>> polled = reader.poll(POLL).records(topicPartition);
                if (!polled.isEmpty()) {
                    long offset = polled.get(0).offset();
                    return offset < until ? new Look(offset, true) : new Look(until, false);
                }
                position = reader.position(topicPartition, budget);
            }
            return new Look(Math.min(position, until), false);
        } catch (KafkaException e) {
            log.debug("Could not look into {} from offset {}: {}", topicPartition, from, e.toString());
            return new Look(from, false);
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        if (consumer == null) {
            consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        return consumer;
    }

    /** Ends a poll in progress (from any thread). */
    void wakeup() {
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    @Override
    public void close() {
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            try {
                current.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.warn("Closing the lag monitor's consumer failed: {}", e.toString());
            }
        }
    }
}
