package io.allsource.ingest.audit;

import io.allsource.ingest.partition.PartitionFunction;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The fingerprint of every committed event, by partition and partition sequence (gapless, so a plain array per
 * partition: twelve bytes an event), with how many copies of it the events topic held. Not thread-safe.
 */
final class EventLedger {

    private final long[][] fingerprints = new long[PartitionFunction.PARTITION_COUNT][];
    private final int[][] copies = new int[PartitionFunction.PARTITION_COUNT][];
    private long committed;
    private long unseen;

    private EventLedger() {
        for (int p = 0; p < fingerprints.length; p++) {
            fingerprints[p] = new long[0];
            copies[p] = new int[0];
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
                            Fingerprints.event(rows));
                }
            }
        }
        return ledger;
    }

    private void add(int partition, long sequence, long fingerprint) {
        if (sequence >= 1 && sequence <= fingerprints[partition].length) {
            fingerprints[partition][(int) sequence - 1] = fingerprint;
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

    /** Counts one more copy of a stored event on the topic; returns how many have been seen, this one included. */
    int seen(int partition, long sequence) {
        int count = ++copies[partition][(int) sequence - 1];
        if (count == 1) {
            unseen--;
        }
        return count;
    }

    long committed() {
        return committed;
    }

    /** Stored events not seen on the topic yet. */
    long unseen() {
        return unseen;
    }

    /** Copies beyond the first, over all events. */
    long duplicateCopies() {
        long duplicates = 0;
        for (int[] partition : copies) {
            for (int count : partition) {
                duplicates += Math.max(0, count - 1);
            }
        }
        return duplicates;
    }

    /** Reports each stored event no copy of which was seen. */
    void forEachUnseen(UnseenEvent action) {
        for (int p = 0; p < fingerprints.length; p++) {
            for (int i = 0; i < fingerprints[p].length; i++) {
                if (fingerprints[p][i] != 0 && copies[p][i] == 0) {
                    action.accept(p, i + 1L);
                }
            }
        }
    }

    /** Receives a stored event's partition and sequence. */
    @FunctionalInterface
    interface UnseenEvent {
        void accept(int partition, long sequence);
    }
}
