package io.allsource.ingest.chaos;

import io.allsource.ingest.embedded.ChildJvm;
import io.allsource.ingest.embedded.ChildProcesses;
import io.allsource.ingest.embedded.Signals;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One worker in a child JVM: killed, stopped, paused and resumed with real signals. Closing stops it. */
final class WorkerProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final String id;
    private final Process process;
    private final AtomicBoolean paused = new AtomicBoolean();

    private WorkerProcess(String id, Process process) {
        this.id = id;
        this.process = process;
    }

    static WorkerProcess start(WorkerLaunch launch, String id) {
        ChildJvm jvm = launch.jvm(id);
        try {
            Process process = jvm.start();
            log.info("Worker {} started, pid {}, log {}", id, process.pid(), jvm.logFile());
            return new WorkerProcess(id, process);
        } catch (UncheckedIOException e) {
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
        Signals.kill(process.toHandle());
        awaitExit(30);
        log.info("Worker {} killed (SIGKILL)", id);
    }

    /** SIGSTOP: the process freezes, its sockets stay open. */
    void pause() {
        Signals.pause(process.toHandle());
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
        ChildProcesses.stop(process, "worker " + id, STOP_TIMEOUT);
        log.info("Worker {} stopped (SIGTERM), exit status {}", id, exitStatus());
    }

    private void awaitExit(int seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                log.warn("Worker {} still runs {} s after SIGKILL", id, seconds);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
