package io.allsource.ingest.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Topic creation that waits for leaders, shared by the {@link TestKafka} implementations. Stateless. */
final class Topics {

    private static final Duration TOPIC_READY_TIMEOUT = Duration.ofSeconds(30);

    private Topics() {
    }

    /** Creates a topic with replication factor 1 and waits until every partition has a leader. */
    static void create(Admin admin, String name, int partitions, Map<String, String> configs) {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all()
                    .get(TOPIC_READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitLeaders(admin, name, partitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not create topic " + name, e);
        }
    }

    private static void awaitLeaders(Admin admin, String name, int partitions)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TOPIC_READY_TIMEOUT.toNanos();
        while (true) {
            long led = ledPartitions(admin, name);
            if (led == partitions) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("Topic " + name + " has leaders for " + led + " of " + partitions
                        + " partitions after " + TOPIC_READY_TIMEOUT);
            }
            TimeUnit.MILLISECONDS.sleep(50); // metadata propagation has no event to wait on from here
        }
    }

    /** Partitions of the topic that have a leader; 0 while the new topic is not known to the broker yet. */
    private static long ledPartitions(Admin admin, String name)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            TopicDescription description = admin.describeTopics(Set.of(name)).allTopicNames()
                    .get(TOPIC_READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(name);
            return description.partitions().stream().map(TopicPartitionInfo::leader)
                    .filter(leader -> leader != null && !leader.isEmpty()).count();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return 0;
            }
            throw e;
        }
    }
}
