package io.allsource.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.failure.FailureStreak;
import io.allsource.ingest.store.BatchOutcome;
import io.allsource.ingest.store.PartitionState;
import io.allsource.ingest.store.Progress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The state machine of one owned partition, without a broker or a database. */
class OwnedPartitionTest {

    private static final Duration LINGER = Duration.ofHours(1);

    private final OwnedPartition partition = new OwnedPartition(new TopicPartition("ingest.commands", 4),
            new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1)), new FailureStreak(5, () -> 0));

    @Test
    void takesNoRecordBeforeItIsClaimed() {
        partition.add(record(0));

        assertThat(partition.phase()).isEqualTo(OwnedPartition.Phase.CLAIMING);
        assertThat(partition.pendingCount()).isZero();
        assertThat(partition.wantsRecords(10)).isFalse();
    }

    @Test
    void republishesBeforeApplyingWhenPublicationTrailsTheStoredProgress() {
        partition.claimed(new PartitionState(4, 2, "w", 10, 7, 8, 7));

        assertThat(partition.phase()).isEqualTo(OwnedPartition.Phase.REPUBLISHING);
        partition.published(new Progress(10, 7));
        assertThat(partition.phase()).isEqualTo(OwnedPartition.Phase.APPLYING);
        assertThat(partition.markersBehind()).isTrue();
    }

    @Test
    void ignoresRecordsFetchedBeforeTheSeekToTheStoredOffset() {
        partition.claimed(new PartitionState(4, 1, "w", 5, 0, 5, 0));

        partition.add(record(3));
        partition.add(record(5));
        partition.add(record(6));

        assertThat(partition.nextBatch(10)).extracting(ConsumerRecord::offset).containsExactly(5L, 6L);
    }

    @Test
    void isDueWhenFullOrStoppingAndWhileOnePublicationIsInFlightButNotWhileABatchWaitsToBeSent() {
        partition.claimed(new PartitionState(4, 1, "w", 0, 0, 0, 0));
        partition.add(record(0));

        assertThat(partition.batchDue(2, LINGER, false)).isFalse();
        assertThat(partition.batchDue(2, LINGER, true)).isTrue();
        partition.add(record(1));
        assertThat(partition.batchDue(2, LINGER, false)).isTrue();
        partition.publishing(new PublicationInFlight(null, new Progress(2, 2)));
        assertThat(partition.batchDue(2, LINGER, false)).as("the next transaction overlaps the acknowledgement")
                .isTrue();

        BatchOutcome.Committed behind = new BatchOutcome.Committed(List.of(), List.of(),
                new PartitionState(4, 1, "w", 4, 4, 0, 0), 0);
        partition.awaitSend(behind);
        assertThat(partition.batchDue(2, LINGER, false)).as("at most one committed batch waits to be sent")
                .isFalse();
        assertThat(partition.takeAwaitingSend()).isSameAs(behind);
        assertThat(partition.takeAwaitingSend()).isNull();
    }

    @Test
    void dropsTheBatchWaitingToBeSentWhenPublicationMustStartOverFromTheDatabase() {
        partition.claimed(new PartitionState(4, 1, "w", 0, 0, 0, 0));
        partition.awaitSend(new BatchOutcome.Committed(List.of(), List.of(),
                new PartitionState(4, 1, "w", 4, 4, 0, 0), 0));

        partition.needsRepublishing();

        assertThat(partition.takeAwaitingSend()).isNull();
        assertThat(partition.phase()).isEqualTo(OwnedPartition.Phase.REPUBLISHING);
    }

    @Test
    void narrowsAFailingBatchByHalvesUntilOneRecordIsRefused() {
        partition.claimed(new PartitionState(4, 1, "w", 0, 0, 0, 0));
        for (long offset = 0; offset < 8; offset++) {
            partition.add(record(offset));
        }

        assertThat(partition.narrow(8, "refused", false)).isEqualTo(-1);
        assertThat(partition.isNarrowing()).isTrue();
        assertThat(partition.batchDue(100, LINGER, false)).as("narrowed batches are due at once").isTrue();
        assertThat(partition.nextBatch(100)).hasSize(4);
        assertThat(partition.narrow(4, "refused", false)).isEqualTo(-1);
        assertThat(partition.nextBatch(100)).hasSize(2);
        partition.applied(1, new Progress(1, 1));
        assertThat(partition.nextBatch(100)).extracting(ConsumerRecord::offset).containsExactly(1L, 2L);
        assertThat(partition.narrow(2, "refused", false)).isEqualTo(-1);
        assertThat(partition.nextBatch(100)).extracting(ConsumerRecord::offset).containsExactly(1L);

        assertThat(partition.narrow(1, "the database refused the command's data", false)).isEqualTo(1);

        assertThat(partition.isNarrowing()).isFalse();
        assertThat(partition.refusals()).containsEntry(1L, "the database refused the command's data");
        assertThat(partition.nextBatch(100)).hasSize(7);
        partition.applied(7, new Progress(8, 6));
        assertThat(partition.refusals()).isEmpty();
        assertThat(partition.pendingCount()).isZero();
    }

    @Test
    void isQuietOnlyOnceItHasNothingToApplyAndHandedNoBatchOverForTheTimeAsked() {
        partition.claimed(new PartitionState(4, 1, "w", 0, 0, 0, 0));
        assertThat(partition.isQuietFor(Duration.ofHours(1))).as("never handed a batch over").isTrue();
        partition.add(record(0));
        assertThat(partition.isQuietFor(Duration.ZERO)).as("a record to apply").isFalse();

        partition.applying(new BatchInFlight(new CompletableFuture<>(), 1, 0));
        assertThat(partition.isQuietFor(Duration.ZERO)).as("a batch in its transaction").isFalse();
        partition.batchAnswered();
        partition.applied(1, new Progress(1, 1));

        assertThat(partition.isQuietFor(Duration.ZERO)).isTrue();
        assertThat(partition.isQuietFor(Duration.ofHours(1))).as("handed a batch over just now").isFalse();
    }

    @Test
    void returnsToWholeBatchesOnceTheBatchThatFailedIsCommitted() {
        partition.claimed(new PartitionState(4, 1, "w", 0, 0, 0, 0));
        for (long offset = 0; offset < 10; offset++) {
            partition.add(record(offset));
        }
        partition.narrow(4, "refused", false);
        partition.applied(2, new Progress(2, 2));
        assertThat(partition.isNarrowing()).as("offsets 2 and 3 of the failed batch are still ahead").isTrue();

        partition.applied(2, new Progress(4, 4));

        assertThat(partition.isNarrowing()).isFalse();
        assertThat(partition.nextBatch(100)).hasSize(6);
    }

    @Test
    void forgetsRefusalsAndPendingRecordsWhenClaimedAgain() {
        partition.claimed(new PartitionState(4, 1, "w", 0, 0, 0, 0));
        partition.add(record(0));
        partition.narrow(1, "refused", false);

        partition.claimed(new PartitionState(4, 2, "w", 0, 0, 0, 0));

        assertThat(partition.refusals()).isEmpty();
        assertThat(partition.pendingCount()).isZero();
        assertThat(partition.epoch()).isEqualTo(2);
    }

    @Test
    void dropsEverythingWhenFencedAndClaimsAgainAfterTheRecheck() {
        partition.claimed(new PartitionState(4, 1, "w", 0, 0, 0, 0));
        partition.add(record(0));

        partition.fenced();

        assertThat(partition.pendingCount()).isZero();
        assertThat(partition.reclaimDue(Duration.ofHours(1))).isFalse();
        assertThat(partition.reclaimDue(Duration.ZERO)).isTrue();
        assertThat(partition.phase()).isEqualTo(OwnedPartition.Phase.CLAIMING);
    }

    @Test
    void takesNoRecordsAndWantsNoneWhileHeldAndClaimsAgainAfterTheRecheck() {
        partition.held();

        partition.add(record(0));

        assertThat(partition.phase()).isEqualTo(OwnedPartition.Phase.HELD);
        assertThat(partition.pendingCount()).isZero();
        assertThat(partition.wantsRecords(10)).isFalse();
        assertThat(partition.batchDue(1, Duration.ZERO, true)).isFalse();
        assertThat(partition.reclaimDue(Duration.ofHours(1))).isFalse();
        assertThat(partition.reclaimDue(Duration.ZERO)).isTrue();
        assertThat(partition.phase()).isEqualTo(OwnedPartition.Phase.CLAIMING);
    }

    @Test
    void tracksPublicationAndItsRecordedMarks() {
        partition.claimed(new PartitionState(4, 1, "w", 0, 0, 0, 0));
        partition.add(record(0));
        partition.applied(1, new Progress(1, 3));

        assertThat(partition.isPublished()).isFalse();
        partition.published(new Progress(1, 3));
        assertThat(partition.isPublished()).isTrue();
        assertThat(partition.markersBehind()).isTrue();
        partition.marked(partition.published());
        assertThat(partition.markersBehind()).isFalse();
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset) {
        return new ConsumerRecord<>("ingest.commands", 4, offset, new byte[0], new byte[0]);
    }

    @Test
    void nextBatchNeverExceedsTheBatchSize() {
        partition.claimed(new PartitionState(4, 1, "w", 0, 0, 0, 0));
        for (long offset = 0; offset < 5; offset++) {
            partition.add(record(offset));
        }

        List<ConsumerRecord<byte[], byte[]>> batch = partition.nextBatch(3);

        assertThat(batch).extracting(ConsumerRecord::offset).containsExactly(0L, 1L, 2L);
    }
}
