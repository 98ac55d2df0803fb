package io.allsource.ingest.worker;

import io.allsource.ingest.failure.FailureStreak;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions the group has assigned to one consumer, as the group's rebalances change them, and what the consumer
 * should fetch for each: a partition is paused until it is claimed and sought to its stored offset, and while it backs
 * off or holds enough records. Runs on the consumer's thread only (Kafka calls the listener inside {@code poll}).
 */
final class AssignedPartitions implements ConsumerRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(AssignedPartitions.class);
    private static final Duration MAX_POLL = Duration.ofMillis(100);
    /**
     * While a transaction or the broker has not answered for a partition, the loop comes back soon to record the
     * outcome.
     */
    private static final Duration OUTCOME_CHECK = Duration.ofMillis(2);

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final WorkerSettings settings;
    private final PartitionSteps processor;
    private final Map<TopicPartition, OwnedPartition> owned = new HashMap<>();

    AssignedPartitions(String name, Consumer<byte[], byte[]> consumer, WorkerSettings settings,
            PartitionSteps processor) {
        this.name = name;
        this.consumer = consumer;
        this.settings = settings;
        this.processor = processor;
    }

    /** The partition a fetched record belongs to, or null when it is no longer assigned here. */
    OwnedPartition get(TopicPartition topicPartition) {
        return owned.get(topicPartition);
    }

    /** A snapshot of the assigned partitions. */
    List<OwnedPartition> all() {
        return new ArrayList<>(owned.values());
    }

    /** Pauses the partitions that cannot take records now and resumes the others. */
    void updateFetching() {
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        Set<TopicPartition> paused = consumer.paused();
        for (OwnedPartition partition : owned.values()) {
            boolean wants = partition.wantsRecords(settings.batchSize());
            boolean isPaused = paused.contains(partition.topicPartition());
            if (wants && isPaused) {
                resume.add(partition.topicPartition());
            } else if (!wants && !isPaused) {
                pause.add(partition.topicPartition());
            }
        }
        if (!pause.isEmpty()) {
            consumer.pause(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    /** How long the next poll may wait: until a publication may have been answered, a back-off ends, a batch is due. */
    Duration pollTimeout() {
        Duration timeout = MAX_POLL;
        for (OwnedPartition partition : owned.values()) {
            if (partition.inFlight() != null || partition.batchInFlight() != null) {
                return OUTCOME_CHECK;
            }
            Duration due = partition.backoff().isRetrying() ? partition.backoff().remaining()
                    : partition.pendingCount() > 0 ? partition.lingerRemaining(settings.linger()) : MAX_POLL;
            if (due.compareTo(timeout) < 0) {
                timeout = due;
            }
        }
        return timeout;
    }

    /**
     * The consumer found these partitions' positions outside their logs: each is claimed again, which compares its
     * stored offsets with the log and holds it when records were deleted before they were applied or the topic was
     * replaced. Nothing is skipped: the consumer never resets a position by itself.
     */
    void logsMoved(InvalidOffsetException refused) {
        for (TopicPartition topicPartition : refused.partitions()) {
            OwnedPartition partition = owned.get(topicPartition);
            if (partition != null) {
                log.warn("{} - partition {}: the broker refused the fetch position ({}); checking its stored offsets"
                        + " against its log", name, topicPartition.partition(), refused.getMessage());
                partition.logMoved();
            }
        }
    }

    /** Whether any partition holds records not applied, or committed work not yet published. */
    boolean holdWork() {
        for (OwnedPartition partition : owned.values()) {
            if (partition.inFlight() != null || partition.batchInFlight() != null) {
                return true;
            }
            boolean unapplied = partition.phase() == OwnedPartition.Phase.APPLYING && partition.pendingCount() > 0;
            if (unapplied || partition.phase() == OwnedPartition.Phase.REPUBLISHING) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        for (TopicPartition topicPartition : partitions) {
            owned.put(topicPartition, new OwnedPartition(topicPartition,
                    new Backoff(settings.retryInitial(), settings.retryMax()),
                    new FailureStreak(FailureStreak.DEFAULT_BOUND, processor.progress())));
        }
        if (!partitions.isEmpty()) {
            consumer.pause(partitions); // nothing is fetched before the claim and the seek to the stored offset
            // A placeholder position until the claim seeks to the stored one: without any, a consumer that never
            // resets positions by itself (auto.offset.reset=none) refuses to poll while the claim waits.
            partitions.forEach(topicPartition -> consumer.seek(topicPartition, 0));
            log.info("{} - assigned partitions {}", name, numbers(partitions));
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        for (TopicPartition topicPartition : partitions) {
            OwnedPartition partition = owned.remove(topicPartition);
            if (partition != null) {
                // the batch in its transaction, the publication in flight, then that of the batch committed behind it
                // (sent when the first is acknowledged), so that the next owner has less to publish again
                processor.completeBatch(partition, true);
                for (int i = 0; i < 2 && partition.inFlight() != null; i++) {
                    processor.completePublication(partition, true);
                }
                processor.markPublished(List.of(partition));
                processor.release(partition);
            }
        }
        if (!partitions.isEmpty()) {
            log.info("{} - revoked partitions {}", name, numbers(partitions));
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        for (TopicPartition topicPartition : partitions) {
            OwnedPartition partition = owned.remove(topicPartition);
            if (partition != null) {
                processor.release(partition);
            }
        }
        log.warn("{} - lost partitions {} (another worker may own them already)", name, numbers(partitions));
    }

    private static List<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().toList();
    }
}
