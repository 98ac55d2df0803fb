package io.allsource.ingest.worker;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The worker's own thread pools: how their threads are named, and how a pool is stopped. */
final class WorkerThreads {

    private static final Logger log = LoggerFactory.getLogger(WorkerThreads.class);

    private WorkerThreads() {
    }

    /** Daemon threads named {@code prefix} and a count from 0, so that a thread dump tells whose they are. */
    static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Lets the pool finish what it was given, for up to {@code timeout}, then interrupts what still runs;
     * {@code work} names that work in the warning.
     */
    static void stop(ExecutorService executor, Duration timeout, String work) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} still running {} after the stop; interrupting them", work, timeout);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
