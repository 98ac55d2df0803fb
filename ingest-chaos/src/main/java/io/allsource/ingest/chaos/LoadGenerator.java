package io.allsource.ingest.chaos;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroSerializer;
import io.allsource.ingest.topics.IngestTopics;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the {@link CommandMix} to the commands topic at a steady rate on a thread of its own, with a share of
 * {@link HostileRecords} in it, through an idempotent producer of raw bytes that rides out broker restarts (long
 * delivery timeout), and records every record the broker acknowledged in its {@link SentLog}: a command by its id, a
 * hostile record by its kind, partition and offset. A send that fails in the end is counted, not recorded: whether it
 * landed is unknown, and the audit judges only what is known to have been sent. Closing stops the thread and flushes.
 */
final class LoadGenerator implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoadGenerator.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final AvroSerializer<AppendCommand> serializer;
    private final CommandMix mix;
    private final HostileMix hostileMix;
    private final HostileRecords hostile;
    private final Random random;
    private final String topic;
    private final long intervalNanos;
    private final SentLog sent = new SentLog();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    /** Sends {@code settings}' rate with its hostile mix, drawn from its seed. */
    LoadGenerator(String bootstrapServers, String registryUrl, IngestTopics topics, ChaosSettings settings) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.serializer = AvroSerializer.forTopics(new SchemaRegistryClient(RegistrySettings.of(registryUrl)), true);
        this.topic = topics.commands();
        this.random = new Random(settings.seed() + 2);
        this.mix = new CommandMix(new Random(random.nextLong()));
        this.hostileMix = settings.hostile();
        this.hostile = new HostileRecords(topic, topics.events(), command -> serializer.serialize(topic, command), mix,
                new Random(random.nextLong()));
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / settings.commandsPerSecond();
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
            if (random.nextDouble() < hostileMix.rate()) {
                sendHostile();
            } else {
                sendCommand();
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else if (wait < -TimeUnit.SECONDS.toNanos(1)) {
                next = System.nanoTime(); // fell behind (the broker was away): do not burst to catch up
            }
        }
    }

    private void sendCommand() {
        AppendCommand command = mix.next();
        byte[] key = CommandMix.key(command).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, key, serializer.serialize(topic, command)), (metadata, error) -> {
            if (error == null) {
                sent.add(command.getCommandId(), metadata.partition());
            } else {
                countFailure("A command", error);
            }
        });
    }

    private void sendHostile() {
        HostileRecords.Hostile record = hostile.next(hostileMix.ordered());
        producer.send(record.record(), (metadata, error) -> {
            if (error == null) {
                sent.addHostile(record.kind(), metadata.partition(), metadata.offset());
            } else {
                countFailure("A hostile record (" + record.kind().label() + ")", error);
            }
        });
    }

    private void countFailure(String what, Exception error) {
        if (failed.incrementAndGet() <= 10) {
            log.warn("{} could not be sent: {}", what, error.toString());
        }
    }

    /** Records the broker acknowledged, so far. */
    SentLog sent() {
        return sent;
    }

    /** The deletes and erases the load sent, and its appends after a delete. */
    LifecycleLog lifecycle() {
        return mix.lifecycle();
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
        log.info("Load stopped: {} commands and {} hostile records acknowledged, {} failed", sent.size(),
                sent.hostile().size(), failed.get());
    }
}
