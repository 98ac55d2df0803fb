package io.allsource.ingest.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every offset in [pruned_offset, next_offset) of every partition holds exactly one outcome (a result or a redelivery)
 * of the partition's current log, or holds nothing a {@code read_committed} consumer receives. Below
 * {@code pruned_offset} (0 unless the worker prunes outcomes older than its {@code result-retention-ms}) there is
 * nothing to account for. Outcomes an offset reset
 * superseded ({@code superseded_by} set) belong to a log left behind and are not counted: the new log's outcomes at the
 * same offsets are the ones that must be there, once each (see {@link StoreInvariants}). The database finds the offsets
 * without an outcome, as ranges, only in partitions that have any; {@link ReceivedOffsets} then says which of those
 * hold a record, so that the cost beyond the database grows with the offsets without an outcome, never with the topic.
 * Not thread-safe.
 */
final class OffsetOutcomes {

    static final String NAME = "every offset below next_offset has exactly one outcome";

    private static final Logger log = LoggerFactory.getLogger(OffsetOutcomes.class);
    private static final int GAPS_PER_ASK = 10_000;

    private static final String PER_PARTITION = "SELECT p.partition_id, p.pruned_offset, p.next_offset,"
            + " count(o.command_offset), count(DISTINCT o.command_offset) FROM partition_state p LEFT JOIN "
            + StoreInvariants.OUTCOMES + " o ON o.partition_id = p.partition_id"
            + " AND o.command_offset >= p.pruned_offset AND o.command_offset < p.next_offset"
            + " GROUP BY p.partition_id, p.pruned_offset, p.next_offset ORDER BY p.partition_id";

    /**
     * The ranges [previous outcome + 1, next outcome) of a partition from its pruned offset on, next_offset standing
     * in as the last outcome.
     */
    private static final String GAPS = "SELECT previous + 1, next FROM (SELECT o AS next,"
            + " lag(o, 1, ?::bigint - 1) OVER (ORDER BY o) AS previous FROM ("
            + "SELECT command_offset AS o FROM command_results"
            + " WHERE partition_id = ? AND command_offset >= ? AND command_offset < ? AND superseded_by IS NULL"
            + " UNION SELECT command_offset FROM command_redeliveries"
            + " WHERE partition_id = ? AND command_offset >= ? AND command_offset < ? AND superseded_by IS NULL"
            + " UNION SELECT ?::bigint) AS outcome) AS step WHERE next > previous + 1 ORDER BY next";

    private static final String DOUBLED = "SELECT command_offset FROM " + StoreInvariants.OUTCOMES
            + " o WHERE partition_id = ? GROUP BY command_offset HAVING count(*) > 1 ORDER BY command_offset LIMIT 10";

    private final Connection connection;
    private final ReceivedOffsets receivedOffsets;
    private final CheckTally tally = new CheckTally(NAME);

    OffsetOutcomes(Connection connection, ReceivedOffsets receivedOffsets) {
        this.connection = connection;
        this.receivedOffsets = receivedOffsets;
    }

    Check check() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(PER_PARTITION)) {
            while (rows.next()) {
                partition(rows.getInt(1), rows.getLong(2), rows.getLong(3), rows.getLong(4), rows.getLong(5));
            }
        }
        return tally.toCheck();
    }

    private void partition(int partition, long prunedOffset, long nextOffset, long outcomes, long distinctOffsets)
            throws SQLException {
        long accounted = Math.max(0, nextOffset - prunedOffset);
        tally.checked(accounted);
        long missing = accounted - distinctOffsets;
        if (missing > 0) {
            long received = missing(partition, prunedOffset, nextOffset);
            if (received < missing) {
                log.info("Partition {}: {} of the {} offsets without an outcome hold no record a read_committed"
                        + " consumer receives (transaction markers, aborted records)", partition,
                        missing - received, missing);
            }
        }
        if (outcomes > distinctOffsets) {
            for (long offset : doubled(partition)) {
                tally.violation("partition " + partition + " offset " + offset + " has two outcomes");
            }
        }
    }

    /** Reports the offsets without an outcome that hold a received record; returns how many. */
    private long missing(int partition, long prunedOffset, long nextOffset) throws SQLException {
        long received = 0;
        List<ReceivedOffsets.Gap> gaps = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(GAPS)) {
            statement.setFetchSize(GAPS_PER_ASK);
            statement.setLong(1, prunedOffset);
            int index = 2;
            for (int table = 0; table < 2; table++) {
                statement.setInt(index++, partition);
                statement.setLong(index++, prunedOffset);
                statement.setLong(index++, nextOffset);
            }
            statement.setLong(index, nextOffset);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    gaps.add(new ReceivedOffsets.Gap(rows.getLong(1), rows.getLong(2)));
                    if (gaps.size() == GAPS_PER_ASK) {
                        received += received(partition, gaps);
                        gaps.clear();
                    }
                }
            }
        }
        return gaps.isEmpty() ? received : received + received(partition, gaps);
    }

    private long received(int partition, List<ReceivedOffsets.Gap> gaps) {
        LongAdder received = new LongAdder();
        receivedOffsets.receivedIn(partition, List.copyOf(gaps), offset -> {
            received.increment();
            tally.violation("partition " + partition + " offset " + offset + " has no outcome");
        });
        return received.sum();
    }

    private List<Long> doubled(int partition) throws SQLException {
        List<Long> offsets = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(DOUBLED)) {
            statement.setInt(1, partition);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    offsets.add(rows.getLong(1));
                }
            }
        }
        return offsets;
    }
}
