package io.allsource.ingest.audit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The commands whose results the audit looks for on the results topic, by the fingerprint of their command id (sorted,
 * for binary search: about forty bytes a command), with the stored outcome's fingerprint, its first partition
 * sequence, how many deliveries the database recorded (the first plus redeliveries), the partition it was sent to when
 * a history says so, and how many copies the topic held. Two command ids sharing a 64-bit fingerprint would be counted
 * as one; at a million commands the odds are below one in ten million. Outcomes and redeliveries an offset reset
 * superseded ({@code superseded_by} set) count like any other: a command id has one stored outcome whichever log
 * decided it, a resent id in a new log still gets that one, and every delivery, in any log, was answered on the results
 * topic. Not thread-safe.
 */
final class ResultLedger {

    static final int UNKNOWN_PARTITION = -1;

    private final long[] ids;
    private final long[] stored;
    private final long[] storedFirstSequence;
    private final int[] sentPartition;
    private final int[] deliveries;
    private final int[] copies;
    private final boolean[] routedElsewhere;
    private long unseen;

    private ResultLedger(long[] ids) {
        this.ids = ids;
        this.stored = new long[ids.length];
        this.storedFirstSequence = new long[ids.length];
        this.sentPartition = new int[ids.length];
        Arrays.fill(sentPartition, UNKNOWN_PARTITION);
        this.deliveries = new int[ids.length];
        this.copies = new int[ids.length];
        this.routedElsewhere = new boolean[ids.length];
    }

    /** The commands of {@code history}. */
    static ResultLedger of(CommandHistory history) {
        LongList ids = new LongList();
        history.forEach(sent -> ids.add(Digest.ofText(sent.commandId())));
        ResultLedger ledger = new ResultLedger(ids.sortedDistinct());
        history.forEach(sent -> ledger.sentPartition[ledger.index(sent.commandId())] = sent.partition());
        return ledger;
    }

    /** Every command the snapshot {@code connection} is in holds an outcome of. */
    static ResultLedger ofStore(Connection connection) throws SQLException {
        LongList ids = new LongList();
        forEachStoredId(connection, id -> ids.add(Digest.ofText(id)));
        return new ResultLedger(ids.sortedDistinct());
    }

    static void forEachStoredId(Connection connection, Consumer<String> action) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.setFetchSize(10_000);
            try (ResultSet rows = statement.executeQuery("SELECT command_id FROM command_results")) {
                while (rows.next()) {
                    action.accept(rows.getString(1));
                }
            }
        }
    }

    /**
     * Reads the stored outcomes and redeliveries of the ledger's commands, counting into {@code partitions} each one
     * stored from another partition than the history says it was sent to.
     */
    void loadStored(Connection connection, CheckTally partitions) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.setFetchSize(10_000);
            try (ResultSet rows = statement.executeQuery(
                    "SELECT " + Fingerprints.RESULT_COLUMNS + ", reply_topic FROM command_results")) {
                while (rows.next()) {
                    storeRow(rows, partitions);
                }
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.setFetchSize(10_000);
            try (ResultSet rows = statement.executeQuery(
                    "SELECT command_id, count(*) FROM command_redeliveries GROUP BY command_id")) {
                while (rows.next()) {
                    int index = index(rows.getString(1));
                    if (index >= 0) {
                        deliveries[index] += rows.getInt(2);
                    }
                }
            }
        }
    }

    private void storeRow(ResultSet row, CheckTally partitions) throws SQLException {
        String commandId = row.getString("command_id");
        int index = index(commandId);
        if (index < 0) {
            return;
        }
        stored[index] = Fingerprints.result(row);
        storedFirstSequence[index] = row.getLong("first_sequence");
        deliveries[index]++;
        routedElsewhere[index] = row.getString("reply_topic") != null;
        if (!routedElsewhere[index]) {
            unseen++;
        }
        int partition = row.getInt("partition_id");
        if (sentPartition[index] != UNKNOWN_PARTITION) {
            partitions.checked();
            if (sentPartition[index] != partition) {
                partitions.violation(commandId + " sent to partition " + sentPartition[index]
                        + ", stored from partition " + partition);
            }
        }
    }

    /** The command's position, or a negative number when the ledger does not hold it. */
    int index(String commandId) {
        return Arrays.binarySearch(ids, Digest.ofText(commandId));
    }

    int size() {
        return ids.length;
    }

    boolean isStored(int index) {
        return stored[index] != 0;
    }

    long stored(int index) {
        return stored[index];
    }

    long storedFirstSequence(int index) {
        return storedFirstSequence[index];
    }

    boolean routedElsewhere(int index) {
        return routedElsewhere[index];
    }

    /** Counts one more copy on the topic. */
    void seen(int index) {
        if (++copies[index] == 1 && isStored(index) && !routedElsewhere[index]) {
            unseen--;
        }
    }

    int copies(int index) {
        return copies[index];
    }

    /** Stored outcomes that should be on the results topic and have not been seen there yet. */
    long unseen() {
        return unseen;
    }

    /** Copies beyond one per recorded delivery, over all commands. */
    long duplicateCopies() {
        long duplicates = 0;
        for (int i = 0; i < ids.length; i++) {
            duplicates += Math.max(0, copies[i] - Math.max(1, deliveries[i]));
        }
        return duplicates;
    }

    /** A growable array of longs. */
    private static final class LongList {

        private long[] values = new long[1024];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long[] sortedDistinct() {
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            int distinct = 0;
            for (int i = 0; i < sorted.length; i++) {
                if (i == 0 || sorted[i] != sorted[i - 1]) {
                    sorted[distinct++] = sorted[i];
                }
            }
            return Arrays.copyOf(sorted, distinct);
        }
    }
}
