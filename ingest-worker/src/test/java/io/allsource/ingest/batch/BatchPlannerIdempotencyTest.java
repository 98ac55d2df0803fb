package io.allsource.ingest.batch;

import static io.allsource.ingest.batch.PlannerFixture.PARTITION;
import static io.allsource.ingest.batch.PlannerFixture.append;
import static io.allsource.ingest.batch.PlannerFixture.command;
import static io.allsource.ingest.batch.PlannerFixture.commandId;
import static io.allsource.ingest.batch.PlannerFixture.decoded;
import static io.allsource.ingest.batch.PlannerFixture.events;
import static io.allsource.ingest.batch.PlannerFixture.known;
import static io.allsource.ingest.batch.PlannerFixture.plan;
import static io.allsource.ingest.batch.PlannerFixture.resultAt;
import static io.allsource.ingest.batch.PlannerFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.command.AppendCommand;
import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.RejectionReason;
import io.allsource.ingest.command.StreamOutcome;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A command id decides once: later deliveries get the first result back, flagged duplicate, and write nothing. */
class BatchPlannerIdempotencyTest {

    private static final Instant EARLIER = Instant.parse("2024-04-30T08:00:00Z");

    private final String streamId = stream(0);

    @Test
    void answersAStoredCommandIdWithItsStoredResultFlaggedDuplicate() {
        CommandResult stored = CommandResult.accepted(commandId(1), PARTITION, 3,
                List.of(new StreamOutcome(streamId, ExpectedVersion.noStream(), 1, 1L, 1L)), 10, 10, EARLIER);
        KnownState known = known().storedResult(stored).stream(streamId, PARTITION, 1).build();

        BatchPlan plan = plan(known, 50, decoded(20, createStream(commandId(1))));

        assertThat(plan.commands()).singleElement().isInstanceOf(PlannedCommand.Redelivered.class);
        PlannedCommand.Redelivered redelivered = (PlannedCommand.Redelivered) plan.commands().get(0);
        assertThat(redelivered.resultKey()).isEqualTo(commandId(1));
        assertThat(redelivered.entry().offset()).isEqualTo(20L);
        assertThat(redelivered.result().duplicate()).isTrue();
        assertThat(redelivered.result()).usingRecursiveComparison().ignoringFields("duplicate").isEqualTo(stored);
    }

    @Test
    void writesNothingForARedelivery() {
        CommandResult stored = CommandResult.accepted(commandId(1), PARTITION, 3,
                List.of(new StreamOutcome(streamId, ExpectedVersion.noStream(), 1, 1L, 1L)), 10, 10, EARLIER);
        KnownState known = known().storedResult(stored).stream(streamId, PARTITION, 1).build();

        BatchPlan plan = plan(known, 50, decoded(20, createStream(commandId(1))));

        assertThat(plan.events()).isEmpty();
        assertThat(plan.streamWrites()).isEmpty();
        assertThat(plan.lastSequence()).isEqualTo(50L);
        assertThat(plan.nextOffset()).isEqualTo(21L);
    }

    @Test
    void answersAStoredRejectionWithTheSameRejection() {
        CommandResult stored = CommandResult.rejected(commandId(1), RejectionReason.CONCURRENCY_CONFLICT,
                "appends[0] stream expected NO_STREAM but is at version 4", PARTITION, 3,
                List.of(StreamOutcome.rejected(streamId, ExpectedVersion.noStream(), 4)), EARLIER);

        BatchPlan plan = plan(known().storedResult(stored).build(), 0, decoded(20, createStream(commandId(1))));

        assertThat(resultAt(plan, 0)).isEqualTo(stored.asDuplicate());
        assertThat(plan.events()).isEmpty();
    }

    @Test
    void answersACommandIdRepeatedInTheBatchWithTheFirstResult() {
        BatchPlan plan = plan(known().build(), 0,
                decoded(0, createStream(commandId(1))),
                decoded(1, createStream(commandId(1))));

        assertThat(plan.commands().get(0)).isInstanceOf(PlannedCommand.Decided.class);
        assertThat(plan.commands().get(1)).isInstanceOf(PlannedCommand.Redelivered.class);
        CommandResult first = resultAt(plan, 0);
        CommandResult second = resultAt(plan, 1);
        assertThat(first.isAccepted()).isTrue();
        assertThat(second.duplicate()).isTrue();
        assertThat(second).usingRecursiveComparison().ignoringFields("duplicate").isEqualTo(first);
        assertThat(plan.events()).hasSize(2).extracting(PlannedEvent::version).containsExactly(1L, 2L);
        assertThat(plan.streamWrites()).singleElement().extracting(StreamWrite::newVersion).isEqualTo(2L);
    }

    @Test
    void answersARepeatedCommandIdWithTheFirstResultEvenIfTheRepeatDiffers() {
        AppendCommand different = command(commandId(1), append(stream(1), ExpectedVersion.any(), events(1)));

        BatchPlan plan = plan(decoded(0, createStream(commandId(1))), decoded(1, different));

        assertThat(resultAt(plan, 1).streams()).extracting(StreamOutcome::streamId).containsExactly(streamId);
        assertThat(plan.events()).extracting(PlannedEvent::streamId).containsOnly(streamId);
    }

    @Test
    void answersAStoredCommandIdEvenWhenTheResentCommandIsNowInvalid() {
        CommandResult stored = CommandResult.accepted(commandId(1), PARTITION, 3,
                List.of(new StreamOutcome(streamId, ExpectedVersion.noStream(), 1, 1L, 1L)), 10, 10, EARLIER);
        AppendCommand nowInvalid = command(commandId(1));

        BatchPlan plan = plan(known().storedResult(stored).build(), 0, decoded(20, nowInvalid));

        assertThat(plan.commands()).singleElement().isInstanceOf(PlannedCommand.Redelivered.class);
        assertThat(resultAt(plan, 0).isAccepted()).isTrue();
    }

    @Test
    void answersARepeatOfAnInvalidCommandWithTheFirstRejection() {
        BatchPlan plan = plan(decoded(0, command(commandId(1))), decoded(1, command(commandId(1))));

        assertThat(plan.commands().get(1)).isInstanceOf(PlannedCommand.Redelivered.class);
        assertThat(resultAt(plan, 1).reason()).isEqualTo(RejectionReason.INVALID_COMMAND);
        assertThat(resultAt(plan, 1).offset()).isEqualTo(0L);
    }

    private AppendCommand createStream(String commandId) {
        return command(commandId, append(streamId, ExpectedVersion.noStream(), events(2)));
    }
}
