package io.allsource.ingest.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Kafka's {@link MockConsumer} on a results topic, whose poll waits a little for records handed to {@link #deliver},
 * as a real consumer's poll waits for the broker, instead of spinning.
 */
final class BlockingMockConsumer extends MockConsumer<byte[], byte[]> {

    private static final Duration WAIT_FOR_RECORDS = Duration.ofMillis(20);

    private final BlockingQueue<ConsumerRecord<byte[], byte[]>> delivered = new LinkedBlockingQueue<>();
    private final String topic;
    private long nextOffset;

    BlockingMockConsumer(String topic, int partitions) {
        super("latest");
        this.topic = topic;
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> infos = IntStream.range(0, partitions)
                .mapToObj(p -> new PartitionInfo(topic, p, node, new Node[] {node}, new Node[] {node}))
                .toList();
        updatePartitions(topic, infos);
        updateEndOffsets(IntStream.range(0, partitions).boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> 0L)));
    }

    /** Hands the listener a result record on partition 0, with the {@code ingest-command-id} header when not null. */
    synchronized void deliver(byte[] value, String commandIdHeader) {
        RecordHeaders headers = new RecordHeaders();
        if (commandIdHeader != null) {
            headers.add("ingest-command-id", commandIdHeader.getBytes(StandardCharsets.UTF_8));
        }
        delivered.add(new ConsumerRecord<>(topic, 0, nextOffset++, 0L, TimestampType.CREATE_TIME, 0,
                value == null ? 0 : value.length, null, value, headers, Optional.empty()));
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        try {
            ConsumerRecord<byte[], byte[]> first = delivered.poll(WAIT_FOR_RECORDS.toMillis(), TimeUnit.MILLISECONDS);
            if (first != null) {
                addRecord(first);
                ConsumerRecord<byte[], byte[]> more;
                while ((more = delivered.poll()) != null) {
                    addRecord(more);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
        return super.poll(timeout);
    }
}
