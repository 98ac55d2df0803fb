package io.allsource.ingest.publish;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Knows which reply topics exist and how many partitions they have, so that a result whose command names a topic that
 * does not exist is sent to the results topic instead of blocking its partition's publication. Answers are cached for
 * a while, absent topics too. Thread-safe.
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
     * The partition count of {@code topic}, or empty when it does not exist.
     *
     * @throws PublishException when the cluster cannot tell (transient)
     */
    public OptionalInt partitionCount(String topic) {
        Known cached = known.get(topic);
        long now = System.nanoTime();
        if (cached != null && now - cached.checkedAt() < cacheFor.toNanos()) {
            return cached.partitions();
        }
        OptionalInt partitions = describe(topic);
        known.put(topic, new Known(partitions, now));
        return partitions;
    }

    private OptionalInt describe(String topic) {
        try {
            TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            return OptionalInt.of(description.partitions().size());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return OptionalInt.empty();
            }
            throw new PublishException("Could not look up reply topic " + topic + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishException("Looking up reply topic " + topic + " timed out after " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("Interrupted while looking up reply topic " + topic, e);
        }
    }

    private record Known(OptionalInt partitions, long checkedAt) {
    }
}
