package io.allsource.ingest.worker;

import io.allsource.ingest.metrics.WorkerMetrics;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions of this worker that are held, each with why: their log does not match their stored offsets
 * ({@link LogCheck}), so nothing of them is consumed until an operator resets them. Readiness answers "not ready" with
 * one line per held partition, and the gauge {@code ingest.partition.held} says 1 for each. Written by the consumer
 * threads at claims and revocations, read by the health endpoint and the lag monitor. Thread-safe.
 */
public final class HeldPartitions {

    private static final Logger log = LoggerFactory.getLogger(HeldPartitions.class);

    private final String workerId;
    private final WorkerMetrics metrics;
    private final Map<Integer, String> reasons = new ConcurrentSkipListMap<>();

    public HeldPartitions(String workerId, WorkerMetrics metrics) {
        this.workerId = workerId;
        this.metrics = metrics;
    }

    /** Holds {@code partition}; logs the reason at ERROR when it is new, so that a recheck does not repeat it. */
    void hold(int partition, String reason) {
        String before = reasons.put(partition, reason);
        metrics.held(partition, true);
        if (!Objects.equals(before, reason)) {
            log.error("{} - {}", workerId, reason);
        } else {
            log.debug("{} - partition {} still held", workerId, partition);
        }
    }

    /** The partition's log matches its stored offsets (again), or it is no longer assigned here. */
    void release(int partition, boolean matched) {
        if (reasons.remove(partition) != null) {
            metrics.held(partition, false);
            if (matched) {
                log.info("{} - partition {}: its log matches its stored offsets now, consuming it again", workerId,
                        partition);
            }
        }
    }

    public boolean isHeld(int partition) {
        return reasons.containsKey(partition);
    }

    /** Why each held partition is held, one line each, in partition order; empty when none is. */
    public List<String> reasons() {
        return List.copyOf(reasons.values());
    }
}
