package io.allsource.ingest.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers meant to be running, as a process manager keeps them: one that exits on its own (such as a worker that
 * refused to start while the registry was unreachable) is started again by {@link #supervise()}, and counted.
 * Thread-safe.
 */
final class WorkerPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    private final WorkerLaunch launch;
    private final Random random;
    private final List<WorkerProcess> workers = new ArrayList<>();
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger unexpectedExits = new AtomicInteger();

    WorkerPool(WorkerLaunch launch, Random random) {
        this.launch = launch;
        this.random = random;
    }

    /** Starts one more worker. */
    synchronized WorkerProcess add() {
        WorkerProcess worker = WorkerProcess.start(launch, "worker-" + started.incrementAndGet());
        workers.add(worker);
        return worker;
    }

    synchronized int size() {
        return workers.size();
    }

    /** Takes a random worker out of the pool (the caller kills, stops or pauses it). */
    synchronized WorkerProcess removeAny() {
        return workers.remove(random.nextInt(workers.size()));
    }

    /** A random worker other than {@code excluded} (which may be null), left in the pool. */
    synchronized WorkerProcess anyExcept(WorkerProcess excluded) {
        List<WorkerProcess> candidates = workers.stream().filter(worker -> worker != excluded).toList();
        return candidates.get(random.nextInt(candidates.size()));
    }

    /** Starts again every worker of the pool that exited. */
    synchronized void supervise() {
        for (int i = 0; i < workers.size(); i++) {
            WorkerProcess worker = workers.get(i);
            if (!worker.isAlive()) {
                unexpectedExits.incrementAndGet();
                log.warn("Worker {} exited on its own with status {}; starting a replacement", worker.id(),
                        worker.exitStatus());
                workers.set(i, WorkerProcess.start(launch, "worker-" + started.incrementAndGet()));
            }
        }
    }

    /** Resumes every paused worker of the pool. */
    synchronized void resumeAll() {
        workers.forEach(WorkerProcess::resume);
    }

    /** Workers that exited on their own and were replaced. */
    int unexpectedExits() {
        return unexpectedExits.get();
    }

    int started() {
        return started.get();
    }

    @Override
    public synchronized void close() {
        workers.forEach(WorkerProcess::close);
        workers.clear();
    }
}
