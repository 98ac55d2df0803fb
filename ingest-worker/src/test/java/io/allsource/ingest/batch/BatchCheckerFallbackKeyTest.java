package io.allsource.ingest.batch;

import static io.allsource.ingest.batch.PlannerFixture.PARTITION;
import static io.allsource.ingest.batch.PlannerFixture.append;
import static io.allsource.ingest.batch.PlannerFixture.checker;
import static io.allsource.ingest.batch.PlannerFixture.command;
import static io.allsource.ingest.batch.PlannerFixture.commandId;
import static io.allsource.ingest.batch.PlannerFixture.decoded;
import static io.allsource.ingest.batch.PlannerFixture.events;
import static io.allsource.ingest.batch.PlannerFixture.stream;
import static io.allsource.ingest.batch.PlannerFixture.undecodable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.allsource.ingest.command.CommandValidator;
import io.allsource.ingest.command.ExpectedVersion;
import io.allsource.ingest.command.FallbackKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A record without a usable command id is keyed by its partition and offset, plus the latest offset reset that
 * superseded outcomes of the partition once there is one, so that the logs of a partition never share a key.
 */
class BatchCheckerFallbackKeyTest {

    private static final long RESET_ID = 12;

    @Test
    void keysARecordOfAPartitionNeverResetByItsPartitionAndOffsetAlone() {
        assertThat(FallbackKey.of(3, 7, FallbackKey.FIRST_LOG)).isEqualTo("invalid:3:7");
        assertThat(checker().prepare(List.of(undecodable(33, "bad bytes"))).commands())
                .singleElement().extracting(PreparedCommand::resultKey).isEqualTo("invalid:" + PARTITION + ":33");
    }

    @Test
    void addsTheLogResetIdToTheKeyOfEveryRecordWithoutAUsableCommandId() {
        BatchEntry refusedWithoutId = new BatchEntry.Refused((BatchEntry.Decoded) decoded(35,
                command("not-a-uuid", append(stream(1), ExpectedVersion.any(), events(1)))), "the database refused");

        PreparedBatch prepared = checker().prepare(List.of(undecodable(33, "bad bytes"),
                decoded(34, command("", append(stream(0), ExpectedVersion.any(), events(1)))), refusedWithoutId),
                RESET_ID);

        assertThat(prepared.commands()).allSatisfy(command ->
                assertThat(command).isInstanceOf(PreparedCommand.Unreadable.class));
        assertThat(prepared.commands()).extracting(PreparedCommand::resultKey).containsExactly(
                "invalid:" + PARTITION + ":33:" + RESET_ID, "invalid:" + PARTITION + ":34:" + RESET_ID,
                "invalid:" + PARTITION + ":35:" + RESET_ID);
    }

    @Test
    void keepsAUsableCommandIdAsTheKeyWhateverTheLog() {
        PreparedBatch prepared = checker().prepare(List.of(
                decoded(40, command(commandId(1), append(stream(0), ExpectedVersion.any(), events(1)))),
                decoded(41, command(commandId(2)))), RESET_ID);

        assertThat(prepared.commands()).extracting(PreparedCommand::resultKey)
                .containsExactly(commandId(1), commandId(2));
    }

    @Test
    void neitherKeyFormCanBeTakenByACommandId() {
        assertThat(CommandValidator.commandIdViolation(FallbackKey.of(PARTITION, 41, FallbackKey.FIRST_LOG)))
                .isPresent();
        assertThat(CommandValidator.commandIdViolation(FallbackKey.of(PARTITION, 41, RESET_ID))).isPresent();
    }

    @Test
    void refusesNegativeNumbers() {
        assertThatIllegalArgumentException().isThrownBy(() -> FallbackKey.of(-1, 0, FallbackKey.FIRST_LOG));
        assertThatIllegalArgumentException().isThrownBy(() -> FallbackKey.of(0, -1, FallbackKey.FIRST_LOG));
        assertThatIllegalArgumentException().isThrownBy(() -> FallbackKey.of(0, 0, -1));
    }
}
