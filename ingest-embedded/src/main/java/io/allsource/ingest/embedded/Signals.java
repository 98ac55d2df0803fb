package io.allsource.ingest.embedded;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * POSIX signals to a process by its pid, as fault injection sends them: SIGTERM and SIGKILL through
 * {@link ProcessHandle}, SIGSTOP and SIGCONT (which Java has no call for) through the system's {@code kill}. A process
 * that has already exited is left alone. Thread-safe.
 */
public final class Signals {

    private static final long KILL_COMMAND_TIMEOUT_SECONDS = 10;

    private Signals() {
    }

    /** SIGTERM: the process may finish what it does and exit. */
    public static void terminate(ProcessHandle process) {
        if (process.isAlive()) {
            process.destroy();
        }
    }

    /** SIGKILL: the process ends at once, with no chance to finish anything. */
    public static void kill(ProcessHandle process) {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    /** SIGSTOP: the process freezes; its sockets stay open and its peers hear nothing from it. */
    public static void pause(ProcessHandle process) {
        send(process, "STOP");
    }

    /** SIGCONT: a frozen process runs on. */
    public static void resume(ProcessHandle process) {
        send(process, "CONT");
    }

    private static void send(ProcessHandle process, String signal) {
        if (!process.isAlive()) {
            return;
        }
        String command = "kill -" + signal + " " + process.pid();
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(KILL_COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException(command + " did not return within "
                        + KILL_COMMAND_TIMEOUT_SECONDS + " s");
            }
            if (kill.exitValue() != 0 && process.isAlive()) {
                throw new IllegalStateException(command + " failed with exit status " + kill.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command, e);
        }
    }
}
