package io.allsource.ingest.retention;

import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.store.ResultPruning;
import io.allsource.ingest.store.StoreException;
import io.allsource.ingest.store.TransientStoreException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prunes the stored outcomes (results and redeliveries) older than the retention, every interval, partition by
 * partition, in steps of at most {@link #STEP_LIMIT} outcomes, each its own short transaction that holds the
 * partition's lock only while it deletes ({@link ResultPruning}). A partition with more expired outcomes than
 * {@link #STEPS_PER_ROUND} steps take goes on at the next round, so a backlog (retention just switched on over years of
 * outcomes) drains over several rounds without taking the database from the partitions' batches.
 *
 * <p>Every worker of a group prunes every partition: the partition lock serializes them, and a second worker finds
 * nothing left. Failures are not fatal, since the worker still does its job without pruning: a transient one (the
 * database unreachable, a lock or foreign-key collision with a batch) ends the round and the next round tries again;
 * any other (a role without DELETE on the outcome tables) is logged at ERROR each round and counted in
 * {@code ingest.outcomes.prune.failures{kind="permanent"}}, for an alert. Owns one thread, stopped by {@link #close()}.
 */
public final class ResultPruner implements AutoCloseable {

    /** Most outcomes one step deletes, so that it holds a partition's lock for milliseconds. */
    public static final int STEP_LIMIT = 500;
    /** Most steps per partition and round. */
    static final int STEPS_PER_ROUND = 100;

    private static final Logger log = LoggerFactory.getLogger(ResultPruner.class);

    private final ResultPruning pruning;
    private final Duration retention;
    private final Counter pruned;
    private final Counter transientFailures;
    private final Counter permanentFailures;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean closed = new AtomicBoolean();
    private boolean lastRoundFailed;

    /**
     * Starts pruning after one {@code every}, then every {@code every}.
     *
     * @param retention how old an outcome must be to be pruned; positive
     */
    public ResultPruner(ResultPruning pruning, Duration retention, Duration every, MeterRegistry meters) {
        if (retention.isZero() || retention.isNegative()) {
            throw new IllegalArgumentException("retention must be positive, got " + retention);
        }
        this.pruning = pruning;
        this.retention = retention;
        this.pruned = Counter.builder("ingest.outcomes.pruned")
                .description("Stored command outcomes (results and redeliveries) deleted for being older than"
                        + " result-retention-ms")
                .register(meters);
        this.transientFailures = failures(meters, "transient");
        this.permanentFailures = failures(meters, "permanent");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ingest-result-pruner");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::round, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Stored outcomes older than {} are pruned every {}", retention, every);
    }

    private static Counter failures(MeterRegistry meters, String kind) {
        return Counter.builder("ingest.outcomes.prune.failures")
                .description("Pruning rounds that failed: transient ones are tried again next round, permanent ones"
                        + " (a role without DELETE on the outcome tables) need an operator")
                .tag("kind", kind).register(meters);
    }

    /** One pass over every partition; runs on the pruner's thread, or a test's. */
    void round() {
        long deleted = 0;
        try {
            for (int partition = 0; partition < PartitionFunction.PARTITION_COUNT && !closed.get(); partition++) {
                deleted += prunePartition(partition);
            }
            if (lastRoundFailed) {
                log.info("Pruning of stored outcomes works again");
            }
            lastRoundFailed = false;
        } catch (TransientStoreException e) {
            transientFailures.increment();
            if (!lastRoundFailed) {
                log.warn("Pruning of stored outcomes paused until the next round: {}", e.getMessage());
            }
            lastRoundFailed = true;
        } catch (StoreException e) {
            permanentFailures.increment();
            log.error("Pruning of stored outcomes failed, and will until an operator acts: {}", e.getMessage());
            lastRoundFailed = true;
        } catch (RuntimeException e) {
            // the scheduler would silently stop running a task that throws
            permanentFailures.increment();
            log.error("Pruning of stored outcomes failed", e);
            lastRoundFailed = true;
        }
        if (deleted > 0) {
            log.info("Pruned {} stored outcomes older than {}", deleted, retention);
        }
    }

    private long prunePartition(int partition) {
        long deleted = 0;
        for (int step = 0; step < STEPS_PER_ROUND && !closed.get(); step++) {
            ResultPruning.Step done = pruning.prune(partition, retention, STEP_LIMIT);
            deleted += done.outcomesDeleted();
            pruned.increment(done.outcomesDeleted());
            if (!done.more()) {
                break;
            }
        }
        return deleted;
    }

    /** Stops pruning, waiting for a step under way. Idempotent. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
