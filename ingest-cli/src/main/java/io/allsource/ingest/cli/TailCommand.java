package io.allsource.ingest.cli;

import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.serde.AvroDeserializer;
import io.allsource.ingest.serde.UndecodableRecordException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints the results or events topic as decoded JSON lines, following it until stopped. */
@Command(name = "tail", description = "Print the results or events topic as JSON lines, following it")
final class TailCommand implements Callable<Integer> {

    enum Topic { results, events }

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "results|events", description = "Which topic to print")
    Topic topic;

    @Option(names = "--from-beginning", description = "Start at the oldest record instead of new ones")
    boolean fromBeginning;

    @Option(names = "--partition", paramLabel = "N", description = "Only this partition")
    Integer partition;

    @Option(names = "--max-records", paramLabel = "N", description = "Stop after this many records")
    Long maxRecords;

    @Option(names = "--idle-seconds", paramLabel = "S", description = "Stop after this long without a record")
    Long idleSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String name = topic == Topic.results ? connection.topics().results() : connection.topics().events();
        AvroDeserializer<?> deserializer = topic == Topic.results
                ? new AvroDeserializer<>(connection.registry(), CommandResult.class)
                : new AvroDeserializer<>(connection.registry(), EventRecord.class);
        Map<String, Object> properties = new HashMap<>(connection.kafkaProperties());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(name).stream()
                    .map(info -> new TopicPartition(name, info.partition()))
                    .filter(tp -> partition == null || tp.partition() == partition).toList();
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            long printed = 0;
            long lastRecordAt = System.nanoTime();
            while (maxRecords == null || printed < maxRecords) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    out.println(decode(deserializer, name, record));
                    printed++;
                    lastRecordAt = System.nanoTime();
                    if (maxRecords != null && printed >= maxRecords) {
                        break;
                    }
                }
                out.flush();
                if (idleSeconds != null && System.nanoTime() - lastRecordAt > Duration.ofSeconds(idleSeconds).toNanos()) {
                    break;
                }
            }
            return 0;
        }
    }

    private static String decode(AvroDeserializer<?> deserializer, String topic, ConsumerRecord<byte[], byte[]> record) {
        try {
            return String.valueOf(deserializer.deserialize(topic, record.value()));
        } catch (UndecodableRecordException e) {
            return "{\"undecodable\": \"" + e.problem() + "\", \"partition\": " + record.partition() + ", \"offset\": "
                    + record.offset() + "}";
        }
    }
}
