package io.allsource.ingest.worker;

import io.allsource.ingest.kafka.KafkaSecrets;
import io.allsource.ingest.topics.IngestTopics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the worker consumes, batches, publishes and retries.
 *
 * @param workerId          names this process in logs and as partition owner
 * @param groupId           the consumer group the workers share
 * @param topics            the pipeline's topic names
 * @param consumerThreads   consumers in this process, each owning the partitions assigned to it
 * @param applyThreads      batch transactions this process runs at once, each holding the due batches of several
 *                          partitions: they share a commit instead of paying one each
 * @param batchSize         most commands of one partition applied in one transaction
 * @param linger            how long a partition's first unapplied command may wait for more to fill its batch
 * @param applyOverlap      how long batches handed over while a transaction runs wait for it to end before another
 *                          apply thread takes them into a transaction of its own (zero: at once). Below the load one
 *                          thread keeps up with, each transaction then holds what arrived during the one before and
 *                          the worker commits less often; above it, the threads overlap after this delay
 * @param markInterval      how often publication progress (and so the watermarks) is written to the database
 * @param retryInitial      the first pause after a failure of the database, the broker or the registry
 * @param retryMax          the longest pause between retries
 * @param publishTimeout    how long to wait for the broker to acknowledge what a batch published
 * @param shutdownTimeout   how long a stop may take to finish the batches in flight
 * @param fencedRecheck     how long a partition found fenced waits for the group to take it away before this worker,
 *                          still its owner by the group's assignment, claims it again
 * @param kafka             client properties passed to every Kafka client (bootstrap servers, security, ...)
 */
public record WorkerSettings(String workerId, String groupId, IngestTopics topics, int consumerThreads,
        int applyThreads, int batchSize, Duration linger, Duration applyOverlap, Duration markInterval,
        Duration retryInitial, Duration retryMax, Duration publishTimeout, Duration shutdownTimeout,
        Duration fencedRecheck, Map<String, Object> kafka) {

    public WorkerSettings {
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(topics, "topics");
        requirePositive("consumerThreads", consumerThreads);
        requirePositive("applyThreads", applyThreads);
        requirePositive("batchSize", batchSize);
        requireNonNegative("linger", linger);
        requireNonNegative("applyOverlap", applyOverlap);
        requirePositive("markInterval", markInterval);
        requirePositive("retryInitial", retryInitial);
        requirePositive("retryMax", retryMax);
        requirePositive("publishTimeout", publishTimeout);
        requirePositive("shutdownTimeout", shutdownTimeout);
        requirePositive("fencedRecheck", fencedRecheck);
        kafka = Map.copyOf(kafka);
        if (!kafka.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("kafka properties must name bootstrap.servers");
        }
    }

    /** Defaults for everything but the identity, the topics and the Kafka connection. */
    public static WorkerSettings defaults(String workerId, IngestTopics topics, Map<String, Object> kafka) {
        return new WorkerSettings(workerId, "ingest-worker", topics, 1, 2, 500, Duration.ofMillis(5),
                Duration.ofMillis(3), Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30), kafka);
    }

    public WorkerSettings withBatching(int size, Duration lingerFor) {
        return new WorkerSettings(workerId, groupId, topics, consumerThreads, applyThreads, size, lingerFor,
                applyOverlap, markInterval, retryInitial, retryMax, publishTimeout, shutdownTimeout, fencedRecheck,
                kafka);
    }

    public WorkerSettings withApplyOverlap(Duration overlap) {
        return new WorkerSettings(workerId, groupId, topics, consumerThreads, applyThreads, batchSize, linger, overlap,
                markInterval, retryInitial, retryMax, publishTimeout, shutdownTimeout, fencedRecheck, kafka);
    }

    public WorkerSettings withConsumerThreads(int threads) {
        return new WorkerSettings(workerId, groupId, topics, threads, applyThreads, batchSize, linger, applyOverlap,
                markInterval, retryInitial, retryMax, publishTimeout, shutdownTimeout, fencedRecheck, kafka);
    }

    public WorkerSettings withApplyThreads(int threads) {
        return new WorkerSettings(workerId, groupId, topics, consumerThreads, threads, batchSize, linger, applyOverlap,
                markInterval, retryInitial, retryMax, publishTimeout, shutdownTimeout, fencedRecheck, kafka);
    }

    public WorkerSettings withMarkInterval(Duration interval) {
        return new WorkerSettings(workerId, groupId, topics, consumerThreads, applyThreads, batchSize, linger,
                applyOverlap, interval, retryInitial, retryMax, publishTimeout, shutdownTimeout, fencedRecheck, kafka);
    }

    public WorkerSettings withRetries(Duration initial, Duration max) {
        return new WorkerSettings(workerId, groupId, topics, consumerThreads, applyThreads, batchSize, linger,
                applyOverlap, markInterval, initial, max, publishTimeout, shutdownTimeout, fencedRecheck, kafka);
    }

    public WorkerSettings withTimeouts(Duration publish, Duration shutdown, Duration fenced) {
        return new WorkerSettings(workerId, groupId, topics, consumerThreads, applyThreads, batchSize, linger,
                applyOverlap, markInterval, retryInitial, retryMax, publish, shutdown, fenced, kafka);
    }

    public WorkerSettings withGroupId(String group) {
        return new WorkerSettings(workerId, group, topics, consumerThreads, applyThreads, batchSize, linger,
                applyOverlap, markInterval, retryInitial, retryMax, publishTimeout, shutdownTimeout, fencedRecheck,
                kafka);
    }

    public WorkerSettings withWorkerId(String id) {
        return new WorkerSettings(id, groupId, topics, consumerThreads, applyThreads, batchSize, linger, applyOverlap,
                markInterval, retryInitial, retryMax, publishTimeout, shutdownTimeout, fencedRecheck, kafka);
    }

    /** Like the record's own, but with the values of Kafka secrets masked. */
    @Override
    public String toString() {
        return "WorkerSettings[workerId=" + workerId + ", groupId=" + groupId + ", topics=" + topics
                + ", consumerThreads=" + consumerThreads + ", applyThreads=" + applyThreads + ", batchSize=" + batchSize
                + ", linger=" + linger + ", applyOverlap=" + applyOverlap + ", markInterval=" + markInterval
                + ", retryInitial=" + retryInitial + ", retryMax=" + retryMax + ", publishTimeout=" + publishTimeout
                + ", shutdownTimeout=" + shutdownTimeout + ", fencedRecheck=" + fencedRecheck + ", kafka="
                + KafkaSecrets.masked(kafka) + "]";
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
    }

    private static void requireNonNegative(String name, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
    }
}
