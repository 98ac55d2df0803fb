package io.allsource.ingest.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka Connect worker in the test JVM (Apache Kafka's {@link EmbeddedConnectCluster}), one per test JVM. It
 * always starts a KRaft broker of its own and points the Connect worker at it, so the tests of this module run the
 * ingest worker against that broker too. Plugins come from the test classpath and from the plugin folders the build
 * assembles (the Apicurio converter; Debezium's JDBC sink), loaded in Connect's plugin isolation as in a Connect
 * deployment.
 */
final class TestConnectCluster implements AutoCloseable {

    /** The folders of plugin folders the build assembles, comma-separated; the failsafe configuration sets it. */
    static final String PLUGINS_PROPERTY = "ingest.test.connect.plugins";

    private static final Logger log = LoggerFactory.getLogger(TestConnectCluster.class);
    private static final Duration TOPIC_READY_TIMEOUT = Duration.ofSeconds(30);

    private final EmbeddedConnectCluster connect;
    private final Admin admin;

    private TestConnectCluster(EmbeddedConnectCluster connect) {
        this.connect = connect;
        this.admin = connect.kafka().createAdminClient();
    }

    static TestConnectCluster start() {
        String plugins = System.getProperty(PLUGINS_PROPERTY);
        if (plugins == null || !Arrays.stream(plugins.split(",")).map(Path::of).allMatch(Files::isDirectory)) {
            throw new IllegalStateException("No Connect plugin folders at " + PLUGINS_PROPERTY + "=" + plugins
                    + ": run the tests through Maven (ingest-connect's connect-plugin execution and"
                    + " ingest-connect-plugins assemble them at package)");
        }
        Map<String, String> workerProps = new HashMap<>();
        workerProps.put("plugin.path", plugins);
        // Apicurio's 2.6 converter jar has no ServiceLoader manifest, so discovery must scan; hybrid_warn is what a
        // Connect worker does by default (the embedded cluster defaults to hybrid_fail, which refuses it).
        workerProps.put("plugin.discovery", "hybrid_warn");
        workerProps.put("offset.flush.interval.ms", "1000");
        Properties brokerProps = new Properties();
        brokerProps.put("offsets.topic.num.partitions", "4");
        brokerProps.put("transaction.state.log.replication.factor", "1");
        brokerProps.put("transaction.state.log.min.isr", "1");
        long started = System.nanoTime();
        EmbeddedConnectCluster connect = new EmbeddedConnectCluster.Builder()
                .name("ingest-connect-it")
                .numWorkers(1)
                .workerProps(workerProps)
                .brokerProps(brokerProps)
                .build();
        connect.start();
        log.info("Kafka Connect worker and its broker {} started in {} ms", connect.kafka().bootstrapServers(),
                (System.nanoTime() - started) / 1_000_000);
        return new TestConnectCluster(connect);
    }

    /** The bootstrap servers of the Connect cluster's own broker. */
    String bootstrapServers() {
        return connect.kafka().bootstrapServers();
    }

    /** Creates a topic and waits until every partition has a leader. */
    void createTopic(String name, int partitions) {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all()
                    .get(TOPIC_READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        } catch (Exception e) {
            throw new IllegalStateException("Could not create topic " + name, e);
        }
        Awaitility.await().alias("leaders for all " + partitions + " partitions of " + name)
                .atMost(TOPIC_READY_TIMEOUT).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> ledPartitions(name) == partitions);
    }

    private long ledPartitions(String name) throws Exception {
        TopicDescription description = admin.describeTopics(Set.of(name)).allTopicNames()
                .get(TOPIC_READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(name);
        return description.partitions().stream().map(TopicPartitionInfo::leader)
                .filter(leader -> leader != null && !leader.isEmpty()).count();
    }

    /** Creates (or replaces) a connector and waits until it and its {@code tasks.max} tasks (default 1) run. */
    void startConnector(String name, Map<String, String> config) throws InterruptedException {
        connect.configureConnector(name, config);
        try {
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name,
                    Integer.parseInt(config.getOrDefault("tasks.max", "1")),
                    "connector " + name + " did not start");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; status: " + statusOf(name), e);
        }
    }

    /** Fails with the stack traces of the connector's failed parts, if any; for Awaitility's failFast. */
    void assertNotFailed(String name) {
        ConnectorStateInfo status = connect.connectorStatus(name);
        assertThat(status.connector().state()).as("connector %s: %s", name, status.connector().trace())
                .isNotEqualTo("FAILED");
        assertThat(status.tasks()).allSatisfy(task -> assertThat(task.state())
                .as("task %s of %s: %s", task.id(), name, task.trace()).isNotEqualTo("FAILED"));
    }

    /**
     * Waits until the sink connector {@code name} has committed, for every partition of {@code topic}, an offset at
     * the partition's end: it has written everything the topic holds now. Connect commits a sink's offsets every
     * {@code offset.flush.interval.ms} (1 s here) in the consumer group {@code connect-<name>}.
     */
    void awaitSinkCaughtUp(String name, String topic) {
        Awaitility.await().alias("connector " + name + " caught up with " + topic).atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500)).failFast(() -> assertNotFailed(name))
                .until(() -> {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("connect-" + name)
                            .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                    for (int partition = 0; partition < partitionCount(topic); partition++) {
                        request.put(new TopicPartition(topic, partition), OffsetSpec.latest());
                    }
                    return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                            .allMatch(end -> end.getValue().offset() == 0 || (committed.get(end.getKey()) != null
                                    && committed.get(end.getKey()).offset() >= end.getValue().offset()));
                });
    }

    private int partitionCount(String topic) throws Exception {
        return admin.describeTopics(Set.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                .partitions().size();
    }

    void deleteConnector(String name) {
        connect.deleteConnector(name);
    }

    private String statusOf(String name) {
        try {
            return connect.connectorStatus(name).toString();
        } catch (RuntimeException e) {
            return "no status (" + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        connect.stop();
    }
}
