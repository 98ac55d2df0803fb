package io.allsource.ingest.replay;

import io.allsource.ingest.store.EventStore;
import io.allsource.ingest.store.StoreSettings;
import io.allsource.ingest.store.StoredEvent;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The stored events a replay reads: each partition's last sequence, the first sequence recorded at or after an
 * instant, and chunks in sequence order through the {@code (partition_id, partition_sequence)} index, never the whole
 * table. Thread-safe.
 */
public final class ReplaySource {

    private static final String LAST_SEQUENCES =
            "SELECT partition_id, last_sequence FROM partition_state WHERE partition_id = ANY (?)";

    /** One range scan of {@code idx_events_timestamp} for all partitions asked for. */
    private static final String FIRST_SINCE = """
            SELECT partition_id, min(partition_sequence) FROM events
            WHERE timestamp >= ? AND partition_id = ANY (?) GROUP BY partition_id""";

    private final DataSource dataSource;
    private final EventStore store;

    public ReplaySource(DataSource dataSource) {
        this.dataSource = dataSource;
        this.store = new EventStore(dataSource, StoreSettings.DEFAULT);
    }

    /** The highest sequence each partition has committed; a partition never claimed is left out. */
    Map<Integer, Long> lastSequences(List<Integer> partitions) {
        return byPartition(LAST_SEQUENCES, null, partitions);
    }

    /** Each partition's first sequence recorded at or after {@code since}; a partition without such an event is left out. */
    Map<Integer, Long> firstSequencesSince(Instant since, List<Integer> partitions) {
        return byPartition(FIRST_SINCE, since, partitions);
    }

    /** Up to {@code maxCount} events of the partition from {@code fromSequence} on, as the worker publishes them. */
    List<StoredEvent> read(int partition, long fromSequence, int maxCount) {
        return store.readPartition(partition, fromSequence, maxCount);
    }

    private Map<Integer, Long> byPartition(String sql, Instant since, List<Integer> partitions) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            Array ids = connection.createArrayOf("integer", partitions.toArray());
            int index = 1;
            if (since != null) {
                statement.setTimestamp(index++, Timestamp.from(since));
            }
            statement.setArray(index, ids);
            Map<Integer, Long> sequences = new HashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    sequences.put(rows.getInt(1), rows.getLong(2));
                }
            }
            return sequences;
        } catch (SQLException e) {
            throw new ReplayException("Reading the partitions' sequences failed: " + e.getMessage(), e);
        }
    }
}
