package io.allsource.ingest.worker;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.command.CommandLimits;
import io.allsource.ingest.command.CommandValidator;
import io.allsource.ingest.failure.FatalWorkerException;
import io.allsource.ingest.failure.WorkerAccess;
import io.allsource.ingest.intake.CommandDecoder;
import io.allsource.ingest.metrics.WorkerMetrics;
import io.allsource.ingest.publish.EventsFormat;
import io.allsource.ingest.publish.Publisher;
import io.allsource.ingest.publish.ReplyTopics;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroDeserializer;
import io.allsource.ingest.serde.AvroSerializer;
import io.allsource.ingest.serde.WireFormat;
import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.trace.Spans;
import io.allsource.ingest.trace.Tracing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest worker: consumers of the commands topic in one group, each applying the commands of its assigned
 * partitions in batches, one PostgreSQL transaction per batch, and publishing results and events after each commit.
 * Owns its Kafka clients and threads; closing it stops them, finishing the batches in flight within the shutdown
 * timeout. A failure no retry can fix stops every consumer and completes {@link #failure()}; the caller then closes
 * the worker and exits with a non-zero status. The event store and the registry client are the caller's.
 */
public final class IngestWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestWorker.class);

    /** Room an events record in the JSON envelope needs beyond twice its Avro size: the Connect schema it carries. */
    private static final int JSON_ENVELOPE_SCHEMA_BYTES = 8_192;
    /** How long a claim waits for the broker to say what the partition's log holds before it backs off. */
    private static final Duration LOG_RANGE_TIMEOUT = Duration.ofSeconds(10);

    private final WorkerSettings settings;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Admin admin;
    private final List<ConsumerLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<FatalWorkerException> failure = new CompletableFuture<>();
    private final BatchApplier applier;
    private final PublicationMarker marker;
    private final HeldPartitions held;

    private IngestWorker(WorkerSettings settings, KafkaProducer<byte[], byte[]> producer, Admin admin,
            BatchApplier applier, PublicationMarker marker, HeldPartitions held) {
        this.settings = settings;
        this.producer = producer;
        this.admin = admin;
        this.applier = applier;
        this.marker = marker;
        this.held = held;
    }

    /** Starts the worker's consumers. */
    public static IngestWorker start(WorkerSettings settings, EventStore store, SchemaRegistryClient registry,
            ContractSettings contract, WorkerMetrics metrics) {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(settings),
                new ByteArraySerializer(), new ByteArraySerializer());
        Admin admin = Admin.create(settings.kafka());
        Publisher publisher = new Publisher(producer, settings.topics(),
                AvroSerializer.<CommandResult>forSubject(registry, contract.autoRegister(),
                        WireFormat.valueSubject(settings.topics().results())),
                contract.eventsFormat().serializer(registry, contract.autoRegister()),
                new ReplyTopics(admin, Duration.ofMinutes(1), Duration.ofSeconds(10)),
                settings.publishTimeout(), store::forEachEvent);
        CommandLimits limits = publishable(contract);
        CommandDecoder decoder = new CommandDecoder(new AvroDeserializer<>(registry, AppendCommand.class),
                settings.topics().deadLetters(), contract.limits().maxEventRecordBytes());
        Spans spans = Tracing.spans();
        BatchApplier applier = new BatchApplier(settings.workerId(), settings.applyThreads(), store::appendBatches,
                new CommandValidator(limits), decoder, publisher, metrics, spans, settings.shutdownTimeout(),
                settings.applyOverlap());
        HeldPartitions held = new HeldPartitions(settings.workerId(), metrics);
        WorkerAccess access = new WorkerAccess(settings.topics(), settings.groupId());
        PublicationMarker marker = new PublicationMarker(settings.workerId(), store, metrics, access,
                settings.shutdownTimeout());
        IngestWorker worker = new IngestWorker(settings, producer, admin, applier, marker, held);
        PartitionProcessor processor = new PartitionProcessor(settings.workerId(), store, applier, marker, publisher,
                metrics, new CommandsLog(admin, settings.topics().commands(), LOG_RANGE_TIMEOUT), held, access, spans,
                settings.shutdownTimeout(), settings.markInterval());
        for (int i = 0; i < settings.consumerThreads(); i++) {
            String name = settings.workerId() + "-" + i;
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(settings, name),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            ConsumerLoop loop = new ConsumerLoop(name, consumer, settings, processor, worker::failed);
            Thread thread = new Thread(loop, "ingest-" + name);
            worker.loops.add(loop);
            worker.threads.add(thread);
        }
        worker.threads.forEach(Thread::start);
        log.info("{} - started {} consumers in group {} on {}", settings.workerId(), settings.consumerThreads(),
                settings.groupId(), settings.topics().commands());
        return worker;
    }

    /**
     * The limits the check step applies: an events record in the JSON envelope is at most twice its Avro size (every
     * quote and backslash of the payload escaped once more) plus the schema it carries.
     */
    private static CommandLimits publishable(ContractSettings contract) {
        CommandLimits limits = contract.limits();
        if (contract.eventsFormat() == EventsFormat.AVRO) {
            return limits;
        }
        return limits.withMaxEventRecordBytes(
                Math.max(1, (limits.maxEventRecordBytes() - JSON_ENVELOPE_SCHEMA_BYTES) / 2));
    }

    private void failed(FatalWorkerException e) {
        if (failure.complete(e)) {
            // The other consumers stop too, on their own threads: a worker that cannot do its job stops as a whole.
            loops.forEach(ConsumerLoop::stop);
        }
    }

    /**
     * Completes with the first failure that stopped the worker; never completes while it runs or after a plain
     * {@link #close()}.
     */
    public CompletableFuture<FatalWorkerException> failure() {
        return failure;
    }

    /**
     * The partitions of this worker whose log does not match their stored offsets, and why: nothing of them is
     * consumed until an operator resets them ({@code ingest offsets}).
     */
    public HeldPartitions heldPartitions() {
        return held;
    }

    /** Whether every consumer is running: false once a fatal failure stopped one, or after {@link #close()}. */
    public boolean isRunning() {
        return !closed.get() && !failure.isDone();
    }

    static Map<String, Object> consumerProperties(WorkerSettings settings, String clientId) {
        Map<String, Object> properties = new HashMap<>(settings.kafka());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        // Offsets live in PostgreSQL, written with each batch; the consumer seeks there on assignment.
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Never move a position on the consumer's own: a position outside the log (records deleted before they were
        // applied, the topic replaced) is reported, and the claim holds the partition (see LogCheck).
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        properties.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.batchSize());
        return properties;
    }

    static Map<String, Object> producerProperties(WorkerSettings settings) {
        Map<String, Object> properties = new HashMap<>(settings.kafka());
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, settings.workerId() + "-publisher");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 2);
        // Batches here are small (a partition's results or events of one transaction) and many: lz4 allocated two
        // 64 KiB blocks per batch, a fifth of the consumer threads' time in profiles, and the broker decompressed each
        // batch again to check it. kafka.compression.type still chooses another.
        properties.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        // A send not acknowledged within the publish timeout fails, and its batch is published again from the
        // database; Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
        int delivery = (int) Math.max(settings.publishTimeout().toMillis(), 2_000);
        properties.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
        properties.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, delivery / 2);
        properties.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.publishTimeout().toMillis());
        return properties;
    }

    /** Stops polling, finishes and publishes the batches in flight, leaves the group and closes the clients. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        log.info("{} - stopping", settings.workerId());
        loops.forEach(ConsumerLoop::stop);
        Duration wait = settings.shutdownTimeout().plusSeconds(5);
        for (int i = 0; i < loops.size(); i++) {
            try {
                if (!loops.get(i).awaitFinished(wait)) {
                    log.warn("{} - consumer {} did not stop within {}", settings.workerId(), i, wait);
                    threads.get(i).interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        applier.close();
        marker.close();
        producer.close(Duration.ofSeconds(10));
        admin.close(Duration.ofSeconds(5));
        log.info("{} - stopped", settings.workerId());
    }
}
