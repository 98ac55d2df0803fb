package io.allsource.ingest.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Ports;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/** The container backend's Kafka on the image built here. Needs Docker: runs in the docker profile only. */
@Tag("docker")
class ContainerKafkaDockerIT {

    private static TestKafka kafka;

    @BeforeAll
    static void start() {
        kafka = Backend.TESTCONTAINERS.startKafka();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void runsTheImageBuiltHereInPlaceOfApacheKafka() {
        assertThat(kafka).isInstanceOf(ContainerKafka.class);
        assertThat(((ContainerKafka) kafka).image()).isEqualTo(ContainerImages.DEFAULT_KAFKA);
    }

    @Test
    void createsA32PartitionTopicThatAcceptsAndServesRecords() throws Exception {
        String topic = KafkaBroker.uniqueName("container-smoke");
        kafka.createTopic(topic, 32);

        assertThat(kafka.admin().describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions())
                .hasSize(32);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i));
            }
            producer.flush();
        }
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, KafkaBroker.uniqueName("container-group"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.size() < 100 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }
        assertThat(received).hasSize(100);
        assertThat(received).extracting(ConsumerRecord::value).contains("value-0", "value-99");
    }

    @Test
    void refusesToCreateTopicsOnTheFlyAsTheInJvmBrokerDoes() throws Exception {
        String node = kafka.admin().describeCluster().nodes().get().iterator().next().idString();
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, node);

        String config = kafka.admin().describeConfigs(List.of(broker)).all().get().get(broker)
                .get("auto.create.topics.enable").value();

        assertThat(config).isEqualTo("false");
    }

    @Test
    void publishesItsPortsOnLoopbackOnly() {
        Ports ports = DockerClientFactory.instance().client()
                .inspectContainerCmd(((ContainerKafka) kafka).containerId()).exec().getNetworkSettings().getPorts();

        List<String> hostAddresses = ports.getBindings().values().stream().filter(Objects::nonNull)
                .flatMap(Arrays::stream).map(Ports.Binding::getHostIp).toList();
        assertThat(hostAddresses).isNotEmpty().containsOnly("127.0.0.1");
    }
}
