package io.allsource.ingest.cli;

import static io.allsource.ingest.cli.CliOutput.ingest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.allsource.ingest.avro.ExpectedVersion;
import io.allsource.ingest.avro.ExpectedVersionKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The delete and erase subcommands' options are checked before they connect, each bad value named in one line. */
class StreamOperationCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"delete", "erase"})
    void refusesAnExpectedVersionThatIsNoVersionBeforeConnecting(String subcommand) {
        CliOutput output = ingest(subcommand, "--data-dir", "no-pipeline-here", "--stream", "order-42", "--expect",
                "latest");

        assertThat(output.status()).isEqualTo(1);
        assertThat(output.err().strip()).isEqualTo("error: --expect must be any, exists or a version number"
                + " (0 or more), got 'latest'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"delete", "erase"})
    void refusesANegativeVersion(String subcommand) {
        CliOutput output = ingest(subcommand, "--data-dir", "no-pipeline-here", "--stream", "order-42", "--expect",
                "-1");

        assertThat(output.status()).isEqualTo(1);
        assertThat(output.err().strip()).endsWith("got '-1'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"delete", "erase"})
    void needsAStreamAndAnExpectedVersion(String subcommand) {
        CliOutput withoutExpect = ingest(subcommand, "--data-dir", "no-pipeline-here", "--stream", "order-42");
        CliOutput withoutStream = ingest(subcommand, "--data-dir", "no-pipeline-here", "--expect", "3");

        assertThat(withoutExpect.status()).as("picocli's usage error").isEqualTo(2);
        assertThat(withoutExpect.err()).contains("Missing required option: '--expect=any|exists|N'");
        assertThat(withoutStream.status()).isEqualTo(2);
        assertThat(withoutStream.err()).contains("Missing required option: '--stream=S'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"delete", "erase"})
    void withValidOptionsItGoesOnToConnect(String subcommand) {
        CliOutput output = ingest(subcommand, "--data-dir", "no-pipeline-here", "--stream", "acct-1", "--expect",
                "exists", "--tenant", "tenant-a", "--partition-key", "acct", "--timeout-seconds", "5");

        assertThat(output.status()).isEqualTo(1);
        assertThat(output.err().strip()).startsWith("error: No pipeline to talk to");
    }

    @Test
    void readsAnyExistsAndVersionNumbersAsAppendDoes() {
        assertThat(StreamOperationCommand.expectation("ANY"))
                .isEqualTo(new ExpectedVersion(ExpectedVersionKind.ANY, 0L));
        assertThat(StreamOperationCommand.expectation("exists"))
                .isEqualTo(new ExpectedVersion(ExpectedVersionKind.STREAM_EXISTS, 0L));
        assertThat(StreamOperationCommand.expectation("7"))
                .isEqualTo(new ExpectedVersion(ExpectedVersionKind.EXACT, 7L));
        assertThatThrownBy(() -> StreamOperationCommand.expectation("7.5")).isInstanceOf(UserError.class);
    }

    @Test
    void theHelpListsDeleteAndErase() {
        CliOutput help = ingest("--help");

        assertThat(help.out()).contains("delete", "Delete a stream for good", "erase", "Erase a stream's events");
    }
}
