package io.allsource.ingest.cli;

import static io.allsource.ingest.cli.CliOutput.ingest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick start of the README, through the real entry point: {@code ingest run} in a child JVM with its embedded
 * servers, and the other subcommands as a user types them in a second terminal.
 */
class IngestCliIT {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path workspace;

    private Process pipeline;

    @AfterEach
    void stopPipeline() throws InterruptedException {
        stop();
    }

    @Test
    void runsAppendsRejectsDemosAndKeepsEverythingAcrossARestart() throws Exception {
        Path data = workspace.resolve(".ingest");
        start(data);

        CliOutput accepted = ingest("append", "--data-dir", data.toString(), "--stream", "order-42", "--type",
                "OrderPlaced", "--payload", "{\"total\": 12.5}");
        assertThat(accepted.status()).as(accepted.toString()).isZero();
        assertThat(accepted.out()).contains("ACCEPTED", "stream order-42: version 1");

        CliOutput conflict = ingest("append", "--data-dir", data.toString(), "--stream", "order-42", "--expect",
                "no-stream", "--type", "OrderPlaced", "--payload", "{}");
        assertThat(conflict.status()).as(conflict.toString()).isEqualTo(2);
        assertThat(conflict.out()).contains("REJECTED CONCURRENCY_CONFLICT", "order-42", "version 1");

        CliOutput owner = ingest("append", "--data-dir", data.toString(), "--stream", "acct-1", "--tenant",
                "tenant-a", "--type", "AccountOpened", "--payload", "{}");
        assertThat(owner.status()).as(owner.toString()).isZero();
        CliOutput foreign = ingest("append", "--data-dir", data.toString(), "--stream", "acct-1", "--tenant",
                "tenant-b", "--expect", "1", "--type", "AccountDebited", "--payload", "{}");
        assertThat(foreign.status()).as(foreign.toString()).isEqualTo(2);
        assertThat(foreign.out()).contains("REJECTED TENANT_MISMATCH",
                "appends[0].stream_id 'acct-1' belongs to another tenant than 'tenant-b'").doesNotContain("tenant-a");
        CliOutput ownerAgain = ingest("append", "--data-dir", data.toString(), "--stream", "acct-1", "--tenant",
                "tenant-a", "--expect", "1", "--type", "AccountCredited", "--payload", "{}");
        assertThat(ownerAgain.status()).as(ownerAgain.toString()).isZero();
        assertThat(ownerAgain.out()).contains("stream acct-1: version 2");

        CliOutput demo = ingest("demo", "--data-dir", data.toString(), "--commands", "300", "--streams", "30",
                "--conflict-rate", "0.2");
        assertThat(demo.status()).as(demo.toString()).isZero();
        assertThat(demo.out()).contains("Sent 300 commands", "ACCEPTED", "REJECTED CONCURRENCY_CONFLICT", "p99");

        String appendOutput = runIngestProcess("append", "--data-dir", data.toString(), "--stream", "quiet-1",
                "--type", "Quiet", "--payload", "{}");
        assertThat(appendOutput).as("ingest append as a user runs it: the result, no log lines")
                .contains("ACCEPTED", "stream quiet-1: version 1").doesNotContain(" INFO ", "ingest-client");
        await().alias("ingest run's status line, after the commands above").atMost(Duration.ofSeconds(30))
                .until(() -> Files.readString(workspace.resolve("run.log")).contains(" commands applied ("));
        assertThat(Files.readString(workspace.resolve("run.log"))).as("ingest run's terminal: quiet")
                .contains("AllSource Ingest is running.", "full log", "accepted", "; lag ", "partitions held; ready")
                .doesNotContain(" INFO ", "claimed under epoch");
        assertThat(Files.readString(data.resolve("logs").resolve("ingest-run.log"))).as("the full log")
                .contains(" INFO ", "Configuration:", "claimed under epoch");

        stop();
        assertThat(data.resolve(Endpoints.FILE_NAME)).doesNotExist();
        start(data);

        CliOutput read = ingest("read", "--data-dir", data.toString(), "--stream", "order-42");
        assertThat(read.status()).as(read.toString()).isZero();
        assertThat(read.out()).contains("\"stream_id\": \"order-42\"", "\"version\": 1", "OrderPlaced");
        CliOutput account = ingest("read", "--data-dir", data.toString(), "--stream", "acct-1");
        assertThat(account.out()).contains("\"tenant_id\": \"tenant-a\"", "AccountCredited")
                .doesNotContain("tenant-b", "AccountDebited");
        CliOutput next = ingest("append", "--data-dir", data.toString(), "--stream", "order-42", "--expect", "1",
                "--type", "OrderPaid", "--payload", "{}");
        assertThat(next.status()).as(next.toString()).isZero();
        assertThat(next.out()).contains("stream order-42: version 2");

        CliOutput verify = ingest("verify", "--data-dir", data.toString());
        assertThat(verify.status()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("All invariants hold.");
        CliOutput stats = ingest("stats", "--data-dir", data.toString());
        assertThat(stats.out()).contains("partition_stats", "stream_health");
        await().alias("the live views answering next to the database's")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> ingest("stats", "--live", "--data-dir", data.toString()).status() == 0);
        CliOutput live = ingest("stats", "--live", "--data-dir", data.toString());
        assertThat(live.out()).contains("live views", "streams live", "gaps_seen");

        pipeline.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: its child servers are left running
        start(data);
        CliOutput afterKill = ingest("read", "--data-dir", data.toString(), "--stream", "order-42");
        assertThat(afterKill.status()).as(afterKill.toString()).isZero();
        assertThat(afterKill.out()).contains("\"version\": 2", "OrderPaid");
    }

    @Test
    void stopsTheServersItStartedWhenStoppedWhileStarting() throws Exception {
        Instant launched = Instant.now().minusSeconds(1);
        Path data = workspace.resolve(".ingest");
        launch(data);
        await().alias("ingest run having started its Kafka broker, not yet everything")
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(data.resolve("children.properties")));
        Optional<ProcessHandle> postgres = postmaster(data);
        assertThat(postgres).as("PostgreSQL, started first").isPresent();
        assertThat(serversLaunchedSince(launched)).as("the broker").isNotEmpty();

        stop();

        await().alias("every server ingest run had started, or was starting, stopped with it")
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> {
                    assertThat(postgres.get().isAlive()).as("PostgreSQL alive").isFalse();
                    assertThat(serversLaunchedSince(launched)).as("child JVMs alive").isEmpty();
                });
    }

    /**
     * The live JVMs other than this one started from the build's folders since {@code since}: the broker (on the build's
     * class path) and the registry (from the build's registry folders), and {@code ingest run} itself.
     */
    private static List<ProcessHandle> serversLaunchedSince(Instant since) {
        String home = System.getProperty(IngestMain.HOME_PROPERTY);
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(process -> process.pid() != self && process.isAlive())
                .filter(process -> process.info().startInstant().map(since::isBefore).orElse(false))
                .filter(process -> process.info().commandLine().map(line -> line.contains(home)).orElse(false))
                .toList();
    }

    private static Optional<ProcessHandle> postmaster(Path data) throws IOException {
        Path pidFile = data.resolve("postgres").resolve("postmaster.pid");
        return Files.exists(pidFile)
                ? ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim())) : Optional.empty();
    }

    @Test
    void saysToStartThePipelineFirstInOneLine() {
        CliOutput read = ingest("read", "--data-dir", workspace.resolve("nothing-here").toString(), "--stream", "x");

        assertThat(read.status()).isEqualTo(1);
        assertThat(read.err().strip()).startsWith("error: No pipeline to talk to: start `./ingest run` first")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    /**
     * Starts {@code ingest run} and waits for the endpoints it writes once everything is up; an endpoints file a killed
     * run left behind does not count.
     */
    private void start(Path data) throws IOException {
        FileTime launched = FileTime.from(Instant.now().minusSeconds(1));
        launch(data);
        Path endpoints = data.resolve(Endpoints.FILE_NAME);
        await().alias("ingest run writing its endpoints")
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!pipeline.isAlive()) {
                        throw new AssertionError("ingest run exited: " + Files.readString(workspace.resolve("run.log")));
                    }
                    return Files.exists(endpoints) && Files.getLastModifiedTime(endpoints).compareTo(launched) > 0;
                });
    }

    private void launch(Path data) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dingest.home=" + System.getProperty(IngestMain.HOME_PROPERTY),
                "-cp", System.getProperty("java.class.path"),
                IngestMain.class.getName(), "run", "--data-dir", data.toString()));
        pipeline = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(workspace.resolve("run.log").toFile())
                .start();
    }

    /** Runs {@code ingest <arguments>} in a JVM of its own, as a user would, and returns what it printed. */
    private String runIngestProcess(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dingest.home=" + System.getProperty(IngestMain.HOME_PROPERTY),
                "-cp", System.getProperty("java.class.path"), IngestMain.class.getName()));
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile(workspace, "ingest-", ".txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("ingest " + String.join(" ", arguments) + " ran for over 2 minutes");
        }
        return Files.readString(output);
    }

    private void stop() throws InterruptedException {
        if (pipeline != null && pipeline.isAlive()) {
            pipeline.destroy(); // SIGTERM, as Ctrl-C or a process manager would
            if (!pipeline.waitFor(90, TimeUnit.SECONDS)) {
                pipeline.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            assertThat(pipeline.exitValue()).as("exit status of a stopped ingest run").isIn(0, 143);
        }
    }
}
