package io.allsource.ingest.chaos;

import io.allsource.ingest.failure.FailureMessages;
import io.allsource.ingest.partition.PartitionFunction;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until every partition's stored next offset has reached the end of the commands topic, that is until every
 * record sent has an outcome, restarting any worker that exits meanwhile. A partition that has not by the deadline is
 * stalled: the soak reports it and fails.
 */
final class CatchUp {

    private static final Logger log = LoggerFactory.getLogger(CatchUp.class);

    private final ChaosCluster cluster;
    private final DataSource dataSource;
    private final String commandsTopic;

    CatchUp(ChaosCluster cluster, DataSource dataSource, String commandsTopic) {
        this.cluster = cluster;
        this.dataSource = dataSource;
        this.commandsTopic = commandsTopic;
    }

    /**
     * Waits until every partition has caught up, or {@code timeout} has passed.
     *
     * @return the partitions stalled at the deadline, in order; empty when every one caught up
     * @throws ChaosException when the database did not answer at the deadline, so that no one can tell
     */
    List<StalledPartition> await(Duration timeout, FaultInjector injector) {
        Map<Integer, Long> end = endOffsets();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<List<StalledPartition>> behind = behind(end);
            if (behind.isPresent() && behind.get().isEmpty()) {
                log.info("Caught up with {} records", end.values().stream().mapToLong(Long::longValue).sum());
                return List.of();
            }
            if (System.nanoTime() >= deadline) {
                List<StalledPartition> stalled = behind.orElseThrow(() -> new ChaosException("The database did"
                        + " not answer when the pipeline's " + timeout + " to catch up were over"));
                log.warn("{} partitions stalled after {}: {}", stalled.size(), timeout, stalled);
                return stalled;
            }
            injector.hold(Duration.ofSeconds(1));
        }
    }

    /**
     * Waits until every partition has been claimed by a worker, so that faults meet a pipeline that runs (a worker
     * starts slowly on a busy machine).
     */
    void awaitClaimed(Duration timeout, FaultInjector injector) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (claimed() < PartitionFunction.PARTITION_COUNT) {
            if (System.nanoTime() >= deadline) {
                throw new ChaosException("The first worker did not claim every partition within " + timeout);
            }
            injector.hold(Duration.ofMillis(500));
        }
    }

    private Map<Integer, Long> endOffsets() {
        try (Admin admin = cluster.admin()) {
            List<TopicPartition> partitions = IntStream.range(0, PartitionFunction.PARTITION_COUNT)
                    .mapToObj(p -> new TopicPartition(commandsTopic, p)).toList();
            ListOffsetsResult offsets = admin.listOffsets(partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())));
            Map<Integer, Long> end = new HashMap<>();
            for (TopicPartition partition : partitions) {
                end.put(partition.partition(), offsets.partitionResult(partition).get(60, TimeUnit.SECONDS).offset());
            }
            return end;
        } catch (ExecutionException | TimeoutException e) {
            throw new ChaosException("Could not read the end offsets of " + commandsTopic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChaosException("Interrupted while reading end offsets", e);
        }
    }

    /** The partitions whose stored next offset is short of {@code end}; empty when the database does not answer. */
    private Optional<List<StalledPartition>> behind(Map<Integer, Long> end) {
        Map<Integer, Long> next = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT partition_id, next_offset FROM partition_state")) {
            while (rows.next()) {
                next.put(rows.getInt(1), rows.getLong(2));
            }
        } catch (SQLException e) {
            log.info("Database not answering yet: {}", FailureMessages.firstLine(e.getMessage()));
            return Optional.empty();
        }
        return Optional.of(end.entrySet().stream()
                .filter(entry -> next.getOrDefault(entry.getKey(), 0L) < entry.getValue())
                .map(entry -> new StalledPartition(entry.getKey(), next.getOrDefault(entry.getKey(), 0L),
                        entry.getValue()))
                .sorted(Comparator.comparingInt(StalledPartition::partition))
                .toList());
    }

    /** Partitions claimed by a worker so far, or 0 when the database does not answer. */
    private int claimed() {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM partition_state")) {
            row.next();
            return row.getInt(1);
        } catch (SQLException e) {
            log.info("Database not answering yet: {}", FailureMessages.firstLine(e.getMessage()));
            return 0;
        }
    }
}
