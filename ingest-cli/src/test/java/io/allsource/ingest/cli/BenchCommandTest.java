package io.allsource.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bench subcommand's usage errors, which are reported before any server is started. */
class BenchCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void someButNotAllServersConfiguredIsAUsageErrorNamingTheThreeFlags() {
        int status = run("bench", "--quick", "--bootstrap-servers", "127.0.0.1:1");

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("--bootstrap-servers, --db-url and --registry-url")
                .doesNotContain("--verbose");
    }

    @Test
    void anUnknownWorkloadIsNamedWithTheValidOnes() {
        int status = run("bench", "--workloads", "new-streams,hot");

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("--workloads: unknown workload 'hot'", "multi-stream");
    }

    @Test
    void aNonPositiveInFlightIsRejected() {
        int status = run("bench", "--in-flight", "0");

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("--in-flight must be positive");
    }

    @Test
    void ratesOutsideTheMaximumOrNamedTwiceAreRejected() {
        assertThat(run("bench", "--rates", "10,150")).isEqualTo(1);
        assertThat(err.toString()).contains("--rates takes percentages of the maximum above 0 and at most 100, got"
                + " 150.0");

        assertThat(run("bench", "--rates", "50,50.001")).isEqualTo(1);
        assertThat(err.toString()).contains("--rates names a rate twice");

        assertThat(run("bench", "--rates", "half")).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid value for option '--rates'", "'half' is not a double");
    }

    @Test
    void helpListsTheBenchOptions() {
        int status = run("bench", "--help");

        assertThat(status).isZero();
        assertThat(out.toString()).contains("--quick", "--workloads", "--rates", "--worker-setting", "--results-dir");
    }

    private int run(String... args) {
        return IngestMain.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    }
}
