package io.allsource.ingest.cli;

import static io.allsource.ingest.cli.CliOutput.ingest;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chaos subcommand's options are checked before anything starts, each bad value named in one line. */
class ChaosCommandTest {

    @Test
    void refusesANonPositiveLengthNamingTheOption() {
        CliOutput output = ingest("chaos", "--minutes", "0");

        assertThat(output.status()).isEqualTo(1);
        assertThat(output.err().strip()).isEqualTo("error: --minutes must be more than 0 and at most 1440, not 0.0");
    }

    @Test
    void refusesARateOutOfRangeNamingTheOption() {
        CliOutput output = ingest("chaos", "--minutes", "1", "--rate", "0");

        assertThat(output.status()).isEqualTo(1);
        assertThat(output.err().strip()).isEqualTo("error: --rate must be 1 to 10000 commands per second, not 0");
    }

    @Test
    void refusesAHostileRateOutOfRangeNamingTheOption() {
        CliOutput output = ingest("chaos", "--minutes", "1", "--hostile-rate", "0.9");

        assertThat(output.status()).isEqualTo(1);
        assertThat(output.err().strip()).isEqualTo("error: --hostile-rate must be 0 to 0.5, not 0.9");
    }

    @Test
    void refusesAnUnknownHostileKindNamingTheOptionAndTheKinds() {
        CliOutput output = ingest("chaos", "--minutes", "1", "--hostile-kinds", "a,b,x");

        assertThat(output.status()).isEqualTo(1);
        assertThat(output.err().strip()).startsWith("error: --hostile-kinds: 'x' is no hostile kind; the kinds are all,"
                + " a (not-wire-format), b (tombstone)");
    }

    @Test
    void refusesAChaosFolderThatHoldsAnEarlierSoak(@TempDir Path earlier) throws IOException {
        Files.writeString(earlier.resolve("registry.log"), "an earlier soak");

        CliOutput output = ingest("chaos", "--minutes", "1", "--chaos-dir", earlier.toString());

        assertThat(output.status()).isEqualTo(1);
        assertThat(output.err().strip()).isEqualTo("error: --chaos-dir " + earlier + " is not empty: a soak starts"
                + " its servers on fresh data; name a new or empty folder");
    }

    @Test
    void saysTheLengthIsRequired() {
        CliOutput output = ingest("chaos");

        assertThat(output.status()).isEqualTo(2);
        assertThat(output.err()).contains("Missing required option: '--minutes=N'");
    }

    @Test
    void isListedInTheHelp() {
        CliOutput output = ingest("--help");

        assertThat(output.out()).contains("chaos", "Soak the pipeline under faults");
        assertThat(ingest("chaos", "--help").out()).contains("--hostile-rate=SHARE", "--hostile-kinds=LIST",
                "e reply-to-missing-topic");
    }
}
