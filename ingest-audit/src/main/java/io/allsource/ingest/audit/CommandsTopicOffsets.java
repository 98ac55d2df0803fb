package io.allsource.ingest.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@link ReceivedOffsets} read from the commands topic by one {@code read_committed} consumer (in no group, committing
 * nothing), created when first asked, so that a store without offsets lacking an outcome never touches the broker.
 * It reads only where asked: from the first gap forward, seeking over stretches of more than {@value #SEEK_AHEAD}
 * offsets between gaps; the consumer's position moves past markers and aborted records without returning them, and
 * every record it does return inside a gap is reported. Offsets no longer in the log (deleted by retention) or beyond
 * its last stable offset cannot be told apart and are reported too. Not thread-safe: one audit uses it.
 */
public final class CommandsTopicOffsets implements ReceivedOffsets, AutoCloseable {

    private static final long SEEK_AHEAD = 1_000;
    private static final Duration POLL = Duration.ofMillis(200);

    private final Supplier<Map<String, Object>> kafkaProperties;
    private final String topic;
    private final Duration timeout;
    private KafkaConsumer<byte[], byte[]> consumer;

    /**
     * @param kafkaProperties Kafka client properties (bootstrap servers, security), asked for when first needed; a
     *                        group id is ignored
     * @param commandsTopic   the commands topic
     * @param timeout         how long one partition's reading may take before the audit gives up
     */
    public CommandsTopicOffsets(Supplier<Map<String, Object>> kafkaProperties, String commandsTopic,
            Duration timeout) {
        this.kafkaProperties = kafkaProperties;
        this.topic = commandsTopic;
        this.timeout = timeout;
    }

    @Override
    public void receivedIn(int partition, List<Gap> gaps, LongConsumer received) {
        if (gaps.isEmpty()) {
            return;
        }
        TopicPartition topicPartition = new TopicPartition(topic, partition);
        try {
            KafkaConsumer<byte[], byte[]> reader = consumer();
            reader.assign(List.of(topicPartition));
            long start = reader.beginningOffsets(List.of(topicPartition), timeout).get(topicPartition);
            long stableEnd = reader.endOffsets(List.of(topicPartition), timeout).get(topicPartition);
            List<Gap> readable = new ArrayList<>();
            for (Gap gap : gaps) {
                reportOutside(gap, start, stableEnd, received);
                long from = Math.max(gap.from(), start);
                long to = Math.min(gap.to(), stableEnd);
                if (from < to) {
                    readable.add(new Gap(from, to));
                }
            }
            read(reader, topicPartition, readable, received);
        } catch (KafkaException e) {
            throw new AuditException("Reading " + topicPartition + " (read_committed) over the offsets without an"
                    + " outcome failed: " + e.getMessage(), e);
        }
    }

    /** Reports the offsets of {@code gap} below the log's start or at and beyond its last stable offset. */
    private static void reportOutside(Gap gap, long start, long stableEnd, LongConsumer received) {
        for (long offset = gap.from(); offset < Math.min(gap.to(), start); offset++) {
            received.accept(offset);
        }
        for (long offset = Math.max(gap.from(), stableEnd); offset < gap.to(); offset++) {
            received.accept(offset);
        }
    }

    private void read(KafkaConsumer<byte[], byte[]> reader, TopicPartition topicPartition, List<Gap> gaps,
            LongConsumer received) {
        if (gaps.isEmpty()) {
            return;
        }
        int next = 0;
        reader.seek(topicPartition, gaps.get(0).from());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (next < gaps.size()) {
            if (System.nanoTime() > deadline) {
                throw new AuditException("Reading " + topicPartition + " over " + gaps.size() + " ranges of offsets"
                        + " without an outcome took longer than " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> record : reader.poll(POLL).records(topicPartition)) {
                while (next < gaps.size() && gaps.get(next).to() <= record.offset()) {
                    next++;
                }
                if (next < gaps.size() && record.offset() >= gaps.get(next).from()) {
                    received.accept(record.offset());
                }
            }
            long position = reader.position(topicPartition, timeout);
            while (next < gaps.size() && gaps.get(next).to() <= position) {
                next++;
            }
            if (next < gaps.size() && gaps.get(next).from() > position + SEEK_AHEAD) {
                reader.seek(topicPartition, gaps.get(next).from());
            }
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        if (consumer == null) {
            Map<String, Object> properties = new HashMap<>(kafkaProperties.get());
            properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
            properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
            properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
            consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        return consumer;
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
            consumer = null;
        }
    }
}
