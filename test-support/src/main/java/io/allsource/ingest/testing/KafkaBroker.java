package io.allsource.ingest.testing;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka cluster running inside the test JVM (Apache Kafka's own {@link KafkaClusterTestKit}),
 * one per test JVM ({@link KafkaExtension}), or one of a test class's own with broker properties of its own ({@link
 * #start(Map)}) and, for a listener that asks clients for credentials, client properties of its own ({@link
 * #start(Map, Map)}). Tests get topics of their own through {@link #createTopic} with names from {@link #uniqueName}.
 * The in-JVM {@link TestKafka} of {@link Backend#IN_JVM}. Thread-safe.
 */
public final class KafkaBroker implements TestKafka {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
    private static final AtomicInteger TOPIC_COUNTER = new AtomicInteger();

    private final KafkaClusterTestKit cluster;
    private final Admin admin;

    private KafkaBroker(KafkaClusterTestKit cluster, Map<String, Object> clientConfig) {
        this.cluster = cluster;
        Map<String, Object> adminConfig = new HashMap<>(clientConfig);
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        this.admin = Admin.create(adminConfig);
    }

    /** Formats and starts a combined controller and broker node and waits until it accepts clients. */
    public static KafkaBroker start() {
        return start(Map.of());
    }

    /**
     * As {@link #start()}, with broker properties added to (or replacing) this class's own, for a test class that
     * needs a broker of its own: an authorizer, say ({@code authorizer.class.name}, {@code
     * allow.everyone.if.no.acl.found}). The node is both controller and broker, so the properties apply to both roles.
     *
     * @throws IllegalStateException when the node does not start, with the broker's failure as the cause
     */
    public static KafkaBroker start(Map<String, String> extraBrokerConfig) {
        return start(extraBrokerConfig, Map.of());
    }

    /**
     * As {@link #start(Map)}, with client properties ({@code security.protocol}, {@code sasl.*}) for this class's own
     * admin client ({@link #admin()}, {@link #createTopic}): for a broker whose client listener asks for credentials
     * ({@link SaslPlainListener}).
     *
     * @throws IllegalStateException when the node does not start, with the broker's failure as the cause
     */
    public static KafkaBroker start(Map<String, String> extraBrokerConfig, Map<String, Object> clientConfig) {
        long started = System.nanoTime();
        KafkaClusterTestKit cluster = null;
        try {
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "4")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0");
            extraBrokerConfig.forEach(builder::setConfigProp);
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            log.info("Kafka broker started at {} in {} ms{}", cluster.bootstrapServers(),
                    (System.nanoTime() - started) / 1_000_000,
                    extraBrokerConfig.isEmpty() ? "" : " with " + printable(extraBrokerConfig));
            return new KafkaBroker(cluster, clientConfig);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(cluster);
            throw new IllegalStateException("Interrupted while starting the test Kafka broker", e);
        } catch (Exception e) {
            closeQuietly(cluster);
            throw new IllegalStateException("Could not start the test Kafka broker"
                    + (extraBrokerConfig.isEmpty() ? "" : " with " + printable(extraBrokerConfig)), e);
        }
    }

    /** Broker properties as they may be logged: a JAAS configuration holds passwords. */
    private static Map<String, String> printable(Map<String, String> brokerConfig) {
        Map<String, String> printable = new TreeMap<>(brokerConfig);
        printable.replaceAll((name, value) -> name.contains("jaas") || name.contains("password") ? "****" : value);
        return printable;
    }

    /** Stops a node whose start failed part way (a property the node refuses, say), so that no thread outlives it. */
    private static void closeQuietly(KafkaClusterTestKit cluster) {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
        } catch (Exception e) {
            log.warn("Test Kafka broker that failed to start did not stop cleanly", e);
        }
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** A topic name no other test in this JVM run uses, derived from {@code base}. */
    public static String uniqueName(String base) {
        return base + "." + ProcessHandle.current().pid() + "." + TOPIC_COUNTER.incrementAndGet();
    }

    /** Creates a topic and waits until every partition has a leader, so that the first produce succeeds. */
    @Override
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /** Creates a topic with topic-level settings such as {@code cleanup.policy} or {@code max.message.bytes}. */
    @Override
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        Topics.create(admin, name, partitions, configs);
    }

    /** An admin client on this broker, owned by the broker: do not close it. */
    @Override
    public Admin admin() {
        return admin;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        try {
            cluster.close();
        } catch (Exception e) {
            log.warn("Test Kafka broker did not stop cleanly", e);
        }
    }
}
