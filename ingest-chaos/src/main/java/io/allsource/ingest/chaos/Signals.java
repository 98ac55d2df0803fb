package io.allsource.ingest.chaos;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** POSIX signals Java has no call for (SIGSTOP, SIGCONT), sent with the system's {@code kill}. */
final class Signals {

    private Signals() {
    }

    static void stop(ProcessHandle process) {
        send(process, "STOP");
    }

    static void resume(ProcessHandle process) {
        send(process, "CONT");
    }

    private static void send(ProcessHandle process, String signal) {
        if (!process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new ChaosException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new ChaosException("Could not run kill -" + signal + " " + process.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChaosException("Interrupted while sending SIG" + signal, e);
        }
    }
}
