package io.allsource.ingest.client;

import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.topics.IngestHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the results topic and completes the {@link PendingResults} of the command ids it finds. It owns its consumer,
 * which must already be assigned and positioned: it runs on one thread of its own, and closes the consumer when it
 * stops.
 *
 * <p>A result whose {@code ingest-command-id} header names no waiting command is skipped without being decoded, since
 * most results on a shared topic are other clients'. A result that cannot be decoded is logged and skipped: its future,
 * if any, times out and the command can be retried. A failure of the consumer itself is fatal and reported once to the
 * failure handler. Only {@link #stop} and {@link #awaitStopped} may be called from other threads.
 */
final class ResultListener implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ResultListener.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    private final String clientId;
    private final Consumer<byte[], byte[]> consumer;
    private final Deserializer<CommandResult> deserializer;
    private final PendingResults pending;
    private final java.util.function.Consumer<RuntimeException> failureHandler;
    private final Duration closeTimeout;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch stopped = new CountDownLatch(1);

    ResultListener(String clientId, Consumer<byte[], byte[]> consumer, Deserializer<CommandResult> deserializer,
            PendingResults pending, java.util.function.Consumer<RuntimeException> failureHandler,
            Duration closeTimeout) {
        this.clientId = clientId;
        this.consumer = consumer;
        this.deserializer = deserializer;
        this.pending = pending;
        this.failureHandler = failureHandler;
        this.closeTimeout = closeTimeout;
    }

    @Override
    public void run() {
        try {
            while (running.get()) {
                consumer.poll(POLL_TIMEOUT).forEach(this::handle);
            }
        } catch (WakeupException | InterruptException e) {
            if (running.get()) {
                reportFailure(e);
            }
        } catch (RuntimeException e) {
            reportFailure(e);
        } finally {
            closeConsumer();
            stopped.countDown();
        }
    }

    /**
     * Assigns every partition of the results topic, seeks to its end and asks for the position, which makes the
     * consumer look the end offsets up now rather than on its first poll; returns the partition count.
     */
    static int positionAtEnd(Consumer<byte[], byte[]> consumer, String resultsTopic) {
        List<PartitionInfo> infos = consumer.partitionsFor(resultsTopic);
        List<TopicPartition> partitions = infos == null ? List.of() : infos.stream()
                .map(info -> new TopicPartition(resultsTopic, info.partition()))
                .toList();
        if (partitions.isEmpty()) {
            throw new IngestClientException("The results topic " + resultsTopic
                    + " does not exist (setting topics.results)");
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return partitions.size();
    }

    /** Asks the listener to stop: it leaves its poll at once and closes its consumer. */
    void stop() {
        running.set(false);
        if (stopped.getCount() == 0) {
            return; // already stopped after a failure, its consumer closed
        }
        try {
            consumer.wakeup();
        } catch (IllegalStateException e) {
            log.debug("{} - the results consumer closed before it could be woken up: {}", clientId, e.toString());
        }
    }

    /** Waits until the listener has stopped and closed its consumer; false when {@code timeout} passed first. */
    boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        String announcedCommandId = commandIdHeader(record);
        if (announcedCommandId != null && !pending.isWaitingFor(announcedCommandId)) {
            return;
        }
        CommandResult result = decode(record);
        if (result == null) {
            return;
        }
        int completed = pending.complete(result);
        log.debug("{} - result of command {} ({}{}) at {}-{}@{} completed {} futures", clientId,
                result.getCommandId(), result.getStatus(), result.getDuplicate() ? ", duplicate" : "",
                record.topic(), record.partition(), record.offset(), completed);
    }

    private CommandResult decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            return deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            log.warn("{} - skipped the result at {}-{}@{} (command {}): it cannot be decoded: {}", clientId,
                    record.topic(), record.partition(), record.offset(), commandIdHeader(record), e.toString());
            return null;
        }
    }

    private static String commandIdHeader(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(IngestHeaders.COMMAND_ID);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void reportFailure(RuntimeException e) {
        running.set(false);
        log.error("{} - stopped reading results: {}", clientId, e.toString(), e);
        failureHandler.accept(e);
    }

    private void closeConsumer() {
        try {
            consumer.close(CloseOptions.timeout(closeTimeout));
        } catch (RuntimeException e) {
            log.warn("{} - the results consumer did not close cleanly", clientId, e);
        }
    }
}
