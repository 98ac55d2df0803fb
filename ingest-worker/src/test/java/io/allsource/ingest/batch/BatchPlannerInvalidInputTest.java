package io.allsource.ingest.batch;

import static io.allsource.ingest.batch.PlannerFixture.PARTITION;
import static io.allsource.ingest.batch.PlannerFixture.append;
import static io.allsource.ingest.batch.PlannerFixture.checker;
import static io.allsource.ingest.batch.PlannerFixture.command;
import static io.allsource.ingest.batch.PlannerFixture.commandId;
import static io.allsource.ingest.batch.PlannerFixture.decoded;
import static io.allsource.ingest.batch.PlannerFixture.events;
import static io.allsource.ingest.batch.PlannerFixture.known;
import static io.allsource.ingest.batch.PlannerFixture.plan;
import static io.allsource.ingest.batch.PlannerFixture.planner;
import static io.allsource.ingest.batch.PlannerFixture.resultAt;
import static io.allsource.ingest.batch.PlannerFixture.stream;
import static io.allsource.ingest.batch.PlannerFixture.undecodable;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.RejectionReason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input gets an INVALID_COMMAND result under a key it can be stored by, and never stalls the batch. */
class BatchPlannerInvalidInputTest {

    @Test
    void rejectsAnUndecodableRecordUnderItsPartitionAndOffset() {
        BatchPlan plan = plan(undecodable(33, "unknown magic byte 0x7b"));

        assertThat(plan.commands()).singleElement().isInstanceOfSatisfying(PlannedCommand.Decided.class, decided -> {
            assertThat(decided.resultKey()).isEqualTo("invalid:" + PARTITION + ":33");
            CommandResult result = decided.result();
            assertThat(result.commandId()).isEqualTo("invalid:" + PARTITION + ":33");
            assertThat(result.reason()).isEqualTo(RejectionReason.INVALID_COMMAND);
            assertThat(result.message()).contains("unknown magic byte 0x7b");
            assertThat(result.offset()).isEqualTo(33L);
            assertThat(result.streams()).isEmpty();
        });
    }

    @Test
    void rejectsAnEmptyCommandIdUnderThePartitionAndOffset() {
        BatchPlan plan = plan(decoded(34, command("", append(stream(0), ExpectedVersion.any(), events(1)))));

        assertThat(plan.commands()).singleElement().isInstanceOfSatisfying(PlannedCommand.Decided.class, decided -> {
            assertThat(decided.resultKey()).isEqualTo("invalid:" + PARTITION + ":34");
            assertThat(decided.result().reason()).isEqualTo(RejectionReason.INVALID_COMMAND);
            assertThat(decided.result().message()).isEqualTo("command_id is empty");
        });
        assertThat(plan.events()).isEmpty();
    }

    @Test
    void rejectsACommandWithoutAppendsUnderItsOwnCommandId() {
        BatchPlan plan = plan(decoded(35, command(commandId(1))));

        assertThat(plan.commands()).singleElement().isInstanceOfSatisfying(PlannedCommand.Decided.class, decided -> {
            assertThat(decided.resultKey()).isEqualTo(commandId(1));
            assertThat(decided.result().commandId()).isEqualTo(commandId(1));
            assertThat(decided.result().reason()).isEqualTo(RejectionReason.INVALID_COMMAND);
            assertThat(decided.result().message()).startsWith("appends is empty");
        });
    }

    @Test
    void asksTheStoreForStoredResultsOnlyOfCommandsWithAUsableId() {
        PreparedBatch prepared = checker().prepare(List.of(
                undecodable(1, "truncated"),
                decoded(2, command("", append(stream(0), ExpectedVersion.any(), events(1)))),
                decoded(3, command(commandId(1))),
                decoded(4, command(commandId(2), append(stream(0), ExpectedVersion.any(), events(1))))));

        assertThat(prepared.resultKeys()).containsExactly(commandId(1), commandId(2));
        assertThat(prepared.streamIds()).containsExactly(stream(0));
    }

    @Test
    void keepsPlanningTheBatchAfterInvalidEntries() {
        BatchPlan plan = plan(known().build(), 17,
                undecodable(0, "truncated"),
                decoded(1, command(commandId(1))),
                decoded(2, command(commandId(2), append(stream(0), ExpectedVersion.noStream(), events(1)))));

        assertThat(resultAt(plan, 2).isAccepted()).isTrue();
        assertThat(resultAt(plan, 2).firstSequence()).isEqualTo(18L);
        assertThat(plan.lastSequence()).isEqualTo(18L);
    }

    /**
     * Result keys are a primary key: two first outcomes under one key make the batch transaction fail on every retry,
     * which stalls the partition. A producer's command id must not take the key reserved for an undecodable record.
     */
    @Test
    void neverDecidesTwoEntriesUnderOneResultKey() {
        String reservedKey = "invalid:" + PARTITION + ":41";

        BatchPlan plan = plan(
                decoded(40, command(reservedKey, append(stream(0), ExpectedVersion.any(), events(1)))),
                undecodable(41, "truncated"));

        assertThat(plan.commands())
                .filteredOn(command -> command instanceof PlannedCommand.Decided)
                .extracting(command -> ((PlannedCommand.Decided) command).resultKey())
                .doesNotHaveDuplicates();
    }

    @Test
    void doesNotStoreANonUuidCommandIdUnderTheKeyOfAnUndecodableRecord() {
        String reservedKey = "invalid:" + PARTITION + ":41";

        BatchPlan plan = plan(decoded(40, command(reservedKey, append(stream(0), ExpectedVersion.any(), events(1)))));

        assertThat(plan.commands()).singleElement().isInstanceOfSatisfying(PlannedCommand.Decided.class, decided -> {
            assertThat(decided.result().reason()).isEqualTo(RejectionReason.INVALID_COMMAND);
            assertThat(decided.resultKey()).isNotEqualTo(reservedKey);
        });
    }
}
