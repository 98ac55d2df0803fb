package io.allsource.ingest.settings;

import java.util.List;
import java.util.concurrent.CountDownLatch;

/** How a component's main runs until SIGTERM or Ctrl-C and then stops what it started, in order. */
public final class ShutdownHook {

    private ShutdownHook() {
    }

    /**
     * Blocks until SIGTERM or Ctrl-C, then closes {@code running} in the order given before the JVM exits. A failure
     * to close one is printed to standard error (logging may be stopped by then) and the others are still closed.
     */
    public static void runUntilStopped(AutoCloseable... running) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable closeAll = closer(List.of(running));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            closeAll.run();
            stopped.countDown();
        }, "ingest-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes {@code running} in order, each whatever the others did. */
    static Runnable closer(List<AutoCloseable> running) {
        return () -> {
            for (AutoCloseable resource : running) {
                try {
                    resource.close();
                } catch (Exception e) {
                    System.err.println("Stopping " + resource + " failed: " + e);
                }
            }
        };
    }
}
