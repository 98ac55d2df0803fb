package io.allsource.ingest.batch;

import static io.allsource.ingest.batch.PlannerFixture.NOW;
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
import static io.allsource.ingest.batch.PlannerFixture.undecodable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.NewEvent;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Partition sequences, result metadata and the offset the partition resumes from. */
class BatchPlannerSequencesTest {

    private final String firstStream = stream(0);
    private final String secondStream = stream(1);

    @Test
    void continuesPartitionSequencesFromTheLastSequenceWithoutGapsAcrossCommands() {
        BatchPlan plan = plan(known().build(), 41,
                decoded(0, command(commandId(1), append(firstStream, ExpectedVersion.noStream(), events(2)))),
                decoded(1, command(commandId(2), append(firstStream, ExpectedVersion.noStream(), events(4)))),
                decoded(2, command(commandId(3), append(secondStream, ExpectedVersion.any(), events(3)))));

        assertThat(plan.events()).extracting(PlannedEvent::partitionSequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(42, 46).boxed().toList());
        assertThat(plan.lastSequence()).isEqualTo(46L);
        assertThat(resultAt(plan, 0).firstSequence()).isEqualTo(42L);
        assertThat(resultAt(plan, 0).lastSequence()).isEqualTo(43L);
        assertThat(resultAt(plan, 1).isAccepted()).isFalse();
        assertThat(resultAt(plan, 2).firstSequence()).isEqualTo(44L);
        assertThat(resultAt(plan, 2).lastSequence()).isEqualTo(46L);
    }

    @Test
    void keepsTheLastSequenceWhenNothingIsAccepted() {
        BatchPlan plan = plan(known().build(), 41, undecodable(0, "truncated"));

        assertThat(plan.events()).isEmpty();
        assertThat(plan.lastSequence()).isEqualTo(41L);
    }

    @Test
    void recordsThePartitionOffsetAndTimeOnEveryResult() {
        BatchPlan plan = plan(known().build(), 0,
                decoded(12, command(commandId(1), append(firstStream, ExpectedVersion.any(), events(1)))),
                undecodable(13, "truncated"));

        assertThat(plan.commands()).extracting(PlannedCommand::result)
                .extracting(CommandResult::partition, CommandResult::offset, CommandResult::committedAt,
                        CommandResult::duplicate)
                .containsExactly(
                        tuple(PARTITION, 12L, NOW, false),
                        tuple(PARTITION, 13L, NOW, false));
    }

    @Test
    void copiesTheCommandsFieldsOntoItsEvents() {
        BatchPlan plan = plan(decoded(0, command(commandId(1), append(firstStream, ExpectedVersion.any(),
                new NewEvent(null, "Shipped", "order-9", "{\"carrier\":\"x\"}",
                        Map.of("source", "web"))))));

        assertThat(plan.events()).singleElement().satisfies(event -> {
            assertThat(event.tenantId()).isEqualTo(TENANT);
            assertThat(event.commandId()).isEqualTo(commandId(1));
            assertThat(event.eventType()).isEqualTo("Shipped");
            assertThat(event.entityId()).isEqualTo("order-9");
            assertThat(event.payload()).isEqualTo("{\"carrier\":\"x\"}");
            assertThat(event.metadata()).containsExactly(Map.entry("source", "web"));
        });
    }

    @Test
    void keepsOneDecisionPerEntryInOffsetOrder() {
        BatchPlan plan = plan(
                decoded(10, command(commandId(1), append(firstStream, ExpectedVersion.any(), events(1)))),
                undecodable(11, "truncated"),
                decoded(15, command(commandId(1), append(firstStream, ExpectedVersion.any(), events(1)))));

        assertThat(plan.commands()).extracting(command -> command.entry().offset()).containsExactly(10L, 11L, 15L);
    }

    @Test
    void resumesAfterTheLastEntryOfTheBatch() {
        BatchPlan plan = plan(
                decoded(10, command(commandId(1), append(firstStream, ExpectedVersion.any(), events(1)))),
                decoded(11, command(commandId(2), append(firstStream, ExpectedVersion.any(), events(1)))),
                decoded(15, command(commandId(3), append(firstStream, ExpectedVersion.any(), events(1)))));

        assertThat(plan.nextOffset()).isEqualTo(16L);
    }

    @Test
    void resumesAfterTheLastEntryEvenWhenItWasUndecodable() {
        BatchPlan plan = plan(
                decoded(10, command(commandId(1), append(firstStream, ExpectedVersion.any(), events(1)))),
                undecodable(21, "truncated"));

        assertThat(plan.nextOffset()).isEqualTo(22L);
    }
}
