package io.allsource.ingest.chaos;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * command sent has an outcome, restarting any worker that exits meanwhile.
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

    void await(Duration timeout, FaultInjector injector) {
        Map<Integer, Long> end = endOffsets();
        long deadline = System.nanoTime() + timeout.toNanos();
        long behind = Long.MAX_VALUE;
        while (System.nanoTime() < deadline) {
            behind = behind(end);
            if (behind == 0) {
                log.info("Caught up with {} commands", end.values().stream().mapToLong(Long::longValue).sum());
                return;
            }
            injector.hold(Duration.ofSeconds(1));
        }
        throw new ChaosException("The pipeline did not catch up within " + timeout + ": " + behind
                + " commands still without an outcome (a stuck partition?)");
    }

    private Map<Integer, Long> endOffsets() {
        try (Admin admin = cluster.admin()) {
            List<TopicPartition> partitions = IntStream.range(0, 32)
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

    /** Commands at or beyond the stored next offsets, or MAX_VALUE when the database cannot be asked. */
    private long behind(Map<Integer, Long> end) {
        Map<Integer, Long> next = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT partition_id, next_offset FROM partition_state")) {
            while (rows.next()) {
                next.put(rows.getInt(1), rows.getLong(2));
            }
        } catch (SQLException e) {
            log.info("Database not answering yet: {}", e.getMessage());
            return Long.MAX_VALUE;
        }
        return end.entrySet().stream()
                .mapToLong(entry -> Math.max(0, entry.getValue() - next.getOrDefault(entry.getKey(), 0L))).sum();
    }
}
