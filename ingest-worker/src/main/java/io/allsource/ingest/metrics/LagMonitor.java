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
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures each partition's lag, the end offset of the commands topic minus the next offset stored in PostgreSQL, at a
 * fixed interval, as the gauge {@code ingest.partition.lag}. Owns one thread.
 */
public final class LagMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LagMonitor.class);

    private final Admin admin;
    private final EventStore store;
    private final String commandsTopic;
    private final Map<Integer, AtomicLong> lags = new HashMap<>();
    private final ScheduledExecutorService scheduler;

    public LagMonitor(Admin admin, EventStore store, String commandsTopic, MeterRegistry registry, Duration every) {
        this.admin = admin;
        this.store = store;
        this.commandsTopic = commandsTopic;
        for (int partition = 0; partition < PartitionFunction.PARTITION_COUNT; partition++) {
            AtomicLong lag = new AtomicLong();
            lags.put(partition, lag);
            Gauge.builder("ingest.partition.lag", lag, AtomicLong::get)
                    .description("Commands on the topic not yet applied (end offset minus stored next offset)")
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
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
            ends.forEach((topicPartition, end) -> {
                long next = store.partitionState(topicPartition.partition()).map(PartitionState::nextOffset).orElse(0L);
                lags.get(topicPartition.partition()).set(Math.max(0, end.offset() - next));
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("Could not measure partition lag: {}", e.toString());
        }
    }

    public long lag(int partition) {
        return lags.get(partition).get();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
