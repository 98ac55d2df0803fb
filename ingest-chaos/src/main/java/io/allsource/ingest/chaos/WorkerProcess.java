package io.allsource.ingest.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One worker in a child JVM: killed, stopped, paused and resumed with real signals. Closing stops it. */
final class WorkerProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);

    private final String id;
    private final Process process;
    private final AtomicBoolean paused = new AtomicBoolean();

    private WorkerProcess(String id, Process process) {
        this.id = id;
        this.process = process;
    }

    static WorkerProcess start(WorkerLaunch launch, String id) {
        Path logFile = launch.logs().resolve(id + ".log");
        try {
            Process process = new ProcessBuilder(launch.command(id)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            log.info("Worker {} started, pid {}, log {}", id, process.pid(), logFile);
            return new WorkerProcess(id, process);
        } catch (IOException e) {
            throw new ChaosException("Could not start worker " + id, e);
        }
    }

    String id() {
        return id;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status, or -1 while it runs. */
    int exitStatus() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** SIGKILL: no chance to finish anything. */
    void kill() {
        resume();
        process.destroyForcibly();
        awaitExit(30);
        log.info("Worker {} killed (SIGKILL)", id);
    }

    /** SIGSTOP: the process freezes, its sockets stay open. */
    void pause() {
        Signals.stop(process.toHandle());
        paused.set(true);
        log.info("Worker {} paused (SIGSTOP)", id);
    }

    /** SIGCONT, when paused. */
    void resume() {
        if (paused.getAndSet(false)) {
            Signals.resume(process.toHandle());
            log.info("Worker {} resumed (SIGCONT)", id);
        }
    }

    /** SIGTERM, as a process manager stops it: it finishes its batches and leaves the group. */
    @Override
    public void close() {
        resume();
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(60)) {
            log.warn("Worker {} did not stop within 60 s of SIGTERM, killing it", id);
            process.destroyForcibly();
            awaitExit(30);
        }
        log.info("Worker {} stopped (SIGTERM), exit status {}", id, exitStatus());
    }

    private boolean awaitExit(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
