package io.allsource.ingest.worker;

import io.allsource.ingest.failure.FailureMessages;
import io.allsource.ingest.failure.FatalWorkerException;
import io.allsource.ingest.failure.WorkerAccess;
import io.allsource.ingest.kafka.KafkaAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer of the worker's group: polls, hands the records to their {@linkplain AssignedPartitions partitions}
 * and takes each partition a step further: it hands a partition's due batch to the apply threads and goes on polling,
 * records the outcome when it is there, publishes what committed, and now and then has its partitions' publication
 * progress written beside it. Each partition progresses on its own; none waits for another's transaction. Owns its
 * consumer; runs on its own thread until {@link #stop()}, then finishes the batches it holds within the shutdown
 * timeout. A failure no retry can fix (a {@link FatalWorkerException} from a step, or anything escaping the consumer:
 * authorization, a fenced static member, an unsupported broker) ends the loop the same way and is handed to the
 * worker, which stops; a refusal by the broker names the operation and the resource ({@link WorkerAccess}).
 */
final class ConsumerLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);
    private static final Duration CONSUMER_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final WorkerSettings settings;
    private final PartitionSteps processor;
    private final java.util.function.Consumer<FatalWorkerException> onFatal;
    private final AssignedPartitions partitions;
    private final KafkaAccess access;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch finished = new CountDownLatch(1);
    private long lastMarkNanos = System.nanoTime();
    private MarksInFlight marksInFlight;
    private boolean failed;

    /**
     * @param onFatal told, once, on the loop's thread, when a failure ends the loop before {@link #stop()}
     */
    ConsumerLoop(String name, Consumer<byte[], byte[]> consumer, WorkerSettings settings,
            PartitionSteps processor, java.util.function.Consumer<FatalWorkerException> onFatal) {
        this.name = name;
        this.consumer = consumer;
        this.settings = settings;
        this.processor = processor;
        this.onFatal = onFatal;
        this.partitions = new AssignedPartitions(name, consumer, settings, processor);
        this.access = new WorkerAccess(settings.topics(), settings.groupId()).consuming();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(settings.topics().commands()), partitions);
            while (running.get()) {
                pollOnce(false);
            }
        } catch (WakeupException e) {
            if (running.get()) {
                fatal(new FatalWorkerException(null, name + " - the consumer was woken up unexpectedly", e));
            }
        } catch (FatalWorkerException e) {
            fatal(e);
        } catch (RuntimeException | Error e) {
            // an Error too (a stack overflow in a step, say): the thread must not end without the worker knowing;
            // a step's fatal failure thrown inside a rebalance callback reaches here wrapped by the consumer
            fatal(fatalCauseOf(e).orElseGet(() -> new FatalWorkerException(null, name + " - the consumer failed: "
                    + access.refusal(e).orElseGet(() -> FailureMessages.firstLine(e.toString())), e)));
        } finally {
            try {
                finish();
            } catch (FatalWorkerException e) {
                if (!failed) {
                    fatal(e);
                }
            } finally {
                finished.countDown();
            }
        }
    }

    private static Optional<FatalWorkerException> fatalCauseOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FatalWorkerException fatal) {
                return Optional.of(fatal);
            }
        }
        return Optional.empty();
    }

    private void fatal(FatalWorkerException e) {
        running.set(false);
        failed = true;
        log.error("{} - stopping: {}", name, e.getMessage(), e);
        onFatal.accept(e);
    }

    private void pollOnce(boolean stopping) {
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(partitions.pollTimeout());
        } catch (InvalidOffsetException e) {
            // the records fetched for other partitions stay buffered in the consumer for the next poll
            partitions.logsMoved(e);
            records = ConsumerRecords.empty();
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
            OwnedPartition partition = partitions.get(new TopicPartition(record.topic(), record.partition()));
            if (partition != null) {
                partition.add(record);
            }
        }
        advance(partitions.all(), stopping);
        partitions.updateFetching();
        if (marksInFlight != null && processor.completeMarks(marksInFlight)) {
            marksInFlight = null;
        }
        if (marksInFlight == null && System.nanoTime() - lastMarkNanos >= settings.markInterval().toNanos()) {
            marksInFlight = processor.startMarks(partitions.all());
            lastMarkNanos = System.nanoTime();
        }
    }

    /**
     * Takes each partition a step further, then hands the due batches over together, so that those the apply
     * threads take at once share a transaction, and its commit. When a batch is due, partitions whose records are
     * still lingering hand theirs over with it, the longest waiting first, until the hand-over holds this consumer's
     * share of one apply thread (its partitions over {@code apply-threads}): that transaction is paid for anyway, and
     * each batch that joins it saves one of its own a few milliseconds later. Below the load one apply thread keeps up
     * with, the partitions otherwise drift apart and each pays for a transaction (about twice as many at a quarter of
     * the maximum rate). The share keeps the hand-overs apart at high load, so that transactions still overlap rather
     * than every partition waiting for the one that holds them all.
     */
    private void advance(List<OwnedPartition> candidates, boolean stopping) {
        List<OwnedPartition> due = new ArrayList<>();
        List<OwnedPartition> lingering = new ArrayList<>();
        for (OwnedPartition partition : candidates) {
            if (step(partition) == PartitionSteps.Stepped.FAILED && partition.backoff().isWaiting()) {
                // The database, broker or registry failed; the other partitions' steps would most likely wait for the
                // same timeout now. They try in a later round, the failed one when its back-off ends.
                break;
            }
            if (partition.batchDue(settings.batchSize(), settings.linger(), stopping)) {
                due.add(partition);
            } else if (partition.batchStartable()) {
                lingering.add(partition);
            }
        }
        int share = Math.max(1, ceilDiv(candidates.size(), settings.applyThreads()));
        if (!due.isEmpty() && due.size() < share && !lingering.isEmpty()) {
            due.addAll(longestWaiting(lingering, share - due.size()));
        }
        processor.startBatches(due, settings.batchSize());
    }

    /** The {@code count} partitions (or fewer) whose oldest pending record has waited longest. */
    private static List<OwnedPartition> longestWaiting(List<OwnedPartition> partitions, int count) {
        if (partitions.size() <= count) {
            return partitions;
        }
        // read once: the waits grow while sorting
        Map<OwnedPartition, Long> waited = new IdentityHashMap<>();
        partitions.forEach(partition -> waited.put(partition, partition.oldestPendingNanos()));
        return partitions.stream().sorted(Comparator.comparingLong(waited::get).reversed()).limit(count).toList();
    }

    private static int ceilDiv(int dividend, int divisor) {
        return (dividend + divisor - 1) / divisor;
    }

    private PartitionSteps.Stepped step(OwnedPartition partition) {
        if (processor.completeBatch(partition, false) == PartitionSteps.Stepped.FAILED) {
            return PartitionSteps.Stepped.FAILED;
        }
        if (processor.completePublication(partition, false) == PartitionSteps.Stepped.FAILED) {
            return PartitionSteps.Stepped.FAILED;
        }
        if (partition.backoff().isWaiting()) {
            return PartitionSteps.Stepped.DONE;
        }
        return switch (partition.phase()) {
            case CLAIMING -> claim(partition);
            case REPUBLISHING -> processor.republish(partition);
            case APPLYING -> PartitionSteps.Stepped.DONE; // its batch, when due, is handed over with the others due
            case FENCED -> {
                if (partition.reclaimDue(settings.fencedRecheck())) {
                    log.warn("{} - partition {} is still assigned here {} after it was fenced: claiming it again",
                            name, partition.partition(), settings.fencedRecheck());
                }
                yield PartitionSteps.Stepped.DONE;
            }
            case HELD -> {
                if (partition.reclaimDue(settings.fencedRecheck())) {
                    log.debug("{} - partition {} is held: checking its log again", name, partition.partition());
                }
                yield PartitionSteps.Stepped.DONE;
            }
        };
    }

    private PartitionSteps.Stepped claim(OwnedPartition partition) {
        long resumeAt = processor.claim(partition);
        if (resumeAt < 0) {
            // a held partition stays paused and does not hold the others up; a failed claim backs off
            return partition.phase() == OwnedPartition.Phase.HELD ? PartitionSteps.Stepped.DONE
                    : PartitionSteps.Stepped.FAILED;
        }
        consumer.seek(partition.topicPartition(), resumeAt);
        log.info("{} - partition {} claimed under epoch {}, resuming at offset {}", name, partition.partition(),
                partition.epoch(), resumeAt);
        return PartitionSteps.Stepped.DONE;
    }

    /**
     * Applies and publishes what is held, within the shutdown timeout, then leaves the group. After a fatal failure it
     * only records what is already published: whatever else is held (a batch in a transaction included: what it
     * commits is published again from the database) is taken over by the partitions' next owners.
     */
    private void finish() {
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        try {
            if (failed) {
                partitions.all().forEach(partition -> processor.completePublication(partition, true));
                processor.markPublished(partitions.all());
                return;
            }
            while (System.nanoTime() < deadline && partitions.holdWork()) {
                List<OwnedPartition> working = new ArrayList<>();
                for (OwnedPartition partition : partitions.all()) {
                    if (partition.batchInFlight() != null) {
                        processor.completeBatch(partition, true);
                    }
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
            if (partitions.holdWork()) {
                log.warn("{} - stopping with unapplied or unpublished work after {}; the next owner takes it over",
                        name, settings.shutdownTimeout());
            }
            processor.markPublished(partitions.all());
        } catch (FatalWorkerException e) {
            throw e; // the worker must learn of it: the caller hands it on
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
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
