package io.allsource.ingest.metrics;

import io.allsource.ingest.partition.PartitionFunction;
import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.PartitionState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures each partition's lag at a fixed interval, as the gauge {@code ingest.partition.lag}: the offsets of the
 * commands topic that a {@code read_committed} consumer (as the worker's are) would still receive and the worker has
 * not applied; and the stored next offset it counts from, as {@code ingest.partition.next.offset}. It runs from the offset the worker has applied everything below, the larger of the next offset stored
 * in PostgreSQL and the position {@link PartitionPositions} reports, to the partition's last stable offset; transaction
 * markers and aborted records at the start of that range are not counted ({@link PartitionLags}), so a caught-up
 * partition reads 0 even when a transactional producer's commit marker follows its last command.
 *
 * <p>A partition whose stored offsets do not belong to its log has no lag to count, and its gauge reads NaN, never 0:
 * the partition held by this worker (topic recreated, records deleted before they were applied; see
 * {@code ingest.partition.held}), and any partition whose stored next offset lies beyond the last stable offset (the
 * topic was truncated or replaced: counting from there would say 0 while commands wait).
 *
 * <p>Costs per interval: one {@code listOffsets} for all partitions, one read of the stored offsets, and for a
 * partition that is not caught up, one fetch when its applied offset has changed. Owns one thread and one consumer,
 * both stopped by {@link #close()}. Thread-safe.
 */
public final class LagMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LagMonitor.class);
    /** The lag of a partition whose stored offset lies beyond its log's end. */
    private static final long UNKNOWN = -1;

    private final Admin admin;
    private final EventStore store;
    private final String commandsTopic;
    private final PartitionPositions positions;
    private final IntPredicate held;
    private final CommittedReader reader;
    private final PartitionLags partitionLags;
    private final Map<Integer, AtomicLong> lags = new HashMap<>();
    private final Map<Integer, AtomicLong> nextOffsets = new HashMap<>();
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Starts measuring at once, then every {@code every}.
     *
     * @param kafkaProperties the worker's Kafka client properties, for the consumer that looks past markers
     * @param positions       the worker's own positions, or {@link PartitionPositions#UNKNOWN}
     * @param held            whether this worker holds a partition: its lag reads NaN
     */
    public LagMonitor(Admin admin, Map<String, Object> kafkaProperties, EventStore store, String commandsTopic,
            PartitionPositions positions, IntPredicate held, MeterRegistry registry, Duration every) {
        this.admin = admin;
        this.store = store;
        this.commandsTopic = commandsTopic;
        this.positions = positions;
        this.held = held;
        this.reader = new CommittedReader(kafkaProperties, commandsTopic, Duration.ofSeconds(2));
        this.partitionLags = new PartitionLags(reader);
        for (int partition = 0; partition < PartitionFunction.PARTITION_COUNT; partition++) {
            AtomicLong lag = new AtomicLong();
            lags.put(partition, lag);
            int number = partition;
            Gauge.builder("ingest.partition.lag", lag, value -> value.get() < 0 || held.test(number) ? Double.NaN
                            : value.get())
                    .description("Offsets of the commands topic not yet applied that hold records a read_committed"
                            + " consumer receives (last stable offset minus applied offset, leading transaction"
                            + " markers and aborted records not counted); NaN while the stored offsets do not belong"
                            + " to the log (the partition is held)")
                    .tag("partition", Integer.toString(partition)).register(registry);
            AtomicLong nextOffset = new AtomicLong(UNKNOWN);
            nextOffsets.put(partition, nextOffset);
            Gauge.builder("ingest.partition.next.offset", nextOffset, value -> value.get() < 0 ? Double.NaN
                            : value.get())
                    .description("The partition's next offset stored in PostgreSQL: every command below it is"
                            + " applied. A partition whose lag stays above 0 while this does not move is stalled;"
                            + " NaN until first measured")
                    .tag("partition", Integer.toString(partition)).register(registry);
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ingest-lag-monitor");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::measure, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void measure() {
        try {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int partition = 0; partition < PartitionFunction.PARTITION_COUNT; partition++) {
                request.put(new TopicPartition(commandsTopic, partition), OffsetSpec.latest());
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> stableEnds = admin.listOffsets(request,
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(10, TimeUnit.SECONDS);
            stableEnds.forEach((topicPartition, stableEnd) -> {
                int partition = topicPartition.partition();
                long stored = store.partitionState(partition).map(PartitionState::nextOffset).orElse(0L);
                nextOffsets.get(partition).set(stored);
                long applied = Math.max(stored, positions.position(partition).orElse(stored));
                // beyond the end, the stored offset belongs to another log: no count is meaningful
                lags.get(partition).set(stored > stableEnd.offset() ? UNKNOWN
                        : partitionLags.lag(partition, stableEnd.offset(), applied));
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("Could not measure partition lag: {}", e.toString());
        }
    }

    /** The partition's lag as last measured, in offsets; -1 when its stored offset lies beyond its log's end. */
    public long lag(int partition) {
        return lags.get(partition).get();
    }

    /** Stops measuring and closes the consumer. Idempotent. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        reader.wakeup();
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("The lag monitor did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reader.close();
    }
}
