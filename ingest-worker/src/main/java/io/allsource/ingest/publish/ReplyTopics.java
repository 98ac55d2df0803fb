package io.allsource.ingest.publish;

import io.allsource.ingest.failure.FailureClassifier;
import io.allsource.ingest.failure.FailureKind;
import io.allsource.ingest.kafka.KafkaAccess;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Knows which reply topics exist, how many partitions they have and whether Kafka keeps them for itself, so that a
 * result whose command names a topic it cannot take is sent to the results topic instead of blocking its partition's
 * publication. Answers are cached for a while, absent topics too. A topic the broker does not let the worker describe
 * is unusable, and its problem names the refusal: {@code the broker refused DESCRIBE on topic 'replies' (looking up a
 * command's reply topic)}. Thread-safe.
 */
public final class ReplyTopics {

    private final Admin admin;
    private final Duration cacheFor;
    private final Duration timeout;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    public ReplyTopics(Admin admin, Duration cacheFor, Duration timeout) {
        this.admin = admin;
        this.cacheFor = cacheFor;
        this.timeout = timeout;
    }

    /**
     * What the cluster says of a reply topic.
     *
     * @param partitions its partition count, 0 when unusable
     * @param problem    why results cannot go there (it does not exist, Kafka keeps it for itself, the worker may not
     *                   describe it), or null when they can
     */
    public record ReplyTopic(int partitions, String problem) {

        static ReplyTopic usable(int partitions) {
            return new ReplyTopic(partitions, null);
        }

        static ReplyTopic unusable(String problem) {
            return new ReplyTopic(0, problem);
        }
    }

    /**
     * What the cluster says of {@code topic}.
     *
     * @throws PublishException when the cluster cannot tell (transient)
     */
    public ReplyTopic describe(String topic) {
        Known cached = known.get(topic);
        long now = System.nanoTime();
        if (cached != null && now - cached.checkedAt() < cacheFor.toNanos()) {
            return cached.topic();
        }
        ReplyTopic described = describeNow(topic);
        known.put(topic, new Known(described, now));
        return described;
    }

    private ReplyTopic describeNow(String topic) {
        try {
            TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            return description.isInternal() ? ReplyTopic.unusable("reply topic " + topic + " is internal to Kafka")
                    : ReplyTopic.usable(description.partitions().size());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return ReplyTopic.unusable("reply topic " + topic + " does not exist");
            }
            if (KafkaAccess.isRefusal(e.getCause())) {
                return ReplyTopic.unusable(describing(topic).describe(e.getCause()));
            }
            if (FailureClassifier.classify(e.getCause()) != FailureKind.TRANSIENT) {
                return ReplyTopic.unusable("reply topic " + topic + " cannot be described: " + e.getCause());
            }
            throw new PublishException("Could not look up reply topic " + topic + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishException("Looking up reply topic " + topic + " timed out after " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("Interrupted while looking up reply topic " + topic, e);
        }
    }

    private static KafkaAccess describing(String topic) {
        return KafkaAccess.of("looking up a command's reply topic")
                .needs(AclOperation.DESCRIBE, ResourceType.TOPIC, topic, "looking up a command's reply topic");
    }

    private record Known(ReplyTopic topic, long checkedAt) {
    }
}
