package io.allsource.ingest.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import io.allsource.ingest.failure.FailureStreak;
import io.allsource.ingest.failure.FatalWorkerException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer of the worker's group and the partitions assigned to it: polls, hands records to their partitions,
 * applies due batches, and keeps fetching only for partitions that can take records. Owns its consumer; runs on its
 * own thread until {@link #stop()}, then finishes the batches it holds within the shutdown timeout. A failure no retry
 * can fix (a {@link FatalWorkerException} from a step, or anything escaping the consumer: authorization, a fenced
 * static member, an unsupported broker) ends the loop the same way and is handed to the worker, which stops.
 */
final class ConsumerLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);
    private static final Duration MAX_POLL = Duration.ofMillis(100);
    private static final Duration CONSUMER_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** While the broker has not answered a publication, the loop comes back soon to record its outcome. */
    private static final Duration PUBLICATION_CHECK = Duration.ofMillis(2);

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final WorkerSettings settings;
    private final PartitionProcessor processor;
    private final java.util.function.Consumer<FatalWorkerException> onFatal;
    private final Map<TopicPartition, OwnedPartition> owned = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch finished = new CountDownLatch(1);
    private long lastMarkNanos = System.nanoTime();
    private boolean failed;

    /**
     * @param onFatal told, once, on the loop's thread, when a failure ends the loop before {@link #stop()}
     */
    ConsumerLoop(String name, Consumer<byte[], byte[]> consumer, WorkerSettings settings,
            PartitionProcessor processor, java.util.function.Consumer<FatalWorkerException> onFatal) {
        this.name = name;
        this.consumer = consumer;
        this.settings = settings;
        this.processor = processor;
        this.onFatal = onFatal;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(settings.topics().commands()), new Rebalance());
            while (running.get()) {
                pollOnce(false);
            }
        } catch (WakeupException e) {
            if (running.get()) {
                fatal(new FatalWorkerException(null, name + " - the consumer was woken up unexpectedly", e));
            }
        } catch (FatalWorkerException e) {
            fatal(e);
        } catch (RuntimeException e) {
            fatal(new FatalWorkerException(null, name + " - the consumer failed: " + e, e));
        } finally {
            try {
                finish();
            } finally {
                finished.countDown();
            }
        }
    }

    private void fatal(FatalWorkerException e) {
        running.set(false);
        failed = true;
        log.error("{} - stopping: {}", name, e.getMessage(), e);
        onFatal.accept(e);
    }

    private void pollOnce(boolean stopping) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            OwnedPartition partition = owned.get(new TopicPartition(record.topic(), record.partition()));
            if (partition != null) {
                partition.add(record);
            }
        }
        advance(new ArrayList<>(owned.values()), stopping);
        updateFetching();
        if (System.nanoTime() - lastMarkNanos >= settings.markInterval().toNanos()) {
            processor.markPublished(owned.values());
            lastMarkNanos = System.nanoTime();
        }
    }

    /**
     * Takes each partition a step further, then applies the due batches of all of them together (a few transactions,
     * each holding several partitions), so that a round costs a commit or two rather than one per partition.
     */
    private void advance(List<OwnedPartition> partitions, boolean stopping) {
        List<OwnedPartition> due = new ArrayList<>();
        for (OwnedPartition partition : partitions) {
            if (step(partition) == PartitionProcessor.Stepped.FAILED && partition.backoff().isWaiting()) {
                // The database, broker or registry failed; the other partitions' steps would most likely wait for the
                // same timeout now. They try in a later round, the failed one when its back-off ends.
                break;
            }
            if (partition.batchDue(settings.batchSize(), settings.linger(), stopping)) {
                due.add(partition);
            }
        }
        processor.applyBatches(due, settings.batchSize());
    }

    private PartitionProcessor.Stepped step(OwnedPartition partition) {
        if (processor.completePublication(partition, false) == PartitionProcessor.Stepped.FAILED) {
            return PartitionProcessor.Stepped.FAILED;
        }
        if (partition.backoff().isWaiting()) {
            return PartitionProcessor.Stepped.DONE;
        }
        return switch (partition.phase()) {
            case CLAIMING -> claim(partition);
            case REPUBLISHING -> processor.republish(partition);
            case APPLYING -> PartitionProcessor.Stepped.DONE; // its batch, when due, goes with the round's batches
            case FENCED -> {
                if (partition.reclaimDue(settings.fencedRecheck())) {
                    log.warn("{} - partition {} is still assigned here {} after it was fenced: claiming it again",
                            name, partition.partition(), settings.fencedRecheck());
                }
                yield PartitionProcessor.Stepped.DONE;
            }
        };
    }

    private PartitionProcessor.Stepped claim(OwnedPartition partition) {
        long resumeAt = processor.claim(partition);
        if (resumeAt < 0) {
            return PartitionProcessor.Stepped.FAILED;
        }
        consumer.seek(partition.topicPartition(), resumeAt);
        log.info("{} - partition {} claimed under epoch {}, resuming at offset {}", name, partition.partition(),
                partition.epoch(), resumeAt);
        return PartitionProcessor.Stepped.DONE;
    }

    /** Pauses the partitions that cannot take records now and resumes the others. */
    private void updateFetching() {
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

    private Duration pollTimeout() {
        Duration timeout = MAX_POLL;
        for (OwnedPartition partition : owned.values()) {
            if (partition.inFlight() != null) {
                return PUBLICATION_CHECK;
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
     * Applies and publishes what is held, within the shutdown timeout, then leaves the group. After a fatal failure it
     * only records what is already published: whatever else is held is taken over by the partitions' next owners.
     */
    private void finish() {
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        try {
            if (failed) {
                owned.values().forEach(partition -> processor.completePublication(partition, true));
                processor.markPublished(owned.values());
                return;
            }
            while (System.nanoTime() < deadline && holdsWork()) {
                List<OwnedPartition> working = new ArrayList<>();
                for (OwnedPartition partition : owned.values()) {
                    if (partition.inFlight() != null) {
                        processor.completePublication(partition, true);
                    }
                    boolean applying = partition.phase() == OwnedPartition.Phase.APPLYING;
                    if ((applying && !partition.backoff().isWaiting())
                            || partition.phase() == OwnedPartition.Phase.REPUBLISHING) {
                        working.add(partition);
                    }
                }
                advance(working, true);
                pauseBriefly();
            }
            if (holdsWork()) {
                log.warn("{} - stopping with unapplied or unpublished work after {}; the next owner takes it over",
                        name, settings.shutdownTimeout());
            }
            processor.markPublished(owned.values());
        } catch (RuntimeException e) {
            log.warn("{} - could not finish the work held: {}", name, e.toString());
        } finally {
            try {
                // Leaving the group is a courtesy (offsets live in PostgreSQL): do not let an unavailable group
                // coordinator hold the stop up for the whole shutdown timeout.
                consumer.close(CONSUMER_CLOSE_TIMEOUT.compareTo(settings.shutdownTimeout()) < 0
                        ? CONSUMER_CLOSE_TIMEOUT : settings.shutdownTimeout());
            } catch (RuntimeException e) {
                log.warn("{} - consumer did not close cleanly", name, e);
            }
        }
    }

    private boolean holdsWork() {
        for (OwnedPartition partition : owned.values()) {
            if (partition.inFlight() != null) {
                return true;
            }
            boolean unapplied = partition.phase() == OwnedPartition.Phase.APPLYING && partition.pendingCount() > 0;
            if (unapplied || partition.phase() == OwnedPartition.Phase.REPUBLISHING) {
                return true;
            }
        }
        return false;
    }

    private static void pauseBriefly() {
        try {
            Thread.sleep(10); // between retries of the final batches while stopping: no event to wait on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the loop to stop; it finishes its batches on its own thread. */
    void stop() {
        running.set(false);
        consumer.wakeup();
    }

    boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Runs inside poll on the loop's thread. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition topicPartition : partitions) {
                owned.put(topicPartition, new OwnedPartition(topicPartition,
                        new Backoff(settings.retryInitial(), settings.retryMax()),
                        new FailureStreak(FailureStreak.DEFAULT_BOUND, processor.progress())));
            }
            if (!partitions.isEmpty()) {
                consumer.pause(partitions); // nothing is fetched before the claim and the seek to the stored offset
                log.info("{} - assigned partitions {}", name, numbers(partitions));
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            for (TopicPartition topicPartition : partitions) {
                OwnedPartition partition = owned.remove(topicPartition);
                if (partition != null) {
                    processor.completePublication(partition, true);
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

        private List<Integer> numbers(Collection<TopicPartition> partitions) {
            return partitions.stream().map(TopicPartition::partition).sorted().toList();
        }
    }
}
