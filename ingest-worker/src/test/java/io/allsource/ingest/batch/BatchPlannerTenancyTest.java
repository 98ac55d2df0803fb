package io.allsource.ingest.batch;

import static io.allsource.ingest.batch.PlannerFixture.PARTITION;
import static io.allsource.ingest.batch.PlannerFixture.append;
import static io.allsource.ingest.batch.PlannerFixture.commandId;
import static io.allsource.ingest.batch.PlannerFixture.commandOf;
import static io.allsource.ingest.batch.PlannerFixture.decoded;
import static io.allsource.ingest.batch.PlannerFixture.events;
import static io.allsource.ingest.batch.PlannerFixture.idOutside;
import static io.allsource.ingest.batch.PlannerFixture.known;
import static io.allsource.ingest.batch.PlannerFixture.plan;
import static io.allsource.ingest.batch.PlannerFixture.resultAt;
import static io.allsource.ingest.batch.PlannerFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.RejectionReason;
import io.allsource.ingest.partition.PartitionFunction;
import org.junit.jupiter.api.Test;

/**
 * A stream belongs to the tenant whose command created it: a command of another tenant that touches it is rejected
 * whole with {@code TENANT_MISMATCH}, before any check that would tell it the stream's placement or version, and
 * writes nothing.
 */
class BatchPlannerTenancyTest {

    private static final String OWNER = "tenant-a";
    private static final String OTHER = "tenant-b";

    @Test
    void rejectsAnotherTenantsAppendToAStoredStreamNamingTheStreamButNotItsOwner() {
        String acct = stream(0);
        KnownState known = known().stream(acct, PARTITION, 1, OWNER).build();

        BatchPlan plan = plan(known, 0, decoded(0, commandOf(OTHER, commandId(1),
                append(acct, ExpectedVersion.exact(1), events(1)))));

        CommandResult result = resultAt(plan, 0);
        assertThat(result.isAccepted()).isFalse();
        assertThat(result.reason()).isEqualTo(RejectionReason.TENANT_MISMATCH);
        assertThat(result.message()).isEqualTo("appends[0].stream_id '" + acct + "' belongs to another tenant than '"
                + OTHER + "'; a stream is written only by the tenant whose command created it");
        assertThat(result.message()).doesNotContain(OWNER);
        assertThat(result.streams()).as("no version of another tenant's stream is reported").isEmpty();
        assertThat(plan.events()).isEmpty();
        assertThat(plan.streamWrites()).isEmpty();
    }

    @Test
    void acceptsTheOwnersAppendToItsStream() {
        String acct = stream(0);
        KnownState known = known().stream(acct, PARTITION, 1, OWNER).build();

        BatchPlan plan = plan(known, 0, decoded(0, commandOf(OWNER, commandId(1),
                append(acct, ExpectedVersion.exact(1), events(1)))));

        assertThat(resultAt(plan, 0).isAccepted()).isTrue();
        assertThat(plan.streamWrites()).singleElement()
                .satisfies(write -> assertThat(write.tenantId()).isEqualTo(OWNER));
    }

    @Test
    void rejectsAMultiStreamCommandWithOneForeignStreamWholeNamingThatStream() {
        String owned = stream(0);
        String foreign = stream(1);
        String fresh = stream(2);
        KnownState known = known().stream(owned, PARTITION, 3, OWNER).stream(foreign, PARTITION, 5, OTHER).build();

        BatchPlan plan = plan(known, 0, decoded(0, commandOf(OWNER, commandId(1),
                append(owned, ExpectedVersion.exact(3), events(1)),
                append(fresh, ExpectedVersion.noStream(), events(1)),
                append(foreign, ExpectedVersion.any(), events(1)))));

        CommandResult result = resultAt(plan, 0);
        assertThat(result.reason()).isEqualTo(RejectionReason.TENANT_MISMATCH);
        assertThat(result.message()).startsWith("appends[2].stream_id '" + foreign + "' belongs to another tenant");
        assertThat(plan.events()).isEmpty();
        assertThat(plan.streamWrites()).as("neither the owned nor the new stream is written").isEmpty();
        assertThat(plan.lastSequence()).isZero();
    }

    @Test
    void refusesAForeignStreamBeforeCheckingItsVersionSoTheVersionIsNotTold() {
        String acct = stream(0);
        KnownState known = known().stream(acct, PARTITION, 7, OWNER).build();

        BatchPlan plan = plan(known, 0, decoded(0, commandOf(OTHER, commandId(1),
                append(acct, ExpectedVersion.exact(1), events(1)))));

        assertThat(resultAt(plan, 0).reason()).isEqualTo(RejectionReason.TENANT_MISMATCH);
        assertThat(resultAt(plan, 0).message()).doesNotContain("version 7");
    }

    @Test
    void refusesAForeignStreamOfAnotherPartitionWithoutNamingItsPartition() {
        String elsewhere = idOutside("stream", PARTITION, 0);
        int itsPartition = PartitionFunction.partitionOf(elsewhere);
        KnownState known = known().stream(elsewhere, itsPartition, 2, OWNER).build();

        BatchPlan plan = plan(known, 0, decoded(0, commandOf(OTHER, commandId(1),
                append(stream(0), ExpectedVersion.any(), events(1)),
                append(elsewhere, ExpectedVersion.any(), events(1)))));

        assertThat(resultAt(plan, 0).reason()).isEqualTo(RejectionReason.TENANT_MISMATCH);
        assertThat(resultAt(plan, 0).message()).doesNotContain("partition " + itsPartition);
    }

    @Test
    void rejectsTheSecondTenantToTouchAStreamCreatedEarlierInTheSameBatch() {
        String acct = stream(0);

        BatchPlan plan = plan(
                decoded(0, commandOf(OWNER, commandId(1), append(acct, ExpectedVersion.noStream(), events(1)))),
                decoded(1, commandOf(OTHER, commandId(2), append(acct, ExpectedVersion.exact(1), events(1)))),
                decoded(2, commandOf(OWNER, commandId(3), append(acct, ExpectedVersion.exact(1), events(1)))));

        assertThat(resultAt(plan, 0).isAccepted()).isTrue();
        assertThat(resultAt(plan, 1).reason()).isEqualTo(RejectionReason.TENANT_MISMATCH);
        assertThat(resultAt(plan, 2).isAccepted()).as("the owner's next append, at the version the owner left")
                .isTrue();
        assertThat(plan.events()).extracting(PlannedEvent::tenantId).containsExactly(OWNER, OWNER);
        assertThat(plan.streamWrites()).singleElement().satisfies(write -> {
            assertThat(write.created()).isTrue();
            assertThat(write.tenantId()).isEqualTo(OWNER);
            assertThat(write.newVersion()).isEqualTo(2);
        });
    }

    @Test
    void givesANewStreamTheTenantOfTheCommandThatCreatesIt() {
        BatchPlan plan = plan(decoded(0, commandOf(OTHER, commandId(1),
                append(stream(0), ExpectedVersion.noStream(), events(2)))));

        assertThat(plan.streamWrites()).singleElement()
                .satisfies(write -> assertThat(write.tenantId()).isEqualTo(OTHER));
    }

    @Test
    void letsTheFirstTenantToAppendTakeAStreamWithNoOwnerOnRecordAndRefusesTheNext() {
        String ownerless = stream(0);
        KnownState known = known().stream(ownerless, PARTITION, 0, null).build();

        BatchPlan plan = plan(known, 0,
                decoded(0, commandOf(OTHER, commandId(1), append(ownerless, ExpectedVersion.any(), events(1)))),
                decoded(1, commandOf(OWNER, commandId(2), append(ownerless, ExpectedVersion.any(), events(1)))));

        assertThat(resultAt(plan, 0).isAccepted()).isTrue();
        assertThat(resultAt(plan, 1).reason()).isEqualTo(RejectionReason.TENANT_MISMATCH);
        assertThat(plan.streamWrites()).singleElement().satisfies(write -> {
            assertThat(write.created()).isFalse();
            assertThat(write.tenantId()).isEqualTo(OTHER);
        });
    }

    @Test
    void comparesTenantIdsExactlySoThatLetterCaseMakesAnotherTenant() {
        String acct = stream(0);
        KnownState known = known().stream(acct, PARTITION, 1, OWNER).build();

        BatchPlan plan = plan(known, 0, decoded(0, commandOf("Tenant-A", commandId(1),
                append(acct, ExpectedVersion.any(), events(1)))));

        assertThat(resultAt(plan, 0).reason()).isEqualTo(RejectionReason.TENANT_MISMATCH);
    }

    @Test
    void answersAResentForeignCommandWithItsStoredRejection() {
        String acct = stream(0);
        KnownState known = known().stream(acct, PARTITION, 1, OWNER).build();

        BatchPlan plan = plan(known, 0,
                decoded(0, commandOf(OTHER, commandId(1), append(acct, ExpectedVersion.any(), events(1)))),
                decoded(1, commandOf(OTHER, commandId(1), append(acct, ExpectedVersion.any(), events(1)))));

        assertThat(plan.commands().get(1)).isInstanceOf(PlannedCommand.Redelivered.class);
        assertThat(resultAt(plan, 1).reason()).isEqualTo(RejectionReason.TENANT_MISMATCH);
        assertThat(resultAt(plan, 1).duplicate()).isTrue();
    }
}
