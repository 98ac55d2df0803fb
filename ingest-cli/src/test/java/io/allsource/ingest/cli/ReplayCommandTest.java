package io.allsource.ingest.cli;

import static io.allsource.ingest.cli.CliOutput.ingest;
import static org.assertj.core.api.Assertions.assertThat;

import io.allsource.ingest.replay.ReplayRequest;
import io.allsource.ingest.replay.ReplayStart;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The replay subcommand's flags are checked before anything connects, each bad value named in one line. */
class ReplayCommandTest {

    @Test
    void refusesBothStartsNamingTheFlags() {
        CliOutput output = ingest("replay", "--to-topic", "sink", "--from-sequence", "5", "--since", "2024-05-01");

        assertThat(output.status()).isEqualTo(1);
        assertThat(output.err().strip())
                .isEqualTo("error: --from-sequence and --since both give the start: give one of them");
    }

    @Test
    void refusesAPartitionOutOfRangeNamingTheFlag() {
        CliOutput output = ingest("replay", "--to-topic", "sink", "--partition", "32");

        assertThat(output.status()).isEqualTo(1);
        assertThat(output.err().strip())
                .isEqualTo("error: --partition 32 is out of range: the pipeline's partitions are 0 to 31");
    }

    @Test
    void refusesASinceThatIsNoTimeNamingTheFlagAndTheForms() {
        CliOutput output = ingest("replay", "--to-topic", "sink", "--since", "yesterday");

        assertThat(output.status()).isEqualTo(1);
        assertThat(output.err().strip()).startsWith("error: --since 'yesterday' is not a time: give an ISO-8601"
                + " instant such as 2024-05-01T10:00:00Z");
    }

    @Test
    void refusesASequenceBelowOneARateOfZeroAndALimitOfZero() {
        assertThat(ingest("replay", "--to-topic", "s", "--from-sequence", "0").err().strip())
                .isEqualTo("error: --from-sequence is 0; partition sequences start at 1");
        assertThat(ingest("replay", "--to-topic", "s", "--rate", "0").err().strip())
                .isEqualTo("error: --rate is 0.0; give events a second, more than 0");
        assertThat(ingest("replay", "--to-topic", "s", "--limit", "0").err().strip())
                .isEqualTo("error: --limit is 0; give a number of events, more than 0");
    }

    @Test
    void refusesAnUnknownEventsFormatNamingTheFlag() {
        CliOutput output = ingest("replay", "--to-topic", "sink", "--events-format", "protobuf");

        assertThat(output.status()).isEqualTo(1);
        assertThat(output.err().strip()).isEqualTo("error: --events-format 'protobuf' is neither avro nor json-envelope");
    }

    @Test
    void saysTheTargetTopicIsRequired() {
        CliOutput output = ingest("replay", "--partition", "3");

        assertThat(output.status()).isEqualTo(2);
        assertThat(output.err()).contains("Missing required option: '--to-topic=TOPIC'");
    }

    @Test
    void turnsTheFlagsIntoARequest() {
        ReplayCommand command = parse("--to-topic", "sink", "--partition", "7", "--since", "2024-05-01T12:00:00+02:00",
                "--rate", "250", "--limit", "1000", "--restart");

        ReplayRequest request = command.request();

        assertThat(request.targetTopic()).isEqualTo("sink");
        assertThat(request.partitions()).containsExactly(7);
        assertThat(request.start()).isEqualTo(new ReplayStart.Since(Instant.parse("2024-05-01T10:00:00Z")));
        assertThat(request.eventsPerSecond()).isEqualTo(250.0);
        assertThat(request.limit()).isEqualTo(1000);
        assertThat(request.restart()).isTrue();
    }

    @Test
    void defaultsToEveryPartitionNoStartNoRateAndNoLimit() {
        ReplayRequest request = parse("--to-topic", "sink").request();

        assertThat(request.partitions()).containsExactlyElementsOf(IntStream.range(0, 32).boxed().toList());
        assertThat(request.start()).as("none given: continue stored progress, else sequence 1").isNull();
        assertThat(request.eventsPerSecond()).isZero();
        assertThat(request.limit()).isZero();
        assertThat(request.restart()).isFalse();
    }

    @Test
    void readsADateAsMidnightUtc() {
        assertThat(parse("--to-topic", "s", "--since", "2024-05-01").request().start().describe())
                .isEqualTo("since 2024-05-01T00:00:00Z");
        assertThat(parse("--to-topic", "s", "--from-sequence", "42").request().start().describe())
                .isEqualTo("sequence 42");
    }

    private static ReplayCommand parse(String... args) {
        ReplayCommand command = new ReplayCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
