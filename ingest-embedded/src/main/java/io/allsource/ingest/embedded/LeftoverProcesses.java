package io.allsource.ingest.embedded;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The child servers of an embedded run, recorded in its data folder, so that the next run can stop those a killed
 * run left behind (they would hold the folder's locks and ports). A recorded process is stopped only when its pid
 * still names the same process, by start time, so that a reused pid is never touched.
 */
public final class LeftoverProcesses {

    private static final Logger log = LoggerFactory.getLogger(LeftoverProcesses.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path file;

    public LeftoverProcesses(Path dataDirectory) {
        this.file = dataDirectory.resolve("children.properties");
    }

    /** Records {@code process} under {@code name}. */
    public void record(String name, ProcessHandle process) {
        Properties children = read();
        children.setProperty(name, process.pid() + " " + process.info().startInstant().map(Instant::toString)
                .orElse("?"));
        try (Writer writer = Files.newBufferedWriter(file)) {
            children.store(writer, "Child processes of the running embedded pipeline");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /**
     * Stops every recorded process that still runs, and PostgreSQL's postmaster when {@code postgresData} holds the pid
     * file of a live one; then forgets them.
     */
    public void stopAll(Path postgresData) {
        Properties children = read();
        for (String name : children.stringPropertyNames()) {
            String[] recorded = children.getProperty(name).split(" ", 2);
            ProcessHandle.of(Long.parseLong(recorded[0]))
                    .filter(process -> process.isAlive() && sameStart(process, recorded[1]))
                    .ifPresent(process -> stop(name, process));
        }
        postmaster(postgresData).ifPresent(process -> stop("PostgreSQL", process));
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + file, e);
        }
    }

    private static boolean sameStart(ProcessHandle process, String recordedStart) {
        return process.info().startInstant().map(Instant::toString).map(recordedStart::equals).orElse(false);
    }

    /** The live postmaster of a data folder, from the first line of its pid file; empty when none runs there. */
    static Optional<ProcessHandle> postmaster(Path postgresData) {
        Path pidFile = postgresData.resolve("postmaster.pid");
        if (!Files.isReadable(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                    .filter(ProcessHandle::isAlive)
                    .filter(process -> process.info().command().map(command -> command.contains("postgres"))
                            .orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void stop(String name, ProcessHandle process) {
        log.warn("Stopping the {} (pid {}) that an earlier run left behind", name, process.pid());
        process.destroy();
        try {
            process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("The {} (pid {}) did not stop within {}, killing it", name, process.pid(), STOP_TIMEOUT);
            process.destroyForcibly();
        }
    }

    private Properties read() {
        Properties children = new Properties();
        if (Files.isReadable(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                children.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        }
        return children;
    }
}
