package io.allsource.ingest.cli;

import io.allsource.ingest.embedded.ChildJvm;
import io.allsource.ingest.embedded.ChildProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ingest run} (or another subcommand, {@link #ingest}) against servers of the test's own, in a child JVM started
 * as an operator would start it (the real entry point, {@link IngestMain}), with its output and log in one file.
 * Closing stops it as a process manager would: SIGTERM, then SIGKILL after 60 s. Used by one thread.
 */
final class IngestRunProcess implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path output;

    private IngestRunProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * Starts {@code ingest run} with {@code flags} (names without {@code --}, in the order given), writing to
     * {@code output}.
     */
    static IngestRunProcess start(Map<String, String> flags, Path output) {
        return start(flags, List.of(), output);
    }

    /**
     * As {@link #start(Map, Path)}, with {@code arguments} after the flags, as given: for repeated options such as
     * {@code --kafka property=value}.
     */
    static IngestRunProcess start(Map<String, String> flags, List<String> arguments, Path output) {
        // --verbose: every log line of ingest run on its console, where the tests read them (the default is quiet)
        ChildJvm jvm = jvm(output).arguments("--verbose", "run");
        if (!flags.containsKey("data-dir")) {
            // its full log goes to <data-dir>/logs: beside the output, not into the module's folder
            jvm.option("data-dir", output.resolveSibling(output.getFileName() + ".data").toString());
        }
        flags.forEach(jvm::option);
        jvm.arguments(arguments);
        return new IngestRunProcess(jvm.start(), output);
    }

    /** Starts {@code ingest} with {@code arguments} as given, such as {@code append ...} or {@code views ...}. */
    static IngestRunProcess ingest(List<String> arguments, Path output) {
        return new IngestRunProcess(jvm(output).arguments(arguments).start(), output);
    }

    private static ChildJvm jvm(Path output) {
        return ChildJvm.of(IngestMain.class.getName())
                .jvmOptions("-Xmx256m")
                .systemProperty(IngestMain.HOME_PROPERTY, System.getProperty(IngestMain.HOME_PROPERTY))
                .logFile(output);
    }

    /**
     * Waits for the process to exit by itself.
     *
     * @return its exit status
     * @throws AssertionError when it still runs after {@code timeout}, with its output
     */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("ingest run still runs after " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Everything it printed and logged so far. */
    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of its output that contain {@code text}. */
    List<String> linesWith(String text) {
        return output().lines().filter(line -> line.contains(text)).toList();
    }

    /**
     * Stops it as a process manager would (SIGTERM, then SIGKILL after 60 s).
     *
     * @return its exit status: 143 or 0 after a clean stop on SIGTERM, 137 when it had to be killed
     */
    int stop() {
        ChildProcesses.stop(process, "ingest run", STOP_TIMEOUT);
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }
}
