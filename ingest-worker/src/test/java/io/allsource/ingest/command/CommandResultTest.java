package io.allsource.ingest.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a later delivery of a command id gets back from the stored result. */
class CommandResultTest {

    private static final String ID = "00000000-0000-4000-8000-000000000001";
    private static final Instant AT = Instant.parse("2024-05-01T10:00:00Z");

    @Test
    void aDuplicateOfDifferentContentKeepsTheStoredOutcomeAndSaysSo() {
        CommandResult stored = CommandResult.accepted(ID, 3, 17,
                List.of(new StreamOutcome("s-1", ExpectedVersion.any(), 2, 1L, 2L)), 5, 6, AT);

        CommandResult answer = stored.asDuplicateOfDifferentContent();

        assertThat(answer.message()).isEqualTo("command_id " + ID
                + " was already applied with different content; this is its stored result");
        assertThat(answer.duplicate()).isTrue();
        assertThat(answer).usingRecursiveComparison().ignoringFields("message", "duplicate").isEqualTo(stored);
    }

    @Test
    void aDuplicateOfDifferentContentOfARejectionKeepsTheStoredMessageAfterTheNote() {
        CommandResult stored = CommandResult.rejected(ID, RejectionReason.CONCURRENCY_CONFLICT,
                "appends[0] stream 's-1' expected EXACT 4 but is at version 2", 3, 17, List.of(), AT);

        CommandResult answer = stored.asDuplicateOfDifferentContent();

        assertThat(answer.message()).isEqualTo("command_id " + ID + " was already rejected with different content;"
                + " this is its stored result. Stored message: appends[0] stream 's-1' expected EXACT 4 but is at"
                + " version 2");
        assertThat(answer.reason()).isEqualTo(RejectionReason.CONCURRENCY_CONFLICT);
        assertThat(answer.offset()).isEqualTo(17L);
    }

    @Test
    void aPlainDuplicateKeepsTheStoredMessage() {
        CommandResult stored = CommandResult.rejected(ID, RejectionReason.INVALID_COMMAND, "appends is empty", 3, 17,
                List.of(), AT);

        assertThat(stored.asDuplicate().message()).isEqualTo("appends is empty");
        assertThat(stored.asDuplicate().duplicate()).isTrue();
    }
}
