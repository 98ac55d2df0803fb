package io.allsource.ingest.testing;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A single-node KRaft Kafka cluster in a container ({@link Backend#TESTCONTAINERS}): Testcontainers'
 * {@link KafkaContainer} on the image of {@link ContainerImages#kafka()}, taken as a substitute for
 * {@code apache/kafka}, with the broker settings of the in-JVM {@link KafkaBroker} (no automatic topic creation,
 * internal topics with one replica, no initial rebalance delay). Its port is published on 127.0.0.1. Closing stops and
 * removes the container. Thread-safe.
 */
public final class ContainerKafka implements TestKafka {

    private static final Logger log = LoggerFactory.getLogger(ContainerKafka.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);

    private final KafkaContainer container;
    private final Admin admin;

    private ContainerKafka(KafkaContainer container) {
        this.container = container;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, container.getBootstrapServers()));
    }

    /**
     * Starts the container and waits until the broker accepts clients.
     *
     * @throws IllegalStateException when the container does not start (no Docker engine, the image missing), with the
     *                               cause; the container is removed
     */
    public static ContainerKafka start(ContainerImages images) {
        long started = System.nanoTime();
        DockerImageName image = DockerImageName.parse(images.kafka()).asCompatibleSubstituteFor("apache/kafka");
        KafkaContainer container = LocalContainers.local(new KafkaContainer(image))
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "4")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withStartupTimeout(STARTUP_TIMEOUT);
        try {
            container.start();
            ContainerKafka kafka = new ContainerKafka(container);
            log.info("Kafka container {} ({}) started at {} in {} ms", container.getContainerId(), images.kafka(),
                    container.getBootstrapServers(), (System.nanoTime() - started) / 1_000_000);
            return kafka;
        } catch (RuntimeException e) {
            container.stop();
            throw new IllegalStateException("Could not start a Kafka container from image " + images.kafka()
                    + " (is a Docker engine running, and the image built?)", e);
        }
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public Admin admin() {
        return admin;
    }

    @Override
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    @Override
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        Topics.create(admin, name, partitions, configs);
    }

    /** The image the container runs, as Docker names it. */
    public String image() {
        return container.getDockerImageName();
    }

    /** The id of the running container, for a test that inspects it with Docker. */
    public String containerId() {
        return container.getContainerId();
    }

    /** Closes the admin client, then stops and removes the container. Idempotent. */
    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        container.stop();
    }
}
