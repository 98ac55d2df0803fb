package io.allsource.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.command.CommandLimits;
import io.allsource.ingest.command.CommandValidator;
import io.allsource.ingest.command.FallbackKey;
import io.allsource.ingest.intake.CommandDecoder;
import io.allsource.ingest.metrics.WorkerMetrics;
import io.allsource.ingest.registry.RegistrySettings;
import io.allsource.ingest.registry.SchemaRegistryClient;
import io.allsource.ingest.serde.AvroDeserializer;
import io.allsource.ingest.store.BatchOutcome;
import io.allsource.ingest.store.PartitionBatch;
import io.allsource.ingest.store.PartitionState;
import io.allsource.ingest.store.Progress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the apply threads take handed-over batches into transactions, against a store of the test's own whose
 * transactions can be held open: batches queued while the threads are busy share the next transaction, a batch that
 * finds a thread free waits for another's transaction only up to the overlap delay, and a batch that must be alone
 * is.
 */
class BatchApplierTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final HeldStore store = new HeldStore();
    private BatchApplier applier;

    @AfterEach
    void close() {
        store.release();
        if (applier != null) {
            applier.close();
        }
    }

    @Test
    void givesTheBatchesQueuedDuringATransactionOneTransactionTogether() {
        applier = applier(1);
        CompletableFuture<BatchOutcome> first = holdOpen(0);

        List<CompletableFuture<BatchOutcome>> queued = List.of(applier.submit(List.of(request(1, false))).get(0),
                applier.submit(List.of(request(2, false))).get(0));
        store.release();

        await().atMost(Duration.ofSeconds(10)).until(() -> first.isDone() && queued.stream()
                .allMatch(CompletableFuture::isDone));
        assertThat(store.transactions).containsExactly(List.of(0), List.of(1, 2));
        assertThat(meters.summary("ingest.transaction.batches").totalAmount()).isEqualTo(3);
        assertThat(queued).allSatisfy(outcome -> assertThat(outcome.join())
                .isInstanceOf(BatchOutcome.Committed.class));
    }

    @Test
    void appliesAnotherPartitionsBatchWhileOnePartitionsTransactionIsHeldOpenOnceItHasWaitedTheOverlapDelay() {
        applier = applier(2, Duration.ofMillis(300));
        CompletableFuture<BatchOutcome> held = holdOpen(0);

        CompletableFuture<BatchOutcome> other = applier.submit(List.of(request(5, false))).get(0);

        await().alias("partition 5 committed").atMost(Duration.ofSeconds(10)).until(other::isDone);
        assertThat(held).isNotDone();
        assertThat(meters.timer("ingest.batch.queue.time").max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(300);
        store.release();
        await().atMost(Duration.ofSeconds(10)).until(held::isDone);
        assertThat(store.transactions).containsExactly(List.of(0), List.of(5));
    }

    @Test
    void leavesTheBatchesQueuedDuringATransactionToItsThreadWithinTheOverlapDelay() {
        applier = applier(2, Duration.ofMinutes(5));
        CompletableFuture<BatchOutcome> held = holdOpen(0);

        List<CompletableFuture<BatchOutcome>> queued = List.of(applier.submit(List.of(request(5, false))).get(0),
                applier.submit(List.of(request(6, false))).get(0));

        await().alias("no second transaction while the first is open").during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(10)).until(() -> store.transactions.size() == 1);
        store.release();
        await().atMost(Duration.ofSeconds(10)).until(() -> held.isDone() && queued.stream()
                .allMatch(CompletableFuture::isDone));
        assertThat(store.transactions).containsExactly(List.of(0), List.of(5, 6));
    }

    @Test
    void givesABatchThatMustBeAloneATransactionOfItsOwn() {
        applier = applier(1);
        store.holdPartition = 0;
        applier.submit(List.of(request(0, false)));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.transactions.size() == 1);

        List<CompletableFuture<BatchOutcome>> queued = applier.submit(List.of(request(1, true), request(2, false),
                request(3, false)));
        store.release();

        await().atMost(Duration.ofSeconds(10)).until(() -> queued.stream().allMatch(CompletableFuture::isDone));
        assertThat(store.transactions).containsExactly(List.of(0), List.of(1), List.of(2, 3));
    }

    @Test
    void failsTheBatchesOfATransactionThatEndsWithAnErrorAndKeepsApplyingOthers() {
        applier = applier(1);
        store.errorOnPartition = 4;

        CompletableFuture<BatchOutcome> failed = applier.submit(List.of(request(4, false))).get(0);
        await().atMost(Duration.ofSeconds(10)).until(failed::isDone);
        CompletableFuture<BatchOutcome> next = applier.submit(List.of(request(6, false))).get(0);

        await().atMost(Duration.ofSeconds(10)).until(next::isDone);
        assertThat(failed).isCompletedExceptionally();
        assertThat(failed.handle((outcome, e) -> e instanceof CompletionException ? e.getCause() : e).join())
                .isInstanceOf(StackOverflowError.class);
        assertThat(next.join()).isInstanceOf(BatchOutcome.Committed.class);
    }

    /** Submits the partition's batch and waits until its transaction, the applier's first, is open and held. */
    private CompletableFuture<BatchOutcome> holdOpen(int partition) {
        store.holdPartition = partition;
        CompletableFuture<BatchOutcome> held = applier.submit(List.of(request(partition, false))).get(0);
        await().alias("partition " + partition + "'s transaction open").atMost(Duration.ofSeconds(10))
                .until(() -> store.transactions.size() == 1);
        return held;
    }

    private BatchApplier applier(int threads) {
        return applier(threads, Duration.ZERO);
    }

    private BatchApplier applier(int threads, Duration overlapAfter) {
        CommandDecoder decoder = new CommandDecoder(new AvroDeserializer<>(new SchemaRegistryClient(
                RegistrySettings.of("http://127.0.0.1:9")), AppendCommand.class), "dead-letters", 1_000_000);
        return new BatchApplier("w", threads, store, new CommandValidator(CommandLimits.DEFAULT), decoder, null,
                new WorkerMetrics(meters), io.allsource.ingest.trace.Spans.NONE, Duration.ofSeconds(5), overlapAfter);
    }

    /** A batch with no records: it goes through the check and store steps like any, with nothing to decode. */
    private static BatchApplier.Request request(int partition, boolean alone) {
        return new BatchApplier.Request(partition, 1, FallbackKey.FIRST_LOG, List.of(), Map.of(), alone,
                Progress.NONE);
    }

    /**
     * Commits every batch, recording which partitions each transaction held; holds the transaction of
     * {@link #holdPartition} open until {@link #release()}, and ends that of {@link #errorOnPartition} with an error.
     */
    private static final class HeldStore implements BatchStore {

        final List<List<Integer>> transactions = new CopyOnWriteArrayList<>();
        volatile int holdPartition = -1;
        volatile int errorOnPartition = -1;
        private final CountDownLatch released = new CountDownLatch(1);

        @Override
        public List<BatchOutcome> appendBatches(List<PartitionBatch> batches) {
            List<Integer> partitions = batches.stream().map(PartitionBatch::partition).toList();
            transactions.add(partitions);
            if (partitions.contains(errorOnPartition)) {
                throw new StackOverflowError("a transaction's thread ran out of stack");
            }
            if (partitions.contains(holdPartition)) {
                awaitRelease();
            }
            return batches.stream().map(batch -> (BatchOutcome) new BatchOutcome.Committed(List.of(), List.of(),
                    new PartitionState(batch.partition(), batch.epoch(), "w", 0, 0, 0, 0), 0)).toList();
        }

        void release() {
            released.countDown();
        }

        private void awaitRelease() {
            try {
                if (!released.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the held transaction");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while held", e);
            }
        }
    }
}
