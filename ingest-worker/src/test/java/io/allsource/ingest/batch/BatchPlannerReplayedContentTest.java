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
import static io.allsource.ingest.batch.PlannerFixture.undecodable;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.command.AppendCommand;
import io.allsource.ingest.command.CommandFingerprint;
import io.allsource.ingest.command.CommandResult;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.RejectionReason;
import io.allsource.ingest.command.StreamOutcome;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A command id replayed with other content still gets its stored result, and the result's message says that the
 * content differs; a faithful replay gets the stored result unchanged.
 */
class BatchPlannerReplayedContentTest {

    private static final Instant EARLIER = Instant.parse("2024-04-30T08:00:00Z");
    private static final String DIFFERENT_CONTENT = "was already applied with different content; this is its stored"
            + " result";

    private final String streamId = stream(0);
    private final AppendCommand original = command(commandId(1), append(streamId, ExpectedVersion.noStream(),
            events(2)));
    private final CommandResult stored = CommandResult.accepted(commandId(1), PARTITION, 3,
            List.of(new StreamOutcome(streamId, ExpectedVersion.noStream(), 2, 1L, 2L)), 10, 11, EARLIER);

    @Test
    void answersAFaithfulReplayOfAStoredCommandWithTheStoredResultUnchanged() {
        KnownState known = known().storedResult(stored, CommandFingerprint.of(original)).build();

        BatchPlan plan = plan(known, 50, decoded(20, original));

        assertThat(resultAt(plan, 0)).isEqualTo(stored.asDuplicate());
    }

    @Test
    void answersAStoredCommandIdReplayedWithOtherContentWithTheStoredResultAndSaysSo() {
        KnownState known = known().storedResult(stored, CommandFingerprint.of(original))
                .stream(streamId, PARTITION, 2).build();
        AppendCommand changed = command(commandId(1), append(streamId, ExpectedVersion.exact(2), events(1)));

        BatchPlan plan = plan(known, 50, decoded(20, changed));

        CommandResult answer = resultAt(plan, 0);
        assertThat(answer.message()).isEqualTo("command_id " + commandId(1) + " " + DIFFERENT_CONTENT);
        assertThat(answer).usingRecursiveComparison().ignoringFields("message").isEqualTo(stored.asDuplicate());
        assertThat(plan.events()).isEmpty();
        assertThat(plan.streamWrites()).isEmpty();
    }

    @Test
    void saysSoForAStoredRejectionTooAndKeepsItsMessage() {
        CommandResult rejection = CommandResult.rejected(commandId(1), RejectionReason.CONCURRENCY_CONFLICT,
                "appends[0] stream expected NO_STREAM but is at version 4", PARTITION, 3, List.of(), EARLIER);
        KnownState known = known().storedResult(rejection, CommandFingerprint.of(original)).build();
        AppendCommand changed = command(commandId(1), append(streamId, ExpectedVersion.any(), events(2)));

        CommandResult answer = resultAt(plan(known, 0, decoded(20, changed)), 0);

        assertThat(answer.reason()).isEqualTo(RejectionReason.CONCURRENCY_CONFLICT);
        assertThat(answer.message()).contains("was already rejected with different content",
                "Stored message: appends[0] stream expected NO_STREAM but is at version 4");
    }

    @Test
    void answersWithoutAContentCheckWhenTheStoredResultHasNoFingerprint() {
        AppendCommand changed = command(commandId(1), append(streamId, ExpectedVersion.any(), events(1)));

        BatchPlan plan = plan(known().storedResult(stored).build(), 0, decoded(20, changed));

        assertThat(resultAt(plan, 0)).isEqualTo(stored.asDuplicate());
    }

    @Test
    void saysSoForAnInvalidReplayOfAStoredCommand() {
        KnownState known = known().storedResult(stored, CommandFingerprint.of(original)).build();

        CommandResult answer = resultAt(plan(known, 0, decoded(20, command(commandId(1)))), 0);

        assertThat(answer.isAccepted()).isTrue();
        assertThat(answer.message()).contains(DIFFERENT_CONTENT);
    }

    @Test
    void comparesTwoDeliveriesOfOneIdInTheSameBatch() {
        AppendCommand changed = command(commandId(1), append(stream(1), ExpectedVersion.any(), events(1)));

        BatchPlan plan = plan(decoded(0, original), decoded(1, original), decoded(2, changed));

        assertThat(resultAt(plan, 0).message()).isNull();
        assertThat(resultAt(plan, 1)).isEqualTo(resultAt(plan, 0).asDuplicate());
        assertThat(resultAt(plan, 2).message()).isEqualTo("command_id " + commandId(1) + " " + DIFFERENT_CONTENT);
        assertThat(resultAt(plan, 2).streams()).extracting(StreamOutcome::streamId).containsExactly(streamId);
        assertThat(plan.events()).extracting(PlannedEvent::streamId).containsOnly(streamId);
    }

    @Test
    void comparesAReplayInTheSameBatchWithTheInvalidDeliveryThatDecidedIt() {
        AppendCommand invalid = command(commandId(1));

        BatchPlan plan = plan(decoded(0, invalid), decoded(1, original));

        assertThat(resultAt(plan, 1).reason()).isEqualTo(RejectionReason.INVALID_COMMAND);
        assertThat(resultAt(plan, 1).message()).startsWith("command_id " + commandId(1)
                + " was already rejected with different content").endsWith("Stored message: appends is empty:"
                + " a command appends to at least one stream");
    }

    @Test
    void carriesEachDeliverysFingerprintToTheStore() {
        AppendCommand changed = command(commandId(1), append(stream(1), ExpectedVersion.any(), events(1)));

        BatchPlan plan = plan(decoded(0, original), decoded(1, changed), undecodable(2, "WRONG_MAGIC_BYTE"));

        assertThat(plan.commands()).extracting(PlannedCommand::fingerprint).containsExactly(
                CommandFingerprint.of(original), CommandFingerprint.of(changed), null);
        assertThat(plan.commands().get(1)).isInstanceOf(PlannedCommand.Redelivered.class);
    }
}
