package io.allsource.ingest.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.avro.AppendCommand;
import io.allsource.ingest.avro.CommandResult;
import io.allsource.ingest.avro.CommandStatus;
import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import io.allsource.ingest.avro.RejectionReason;
import io.allsource.ingest.avro.StreamAppend;
import io.allsource.ingest.avro.StreamOutcome;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineWorkloadTest {

    @Test
    void newStreamsCreatesEveryStreamThenExpectsTheVersionThePreviousPassLeft() {
        CommandGenerator generator = PipelineWorkload.NEW_STREAMS.generator("s-", 3, 1);

        List<StreamAppend> appends = List.of(only(generator.next()), only(generator.next()), only(generator.next()),
                only(generator.next()), only(generator.next()));

        assertThat(appends).extracting(StreamAppend::getStreamId).containsExactly("s-0", "s-1", "s-2", "s-0", "s-1");
        assertThat(appends.subList(0, 3)).allSatisfy(append ->
                assertThat(append.getExpectedVersion().getKind()).isEqualTo(ExpectedVersionKind.NO_STREAM));
        assertThat(appends.get(3).getExpectedVersion().getKind()).isEqualTo(ExpectedVersionKind.EXACT);
        assertThat(appends.get(3).getExpectedVersion().getVersion()).isEqualTo(1);
        assertThat(appends).allSatisfy(append -> assertThat(append.getEvents()).hasSize(1));
    }

    @Test
    void batchWritesTenEventsPerCommandAndExpectsTenMorePerPass() {
        CommandGenerator generator = PipelineWorkload.BATCH.generator("b-", 2, 1);
        generator.next();
        generator.next();

        StreamAppend secondPass = only(generator.next());

        assertThat(secondPass.getEvents()).hasSize(PipelineWorkload.BATCH_EVENTS);
        assertThat(secondPass.getExpectedVersion().getVersion()).isEqualTo(PipelineWorkload.BATCH_EVENTS);
    }

    @Test
    void multiStreamAppendsToTwoOrThreeStreamsUnderTheOrdersPartitionKey() {
        CommandGenerator generator = PipelineWorkload.MULTI_STREAM.generator("m-", 10, 1);

        AppendCommand even = generator.next();
        AppendCommand odd = generator.next();

        assertThat(even.getAppends()).hasSize(3);
        assertThat(odd.getAppends()).hasSize(2);
        assertThat(even.getPartitionKey()).isEqualTo("m-order-0");
        assertThat(odd.getPartitionKey()).isEqualTo("m-order-1");
        assertThat(even.getAppends()).extracting(StreamAppend::getStreamId)
                .containsExactly("m-order-0", "m-invoice-0", "m-shipment-0");
    }

    @Test
    void contendedExpectsTheHighestVersionSeenInResultsForItsStream() {
        CommandGenerator generator = PipelineWorkload.CONTENDED.generator("h-", 100, 2);
        assertThat(only(generator.next()).getExpectedVersion().getKind()).isEqualTo(ExpectedVersionKind.NO_STREAM);

        generator.observe(result("h-1", CommandStatus.REJECTED, 7, null));
        generator.observe(result("h-1", CommandStatus.ACCEPTED, 5, 5L));

        StreamAppend next = only(generator.next());
        assertThat(next.getStreamId()).isEqualTo("h-1");
        assertThat(next.getExpectedVersion().getKind()).isEqualTo(ExpectedVersionKind.EXACT);
        assertThat(next.getExpectedVersion().getVersion()).isEqualTo(7);
    }

    @Test
    void eventsWrittenCountsTheNewVersionsOfAnAcceptedResultAndNothingOfARejection() {
        CommandResult accepted = result("x", CommandStatus.ACCEPTED, 12, 12L);
        accepted.getStreams().get(0).setFirstVersion(3L);

        assertThat(CommandGenerator.eventsWritten(accepted)).isEqualTo(10);
        assertThat(CommandGenerator.eventsWritten(result("x", CommandStatus.REJECTED, 4, null))).isZero();
    }

    @Test
    void anUnknownWorkloadIsNamedWithTheValidOnes() {
        assertThatThrownBy(() -> PipelineWorkload.of("hot"))
                .hasMessageContaining("--workloads")
                .hasMessageContaining("'hot'")
                .hasMessageContaining("new-streams, contended, batch, multi-stream");
        assertThat(PipelineWorkload.of(" batch ")).isEqualTo(PipelineWorkload.BATCH);
    }

    private static StreamAppend only(AppendCommand command) {
        assertThat(command.getAppends()).hasSize(1);
        return command.getAppends().get(0);
    }

    private static CommandResult result(String stream, CommandStatus status, long current, Long last) {
        StreamOutcome outcome = StreamOutcome.newBuilder()
                .setStreamId(stream)
                .setExpectedVersion(ExpectedVersion.newBuilder().setKind(ExpectedVersionKind.ANY).setVersion(0).build())
                .setCurrentVersion(current)
                .setFirstVersion(last)
                .setLastVersion(last)
                .build();
        return CommandResult.newBuilder()
                .setCommandId("c")
                .setStatus(status)
                .setReason(status == CommandStatus.ACCEPTED ? null : RejectionReason.CONCURRENCY_CONFLICT)
                .setMessage(null)
                .setPartition(0)
                .setOffset(0)
                .setStreams(List.of(outcome))
                .setFirstSequence(null)
                .setLastSequence(null)
                .setDuplicate(false)
                .setCommittedAt(Instant.now())
                .build();
    }
}
