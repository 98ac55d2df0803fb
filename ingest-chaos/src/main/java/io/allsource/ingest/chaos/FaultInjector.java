package io.allsource.ingest.chaos;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects one fault at a time into the soak's cluster and workers, and undoes it before returning (a restarted
 * server, a resumed process, the statement timeout reset), keeping the pool supervised meanwhile. Counts what it
 * injected. Not thread-safe: the soak's main thread drives it.
 */
final class FaultInjector {

    private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);

    private final ChaosCluster cluster;
    private final WorkerPool pool;
    private final Random random;
    private final Map<FaultKind, Integer> injected = new EnumMap<>(FaultKind.class);

    FaultInjector(ChaosCluster cluster, WorkerPool pool, Random random) {
        this.cluster = cluster;
        this.pool = pool;
        this.random = random;
    }

    void inject(FaultKind kind) {
        log.info("Fault: {}", kind.description());
        switch (kind) {
            case WORKER_KILL -> killWorker();
            case WORKER_JOIN_LEAVE -> joinOrLeave();
            case WORKER_ZOMBIE -> zombie();
            case POSTGRES_RESTART -> {
                cluster.stopPostgres();
                hold(Duration.ofSeconds(3));
                cluster.startPostgres();
            }
            case POSTGRES_TERMINATE -> log.info("{} database sessions terminated", cluster.terminateBackends());
            case BROKER_RESTART -> {
                cluster.stopKafka();
                hold(Duration.ofSeconds(3));
                cluster.startKafka();
            }
            case REGISTRY_PAUSE -> registryPause();
            case STATEMENT_TIMEOUT -> {
                cluster.statementTimeout("20ms");
                hold(Duration.ofSeconds(8));
                cluster.statementTimeout(null);
            }
        }
        injected.merge(kind, 1, Integer::sum);
    }

    private void killWorker() {
        pool.removeAny().kill();
        hold(Duration.ofMillis(1_000 + random.nextInt(3_000)));
        pool.add();
    }

    private void joinOrLeave() {
        int size = pool.size();
        if (size <= 1 || (size == 2 && random.nextBoolean())) {
            WorkerProcess joined = pool.add();
            log.info("Worker {} joins: {} workers", joined.id(), pool.size());
        } else {
            WorkerProcess leaving = pool.removeAny();
            leaving.close();
            log.info("Worker {} left: {} workers", leaving.id(), pool.size());
        }
    }

    /**
     * A paused member is evicted after its session timeout; on resuming it must not commit anything. The member paused
     * is one that has been running (one that just joined would only time out its own start).
     */
    private void zombie() {
        WorkerProcess joined = null;
        if (pool.size() < 2) {
            joined = pool.add();
            hold(Duration.ofSeconds(10));
        }
        WorkerProcess zombie = pool.anyExcept(joined);
        zombie.pause();
        hold(Duration.ofMillis(WorkerLaunch.SESSION_TIMEOUT_MS + 5_000L));
        zombie.resume();
    }

    /** The registry away while a worker restarts, which then cannot look schemas up until it is back. */
    private void registryPause() {
        cluster.pauseRegistry();
        try {
            pool.removeAny().kill();
            pool.add();
            hold(Duration.ofSeconds(10));
        } finally {
            cluster.resumeRegistry();
        }
    }

    /** Waits, restarting any worker of the pool that exits meanwhile. */
    void hold(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            pool.supervise();
            try {
                // child processes are supervised by polling: a worker's exit is checked at least twice a second
                Thread.sleep(Math.max(1, Math.min(500, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChaosException("Interrupted during a fault", e);
            }
        }
    }

    Map<FaultKind, Integer> injected() {
        return new EnumMap<>(injected);
    }
}
