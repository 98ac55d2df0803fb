package io.allsource.ingest.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Deletes stored outcomes older than a retention, one partition and a bounded number of outcomes per transaction
 * (issue 18, operation 4: bounded idempotency records). A command id whose outcome is gone is new again.
 *
 * <p>Each step locks the partition's {@code partition_state} row, as a batch transaction does first, so that no batch
 * of the partition runs between its lookup of a command id and its insert of a redelivery pointing at that id's
 * result while the step deletes it. The lock is waited for at most {@link #LOCK_WAIT}; a partition whose batches hold
 * it longer is skipped and tried at the next step. A step deletes, in the partition's current log:
 * <ul>
 * <li>the outcomes (results and redeliveries) at offsets from {@code pruned_offset} up to the first one that is not
 *     older than the retention, not yet published (at or beyond {@code published_offset}), or beyond the step's limit,
 *     and moves {@code pruned_offset} there: below it nothing is left to account for;</li>
 * <li>except a result that a redelivery at a later offset points at: it is kept (it is that redelivery's answer)
 *     until the redelivery is pruned, then deleted by a later step;</li>
 * </ul>
 * and, outside the current log, outcomes an offset reset superseded, by age alone. {@code pruned_sequence} becomes the
 * highest partition sequence of a deleted result: events at or below it may have no result any more.
 *
 * <p>Every statement is an index range scan of the partition's own outcomes by offset or by age, bounded by the step's
 * limit: the cost of a step does not grow with what the tables hold. Thread-safe.
 */
public final class ResultPruning {

    /** How long a step waits for a partition's lock before it skips the partition. */
    public static final Duration LOCK_WAIT = Duration.ofMillis(200);

    private static final String LOCK_WAIT_SETTING = "SELECT set_config('lock_timeout', ?, true)";
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    /** A batch of another partition pointed a redelivery at a result while the step deleted it. */
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    private static final List<String> TABLES = List.of("command_results", "command_redeliveries");

    private static final String LOCK_PARTITION = """
            SELECT published_offset, pruned_offset, pruned_sequence, now() - make_interval(secs => ?) AS cutoff
            FROM partition_state WHERE partition_id = ? FOR UPDATE""";

    /** The current log's outcomes from the pruned offset on, oldest offset first, with whether each is expired. */
    private static final String OUTCOMES = """
            SELECT command_offset, at < ? AS expired FROM (
                (SELECT command_offset, committed_at AS at FROM command_results
                 WHERE partition_id = ? AND superseded_by IS NULL AND command_offset >= ? AND command_offset < ?
                 ORDER BY command_offset LIMIT ?)
                UNION ALL
                (SELECT command_offset, received_at FROM command_redeliveries
                 WHERE partition_id = ? AND superseded_by IS NULL AND command_offset >= ? AND command_offset < ?
                 ORDER BY command_offset LIMIT ?)
            ) AS outcome ORDER BY command_offset LIMIT ?""";

    private static final String DELETE_REDELIVERIES = """
            DELETE FROM command_redeliveries
            WHERE partition_id = ? AND superseded_by IS NULL AND command_offset < ?""";

    /**
     * Results below the new pruned offset that no redelivery points at, lowest offsets first; those a redelivery
     * pinned in an earlier step are found again here, below the old pruned offset, once it is gone.
     */
    private static final String DELETE_RESULTS = """
            DELETE FROM command_results
            WHERE command_id IN (SELECT c.command_id FROM command_results c
                                 WHERE c.partition_id = ? AND c.superseded_by IS NULL AND c.command_offset < ?
                                   AND NOT EXISTS (SELECT 1 FROM command_redeliveries d
                                                   WHERE d.command_id = c.command_id)
                                 ORDER BY c.command_offset LIMIT ?)
            RETURNING last_sequence""";

    private static final String DELETE_SUPERSEDED_REDELIVERIES = """
            DELETE FROM command_redeliveries
            WHERE (partition_id, command_offset, superseded_by) IN (
                SELECT partition_id, command_offset, superseded_by FROM command_redeliveries
                WHERE partition_id = ? AND superseded_by IS NOT NULL AND received_at < ?
                ORDER BY received_at LIMIT ?)""";

    /**
     * Superseded results whose events, if any, lie at or below the pruned sequence: an event above it must keep its
     * result.
     */
    private static final String DELETE_SUPERSEDED_RESULTS = """
            DELETE FROM command_results r
            WHERE r.command_id IN (SELECT c.command_id FROM command_results c
                                   WHERE c.partition_id = ? AND c.superseded_by IS NOT NULL AND c.committed_at < ?
                                   ORDER BY c.committed_at LIMIT ?)
              AND (r.last_sequence IS NULL OR r.last_sequence <= ?)
              AND NOT EXISTS (SELECT 1 FROM command_redeliveries d WHERE d.command_id = r.command_id)""";

    private static final String MARK_PRUNED = """
            UPDATE partition_state SET pruned_offset = ?, pruned_sequence = ?, pruned_at = now()
            WHERE partition_id = ?""";

    private final DataSource dataSource;

    public ResultPruning(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * What one step did.
     *
     * @param outcomesDeleted results and redeliveries deleted
     * @param prunedOffset    the partition's pruned offset after the step (its current log's offsets below it are not
     *                        accounted for any more); -1 when the step was skipped
     * @param more            whether expired outcomes are left that the step's limit kept it from deleting
     * @param skipped         whether the partition's lock was busy (or the partition has no row): nothing was done
     */
    public record Step(int outcomesDeleted, long prunedOffset, boolean more, boolean skipped) {

        static Step lockBusy() {
            return new Step(0, -1, false, true);
        }
    }

    /**
     * The outcome tables the connection's user may not delete from: pruning needs {@code DELETE} on both.
     *
     * @throws StoreException when the database cannot answer
     */
    public List<String> tablesWithoutDelete() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement check = connection.prepareStatement(
                        "SELECT t FROM unnest(?::text[]) AS t WHERE NOT has_table_privilege(t, 'DELETE')")) {
            check.setArray(1, connection.createArrayOf("text", TABLES.toArray()));
            List<String> missing = new ArrayList<>();
            try (ResultSet rows = check.executeQuery()) {
                while (rows.next()) {
                    missing.add(rows.getString(1));
                }
            }
            return missing;
        } catch (SQLException e) {
            throw SqlFailures.wrap("Check of the privileges pruning needs", e);
        }
    }

    /**
     * Deletes up to {@code limit} of the partition's outcomes older than {@code retention}, in one transaction.
     *
     * @throws StoreException         when the database refuses (a role without DELETE on the outcome tables, say)
     * @throws TransientStoreException when the database cannot be reached or the transaction collided
     */
    public Step prune(int partition, Duration retention, int limit) {
        if (retention.isNegative() || retention.isZero() || limit <= 0) {
            throw new IllegalArgumentException("retention " + retention + " and limit " + limit + " must be positive");
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Step step = prune(connection, partition, retention, limit);
                connection.commit();
                return step;
            } catch (SQLException e) {
                SqlFailures.rollbackQuietly(connection, e);
                if (LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
                    return Step.lockBusy();
                }
                throw e;
            } catch (RuntimeException e) {
                SqlFailures.rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw SqlFailures.wrap("Pruning of partition " + partition + "'s stored outcomes", e);
        }
    }

    private static Step prune(Connection connection, int partition, Duration retention, int limit)
            throws SQLException {
        try (PreparedStatement wait = connection.prepareStatement(LOCK_WAIT_SETTING)) {
            wait.setString(1, LOCK_WAIT.toMillis() + "ms");
            wait.executeQuery().close();
        }
        long publishedOffset;
        long prunedOffset;
        long prunedSequence;
        java.sql.Timestamp cutoff;
        try (PreparedStatement lock = connection.prepareStatement(LOCK_PARTITION)) {
            lock.setDouble(1, retention.toMillis() / 1000.0);
            lock.setInt(2, partition);
            try (ResultSet row = lock.executeQuery()) {
                if (!row.next()) {
                    return Step.lockBusy();
                }
                publishedOffset = row.getLong(1);
                prunedOffset = row.getLong(2);
                prunedSequence = row.getLong(3);
                cutoff = row.getTimestamp(4);
            }
        }
        Boundary boundary = boundary(connection, partition, cutoff, prunedOffset, publishedOffset, limit);
        int deleted = 0;
        int resultsDeleted = 0;
        long newPrunedSequence = prunedSequence;
        if (boundary.end() > prunedOffset) {
            try (PreparedStatement delete = connection.prepareStatement(DELETE_REDELIVERIES)) {
                delete.setInt(1, partition);
                delete.setLong(2, boundary.end());
                deleted += delete.executeUpdate();
            }
        }
        try (PreparedStatement delete = connection.prepareStatement(DELETE_RESULTS)) {
            delete.setInt(1, partition);
            delete.setLong(2, boundary.end());
            delete.setInt(3, limit);
            try (ResultSet rows = delete.executeQuery()) {
                while (rows.next()) {
                    resultsDeleted++;
                    long lastSequence = rows.getLong(1);
                    if (!rows.wasNull()) {
                        newPrunedSequence = Math.max(newPrunedSequence, lastSequence);
                    }
                }
            }
        }
        deleted += resultsDeleted;
        deleted += deleteSuperseded(connection, DELETE_SUPERSEDED_REDELIVERIES, partition, cutoff, limit, -1);
        deleted += deleteSuperseded(connection, DELETE_SUPERSEDED_RESULTS, partition, cutoff, limit,
                newPrunedSequence);
        if (boundary.end() != prunedOffset || newPrunedSequence != prunedSequence) {
            try (PreparedStatement mark = connection.prepareStatement(MARK_PRUNED)) {
                mark.setLong(1, boundary.end());
                mark.setLong(2, newPrunedSequence);
                mark.setInt(3, partition);
                mark.executeUpdate();
            }
        }
        // results the limit left below the new pruned offset are deleted by the next step
        return new Step(deleted, boundary.end(), boundary.more() || resultsDeleted == limit, false);
    }

    /** Where the step stops: the first offset it keeps, and whether expired outcomes lie beyond its limit. */
    private record Boundary(long end, boolean more) {
    }

    private static Boundary boundary(Connection connection, int partition, java.sql.Timestamp cutoff,
            long prunedOffset, long publishedOffset, int limit) throws SQLException {
        if (publishedOffset <= prunedOffset) {
            return new Boundary(prunedOffset, false);
        }
        try (PreparedStatement outcomes = connection.prepareStatement(OUTCOMES)) {
            outcomes.setTimestamp(1, cutoff);
            int index = 2;
            for (int table = 0; table < 2; table++) {
                outcomes.setInt(index++, partition);
                outcomes.setLong(index++, prunedOffset);
                outcomes.setLong(index++, publishedOffset);
                outcomes.setInt(index++, limit + 1);
            }
            outcomes.setInt(index, limit + 1);
            int seen = 0;
            try (ResultSet rows = outcomes.executeQuery()) {
                while (rows.next()) {
                    long offset = rows.getLong(1);
                    if (!rows.getBoolean(2)) {
                        return new Boundary(offset, false);
                    }
                    if (++seen > limit) {
                        return new Boundary(offset, true);
                    }
                }
            }
            // every outcome below the published offset is expired: offsets between them hold none
            return new Boundary(publishedOffset, false);
        }
    }

    private static int deleteSuperseded(Connection connection, String sql, int partition, java.sql.Timestamp cutoff,
            int limit, long prunedSequence) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setInt(1, partition);
            delete.setTimestamp(2, cutoff);
            delete.setInt(3, limit);
            if (prunedSequence >= 0) {
                delete.setLong(4, prunedSequence);
            }
            return delete.executeUpdate();
        }
    }
}
