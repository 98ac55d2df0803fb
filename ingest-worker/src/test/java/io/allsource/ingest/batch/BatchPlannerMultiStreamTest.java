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
import static org.assertj.core.api.Assertions.tuple;

import io.allsource.ingest.command.AppendCommand;
import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.RejectionReason;
import io.allsource.ingest.command.StreamOutcome;
import org.junit.jupiter.api.Test;

/** A command that appends to several streams of the partition: all of it, or nothing. */
class BatchPlannerMultiStreamTest {

    private final String partitionKey = idIn("customer", PARTITION, 0);
    private final String first = stream(0);
    private final String second = stream(1);
    private final String third = stream(2);

    @Test
    void acceptsACommandOnThreeStreamsWithOneOutcomePerStream() {
        BatchPlan plan = plan(known().build(), 100, decoded(5, threeStreamCommand(ExpectedVersion.exact(0))));

        CommandResult result = resultAt(plan, 0);
        assertThat(result.isAccepted()).isTrue();
        assertThat(result.streams()).containsExactly(
                new StreamOutcome(first, ExpectedVersion.noStream(), 2, 1L, 2L),
                new StreamOutcome(second, ExpectedVersion.exact(0), 1, 1L, 1L),
                new StreamOutcome(third, ExpectedVersion.any(), 3, 1L, 3L));
        assertThat(result.firstSequence()).isEqualTo(101L);
        assertThat(result.lastSequence()).isEqualTo(106L);
    }

    @Test
    void assignsConsecutivePartitionSequencesAcrossTheStreamsOfACommand() {
        BatchPlan plan = plan(known().build(), 100, decoded(5, threeStreamCommand(ExpectedVersion.exact(0))));

        assertThat(plan.events())
                .extracting(PlannedEvent::streamId, PlannedEvent::version, PlannedEvent::partitionSequence)
                .containsExactly(
                        tuple(first, 1L, 101L), tuple(first, 2L, 102L),
                        tuple(second, 1L, 103L),
                        tuple(third, 1L, 104L), tuple(third, 2L, 105L), tuple(third, 3L, 106L));
        assertThat(plan.lastSequence()).isEqualTo(106L);
        assertThat(plan.streamWrites()).extracting(StreamWrite::streamId, StreamWrite::created,
                        StreamWrite::partitionKey, StreamWrite::newVersion)
                .containsExactly(tuple(first, true, partitionKey, 2L), tuple(second, true, partitionKey, 1L),
                        tuple(third, true, partitionKey, 3L));
    }

    @Test
    void rejectsTheWholeCommandWhenOneStreamIsStale() {
        KnownState known = known().stream(second, PARTITION, 3).build();

        BatchPlan plan = plan(known, 100, decoded(5, threeStreamCommand(ExpectedVersion.exact(2))));

        CommandResult result = resultAt(plan, 0);
        assertThat(result.reason()).isEqualTo(RejectionReason.CONCURRENCY_CONFLICT);
        assertThat(result.streams()).containsExactly(
                StreamOutcome.rejected(first, ExpectedVersion.noStream(), 0),
                StreamOutcome.rejected(second, ExpectedVersion.exact(2), 3),
                StreamOutcome.rejected(third, ExpectedVersion.any(), 0));
        assertThat(result.message()).contains("appends[1]", "'" + second + "'", "EXACT 2", "version 3")
                .doesNotContain("appends[0]", "appends[2]");
        assertThat(result.firstSequence()).isNull();
        assertThat(result.lastSequence()).isNull();
        assertThat(plan.events()).isEmpty();
        assertThat(plan.streamWrites()).isEmpty();
        assertThat(plan.lastSequence()).isEqualTo(100L);
    }

    @Test
    void leavesNoTraceOfARejectedCommandForTheNextCommandOfTheBatch() {
        KnownState known = known().stream(second, PARTITION, 3).build();

        BatchPlan plan = plan(known, 100,
                decoded(5, threeStreamCommand(ExpectedVersion.exact(2))),
                decoded(6, command(commandId(2), append(first, ExpectedVersion.noStream(), events(1)))));

        assertThat(resultAt(plan, 1).isAccepted()).isTrue();
        assertThat(resultAt(plan, 1).firstSequence()).isEqualTo(101L);
        assertThat(plan.events()).extracting(PlannedEvent::version).containsExactly(1L);
    }

    @Test
    void placesStreamsByThePartitionKeyEvenWhenTheirOwnIdsHashElsewhere() {
        String elsewhere = idOutside("order", PARTITION, 0);
        String alsoElsewhere = idOutside("order", PARTITION, 1);

        BatchPlan plan = plan(decoded(0, keyedCommand(commandId(1), partitionKey,
                append(elsewhere, ExpectedVersion.noStream(), events(1)),
                append(alsoElsewhere, ExpectedVersion.noStream(), events(1)))));

        assertThat(resultAt(plan, 0).isAccepted()).isTrue();
        assertThat(plan.events()).extracting(PlannedEvent::streamId).containsExactly(elsewhere, alsoElsewhere);
    }

    /** Three appends of 2, 1 and 3 events, keyed by a partition key of the tested partition. */
    private AppendCommand threeStreamCommand(ExpectedVersion secondExpected) {
        return keyedCommand(commandId(1), partitionKey,
                append(first, ExpectedVersion.noStream(), events(2)),
                append(second, secondExpected, events(1)),
                append(third, ExpectedVersion.any(), events(3)));
    }
}
