package io.allsource.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.failure.FailureStreak;
import io.allsource.ingest.failure.FatalWorkerException;
import io.allsource.ingest.failure.Step;
import io.allsource.ingest.failure.WorkerAccess;
import io.allsource.ingest.metrics.WorkerMetrics;
import io.allsource.ingest.publish.PublishException;
import io.allsource.ingest.store.PartitionState;
import io.allsource.ingest.store.StoreException;
import io.allsource.ingest.topics.IngestTopics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a failed step leads to, by the kind of its failure and the step. */
class FailureResponseTest {

    private final AtomicLong progress = new AtomicLong();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final FailureResponse response = new FailureResponse("w", new WorkerMetrics(meters),
            new WorkerAccess(IngestTopics.DEFAULT, "ingest-worker"));
    private final OwnedPartition partition = new OwnedPartition(new TopicPartition("ingest.commands", 6),
            new Backoff(Duration.ofMillis(1), Duration.ofMillis(10)), new FailureStreak(5, progress::get));

    @BeforeEach
    void claim() {
        partition.claimed(new PartitionState(6, 1, "w", 0, 0, 0, 0));
        for (long offset = 0; offset < 4; offset++) {
            partition.add(new ConsumerRecord<>("ingest.commands", 6, offset, new byte[0], new byte[0]));
        }
    }

    @Test
    void backsOffOnAnOutage() {
        Step step = Step.STORE;

        assertThat(response.failed(partition, step, store("08006"), 4, progress.get()))
                .isEqualTo(PartitionSteps.Stepped.FAILED);

        assertThat(partition.backoff().isRetrying()).isTrue();
        assertThat(partition.isNarrowing()).isFalse();
        assertThat(meters.counter("ingest.failures", "step", "store", "kind", "transient").count()).isEqualTo(1);
    }

    @Test
    void narrowsABatchWhoseDataTheDatabaseRefusesAndRefusesTheRecordThatFailsAlone() {
        response.failed(partition, Step.STORE, store("22P05"), 4, progress.get());
        assertThat(partition.nextBatch(100)).hasSize(2);
        response.failed(partition, Step.STORE, store("22P05"), 2, progress.get());
        response.failed(partition, Step.STORE, store("22P05"), 1, progress.get());

        assertThat(partition.refusals()).containsOnlyKeys(0L);
        assertThat(partition.refusals().get(0L)).startsWith("the database refused the command's data: ")
                .endsWith("(SQLState 22P05)");
        assertThat(partition.backoff().isRetrying()).as("a refusal is no outage").isFalse();
        assertThat(meters.counter("ingest.commands.refused").count()).isEqualTo(1);
    }

    @Test
    void refusesASingleRecordAtOnceWhenItFailedInATransactionOfItsOwn() {
        response.failed(partition, Step.STORE, store("22P05"), 1, progress.get(), true);

        assertThat(partition.refusals()).containsOnlyKeys(0L);
        assertThat(partition.isNarrowing()).as("no narrowing step first").isFalse();
    }

    @Test
    void stopsTheWorkerWhenNotEvenTheRejectionOfARefusedRecordCanBeStored() {
        response.failed(partition, Step.STORE, store("22P05"), 1, progress.get()); // shared: tried alone next
        response.failed(partition, Step.STORE, store("22P05"), 1, progress.get()); // alone: refused

        assertThatThrownBy(() -> response.failed(partition, Step.STORE, store("22P05"), 1, progress.get()))
                .isInstanceOf(FatalWorkerException.class)
                .hasMessageContaining("the rejection of the record at offset 0 cannot be stored either");
    }

    @Test
    void refusesARecordWhoseBatchFailsAlikeFiveTimesWhileOthersCommitOnceItFailsAloneToo() {
        for (int attempt = 0; attempt < 5; attempt++) {
            response.failed(partition, Step.STORE, new StoreException("x", new IllegalStateException("bug")), 1,
                    progress.getAndIncrement());
        }
        assertThat(partition.refusals()).as("first tried in a transaction of its own").isEmpty();
        assertThat(partition.isNarrowing()).isTrue();
        for (int attempt = 0; attempt < 5; attempt++) {
            response.failed(partition, Step.STORE, new StoreException("x", new IllegalStateException("bug")), 1,
                    progress.getAndIncrement());
        }

        assertThat(partition.refusals().get(0L)).startsWith("the command failed 5 times in a row at store while"
                + " other partitions progressed: bug");
    }

    @Test
    void neverRefusesARecordForAnOutageWhileOtherPartitionsCommit() {
        for (int attempt = 0; attempt < 10; attempt++) {
            response.failed(partition, Step.STORE, store("08006"), 1, progress.getAndIncrement());
        }

        assertThat(partition.refusals()).isEmpty();
        assertThat(partition.isNarrowing()).isFalse();
    }

    @Test
    void keepsRetryingAPublicationThatFailsAlikeWhileOthersCommit() {
        for (int attempt = 0; attempt < 8; attempt++) {
            assertThat(response.failed(partition, Step.PUBLISH, new PublishException("p",
                    new NotLeaderOrFollowerException("moved")), 0, progress.getAndIncrement()))
                    .isEqualTo(PartitionSteps.Stepped.FAILED);
        }
        assertThat(partition.refusals()).isEmpty();
    }

    @Test
    void stopsTheWorkerWhenTheBrokerRefusesARecordOfThePipelinesOwn() {
        assertThatThrownBy(() -> response.failed(partition, Step.PUBLISH, new PublishException("p",
                new RecordTooLargeException("The message is 2000000 bytes")), 0, progress.get()))
                .isInstanceOf(FatalWorkerException.class)
                .hasMessage("w - partition 6: publish failed and no retry can fix it: The message is 2000000 bytes");
    }

    @Test
    void stopsTheWorkerNamingTheOperationAndTheTopicWhenTheBrokerRefusesThePublication() {
        TopicAuthorizationException refused = new TopicAuthorizationException(Set.of("ingest.events"));

        assertThatThrownBy(() -> response.failed(partition, Step.PUBLISH, new PublishException("Publishing failed: "
                + refused, refused), 0, progress.get())).isInstanceOf(FatalWorkerException.class)
                .hasMessage("w - partition 6: publish failed and no retry can fix it: the broker refused WRITE on topic"
                        + " 'ingest.events' (publishing events)");
        assertThat(meters.counter("ingest.failures", "step", "publish", "kind", "fatal").count()).isEqualTo(1);
    }

    @Test
    void stopsTheWorkerNamingTheDeadLetterTopicWhenTheBrokerRefusesTheCopy() {
        TopicAuthorizationException refused = new TopicAuthorizationException(Set.of("ingest.commands.dlq"));

        assertThatThrownBy(() -> response.failed(partition, Step.DEAD_LETTER, new PublishException("p", refused), 4,
                progress.get())).isInstanceOf(FatalWorkerException.class)
                .hasMessage("w - partition 6: dead-letter failed and no retry can fix it: the broker refused WRITE on"
                        + " topic 'ingest.commands.dlq' (copying undecodable commands to the dead-letter topic)");
        assertThat(partition.refusals()).as("no record is blamed").isEmpty();
    }

    @Test
    void stopsTheWorkerOnAFatalFailureWithOneLine() {
        SQLException missing = new SQLException("ERROR: relation \"partition_state\" does not exist\n  Position: 13",
                "42P01");

        assertThatThrownBy(() -> response.failed(partition, Step.CLAIM, new StoreException("Claim", missing), 0,
                progress.get())).isInstanceOfSatisfying(FatalWorkerException.class, fatal -> {
                    assertThat(fatal.step()).isEqualTo(Step.CLAIM);
                    assertThat(fatal.getMessage()).doesNotContain("\n").endsWith("does not exist");
                });
    }

    private static StoreException store(String sqlState) {
        return new StoreException("Batch failed", new SQLException("refused " + sqlState, sqlState));
    }
}
