package io.allsource.ingest.cli;

import static io.allsource.ingest.cli.CliOutput.ingest;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The append subcommand's options are checked before it connects, each bad value named in one line. */
class AppendCommandTest {

    @Test
    void refusesACommandIdThatIsNotAUuidBeforeSendingAnything() {
        CliOutput output = ingest("append", "--data-dir", "no-pipeline-here", "--command-id", "order-42",
                "--stream", "order-42", "--type", "OrderPlaced", "--payload", "{}");

        assertThat(output.status()).isEqualTo(1);
        assertThat(output.err().strip()).isEqualTo("error: --command-id: command_id 'order-42' is not a UUID in the"
                + " 8-4-4-4-12 hexadecimal form; the worker rejects such a command without its id");
    }
}
