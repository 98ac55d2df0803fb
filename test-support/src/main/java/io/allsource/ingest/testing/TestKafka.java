package io.allsource.ingest.testing;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * A Kafka cluster for tests, whichever {@link Backend} runs it: the in-JVM broker ({@link KafkaBroker}) or a container
 * ({@link ContainerKafka}). Tests get topics of their own through {@link #createTopic} with names from {@link
 * KafkaBroker#uniqueName}. Implementations are thread-safe.
 */
public interface TestKafka extends AutoCloseable {

    /** The {@code bootstrap.servers} value clients on this machine use, such as {@code 127.0.0.1:40123}. */
    String bootstrapServers();

    /** An admin client on this cluster, owned by the cluster: do not close it. */
    Admin admin();

    /**
     * Creates a topic with replication factor 1 and waits until every partition has a leader, so that the first
     * produce succeeds.
     *
     * @throws IllegalStateException when the topic cannot be created or has no leaders within 30 seconds
     */
    void createTopic(String name, int partitions);

    /** As {@link #createTopic(String, int)}, with topic-level settings such as {@code cleanup.policy}. */
    void createTopic(String name, int partitions, Map<String, String> configs);

    /** Stops the cluster and its admin client; its data is gone. */
    @Override
    void close();
}
