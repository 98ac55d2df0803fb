package io.allsource.ingest.batch;

import static io.allsource.ingest.batch.PlannerFixture.PARTITION;
import static io.allsource.ingest.batch.PlannerFixture.append;
import static io.allsource.ingest.batch.PlannerFixture.command;
import static io.allsource.ingest.batch.PlannerFixture.commandId;
import static io.allsource.ingest.batch.PlannerFixture.decoded;
import static io.allsource.ingest.batch.PlannerFixture.events;
import static io.allsource.ingest.batch.PlannerFixture.idIn;
import static io.allsource.ingest.batch.PlannerFixture.idOutside;
import static io.allsource.ingest.batch.PlannerFixture.keyedCommand;
import static io.allsource.ingest.batch.PlannerFixture.known;
import static io.allsource.ingest.batch.PlannerFixture.plan;
import static io.allsource.ingest.batch.PlannerFixture.resultAt;
import static io.allsource.ingest.batch.PlannerFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.allsource.ingest.command.CommandLimits;
import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.CommandValidator;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.RejectionReason;
import io.allsource.ingest.partition.PartitionFunction;
import org.junit.jupiter.api.Test;

/** A command is applied only on the partition its key maps to, and only to streams that live there. */
class BatchPlannerPlacementTest {

    private static final int OTHER_PARTITION = (PARTITION + 5) % PartitionFunction.PARTITION_COUNT;

    @Test
    void rejectsAPartitionKeyOfAnotherPartitionNamingBothPartitions() {
        String foreignKey = idIn("customer", OTHER_PARTITION, 0);

        BatchPlan plan = plan(decoded(0, keyedCommand(commandId(1), foreignKey,
                append(stream(0), ExpectedVersion.any(), events(1)))));

        CommandResult result = resultAt(plan, 0);
        assertThat(result.reason()).isEqualTo(RejectionReason.WRONG_PARTITION);
        assertThat(result.message()).contains("'" + foreignKey + "'", "partition " + OTHER_PARTITION,
                "partition " + PARTITION);
        assertThat(plan.events()).isEmpty();
        assertThat(plan.streamWrites()).isEmpty();
    }

    @Test
    void placesACommandWithoutPartitionKeyByItsFirstStream() {
        String foreignStream = idOutside("stream", PARTITION, 0);

        BatchPlan plan = plan(decoded(0, command(commandId(1),
                append(foreignStream, ExpectedVersion.any(), events(1)),
                append(stream(0), ExpectedVersion.any(), events(1)))));

        assertThat(resultAt(plan, 0).reason()).isEqualTo(RejectionReason.WRONG_PARTITION);
        assertThat(resultAt(plan, 0).message())
                .contains("partition " + PartitionFunction.partitionOf(foreignStream), "partition " + PARTITION);
    }

    @Test
    void rejectsAStoredStreamOfAnotherPartitionNamingBothPartitions() {
        String movedStream = stream(0);
        KnownState known = known().stream(movedStream, OTHER_PARTITION, 4).build();
        String partitionKey = idIn("customer", PARTITION, 0);

        BatchPlan plan = plan(known, 0, decoded(0, keyedCommand(commandId(1), partitionKey,
                append(stream(1), ExpectedVersion.any(), events(1)),
                append(movedStream, ExpectedVersion.exact(4), events(1)))));

        CommandResult result = resultAt(plan, 0);
        assertThat(result.reason()).isEqualTo(RejectionReason.WRONG_PARTITION);
        assertThat(result.message()).startsWith("appends[1].stream_id '" + movedStream + "'")
                .contains("partition " + OTHER_PARTITION, "partition " + PARTITION);
        assertThat(plan.events()).isEmpty();
        assertThat(plan.streamWrites()).isEmpty();
    }

    @Test
    void acceptsAStoredStreamOfThisPartition() {
        String streamId = stream(0);
        KnownState known = known().stream(streamId, PARTITION, 4).build();

        BatchPlan plan = plan(known, 0, decoded(0, command(commandId(1),
                append(streamId, ExpectedVersion.exact(4), events(1)))));

        assertThat(resultAt(plan, 0).isAccepted()).isTrue();
    }

    @Test
    void refusesToPlanForAPartitionOutsideTheCount() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new BatchPlanner(PartitionFunction.PARTITION_COUNT))
                .withMessageContaining("partition");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new BatchChecker(-1, new CommandValidator(CommandLimits.DEFAULT)))
                .withMessageContaining("partition");
    }
}
