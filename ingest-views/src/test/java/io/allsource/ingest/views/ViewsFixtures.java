package io.allsource.ingest.views;

import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.EventRecord;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroSerializer;
import io.allsource.ingest.settings.TopicCreation;
import io.allsource.ingest.testing.KafkaBroker;
import io.allsource.ingest.testing.TestSchemaRegistry;
import io.allsource.ingest.topics.IngestTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the integration tests share: fresh topics, views settings for the test servers, reading the alerts topic. */
final class ViewsFixtures {

    private ViewsFixtures() {
    }

    /** The pipeline's four topics under a fresh prefix, 32 partitions each. */
    static IngestTopics createPipelineTopics(KafkaBroker broker) {
        IngestTopics topics = IngestTopics.DEFAULT.withPrefix(KafkaBroker.uniqueName("v") + ".");
        for (String topic : topics.all()) {
            broker.createTopic(topic, 32);
        }
        return topics;
    }

    /** The views topics beside {@code topics}: their events topic, and an alerts topic under the same prefix. */
    static ViewsTopics viewsTopics(IngestTopics topics) {
        String prefix = topics.events().substring(0, topics.events().length() - "ingest.events".length());
        return ViewsTopics.DEFAULT.withPrefix(prefix);
    }

    /** One instance of the views on the test servers, fast to commit, serving on a free loopback port. */
    static ViewsSettings settings(KafkaBroker broker, TestSchemaRegistry registry, ViewsTopics topics,
            String applicationId, Path stateDirectory) {
        return ViewsSettings.defaults(Map.of("bootstrap.servers", broker.bootstrapServers()),
                        RegistrySettings.of(registry.url()))
                .withApplicationId(applicationId)
                .withTopics(topics)
                .withStateDirectory(stateDirectory)
                .withHttp("127.0.0.1", 0)
                .withProcessing(1, Duration.ofMillis(100), 0)
                .withAlertsTopic(TopicCreation.CREATE_MISSING, (short) 1);
    }

    /** Every committed record of the alerts topic, read to its end. */
    static List<String> alerts(KafkaBroker broker, String topic) {
        Map<String, Object> properties = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "alerts-reader-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            await().alias("the alerts topic read to its end").atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                            values.add(record.value());
                        }
                        return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
                    });
        }
        return values;
    }

    /** Publishes {@code events} to their partitions of {@code topic}, registering the schema on first use. */
    static void publish(KafkaBroker broker, TestSchemaRegistry registry, String topic, List<EventRecord> events) {
        SchemaRegistryClient client = new SchemaRegistryClient(RegistrySettings.of(registry.url()));
        Map<String, Object> properties = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, EventRecord> producer = new KafkaProducer<>(properties, new StringSerializer(),
                AvroSerializer.<EventRecord>forTopics(client, true))) {
            for (EventRecord event : events) {
                producer.send(new ProducerRecord<>(topic, event.getPartition(), event.getStreamId(), event));
            }
            producer.flush();
        }
    }

    /** An event as the worker would publish it. */
    static EventRecord event(String stream, long version, int partition, long sequence, String tenant, String type,
            Instant recordedAt) {
        return EventRecord.newBuilder().setEventId(UUID.nameUUIDFromBytes((stream + version).getBytes()).toString())
                .setStreamId(stream).setVersion(version).setPartition(partition).setPartitionSequence(sequence)
                .setTenantId(tenant).setEventType(type).setEntityId(stream).setPayload("{}").setMetadata(Map.of())
                .setCommandId(UUID.randomUUID().toString()).setRecordedAt(recordedAt)
                .build();
    }

    /** How many records the topic holds (all of them: nothing is deleted in a test). */
    static long records(KafkaBroker broker, String topic) throws Exception {
        var description = broker.admin().describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
        Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
        description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
                org.apache.kafka.clients.admin.OffsetSpec.latest()));
        return broker.admin().listOffsets(latest).all().get().values().stream()
                .mapToLong(info -> info.offset()).sum();
    }
}
