package io.allsource.ingest.bench;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.StreamAppend;
import io.allsource.ingest.bench.load.CommandGenerator;
import io.allsource.ingest.bench.report.Throughput;
import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The broker's ceiling for a workload: the same command bytes (Confluent wire format, keyed by partition key) produced
 * with the ingest client's producer settings (idempotent, acks=all) to a 32-partition topic and consumed from it, with
 * no processing. The records are serialized up front. Once every partition has acknowledged a first record, they are
 * sent once as a warm-up that is not timed (metadata, connections, the consumer's first fetch, JIT), then in turn again
 * and again until at least {@code minimum} has passed (and at least once through); the figure is timed from the first
 * of those sends to the last record consumed.
 */
final class BrokerCeiling {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private BrokerCeiling() {
    }

    /**
     * @param records distinct records to produce in turn (and once as the warm-up)
     * @param minimum the least time the timed sends last
     */
    static Throughput measure(String bootstrapServers, SchemaRegistryClient registry, String topic,
            CommandGenerator generator, int records, Duration minimum) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, PartitionFunction.PARTITION_COUNT, (short) -1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        TopicLeaders.await(bootstrapServers, List.of(topic), Duration.ofSeconds(30));
        List<ProducerRecord<byte[], byte[]>> pool = new ArrayList<>(records);
        int[] events = new int[records];
        try (AvroSerializer<AppendCommand> serializer = AvroSerializer.forTopics(registry, true)) {
            for (int i = 0; i < records; i++) {
                AppendCommand command = generator.next();
                events[i] = command.getAppends().stream().mapToInt(append -> append.getEvents().size()).sum();
                pool.add(new ProducerRecord<>(topic, key(command).getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(topic, command)));
            }
        }
        try (CountingConsumer consumer = CountingConsumer.start(bootstrapServers, topic);
                KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers)) {
            probe(producer, topic, pool.get(0));
            pool.forEach(producer::send);
            producer.flush();
            long untimed = PartitionFunction.PARTITION_COUNT + records;
            consumer.awaitReceived(untimed, TIMEOUT);
            long started = System.nanoTime();
            long deadline = started + minimum.toNanos();
            long sent = 0;
            long eventsSent = 0;
            while (sent < records || System.nanoTime() < deadline) {
                int next = (int) (sent % records);
                producer.send(pool.get(next));
                eventsSent += events[next];
                sent++;
            }
            producer.flush();
            long finished = consumer.awaitReceived(untimed + sent, TIMEOUT);
            return new Throughput("broker ceiling", eventsSent, (finished - started) / 1e9);
        }
    }

    /**
     * Sends one record to every partition and waits for each to be acknowledged, before anything else is sent. Should
     * a leader still refuse the first writes (NOT_LEADER_OR_FOLLOWER, see {@link TopicLeaders}), a single record in
     * flight per partition is simply retried, whereas with several in flight an idempotent producer can stall on
     * out-of-order sequence numbers.
     */
    private static void probe(KafkaProducer<byte[], byte[]> producer, String topic,
            ProducerRecord<byte[], byte[]> sample) throws Exception {
        List<Future<RecordMetadata>> acknowledged = new ArrayList<>();
        for (int partition = 0; partition < PartitionFunction.PARTITION_COUNT; partition++) {
            acknowledged.add(producer.send(new ProducerRecord<>(topic, partition, sample.key(), sample.value())));
        }
        for (Future<RecordMetadata> ack : acknowledged) {
            ack.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static String key(AppendCommand command) {
        if (command.getPartitionKey() != null) {
            return command.getPartitionKey();
        }
        StreamAppend first = command.getAppends().get(0);
        return first.getStreamId();
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }
}
