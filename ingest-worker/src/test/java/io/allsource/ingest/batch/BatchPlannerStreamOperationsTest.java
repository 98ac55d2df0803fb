package io.allsource.ingest.batch;

import static io.allsource.ingest.batch.PlannerFixture.PARTITION;
import static io.allsource.ingest.batch.PlannerFixture.TENANT;
import static io.allsource.ingest.batch.PlannerFixture.append;
import static io.allsource.ingest.batch.PlannerFixture.command;
import static io.allsource.ingest.batch.PlannerFixture.commandId;
import static io.allsource.ingest.batch.PlannerFixture.decoded;
import static io.allsource.ingest.batch.PlannerFixture.events;
import static io.allsource.ingest.batch.PlannerFixture.known;
import static io.allsource.ingest.batch.PlannerFixture.operation;
import static io.allsource.ingest.batch.PlannerFixture.plan;
import static io.allsource.ingest.batch.PlannerFixture.resultAt;
import static io.allsource.ingest.batch.PlannerFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.RejectionReason;
import io.allsource.ingest.command.StreamOperation;
import org.junit.jupiter.api.Test;

/**
 * Deletes and erases are planned like appends (tenant, placement, expected version) and write no event: an accepted one
 * redacts the stream's versions 1 to its current version, and a delete refuses every later command on the stream.
 */
class BatchPlannerStreamOperationsTest {

    private static final StreamOperation.Kind DELETE = StreamOperation.Kind.DELETE;
    private static final StreamOperation.Kind ERASE = StreamOperation.Kind.ERASE;

    @Test
    void acceptsAnEraseAtTheExpectedVersionAndRedactsEveryVersionUpToIt() {
        String acct = stream(0);

        BatchPlan plan = plan(known().stream(acct, PARTITION, 3).build(), 10,
                decoded(0, operation(TENANT, commandId(1), ERASE, acct, ExpectedVersion.exact(3))));

        CommandResult result = resultAt(plan, 0);
        assertThat(result.isAccepted()).isTrue();
        assertThat(result.operation()).isEqualTo(ERASE);
        assertThat(result.publishesErasure()).isTrue();
        assertThat(result.streams()).singleElement().satisfies(outcome -> assertThat(outcome.currentVersion())
                .isEqualTo(3));
        assertThat(result.firstSequence()).isNull();
        assertThat(plan.erasures()).containsExactly(new StreamErasure(acct, TENANT, 3, false));
        assertThat(plan.events()).isEmpty();
        assertThat(plan.lastSequence()).isEqualTo(10);
    }

    @Test
    void rejectsADeleteAtAStaleVersionAsAConflictWithTheActualVersion() {
        String acct = stream(0);

        BatchPlan plan = plan(known().stream(acct, PARTITION, 4).build(), 0,
                decoded(0, operation(TENANT, commandId(1), DELETE, acct, ExpectedVersion.exact(3))));

        CommandResult result = resultAt(plan, 0);
        assertThat(result.reason()).isEqualTo(RejectionReason.CONCURRENCY_CONFLICT);
        assertThat(result.message()).isEqualTo("stream_operation stream '" + acct
                + "' expected EXACT 3 but is at version 4");
        assertThat(result.streams()).singleElement().satisfies(outcome -> assertThat(outcome.currentVersion())
                .isEqualTo(4));
        assertThat(plan.erasures()).isEmpty();
    }

    @Test
    void refusesAnAppendAfterADeleteInTheSameBatchNamingTheVersion() {
        String acct = stream(0);

        BatchPlan plan = plan(known().stream(acct, PARTITION, 2).build(), 0,
                decoded(0, operation(TENANT, commandId(1), DELETE, acct, ExpectedVersion.any())),
                decoded(1, command(commandId(2), append(acct, ExpectedVersion.any(), events(1)))));

        assertThat(plan.erasures()).containsExactly(new StreamErasure(acct, TENANT, 2, true));
        CommandResult refused = resultAt(plan, 1);
        assertThat(refused.reason()).isEqualTo(RejectionReason.STREAM_DELETED);
        assertThat(refused.reason().wireSymbol()).isEqualTo("INVALID_COMMAND");
        assertThat(refused.message()).isEqualTo("appends[0].stream_id '" + acct
                + "' was deleted at version 2; a deleted stream is never written again");
        assertThat(plan.events()).isEmpty();
    }

    @Test
    void refusesEveryCommandOnAStoredDeletedStreamEvenNoStream() {
        String acct = stream(0);
        KnownState known = known().deletedStream(acct, PARTITION, 5).build();

        BatchPlan plan = plan(known, 0,
                decoded(0, command(commandId(1), append(acct, ExpectedVersion.noStream(), events(1)))),
                decoded(1, operation(TENANT, commandId(2), ERASE, acct, ExpectedVersion.any())),
                decoded(2, operation(TENANT, commandId(3), DELETE, acct, ExpectedVersion.exact(5))));

        for (int i = 0; i < 3; i++) {
            assertThat(resultAt(plan, i).reason()).as("command %s", i).isEqualTo(RejectionReason.STREAM_DELETED);
        }
        assertThat(plan.erasures()).isEmpty();
        assertThat(plan.streamWrites()).isEmpty();
    }

    @Test
    void rejectsAnotherTenantsDeleteWithoutTellingItTheStreamIsThere() {
        String acct = stream(0);

        BatchPlan plan = plan(known().stream(acct, PARTITION, 1).build(), 0,
                decoded(0, operation("tenant-other", commandId(1), DELETE, acct, ExpectedVersion.any())));

        assertThat(resultAt(plan, 0).reason()).isEqualTo(RejectionReason.TENANT_MISMATCH);
        assertThat(resultAt(plan, 0).streams()).isEmpty();
        assertThat(plan.erasures()).isEmpty();
    }

    @Test
    void rejectsAnEraseOfAStreamWithoutEventsAsNotFound() {
        BatchPlan plan = plan(known().build(), 0,
                decoded(0, operation(TENANT, commandId(1), ERASE, stream(0), ExpectedVersion.any())));

        assertThat(resultAt(plan, 0).reason()).isEqualTo(RejectionReason.STREAM_NOT_FOUND);
        assertThat(plan.erasures()).isEmpty();
    }

    @Test
    void rejectsAnEraseBeyondTheLimit() {
        String acct = stream(0);

        BatchPlan plan = plan(known().stream(acct, PARTITION, BatchPlanner.ERASE_LIMIT + 1).build(), 0,
                decoded(0, operation(TENANT, commandId(1), ERASE, acct, ExpectedVersion.any())));

        assertThat(resultAt(plan, 0).reason()).isEqualTo(RejectionReason.ERASE_TOO_LARGE);
        assertThat(resultAt(plan, 0).message()).contains("holds 100001 events", "at most 100000");
    }

    @Test
    void appendsGoOnAfterAnEraseFromTheErasedVersion() {
        String acct = stream(0);

        BatchPlan plan = plan(known().stream(acct, PARTITION, 2).build(), 7,
                decoded(0, operation(TENANT, commandId(1), ERASE, acct, ExpectedVersion.exact(2))),
                decoded(1, command(commandId(2), append(acct, ExpectedVersion.exact(2), events(1)))));

        assertThat(resultAt(plan, 1).isAccepted()).isTrue();
        assertThat(plan.events()).singleElement().satisfies(event -> assertThat(event.version()).isEqualTo(3));
        assertThat(plan.erasures()).containsExactly(new StreamErasure(acct, TENANT, 2, false));
    }

    @Test
    void aRedeliveredEraseGetsItsFirstResultAndDoesNotPublishTheErasureAgain() {
        String acct = stream(0);

        BatchPlan plan = plan(known().stream(acct, PARTITION, 2).build(), 0,
                decoded(0, operation(TENANT, commandId(1), ERASE, acct, ExpectedVersion.exact(2))),
                decoded(1, operation(TENANT, commandId(1), ERASE, acct, ExpectedVersion.exact(2))));

        assertThat(resultAt(plan, 1).duplicate()).isTrue();
        assertThat(resultAt(plan, 1).isAccepted()).isTrue();
        assertThat(resultAt(plan, 1).publishesErasure()).isFalse();
        assertThat(plan.erasures()).hasSize(1);
    }
}
