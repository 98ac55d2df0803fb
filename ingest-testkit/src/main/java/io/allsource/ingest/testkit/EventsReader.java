package io.allsource.ingest.testkit;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroDeserializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the events topic of one pipeline from its beginning, as a downstream consumer of the service's events would:
 * the worker publishes each committed event there as an Avro {@link EventRecord} keyed by its stream id, at least once.
 * Each call uses a consumer of its own without a group, so calls may run on any thread.
 */
public final class EventsReader {

    /** How long {@link #awaitEvents(String, int)} waits. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);

    private final String bootstrapServers;
    private final String registryUrl;
    private final String topic;

    EventsReader(String bootstrapServers, String registryUrl, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.topic = topic;
    }

    /** The topic this reader reads. */
    public String topic() {
        return topic;
    }

    /** As {@link #awaitEvents(String, int, Duration)}, waiting {@link #DEFAULT_WAIT}. */
    public List<EventRecord> awaitEvents(String streamId, int count) {
        return awaitEvents(streamId, count, DEFAULT_WAIT);
    }

    /**
     * Reads the topic from its beginning until it holds {@code count} distinct events (by version) of stream {@code
     * streamId}, and returns them in version order; copies republished after a restart count once.
     *
     * @throws EventsMissingException when fewer than {@code count} are there after {@code wait}, naming how many were
     */
    public List<EventRecord> awaitEvents(String streamId, int count, Duration wait) {
        Map<Long, EventRecord> byVersion = new TreeMap<>();
        SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySettings.of(registryUrl));
        try (KafkaConsumer<String, EventRecord> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                new AvroDeserializer<>(registry, EventRecord.class))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + wait.toNanos();
            while (byVersion.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, EventRecord> record : consumer.poll(Duration.ofMillis(200))) {
                    if (streamId.equals(record.value().getStreamId())) {
                        byVersion.putIfAbsent(record.value().getVersion(), record.value());
                    }
                }
            }
        }
        if (byVersion.size() < count) {
            throw new EventsMissingException("Topic " + topic + " holds " + byVersion.size() + " of the " + count
                    + " events of stream " + streamId + " expected after " + wait);
        }
        return List.copyOf(byVersion.values());
    }
}
