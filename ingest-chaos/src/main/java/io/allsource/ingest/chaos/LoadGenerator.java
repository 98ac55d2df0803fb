package io.allsource.ingest.chaos;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroSerializer;
import io.allsource.ingest.topics.IngestTopics;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the {@link CommandMix} to the commands topic at a steady rate on a thread of its own, through an idempotent
 * producer that rides out broker restarts (long delivery timeout), and records every command the broker acknowledged
 * in its {@link SentLog}. A send that fails in the end is counted, not recorded: whether it landed is unknown, and the
 * audit judges only what is known to have been sent. Closing stops the thread and flushes.
 */
final class LoadGenerator implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoadGenerator.class);

    private final KafkaProducer<String, AppendCommand> producer;
    private final CommandMix mix;
    private final String topic;
    private final long intervalNanos;
    private final SentLog sent = new SentLog();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    LoadGenerator(String bootstrapServers, String registryUrl, IngestTopics topics, int commandsPerSecond,
            Random random) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000),
                new StringSerializer(), AvroSerializer.forTopics(
                        new SchemaRegistryClient(RegistrySettings.of(registryUrl)), true));
        this.mix = new CommandMix(random);
        this.topic = topics.commands();
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / commandsPerSecond;
        this.thread = new Thread(this, "chaos-load");
    }

    LoadGenerator start() {
        thread.start();
        return this;
    }

    @Override
    public void run() {
        long next = System.nanoTime();
        while (running.get()) {
            AppendCommand command = mix.next();
            producer.send(new ProducerRecord<>(topic, CommandMix.key(command), command), (metadata, error) -> {
                if (error == null) {
                    sent.add(command.getCommandId(), metadata.partition());
                } else if (failed.incrementAndGet() <= 10) {
                    log.warn("A command could not be sent: {}", error.toString());
                }
            });
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else if (wait < -TimeUnit.SECONDS.toNanos(1)) {
                next = System.nanoTime(); // fell behind (the broker was away): do not burst to catch up
            }
        }
    }

    /** Commands the broker acknowledged, so far. */
    SentLog sent() {
        return sent;
    }

    long failed() {
        return failed.get();
    }

    /** Stops sending, waits for every send in flight to be acknowledged or to fail. Idempotent. */
    @Override
    public void close() {
        if (!running.getAndSet(false)) {
            return;
        }
        try {
            thread.join(TimeUnit.MINUTES.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.flush();
        producer.close(Duration.ofSeconds(30));
        log.info("Load stopped: {} commands acknowledged, {} failed", sent.size(), failed.get());
    }
}
