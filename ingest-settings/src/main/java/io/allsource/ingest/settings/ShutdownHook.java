package io.allsource.ingest.settings;

import java.util.List;
import java.util.concurrent.CompletableFuture;
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

    /**
     * Blocks until SIGTERM or Ctrl-C, or until {@code failed} completes (the component stopped on a failure of its
     * own); closes {@code running} in order either way. The caller tells the two apart by {@code failed}.
     */
    public static void runUntilStoppedOrFailed(CompletableFuture<?> failed, AutoCloseable... running) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable closeAll = closer(List.of(running));
        Thread hook = new Thread(() -> {
            closeAll.run();
            stopped.countDown();
        }, "ingest-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        failed.whenComplete((value, error) -> stopped.countDown());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failed.isDone()) {
            closeAll.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook closes everything again, which is harmless
            }
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
