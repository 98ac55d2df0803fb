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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The broker's ceiling for a workload: the same command bytes (Confluent wire format, keyed by partition key) produced
 * with the ingest client's producer settings (idempotent, acks=all) to a 32-partition topic and consumed from it, with
 * no processing; timed from the first send to the last record consumed.
 */
final class BrokerCeiling {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private BrokerCeiling() {
    }

    static Throughput measure(String bootstrapServers, SchemaRegistryClient registry, String topic,
            CommandGenerator generator, int commands) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, PartitionFunction.PARTITION_COUNT, (short) -1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(commands);
        long events = 0;
        try (AvroSerializer<AppendCommand> serializer = AvroSerializer.forTopics(registry, true)) {
            for (int i = 0; i < commands; i++) {
                AppendCommand command = generator.next();
                events += command.getAppends().stream().mapToLong(append -> append.getEvents().size()).sum();
                records.add(new ProducerRecord<>(topic, key(command).getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(topic, command)));
            }
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers);
                KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers)) {
            List<TopicPartition> partitions = IntStream.range(0, PartitionFunction.PARTITION_COUNT)
                    .mapToObj(partition -> new TopicPartition(topic, partition)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            partitions.forEach(consumer::position);
            long started = System.nanoTime();
            CompletableFuture<Long> consumed = CompletableFuture.supplyAsync(() -> consumeAll(consumer, commands));
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record);
            }
            producer.flush();
            long finished = consumed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return new Throughput("broker ceiling", events, (finished - started) / 1e9);
        }
    }

    private static long consumeAll(KafkaConsumer<byte[], byte[]> consumer, int commands) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long received = 0;
        while (received < commands) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The broker ceiling consumed only " + received + " of " + commands
                        + " records within " + TIMEOUT);
            }
            received += consumer.poll(Duration.ofMillis(100)).count();
        }
        return System.nanoTime();
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

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
