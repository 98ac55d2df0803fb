package io.allsource.ingest.audit;

import io.allsource.ingest.partition.PartitionFunction;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.BitSet;

/**
 * The fingerprint of every committed event, by partition and partition sequence (gapless, so a plain array per
 * partition: twelve bytes an event and two bits), whether the snapshot holds it erased, how many copies of it the
 * events topic held that are to equal the stored row, and whether any copy of it was seen at all.
 *
 * <p>The copies that are to equal the stored row are those of the same kind: a plain copy of an event the snapshot
 * holds unerased, a redacted copy ({@code erased} true) of one it holds erased. The other kind is allowed and not
 * compared: the original copy of an erased event was published before the erase, and a redacted copy of an event the
 * snapshot holds unerased comes from an erase committed after the snapshot. Not thread-safe.
 */
final class EventLedger {

    private final long[][] fingerprints = new long[PartitionFunction.PARTITION_COUNT][];
    private final int[][] copies = new int[PartitionFunction.PARTITION_COUNT][];
    private final BitSet[] erased = new BitSet[PartitionFunction.PARTITION_COUNT];
    private final BitSet[] anyCopy = new BitSet[PartitionFunction.PARTITION_COUNT];
    private long committed;
    private long unseen;

    private EventLedger() {
        for (int p = 0; p < fingerprints.length; p++) {
            fingerprints[p] = new long[0];
            copies[p] = new int[0];
            erased[p] = new BitSet();
            anyCopy[p] = new BitSet();
        }
    }

    /** Reads every event of the snapshot {@code connection} is in. */
    static EventLedger load(Connection connection) throws SQLException {
        EventLedger ledger = new EventLedger();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT partition_id, last_sequence FROM partition_state")) {
            while (rows.next()) {
                int size = Math.toIntExact(rows.getLong(2));
                ledger.fingerprints[rows.getInt(1)] = new long[size];
                ledger.copies[rows.getInt(1)] = new int[size];
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.setFetchSize(10_000);
            try (ResultSet rows = statement.executeQuery("SELECT " + Fingerprints.EVENT_COLUMNS + " FROM events")) {
                while (rows.next()) {
                    ledger.add(rows.getInt("partition_id"), rows.getLong("partition_sequence"),
                            Fingerprints.event(rows), rows.getBoolean("erased"));
                }
            }
        }
        return ledger;
    }

    private void add(int partition, long sequence, long fingerprint, boolean isErased) {
        if (sequence >= 1 && sequence <= fingerprints[partition].length) {
            fingerprints[partition][(int) sequence - 1] = fingerprint;
            if (isErased) {
                erased[partition].set((int) sequence - 1);
            }
            committed++;
            unseen++;
        }
    }

    /** The stored fingerprint of the event, or 0 when the snapshot holds no such event. */
    long fingerprint(int partition, long sequence) {
        if (partition < 0 || partition >= fingerprints.length || sequence < 1
                || sequence > fingerprints[partition].length) {
            return 0;
        }
        return fingerprints[partition][(int) sequence - 1];
    }

    /** Whether the snapshot holds the event erased; only for an event {@link #fingerprint} knows. */
    boolean erased(int partition, long sequence) {
        return erased[partition].get((int) sequence - 1);
    }

    /**
     * Counts one more copy of a stored event on the topic of the kind that is to equal the stored row; returns how
     * many such copies have been seen, this one included.
     */
    int seen(int partition, long sequence) {
        int count = ++copies[partition][(int) sequence - 1];
        if (count == 1) {
            unseen--;
        }
        return count;
    }

    /** Notes a copy of either kind; true when it is the first copy of the event seen at all. */
    boolean firstCopy(int partition, long sequence) {
        int index = (int) sequence - 1;
        boolean first = !anyCopy[partition].get(index);
        anyCopy[partition].set(index);
        return first;
    }

    long committed() {
        return committed;
    }

    /** Stored events whose copy of the comparable kind has not been seen on the topic yet. */
    long unseen() {
        return unseen;
    }

    /** Copies of the comparable kind beyond the first, over all events. */
    long duplicateCopies() {
        long duplicates = 0;
        for (int[] partition : copies) {
            for (int count : partition) {
                duplicates += Math.max(0, count - 1);
            }
        }
        return duplicates;
    }

    /** Reports each stored event no copy of the comparable kind of which was seen. */
    void forEachUnseen(UnseenEvent action) {
        for (int p = 0; p < fingerprints.length; p++) {
            for (int i = 0; i < fingerprints[p].length; i++) {
                if (fingerprints[p][i] != 0 && copies[p][i] == 0) {
                    action.accept(p, i + 1L, erased[p].get(i));
                }
            }
        }
    }

    /** Receives a stored event's partition and sequence, and whether the snapshot holds it erased. */
    @FunctionalInterface
    interface UnseenEvent {
        void accept(int partition, long sequence, boolean erased);
    }
}
