package io.allsource.ingest.batch;

import static io.allsource.ingest.batch.PlannerFixture.PARTITION;
import static io.allsource.ingest.batch.PlannerFixture.TENANT;
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

import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.RejectionReason;
import io.allsource.ingest.command.StreamOutcome;
import org.junit.jupiter.api.Test;

/** Expected versions, checked against the stored streams and against what earlier commands of the batch wrote. */
class BatchPlannerVersionsTest {

    private final String streamId = stream(0);

    @Test
    void rejectsTheSecondOfTwoExactZeroAppendsWithTheVersionTheFirstProduced() {
        BatchPlan plan = plan(
                decoded(0, command(commandId(1), append(streamId, ExpectedVersion.exact(0), events(2)))),
                decoded(1, command(commandId(2), append(streamId, ExpectedVersion.exact(0), events(1)))));

        assertThat(resultAt(plan, 0).isAccepted()).isTrue();
        CommandResult second = resultAt(plan, 1);
        assertThat(second.reason()).isEqualTo(RejectionReason.CONCURRENCY_CONFLICT);
        assertThat(second.streams()).containsExactly(
                StreamOutcome.rejected(streamId, ExpectedVersion.exact(0), 2));
        assertThat(second.message()).contains("'" + streamId + "'", "expected EXACT 0", "version 2");
        assertThat(second.firstSequence()).isNull();
    }

    @Test
    void rejectsNoStreamAfterAnEarlierCommandOfTheBatchCreatedTheStream() {
        BatchPlan plan = plan(
                decoded(0, command(commandId(1), append(streamId, ExpectedVersion.exact(0), events(3)))),
                decoded(1, command(commandId(2), append(streamId, ExpectedVersion.noStream(), events(1)))));

        CommandResult second = resultAt(plan, 1);
        assertThat(second.status()).isEqualTo(CommandResult.Status.REJECTED);
        assertThat(second.reason()).isEqualTo(RejectionReason.CONCURRENCY_CONFLICT);
        assertThat(second.streams()).singleElement().extracting(StreamOutcome::currentVersion).isEqualTo(3L);
        assertThat(second.message()).contains("'" + streamId + "'", "NO_STREAM", "version 3");
    }

    @Test
    void writesOnlyTheEventsOfTheAcceptedCommandWhenTwoConflict() {
        BatchPlan plan = plan(
                decoded(0, command(commandId(1), append(streamId, ExpectedVersion.noStream(), events(2)))),
                decoded(1, command(commandId(2), append(streamId, ExpectedVersion.noStream(), events(1)))));

        assertThat(plan.events()).extracting(PlannedEvent::commandId).containsOnly(commandId(1)).hasSize(2);
        assertThat(plan.streamWrites()).singleElement().extracting(StreamWrite::newVersion).isEqualTo(2L);
    }

    @Test
    void continuesVersionsFromAStoredStream() {
        KnownState known = known().stream(streamId, PARTITION, 7).build();

        BatchPlan plan = plan(known, 0,
                decoded(0, command(commandId(1), append(streamId, ExpectedVersion.exact(7), events(2)))));

        CommandResult result = resultAt(plan, 0);
        assertThat(result.isAccepted()).isTrue();
        assertThat(result.streams()).containsExactly(
                new StreamOutcome(streamId, ExpectedVersion.exact(7), 9, 8L, 9L));
        assertThat(plan.events()).extracting(PlannedEvent::version).containsExactly(8L, 9L);
    }

    @Test
    void rejectsAStaleExactVersionReportingTheStoredVersion() {
        KnownState known = known().stream(streamId, PARTITION, 7).build();

        BatchPlan plan = plan(known, 0,
                decoded(0, command(commandId(1), append(streamId, ExpectedVersion.exact(6), events(1)))));

        CommandResult result = resultAt(plan, 0);
        assertThat(result.reason()).isEqualTo(RejectionReason.CONCURRENCY_CONFLICT);
        assertThat(result.streams()).containsExactly(StreamOutcome.rejected(streamId, ExpectedVersion.exact(6), 7));
        assertThat(result.message()).contains("expected EXACT 6", "version 7");
        assertThat(plan.events()).isEmpty();
        assertThat(plan.streamWrites()).isEmpty();
    }

    @Test
    void rejectsStreamExistsForANewStreamAndAcceptsItForAStoredOne() {
        String stored = stream(1);
        KnownState known = known().stream(stored, PARTITION, 2).build();

        BatchPlan plan = plan(known, 0,
                decoded(0, command(commandId(1), append(streamId, ExpectedVersion.streamExists(), events(1)))),
                decoded(1, command(commandId(2), append(stored, ExpectedVersion.streamExists(), events(1)))));

        assertThat(resultAt(plan, 0).reason()).isEqualTo(RejectionReason.CONCURRENCY_CONFLICT);
        assertThat(resultAt(plan, 0).streams()).singleElement().extracting(StreamOutcome::currentVersion)
                .isEqualTo(0L);
        assertThat(resultAt(plan, 1).streams()).containsExactly(
                new StreamOutcome(stored, ExpectedVersion.streamExists(), 3, 3L, 3L));
    }

    @Test
    void acceptsAnyAfterAnEarlierCommandOfTheBatch() {
        BatchPlan plan = plan(
                decoded(0, command(commandId(1), append(streamId, ExpectedVersion.any(), events(1)))),
                decoded(1, command(commandId(2), append(streamId, ExpectedVersion.any(), events(2)))));

        assertThat(resultAt(plan, 1).streams()).containsExactly(
                new StreamOutcome(streamId, ExpectedVersion.any(), 3, 2L, 3L));
    }

    @Test
    void marksANewStreamCreatedFromVersionZero() {
        BatchPlan plan = plan(
                decoded(0, command(commandId(1), append(streamId, ExpectedVersion.noStream(), events(2)))));

        assertThat(plan.streamWrites()).containsExactly(
                new StreamWrite(streamId, true, streamId, TENANT, 0, 2, ExpectedVersion.noStream()));
    }

    @Test
    void foldsTwoAppendsToANewStreamIntoOneCreatingWrite() {
        BatchPlan plan = plan(
                decoded(0, command(commandId(1), append(streamId, ExpectedVersion.noStream(), events(2)))),
                decoded(1, command(commandId(2), append(streamId, ExpectedVersion.exact(2), events(1)))));

        assertThat(plan.streamWrites()).containsExactly(
                new StreamWrite(streamId, true, streamId, TENANT, 0, 3, ExpectedVersion.exact(2)));
    }

    @Test
    void foldsTwoAppendsToAStoredStreamIntoOneWriteFromItsStoredVersion() {
        KnownState known = known().stream(streamId, PARTITION, 4).build();

        BatchPlan plan = plan(known, 0,
                decoded(0, command(commandId(1), append(streamId, ExpectedVersion.exact(4), events(1)))),
                decoded(1, command(commandId(2), append(streamId, ExpectedVersion.exact(5), events(1)))));

        assertThat(plan.streamWrites()).singleElement().satisfies(write -> {
            assertThat(write.created()).isFalse();
            assertThat(write.priorVersion()).isEqualTo(4);
            assertThat(write.newVersion()).isEqualTo(6);
            assertThat(write.lastExpected()).isEqualTo(ExpectedVersion.exact(5));
        });
    }
}
