package io.allsource.ingest.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real child JVM started by {@link ChildJvm} and driven by {@link Signals} and {@link ChildProcesses}. */
class ChildJvmIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    private Process child;

    @AfterEach
    void stopChild() {
        if (child != null) {
            Signals.resume(child.toHandle());
            Signals.kill(child.toHandle());
        }
    }

    @Test
    void runsTheMainClassWithItsPropertiesArgumentsAndEnvironmentAppendingToTheLogFile() throws IOException {
        Path log = folder.resolve("logs/probe.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "an earlier run\n");

        child = probe(log).systemProperty("probe.property", "from -D").environment("PROBE_ENVIRONMENT", "from env")
                .arguments("--kafka", "acks=all").option("worker-id", "w-1").start();

        awaitTicks(log, 1);
        assertThat(lines(log)).startsWith("an earlier run", "arguments: --kafka acks=all --worker-id=w-1",
                "property: from -D", "environment: from env");
    }

    @Test
    void aPausedChildDoesNothingUntilItIsResumed() {
        Path log = folder.resolve("probe.log");
        child = probe(log).start();
        awaitTicks(log, 1);

        Signals.pause(child.toHandle());
        long paused = ticks(log);
        await().alias("no tick while paused").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> ticks(log) <= paused + 1);
        Signals.resume(child.toHandle());

        awaitTicks(log, paused + 5);
        assertThat(child.isAlive()).isTrue();
    }

    @Test
    void terminateAsksTheChildToExitAndKillEndsItAtOnce() throws InterruptedException {
        Process terminated = probe(folder.resolve("terminated.log")).start();
        child = probe(folder.resolve("killed.log")).start();
        awaitTicks(folder.resolve("terminated.log"), 1);

        Signals.terminate(terminated.toHandle());
        Signals.kill(child.toHandle());

        assertThat(terminated.waitFor()).as("exit status after SIGTERM").isEqualTo(143);
        assertThat(child.waitFor()).as("exit status after SIGKILL").isEqualTo(137);
    }

    @Test
    void stopEndsAPausedChildWithinItsTimeoutByKillingIt() throws InterruptedException {
        child = probe(folder.resolve("probe.log")).start();
        awaitTicks(folder.resolve("probe.log"), 1);
        Signals.pause(child.toHandle());

        ChildProcesses.stop(child, "paused probe", Duration.ofMillis(500));

        assertThat(child.waitFor()).as("exit status after SIGKILL").isEqualTo(137);
    }

    @Test
    void signalsLeaveAnExitedProcessAlone() throws InterruptedException {
        child = probe(folder.resolve("probe.log")).start();
        Signals.kill(child.toHandle());
        child.waitFor();

        Signals.pause(child.toHandle());
        Signals.resume(child.toHandle());
        Signals.terminate(child.toHandle());
        ChildProcesses.stop(child, "exited probe", Duration.ofSeconds(1));

        assertThat(child.exitValue()).isEqualTo(137);
    }

    private static ChildJvm probe(Path log) {
        return ChildJvm.of(ChildJvmProbe.class.getName()).jvmOptions("-Xmx32m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1").logFile(log);
    }

    private static void awaitTicks(Path log, long count) {
        await().alias(count + " ticks in " + log.getFileName()).atMost(START_TIMEOUT)
                .until(() -> ticks(log) >= count);
    }

    private static long ticks(Path log) {
        return Files.exists(log) ? lines(log).stream().filter(line -> line.startsWith("tick ")).count() : 0;
    }

    private static List<String> lines(Path log) {
        try {
            return Files.readAllLines(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
