package io.allsource.ingest.bench;

import io.allsource.ingest.partition.PartitionFunction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumes every partition of a topic from its beginning on a thread of its own, counting the records and noting when
 * the last ones arrived, with no processing: the consuming half of the broker ceiling. Its thread owns the
 * {@link KafkaConsumer}; {@link #close()} stops it with a flag and {@code wakeup()}. The counters are thread-safe.
 */
final class CountingConsumer implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong lastArrival = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final Thread thread;

    private CountingConsumer(String bootstrapServers, String topic) {
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.thread = new Thread(this::consume, "broker-ceiling-consumer-" + topic);
        this.thread.setDaemon(true);
    }

    /** Starts consuming all 32 partitions of {@code topic} from their beginning. */
    static CountingConsumer start(String bootstrapServers, String topic) {
        CountingConsumer counting = new CountingConsumer(bootstrapServers, topic);
        counting.thread.start();
        return counting;
    }

    private void consume() {
        try {
            List<TopicPartition> partitions = IntStream.range(0, PartitionFunction.PARTITION_COUNT)
                    .mapToObj(partition -> new TopicPartition(topic, partition)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running.get()) {
                int count = consumer.poll(POLL).count();
                if (count > 0) {
                    // the time first, so that whoever sees the count reach a total sees when it did
                    lastArrival.set(System.nanoTime());
                    received.addAndGet(count);
                    signal();
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                failure.set(e);
            }
        } catch (RuntimeException e) {
            failure.set(e);
        } finally {
            signal();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private synchronized void signal() {
        notifyAll();
    }

    /**
     * Waits until {@code total} records have been received, and returns when the last of them arrived
     * ({@link System#nanoTime()}).
     *
     * @throws IllegalStateException when the consumer failed, or the records did not all arrive within {@code timeout}
     */
    synchronized long awaitReceived(long total, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.get() < total) {
            if (failure.get() != null) {
                throw new IllegalStateException("The broker ceiling's consumer failed", failure.get());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The broker ceiling consumed only " + received.get() + " of " + total
                        + " records within " + timeout);
            }
            wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000)); // the consumer signals each count
        }
        return lastArrival.get();
    }

    @Override
    public void close() throws InterruptedException {
        if (!running.getAndSet(false)) {
            return;
        }
        consumer.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
