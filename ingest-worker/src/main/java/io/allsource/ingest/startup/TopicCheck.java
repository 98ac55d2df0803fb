package io.allsource.ingest.startup;

import io.allsource.ingest.partition.PartitionFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks at start that every topic of the pipeline exists with exactly 32 partitions: stream placement depends on the
 * count. Creates missing topics when allowed; otherwise refuses to start, naming the topic and its actual count.
 */
public final class TopicCheck {

    private static final Logger log = LoggerFactory.getLogger(TopicCheck.class);
    private static final long TIMEOUT_SECONDS = 30;

    private TopicCheck() {
    }

    /**
     * @param replicationFactor for created topics; -1 for the broker's default
     * @throws StartupException when a topic is missing (and may not be created) or has another partition count
     */
    public static void ensure(Admin admin, List<String> topics, boolean create, int replicationFactor) {
        List<String> problems = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String topic : topics) {
            Optional<Integer> partitions = partitionCount(admin, topic);
            if (partitions.isEmpty()) {
                missing.add(topic);
            } else if (partitions.get() != PartitionFunction.PARTITION_COUNT) {
                problems.add("topic " + topic + " has " + partitions.get() + " partitions; the pipeline needs exactly "
                        + PartitionFunction.PARTITION_COUNT + " (stream placement depends on it)");
            }
        }
        if (!missing.isEmpty() && create) {
            create(admin, missing, replicationFactor);
        } else {
            missing.forEach(topic -> problems.add("topic " + topic + " does not exist; create it with "
                    + PartitionFunction.PARTITION_COUNT + " partitions, or start with --create-topics"));
        }
        if (!problems.isEmpty()) {
            throw new StartupException("Topics not ready:\n  " + String.join("\n  ", problems));
        }
    }

    private static Optional<Integer> partitionCount(Admin admin, String topic) {
        try {
            Map<String, TopicDescription> descriptions = admin.describeTopics(Set.of(topic)).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return Optional.of(descriptions.get(topic).partitions().size());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new StartupException("Could not describe topic " + topic + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new StartupException("The Kafka cluster did not answer within " + TIMEOUT_SECONDS
                    + " s: check bootstrap-servers and the kafka.* security settings", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("Interrupted while checking topics", e);
        }
    }

    private static void create(Admin admin, List<String> topics, int replicationFactor) {
        List<NewTopic> newTopics = topics.stream().map(topic -> new NewTopic(topic,
                Optional.of(PartitionFunction.PARTITION_COUNT),
                replicationFactor < 0 ? Optional.empty() : Optional.of((short) replicationFactor))).toList();
        try {
            admin.createTopics(newTopics).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            log.info("Created topics {} with {} partitions", topics, PartitionFunction.PARTITION_COUNT);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new StartupException("Could not create topics " + topics + ": " + e.getCause(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new StartupException("Creating topics " + topics + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("Interrupted while creating topics", e);
        }
    }
}
