package io.allsource.ingest.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the commands topic's id and its partitions' log ranges (log start, last stable offset) from the broker with
 * the Admin client, as a {@code read_committed} consumer sees them. Each call is one {@code describeTopics} and two
 * {@code listOffsets}, bounded by the timeout; made at claims and by {@code ingest offsets}, never per record.
 * Thread-safe (the Admin client is).
 */
public final class CommandsLog {

    private final Admin admin;
    private final String topic;
    private final Duration timeout;

    public CommandsLog(Admin admin, String topic, Duration timeout) {
        this.admin = admin;
        this.topic = topic;
        this.timeout = timeout;
    }

    public String topic() {
        return topic;
    }

    /**
     * The partition's log now.
     *
     * @throws KafkaException the broker's own failure (unavailable, unknown topic, authorization, ...), for the
     *                        failure classifier to sort
     */
    public LogRange range(int partition) {
        return ranges(List.of(partition)).get(0);
    }

    /** The logs of {@code partitions} now, in their order. */
    public List<LogRange> ranges(List<Integer> partitions) {
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int partition : partitions) {
            earliest.put(new TopicPartition(topic, partition), OffsetSpec.earliest());
            latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
        }
        ListOffsetsOptions readCommitted = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
        TopicDescription description = await(admin.describeTopics(List.of(topic)).topicNameValues().get(topic));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts =
                await(admin.listOffsets(earliest, readCommitted).all());
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                await(admin.listOffsets(latest, readCommitted).all());
        List<LogRange> ranges = new ArrayList<>(partitions.size());
        for (int partition : partitions) {
            TopicPartition topicPartition = new TopicPartition(topic, partition);
            ranges.add(new LogRange(topic, partition, description.topicId().toString(),
                    starts.get(topicPartition).offset(), ends.get(topicPartition).offset()));
        }
        return ranges;
    }

    private <T> T await(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KafkaException kafka) {
                throw kafka;
            }
            throw new KafkaException("Reading the log range of " + topic + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("Reading the log range of " + topic
                    + " took longer than " + timeout, e);
        }
    }
}
