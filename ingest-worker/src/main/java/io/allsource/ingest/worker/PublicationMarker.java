package io.allsource.ingest.worker;

import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.PublicationMark;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes publication progress (and with it the streams' watermarks) on a thread of its own, one transaction after
 * another, so that no consumer stops polling while the watermarks of every stream published in a mark interval move.
 * Shared by the worker's consumers.
 */
final class PublicationMarker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PublicationMarker.class);

    private final EventStore store;
    private final Duration closeTimeout;
    private final ExecutorService executor;

    /**
     * @param closeTimeout how long {@link #close} waits for the marks being written
     */
    PublicationMarker(String workerId, EventStore store, Duration closeTimeout) {
        this.store = store;
        this.closeTimeout = closeTimeout;
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ingest-" + workerId + "-marks");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Writes the marks in one transaction; completes with the partitions found under another epoch (nothing was
     * written for them), or exceptionally with the store's failure.
     */
    CompletableFuture<Set<Integer>> record(List<PublicationMark> marks) {
        return CompletableFuture.supplyAsync(() -> store.markPublished(marks), executor);
    }

    /** Waits for the marks being written, then stops the thread. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Publication marks still being written {} after the stop; interrupting them", closeTimeout);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
