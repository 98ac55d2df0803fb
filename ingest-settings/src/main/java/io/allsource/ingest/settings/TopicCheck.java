package io.allsource.ingest.settings;

import io.allsource.ingest.kafka.KafkaAccess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks at start that the topics a component needs exist with the partition count they must have, and creates the
 * missing ones it may create when asked to. Nothing is created unless every other topic is as required; otherwise the
 * component refuses to start, each topic at fault named with its actual count and what to do. A broker that refuses
 * to describe or create a topic stops the start with one line naming the operation and the topic:
 * {@code the broker refused DESCRIBE on topic 'ingest.commands' (checking the topics at start)}.
 */
public final class TopicCheck {

    private static final Logger log = LoggerFactory.getLogger(TopicCheck.class);
    private static final long TIMEOUT_SECONDS = 30;

    private TopicCheck() {
    }

    /**
     * @param replicationFactor of created topics; -1 for the broker's default
     * @return the partition count of every topic, by name
     * @throws ConfigException naming every topic that is missing (and may not be created) or has another count, or
     *                         when the cluster does not answer
     */
    public static Map<String, Integer> ensure(Admin admin, List<TopicRequirement> topics, TopicCreation creation,
            int replicationFactor) {
        Map<String, Integer> partitions = new LinkedHashMap<>();
        List<TopicRequirement> toCreate = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (TopicRequirement topic : topics) {
            Optional<Integer> count = partitionCount(admin, topic.name());
            if (count.isPresent()) {
                partitions.put(topic.name(), count.get());
                topic.requiredPartitions().stream().filter(required -> required != count.get()).forEach(required ->
                        problems.add("topic " + topic.name() + " has " + count.get() + " partitions; the pipeline"
                                + " needs exactly " + required + " (stream placement depends on it)"));
            } else if (topic.createdPartitions().isPresent() && creation == TopicCreation.CREATE_MISSING) {
                toCreate.add(topic);
            } else {
                problems.add(missing(topic));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("Topics not ready", problems);
        }
        create(admin, toCreate, replicationFactor);
        toCreate.forEach(topic -> partitions.put(topic.name(), topic.createdPartitions().getAsInt()));
        return partitions;
    }

    private static String missing(TopicRequirement topic) {
        if (topic.createdPartitions().isEmpty()) {
            return "topic " + topic.name() + " does not exist, and is not created here: create it (the worker does,"
                    + " with create-topics=true), or name another with " + topic.setting().spellings();
        }
        return "topic " + topic.name() + " does not exist; create it with " + topic.createdPartitions().getAsInt()
                + " partitions, or start with create-topics=true (" + CommonKeys.CREATE_TOPICS.spellings() + ")";
    }

    private static Optional<Integer> partitionCount(Admin admin, String topic) {
        try {
            return Optional.of(await(admin.describeTopics(Set.of(topic)).allTopicNames(), "describing topic " + topic)
                    .get(topic).partitions().size());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            if (KafkaAccess.isRefusal(e.getCause())) {
                throw new ConfigException(KafkaAccess.of("checking the topics at start").needs(AclOperation.DESCRIBE,
                        ResourceType.TOPIC, topic, "checking the topics at start").describe(e.getCause()),
                        e.getCause());
            }
            throw new ConfigException("Could not describe topic " + topic + ": " + e.getCause(), e.getCause());
        }
    }

    private static void create(Admin admin, List<TopicRequirement> topics, int replicationFactor) {
        if (topics.isEmpty()) {
            return;
        }
        List<NewTopic> newTopics = topics.stream().map(topic -> new NewTopic(topic.name(),
                Optional.of(topic.createdPartitions().getAsInt()),
                replicationFactor < 0 ? Optional.empty() : Optional.of((short) replicationFactor))).toList();
        List<String> names = topics.stream().map(TopicRequirement::name).toList();
        try {
            await(admin.createTopics(newTopics).all(), "creating topics " + names);
            log.info("Created topics {}", newTopics.stream().map(topic -> topic.name() + " (" + topic.numPartitions()
                    + " partitions)").toList());
        } catch (ExecutionException e) {
            if (KafkaAccess.isRefusal(e.getCause())) {
                throw new ConfigException(creating(names).describe(e.getCause()), e.getCause());
            }
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new ConfigException("Could not create topics " + names + ": " + e.getCause(), e.getCause());
            }
        }
    }

    /** CREATE on each topic (or on the cluster, which Kafka also accepts for creating topics). */
    private static KafkaAccess creating(List<String> names) {
        String purpose = "creating the missing topics at start";
        KafkaAccess access = KafkaAccess.of(purpose);
        for (String name : names) {
            access = access.needs(AclOperation.CREATE, ResourceType.TOPIC, name, purpose);
        }
        return access.needs(AclOperation.CREATE, ResourceType.CLUSTER, null, purpose);
    }

    /** The future's value; a cluster that does not answer in time, or an interrupt, stops the start. */
    private static <T> T await(KafkaFuture<T> future, String what) throws ExecutionException {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new ConfigException("The Kafka cluster did not answer within " + TIMEOUT_SECONDS + " s " + what
                    + ": check " + CommonKeys.BOOTSTRAP_SERVERS.spellings() + " and the kafka.* security settings", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("Interrupted while " + what, e);
        }
    }
}
