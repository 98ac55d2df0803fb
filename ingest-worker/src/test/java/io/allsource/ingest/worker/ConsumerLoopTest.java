package io.allsource.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.failure.FatalWorkerException;
import io.allsource.ingest.failure.Step;
import io.allsource.ingest.store.BatchOutcome;
import io.allsource.ingest.store.PartitionState;
import io.allsource.ingest.store.Progress;
import io.allsource.ingest.topics.IngestTopics;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer loop with Kafka's {@code MockConsumer} and steps of the test's own: what it fetches, in which order it
 * hands records out, when it applies them, and how it stops, with no broker and no database.
 */
class ConsumerLoopTest {

    private static final String TOPIC = IngestTopics.DEFAULT.commands();
    private static final TopicPartition P3 = new TopicPartition(TOPIC, 3);
    private static final TopicPartition P5 = new TopicPartition(TOPIC, 5);

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("none"); // as the worker's
    private final RecordingSteps steps = new RecordingSteps();
    private final AtomicReference<FatalWorkerException> fatal = new AtomicReference<>();
    private ConsumerLoop loop;
    private Thread thread;

    @AfterEach
    void stop() throws InterruptedException {
        if (loop != null) {
            loop.stop();
            assertThat(loop.awaitFinished(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void appliesTheRecordsOfAClaimedPartitionFromItsStoredOffsetInOffsetOrder() {
        steps.storedOffset = 2;
        start(Duration.ZERO);
        assign(P3);
        consumer.schedulePollTask(() -> {
            for (long offset = 0; offset < 6; offset++) {
                consumer.addRecord(record(P3, offset));
            }
        });

        await().alias("records 2..5 applied").atMost(Duration.ofSeconds(10))
                .until(() -> steps.applied.size() == 4);
        assertThat(steps.applied).containsExactly(2L, 3L, 4L, 5L);
        assertThat(steps.claimed).containsExactly(3);
    }

    @Test
    void keepsAPartitionPausedWhileItsClaimWaits() {
        steps.storedOffset = -1;
        start(Duration.ZERO);
        assign(P3, P5);

        await().alias("claims tried").atMost(Duration.ofSeconds(10)).until(() -> steps.claimed.size() >= 2);
        assertThat(consumer.paused()).contains(P3, P5);
        assertThat(steps.applied).isEmpty();
    }

    @Test
    void holdsRecordsUntilTheBatchIsDueAndAppliesThemWhenStopped() throws InterruptedException {
        steps.storedOffset = 0;
        start(Duration.ofHours(1));
        assign(P3);
        consumer.schedulePollTask(() -> consumer.addRecord(record(P3, 0)));
        await().alias("claimed").atMost(Duration.ofSeconds(10)).until(() -> !steps.claimed.isEmpty());

        loop.stop();

        assertThat(loop.awaitFinished(Duration.ofSeconds(10))).isTrue();
        assertThat(steps.applied).containsExactly(0L);
        assertThat(consumer.closed()).isTrue();
        assertThat(fatal.get()).isNull();
    }

    @Test
    void stopsAndReportsAStepsFailureThatNoRetryCanFix() throws InterruptedException {
        steps.claimFailure = new FatalWorkerException(Step.CLAIM, "partition 3: claim failed and no retry can fix it",
                null);
        start(Duration.ZERO);
        assign(P3);

        assertThat(loop.awaitFinished(Duration.ofSeconds(10))).isTrue();
        assertThat(fatal.get()).isSameAs(steps.claimFailure);
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void treatsAFailureEscapingTheConsumerAsFatal() throws InterruptedException {
        start(Duration.ZERO);
        consumer.setPollException(new GroupAuthorizationException("Not authorized to access group: ingest-worker"));

        assertThat(loop.awaitFinished(Duration.ofSeconds(10))).isTrue();
        assertThat(fatal.get()).hasMessage("w-0 - the consumer failed: the broker refused READ on group"
                + " 'ingest-worker' (consuming commands in the worker's group)")
                .hasRootCauseInstanceOf(GroupAuthorizationException.class);
    }

    @Test
    void claimsAPartitionAgainInsteadOfSkippingWhenTheBrokerRefusesItsFetchPosition() {
        steps.storedOffset = 2;
        start(Duration.ZERO);
        assign(P3, P5);
        await().alias("both claimed").atMost(Duration.ofSeconds(10)).until(() -> steps.claimed.size() == 2);

        consumer.schedulePollTask(() -> consumer.setPollException(new OffsetOutOfRangeException(
                "Fetch position FetchPosition{offset=2} is out of range for partition " + P3, Map.of(P3, 2L))));

        await().alias("partition 3 claimed again").atMost(Duration.ofSeconds(10))
                .until(() -> steps.claimed.stream().filter(p -> p == 3).count() == 2);
        assertThat(steps.claimed.stream().filter(p -> p == 5)).hasSize(1);
        assertThat(fatal.get()).isNull();
        consumer.schedulePollTask(() -> consumer.addRecord(record(P3, 2)));
        await().alias("the record at the stored offset applied").atMost(Duration.ofSeconds(10))
                .until(() -> steps.applied.contains(2L));
    }

    @Test
    void appliesOtherPartitionsWhileOnePartitionsBatchIsStillInItsTransaction() {
        steps.storedOffset = 0;
        steps.heldPartition = 3;
        start(Duration.ZERO);
        assign(P3, P5);
        await().alias("both claimed").atMost(Duration.ofSeconds(10)).until(() -> steps.claimed.size() == 2);
        consumer.schedulePollTask(() -> {
            consumer.addRecord(record(P3, 0));
            consumer.addRecord(record(P3, 1));
            consumer.addRecord(record(P5, 0));
        });
        await().alias("partition 3's batch handed over").atMost(Duration.ofSeconds(10))
                .until(() -> steps.batches.containsKey(3));

        consumer.schedulePollTask(() -> consumer.addRecord(record(P5, 1)));

        await().alias("partition 5 applied twice meanwhile").atMost(Duration.ofSeconds(10))
                .until(() -> steps.applied.size() == 2);
        assertThat(steps.applied).containsExactly(0L, 1L); // both of partition 5
        assertThat(steps.batches.get(3)).extracting(ConsumerRecord::offset).containsExactly(0L, 1L);
        steps.heldTransaction.complete(null);
        await().alias("partition 3 applied once its transaction ended").atMost(Duration.ofSeconds(10))
                .until(() -> steps.applied.size() == 4);
        assertThat(steps.applied.subList(2, 4)).containsExactly(0L, 1L);
    }

    @Test
    void aPartitionStillLingeringJoinsTheTransactionOfAPartitionWhoseBatchIsDue() {
        steps.storedOffset = 0;
        start(Duration.ofHours(1), Duration.ofSeconds(1), 1); // one apply thread: a hand-over may hold both
        assign(P3, P5);
        await().alias("both claimed").atMost(Duration.ofSeconds(10)).until(() -> steps.claimed.size() == 2);
        consumer.schedulePollTask(() -> {
            for (long offset = 0; offset < 100; offset++) {
                consumer.addRecord(record(P3, offset)); // a full batch: due at once
            }
            consumer.addRecord(record(P5, 0)); // would linger for an hour on its own
        });

        await().alias("both applied").atMost(Duration.ofSeconds(10)).until(() -> steps.applied.size() == 101);
        assertThat(steps.handOvers).containsExactly(List.of(3, 5));
    }

    @Test
    void aHandOverTakesLingeringPartitionsOnlyUpToItsShareOfOneApplyThread() {
        steps.storedOffset = 0;
        start(Duration.ofHours(1), Duration.ofSeconds(1), 2); // two apply threads: one partition of two each
        assign(P3, P5);
        await().alias("both claimed").atMost(Duration.ofSeconds(10)).until(() -> steps.claimed.size() == 2);
        consumer.schedulePollTask(() -> {
            for (long offset = 0; offset < 100; offset++) {
                consumer.addRecord(record(P3, offset));
            }
            consumer.addRecord(record(P5, 0));
        });

        await().alias("the full batch applied").atMost(Duration.ofSeconds(10))
                .until(() -> steps.applied.size() == 100);
        assertThat(steps.handOvers).containsExactly(List.of(3));
        assertThat(steps.batches).doesNotContainKey(5);
    }

    @Test
    void keepsApplyingWhilePublicationProgressIsBeingWrittenAndStartsNoSecondWriteMeanwhile() {
        steps.storedOffset = 0;
        start(Duration.ZERO, Duration.ofMillis(1));
        assign(P3);
        await().alias("claimed").atMost(Duration.ofSeconds(10)).until(() -> !steps.claimed.isEmpty());
        consumer.schedulePollTask(() -> consumer.addRecord(record(P3, 0)));
        await().alias("marks started").atMost(Duration.ofSeconds(10)).until(() -> steps.marksStarted.get() == 1);

        consumer.schedulePollTask(() -> consumer.addRecord(record(P3, 1)));
        await().alias("applied while the marks are written").atMost(Duration.ofSeconds(10))
                .until(() -> steps.applied.size() == 2);
        assertThat(steps.marksStarted).hasValue(1);

        steps.heldMarks.complete(Set.of());
        await().alias("marks started again once the first ended").atMost(Duration.ofSeconds(10))
                .until(() -> steps.marksStarted.get() == 2);
    }

    @Test
    void recordsPublicationAndReleasesThePartitionWhenItIsRevoked() {
        steps.storedOffset = 0;
        start(Duration.ZERO);
        assign(P3, P5);
        await().alias("both claimed").atMost(Duration.ofSeconds(10)).until(() -> steps.claimed.size() == 2);

        assign(P5);

        await().alias("partition 3 released").atMost(Duration.ofSeconds(10))
                .until(() -> steps.released.contains(3));
        assertThat(steps.released).doesNotContain(5);
    }

    private void start(Duration linger) {
        start(linger, Duration.ofSeconds(1));
    }

    private void start(Duration linger, Duration markInterval) {
        start(linger, markInterval, 2);
    }

    private void start(Duration linger, Duration markInterval, int applyThreads) {
        WorkerSettings settings = WorkerSettings.defaults("w", IngestTopics.DEFAULT,
                Map.of("bootstrap.servers", "localhost:9"))
                .withApplyThreads(applyThreads)
                .withBatching(100, linger)
                .withMarkInterval(markInterval)
                .withRetries(Duration.ofMillis(10), Duration.ofMillis(50))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));
        loop = new ConsumerLoop("w-0", consumer, settings, steps, fatal::set);
        thread = new Thread(loop, "consumer-loop-test");
        thread.start();
    }

    private void assign(TopicPartition... partitions) {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(partitions));
            for (TopicPartition partition : partitions) {
                consumer.updateBeginningOffsets(Map.of(partition, 0L));
            }
        });
    }

    private static ConsumerRecord<byte[], byte[]> record(TopicPartition partition, long offset) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, new byte[0], new byte[0]);
    }

    /** Steps that claim at a fixed stored offset, apply by recording offsets, and publish nothing. */
    private static final class RecordingSteps implements PartitionSteps {

        volatile long storedOffset;
        volatile FatalWorkerException claimFailure;
        final List<Integer> claimed = new CopyOnWriteArrayList<>();
        final List<Long> applied = new CopyOnWriteArrayList<>();
        final List<Integer> released = new CopyOnWriteArrayList<>();
        final Map<Integer, List<ConsumerRecord<byte[], byte[]>>> batches = new ConcurrentHashMap<>();
        /** The partitions of each hand-over to the apply threads, in order. */
        final List<List<Integer>> handOvers = new CopyOnWriteArrayList<>();
        /** The partition whose batches stay in their transaction until {@link #heldTransaction} completes. */
        volatile int heldPartition = -1;
        final CompletableFuture<BatchOutcome> heldTransaction = new CompletableFuture<>();
        /** What every marks write started completes with: held until the test completes it. */
        final CompletableFuture<Set<Integer>> heldMarks = new CompletableFuture<>();
        final AtomicInteger marksStarted = new AtomicInteger();

        @Override
        public long claim(OwnedPartition partition) {
            claimed.add(partition.partition());
            if (claimFailure != null) {
                throw claimFailure;
            }
            if (storedOffset < 0) {
                partition.backoff().fail();
                return -1;
            }
            partition.claimed(new PartitionState(partition.partition(), 1, "w", storedOffset, 0, storedOffset, 0));
            return storedOffset;
        }

        @Override
        public Stepped republish(OwnedPartition partition) {
            return Stepped.DONE;
        }

        @Override
        public void startBatches(List<OwnedPartition> partitions, int batchSize) {
            if (!partitions.isEmpty()) {
                handOvers.add(partitions.stream().map(OwnedPartition::partition).sorted().toList());
            }
            for (OwnedPartition partition : partitions) {
                List<ConsumerRecord<byte[], byte[]>> batch = partition.nextBatch(batchSize);
                CompletableFuture<BatchOutcome> outcome = partition.partition() == heldPartition
                        ? heldTransaction : CompletableFuture.completedFuture(null);
                batches.put(partition.partition(), batch);
                partition.applying(new BatchInFlight(outcome, batch.size(), 0));
            }
        }

        @Override
        public Stepped completeBatch(OwnedPartition partition, boolean wait) {
            BatchInFlight inFlight = partition.batchInFlight();
            if (inFlight == null || (!wait && !inFlight.outcome().isDone())) {
                return Stepped.DONE;
            }
            inFlight.outcome().join();
            partition.batchAnswered();
            List<ConsumerRecord<byte[], byte[]>> batch = batches.remove(partition.partition());
            batch.forEach(record -> applied.add(record.offset()));
            long next = batch.get(batch.size() - 1).offset() + 1;
            partition.applied(batch.size(), new Progress(next, 0));
            partition.published(new Progress(next, 0));
            return Stepped.DONE;
        }

        @Override
        public Stepped completePublication(OwnedPartition partition, boolean wait) {
            return Stepped.DONE;
        }

        @Override
        public void markPublished(Collection<OwnedPartition> partitions) {
            partitions.forEach(partition -> partition.marked(partition.published()));
        }

        @Override
        public MarksInFlight startMarks(Collection<OwnedPartition> partitions) {
            MarksInFlight marks = MarksInFlight.of(partitions, Duration.ZERO);
            if (marks.isEmpty()) {
                return null;
            }
            marksStarted.incrementAndGet();
            return marks.written(heldMarks);
        }

        @Override
        public boolean completeMarks(MarksInFlight marks) {
            if (!marks.fenced().isDone()) {
                return false;
            }
            for (int i = 0; i < marks.partitions().size(); i++) {
                marks.partitions().get(i).marked(marks.marks().get(i).published());
            }
            return true;
        }

        @Override
        public void release(OwnedPartition partition) {
            released.add(partition.partition());
        }

        @Override
        public LongSupplier progress() {
            return () -> 0;
        }
    }
}
