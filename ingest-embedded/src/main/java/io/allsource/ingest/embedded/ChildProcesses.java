package io.allsource.ingest.embedded;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stopping child processes (the servers this module runs, workers run with {@link ChildJvm}). Thread-safe. */
public final class ChildProcesses {

    private static final Logger log = LoggerFactory.getLogger(ChildProcesses.class);

    private ChildProcesses() {
    }

    /**
     * Asks {@code process} to stop (SIGTERM) and kills it (SIGKILL) when it has not stopped within {@code timeout},
     * waiting up to {@code timeout} again for that. A process that has exited already is left as it is.
     *
     * @param name what the process is, for the warning logged when it has to be killed
     */
    public static void stop(Process process, String name, Duration timeout) {
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("The {} did not stop within {}, killing it", name, timeout);
                process.destroyForcibly().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
