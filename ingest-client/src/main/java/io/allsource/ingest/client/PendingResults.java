package io.allsource.ingest.client;

import io.allsource.ingest.avro.CommandResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The futures waiting for their command's result, by command id. Each future completes exactly once: with the first
 * result of its command id, with a {@link ResultTimeoutException} when its timeout passes first, or with the failure
 * {@link #failAll} gives. A future that completes any other way (a send failure, the caller cancelling it) stops
 * waiting too. Several futures may wait for one command id (a retry while the first call still waits); the first
 * result completes them all, and later copies of it find nothing to complete. A future stops counting as waiting
 * before it completes, so that {@link #size()} is exact for a caller that has just seen it complete.
 *
 * <p>Thread-safe: results arrive on the listener thread while callers register from theirs.
 */
final class PendingResults {

    private final Map<String, List<CompletableFuture<CommandResult>>> waiting = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private volatile Function<String, ? extends RuntimeException> refusal;

    PendingResults(String timerThreadName) {
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, timerThreadName);
            thread.setDaemon(true);
            return thread;
        });
        this.timer.setRemoveOnCancelPolicy(true);
    }

    /** A future for the result of {@code commandId}, failing with {@link ResultTimeoutException} after {@code timeout}. */
    CompletableFuture<CommandResult> register(String commandId, Duration timeout) {
        CompletableFuture<CommandResult> future = new CompletableFuture<>();
        waiting.merge(commandId, List.of(future), PendingResults::joined);
        // The paths of this class forget a future before completing it; this catches the caller cancelling it.
        future.whenComplete((result, error) -> forget(commandId, future));
        Function<String, ? extends RuntimeException> refused = refusal;
        if (refused != null) {
            fail(commandId, future, refused.apply(commandId));
            return future;
        }
        try {
            ScheduledFuture<?> expiry = timer.schedule(
                    () -> fail(commandId, future, new ResultTimeoutException(commandId, timeout)),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
            future.whenComplete((result, error) -> expiry.cancel(false));
        } catch (RejectedExecutionException e) {
            // The timer stops only after failAll has set the refusal: this registration raced with it.
            Function<String, ? extends RuntimeException> late = refusal;
            fail(commandId, future, late != null ? late.apply(commandId) : new ClientClosedException(commandId));
        }
        return future;
    }

    /**
     * Stops {@code future} waiting for {@code commandId} and fails it with {@code error}; it no longer counts as
     * waiting by the time a caller joining it wakes up.
     */
    void fail(String commandId, CompletableFuture<CommandResult> future, Throwable error) {
        forget(commandId, future);
        future.completeExceptionally(error);
    }

    /** Whether a future waits for {@code commandId}. */
    boolean isWaitingFor(String commandId) {
        return waiting.containsKey(commandId);
    }

    /** Completes every future waiting for the result's command id; returns how many it completed (0: none waited). */
    int complete(CommandResult result) {
        List<CompletableFuture<CommandResult>> futures = waiting.remove(result.getCommandId());
        if (futures == null) {
            return 0;
        }
        int completed = 0;
        for (CompletableFuture<CommandResult> future : futures) {
            if (future.complete(result)) {
                completed++;
            }
        }
        return completed;
    }

    /**
     * Fails every waiting future with {@code reason} applied to its command id, and every future registered from now
     * on; returns how many it failed.
     */
    int failAll(Function<String, ? extends RuntimeException> reason) {
        refusal = reason;
        int failed = 0;
        for (String commandId : List.copyOf(waiting.keySet())) {
            List<CompletableFuture<CommandResult>> futures = waiting.remove(commandId);
            if (futures == null) {
                continue;
            }
            for (CompletableFuture<CommandResult> future : futures) {
                if (future.completeExceptionally(reason.apply(commandId))) {
                    failed++;
                }
            }
        }
        return failed;
    }

    /** The number of futures waiting. */
    int size() {
        return waiting.values().stream().mapToInt(List::size).sum();
    }

    /** Stops the timeout timer; call after {@link #failAll}, when no future waits any more. */
    void shutdown() {
        timer.shutdownNow();
    }

    private void forget(String commandId, CompletableFuture<CommandResult> future) {
        waiting.computeIfPresent(commandId, (id, futures) -> {
            List<CompletableFuture<CommandResult>> rest = new ArrayList<>(futures);
            rest.remove(future);
            return rest.isEmpty() ? null : List.copyOf(rest);
        });
    }

    private static List<CompletableFuture<CommandResult>> joined(List<CompletableFuture<CommandResult>> first,
            List<CompletableFuture<CommandResult>> second) {
        List<CompletableFuture<CommandResult>> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }
}
