package io.allsource.ingest.batch;

import static io.allsource.ingest.batch.PlannerFixture.PARTITION;
import static io.allsource.ingest.batch.PlannerFixture.append;
import static io.allsource.ingest.batch.PlannerFixture.checker;
import static io.allsource.ingest.batch.PlannerFixture.command;
import static io.allsource.ingest.batch.PlannerFixture.commandId;
import static io.allsource.ingest.batch.PlannerFixture.decoded;
import static io.allsource.ingest.batch.PlannerFixture.event;
import static io.allsource.ingest.batch.PlannerFixture.eventWithId;
import static io.allsource.ingest.batch.PlannerFixture.events;
import static io.allsource.ingest.batch.PlannerFixture.known;
import static io.allsource.ingest.batch.PlannerFixture.plan;
import static io.allsource.ingest.batch.PlannerFixture.planner;
import static io.allsource.ingest.batch.PlannerFixture.resultAt;
import static io.allsource.ingest.batch.PlannerFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.EventIds;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.RejectionReason;
import io.allsource.ingest.command.StreamOutcome;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Event ids: given or derived, and never used twice. */
class BatchPlannerEventIdsTest {

    private static final UUID EVENT_ID = UUID.fromString("3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e");
    /** The RFC's DNS namespace id, as a command id whose UUIDv5 event ids were computed with python3. */
    private static final String KNOWN_ANSWER_COMMAND_ID = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

    private final String firstStream = stream(0);
    private final String secondStream = stream(1);

    @Test
    void derivesIdsFromTheCommandIdAndTheEventIndexAcrossAppends() {
        BatchPlan plan = plan(decoded(0, command(KNOWN_ANSWER_COMMAND_ID,
                append(firstStream, ExpectedVersion.any(), event(), event()),
                append(secondStream, ExpectedVersion.any(), event()))));

        assertThat(plan.events()).extracting(event -> event.eventId().toString()).containsExactly(
                "6af613b6-569c-5c22-9c37-2ed93f31d3af",
                "b04965e6-a9bb-591f-8f8a-1adcb2c8dc39",
                "4b166dbe-d99d-5091-abdd-95b83330ed3a");
    }

    @Test
    void keepsGivenIdsAndDerivesTheOthersByTheirIndex() {
        UUID commandId = UUID.fromString(commandId(1));

        BatchPlan plan = plan(decoded(0, command(commandId(1),
                append(firstStream, ExpectedVersion.any(), event(), eventWithId(EVENT_ID)),
                append(secondStream, ExpectedVersion.any(), event()))));

        assertThat(plan.events()).extracting(PlannedEvent::eventId)
                .containsExactly(EventIds.derive(commandId, 0), EVENT_ID, EventIds.derive(commandId, 2));
    }

    @Test
    void asksTheStoreForEveryGivenAndDerivedEventId() {
        UUID commandId = UUID.fromString(commandId(1));
        PreparedBatch prepared = checker().prepare(List.of(decoded(0, command(commandId(1),
                append(firstStream, ExpectedVersion.any(), event(), eventWithId(EVENT_ID))))));

        assertThat(prepared.eventIds()).containsExactly(EventIds.derive(commandId, 0), EVENT_ID);
        assertThat(prepared.streamIds()).containsExactly(firstStream);
    }

    @Test
    void rejectsAGivenEventIdThatIsAlreadyStored() {
        KnownState known = known().takenEventId(EVENT_ID).stream(firstStream, PARTITION, 2).build();

        BatchPlan plan = plan(known, 9, decoded(0, command(commandId(1),
                append(firstStream, ExpectedVersion.exact(2), eventWithId(EVENT_ID)))));

        CommandResult result = resultAt(plan, 0);
        assertThat(result.reason()).isEqualTo(RejectionReason.DUPLICATE_EVENT_ID);
        assertThat(result.message()).startsWith("appends[0].events[0].event_id " + EVENT_ID);
        assertThat(result.streams()).containsExactly(StreamOutcome.rejected(firstStream, ExpectedVersion.exact(2), 2));
        assertThat(plan.events()).isEmpty();
        assertThat(plan.streamWrites()).isEmpty();
        assertThat(plan.lastSequence()).isEqualTo(9L);
    }

    @Test
    void rejectsADerivedEventIdThatIsAlreadyStored() {
        KnownState known = known().takenEventId(EventIds.derive(UUID.fromString(commandId(1)), 1)).build();

        BatchPlan plan = plan(known, 0, decoded(0, command(commandId(1),
                append(firstStream, ExpectedVersion.any(), events(2)))));

        assertThat(resultAt(plan, 0).reason()).isEqualTo(RejectionReason.DUPLICATE_EVENT_ID);
        assertThat(resultAt(plan, 0).message()).startsWith("appends[0].events[1].event_id ");
    }

    @Test
    void rejectsTheSameGivenEventIdTwiceInOneCommand() {
        BatchPlan plan = plan(decoded(0, command(commandId(1),
                append(firstStream, ExpectedVersion.any(), eventWithId(EVENT_ID)),
                append(secondStream, ExpectedVersion.any(), event(), eventWithId(EVENT_ID)))));

        CommandResult result = resultAt(plan, 0);
        assertThat(result.reason()).isEqualTo(RejectionReason.DUPLICATE_EVENT_ID);
        assertThat(result.message()).startsWith("appends[1].events[1].event_id " + EVENT_ID).contains("twice");
        assertThat(plan.events()).isEmpty();
    }

    @Test
    void rejectsAnEventIdUsedByAnEarlierCommandOfTheBatch() {
        BatchPlan plan = plan(
                decoded(0, command(commandId(1), append(firstStream, ExpectedVersion.any(), eventWithId(EVENT_ID)))),
                decoded(1, command(commandId(2), append(secondStream, ExpectedVersion.any(), eventWithId(EVENT_ID)))));

        assertThat(resultAt(plan, 0).isAccepted()).isTrue();
        assertThat(resultAt(plan, 1).reason()).isEqualTo(RejectionReason.DUPLICATE_EVENT_ID);
        assertThat(resultAt(plan, 1).message()).startsWith("appends[0].events[0].event_id " + EVENT_ID);
        assertThat(plan.events()).extracting(PlannedEvent::streamId).containsExactly(firstStream);
    }

    @Test
    void leavesTheEventIdsOfARejectedCommandFree() {
        BatchPlan plan = plan(
                decoded(0, command(commandId(1), append(firstStream, ExpectedVersion.exact(5), eventWithId(EVENT_ID)))),
                decoded(1, command(commandId(2), append(secondStream, ExpectedVersion.any(), eventWithId(EVENT_ID)))));

        assertThat(resultAt(plan, 0).reason()).isEqualTo(RejectionReason.CONCURRENCY_CONFLICT);
        assertThat(resultAt(plan, 1).isAccepted()).isTrue();
        assertThat(plan.events()).extracting(PlannedEvent::eventId).containsExactly(EVENT_ID);
    }
}
