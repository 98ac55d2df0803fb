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

    @Test
    void refusesAMalformedTraceparentBeforeSendingAnything() {
        CliOutput output = ingest("append", "--data-dir", "no-pipeline-here", "--traceparent",
                "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01", "--stream", "order-42", "--type",
                "OrderPlaced", "--payload", "{}");

        assertThat(output.status()).isEqualTo(1);
        assertThat(output.err().strip()).startsWith("error: --traceparent: ").doesNotContain("\n")
                .doesNotContain("No pipeline");
    }

    @Test
    void refusesATracestateWithoutATraceparent() {
        CliOutput output = ingest("append", "--data-dir", "no-pipeline-here", "--tracestate", "vendor=value",
                "--stream", "order-42", "--type", "OrderPlaced", "--payload", "{}");

        assertThat(output.status()).isEqualTo(1);
        assertThat(output.err().strip()).isEqualTo("error: --tracestate needs --traceparent");
    }

    @Test
    void refusesAMalformedTracestateNamingIt() {
        CliOutput output = ingest("append", "--data-dir", "no-pipeline-here", "--traceparent",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "--tracestate", "no equals sign",
                "--stream", "order-42", "--type", "OrderPlaced", "--payload", "{}");

        assertThat(output.status()).isEqualTo(1);
        assertThat(output.err().strip()).startsWith("error: --tracestate 'no equals sign' is not a W3C tracestate"
                + " list");
    }
}
