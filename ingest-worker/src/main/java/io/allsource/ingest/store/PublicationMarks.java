package io.allsource.ingest.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Records publication progress for several partitions in one transaction of three statements: the partitions'
 * markers and the watermarks of the streams whose events were published since. Markers never move back. A partition
 * that keeps applying records its progress in its batches' transactions instead ({@link PartitionBatch#published()}),
 * with the same watermark statement.
 */
final class PublicationMarks {

    /** Locks the partitions' rows in ascending order, as batch transactions do, so that neither waits for the other. */
    private static final String LOCK_PARTITIONS = """
            SELECT partition_id, owner_epoch, published_sequence FROM partition_state
            WHERE partition_id = ANY (?) ORDER BY partition_id FOR UPDATE""";

    /** Moves each stream's watermark to the highest version among its newly published events. */
    private static final String ADVANCE_WATERMARKS = """
            UPDATE event_streams AS s SET watermark = m.version
            FROM (SELECT e.stream_id, MAX(e.version) AS version
                  FROM unnest(?::int[], ?::bigint[], ?::bigint[]) AS r(partition_id, after_sequence, up_to_sequence)
                  JOIN events e ON e.partition_id = r.partition_id AND e.partition_sequence > r.after_sequence
                                   AND e.partition_sequence <= r.up_to_sequence
                  GROUP BY e.stream_id) AS m
            WHERE s.stream_id = m.stream_id AND s.watermark < m.version""";

    private static final String ADVANCE_PUBLISHED = """
            UPDATE partition_state AS p
            SET published_offset = GREATEST(p.published_offset, t.published_offset),
                published_sequence = GREATEST(p.published_sequence, t.published_sequence)
            FROM unnest(?::int[], ?::bigint[], ?::bigint[]) AS t(partition_id, published_offset, published_sequence)
            WHERE p.partition_id = t.partition_id""";

    private final DataSource dataSource;

    PublicationMarks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records the marks; returns the partitions found under another epoch, for which nothing was recorded. */
    Set<Integer> record(List<PublicationMark> marks) {
        if (marks.isEmpty()) {
            return Set.of();
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Set<Integer> fenced = record(connection, marks);
                connection.commit();
                return fenced;
            } catch (SQLException | RuntimeException e) {
                SqlFailures.rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw SqlFailures.wrap("Publication markers of partitions "
                    + marks.stream().map(PublicationMark::partition).toList(), e);
        }
    }

    private static Set<Integer> record(Connection connection, List<PublicationMark> marks) throws SQLException {
        Map<Integer, long[]> current = lock(connection, marks);
        Set<Integer> fenced = new HashSet<>();
        List<PublicationMark> owned = new ArrayList<>();
        List<Long> previousSequences = new ArrayList<>();
        List<PublicationMark> ordered = marks.stream().sorted(Comparator.comparingInt(PublicationMark::partition))
                .toList();
        for (PublicationMark mark : ordered) {
            long[] row = current.get(mark.partition());
            if (row == null || row[0] != mark.epoch()) {
                fenced.add(mark.partition());
            } else {
                owned.add(mark);
                previousSequences.add(row[1]);
            }
        }
        if (!owned.isEmpty()) {
            advanceWatermarks(connection, owned, previousSequences);
            try (PreparedStatement advance = connection.prepareStatement(ADVANCE_PUBLISHED)) {
                advance.setArray(1, SqlArrays.integers(connection, owned, PublicationMark::partition));
                advance.setArray(2, SqlArrays.bigints(connection, owned, PublicationMark::publishedOffset));
                advance.setArray(3, SqlArrays.bigints(connection, owned, PublicationMark::publishedSequence));
                advance.executeUpdate();
            }
        }
        return fenced;
    }

    /** The epoch and published sequence of each partition that has a row, locked. */
    private static Map<Integer, long[]> lock(Connection connection, List<PublicationMark> marks) throws SQLException {
        Map<Integer, long[]> rows = new HashMap<>();
        try (PreparedStatement lock = connection.prepareStatement(LOCK_PARTITIONS)) {
            lock.setArray(1, SqlArrays.integers(connection, marks, PublicationMark::partition));
            try (ResultSet row = lock.executeQuery()) {
                while (row.next()) {
                    rows.put(row.getInt(1), new long[] {row.getLong(2), row.getLong(3)});
                }
            }
        }
        return rows;
    }

    private static void advanceWatermarks(Connection connection, List<PublicationMark> owned,
            List<Long> previousSequences) throws SQLException {
        List<Range> published = new ArrayList<>();
        for (int i = 0; i < owned.size(); i++) {
            if (owned.get(i).publishedSequence() > previousSequences.get(i)) {
                published.add(new Range(owned.get(i).partition(), previousSequences.get(i),
                        owned.get(i).publishedSequence()));
            }
        }
        advanceWatermarks(connection, published);
    }

    /** Partition sequences newly published in a partition: those after {@code afterSequence} up to {@code upTo}. */
    record Range(int partition, long afterSequence, long upToSequence) {
    }

    /**
     * Moves each stream's watermark to the highest version among its events in the published ranges, on the caller's
     * connection and transaction: one statement, reading the ranges' events by their partition sequence index.
     */
    static void advanceWatermarks(Connection connection, List<Range> published) throws SQLException {
        StatementPipeline pipeline = new StatementPipeline(connection);
        advanceWatermarks(pipeline, published);
        pipeline.run();
    }

    /** Adds {@link #advanceWatermarks(Connection, List)}'s statement to a pipeline; nothing when no range is given. */
    static void advanceWatermarks(StatementPipeline pipeline, List<Range> published) throws SQLException {
        if (published.isEmpty()) {
            return;
        }
        Connection connection = pipeline.connection();
        pipeline.update(ADVANCE_WATERMARKS, SqlArrays.integers(connection, published, Range::partition),
                SqlArrays.bigints(connection, published, Range::afterSequence),
                SqlArrays.bigints(connection, published, Range::upToSequence));
    }
}
