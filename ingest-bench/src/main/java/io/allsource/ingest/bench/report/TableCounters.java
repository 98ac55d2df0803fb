package io.allsource.ingest.bench.report;

/**
 * One table's activity counters as {@code pg_stat_user_tables} reports them: totals since the statistics were last
 * reset, or the difference between two readings.
 *
 * @param table        the table's name, unqualified (the workload's schema holds it)
 * @param seqScans     sequential scans started on the table ({@code seq_scan})
 * @param seqRowsRead  live rows those scans fetched ({@code seq_tup_read})
 * @param indexScans   index scans started on the table's indexes ({@code idx_scan})
 * @param rowsInserted rows inserted ({@code n_tup_ins})
 * @param rowsUpdated  rows updated ({@code n_tup_upd})
 * @param hotUpdated   of those, the HOT updates ({@code n_tup_hot_upd}): the new row version went to the same page and
 *                     no index entry was written, as no indexed column changed and the page had room
 */
public record TableCounters(String table, long seqScans, long seqRowsRead, long indexScans, long rowsInserted,
        long rowsUpdated, long hotUpdated) {

    /** A table that has done nothing: the earlier reading of a table that did not exist yet. */
    public static TableCounters none(String table) {
        return new TableCounters(table, 0, 0, 0, 0, 0, 0);
    }

    /** What happened between {@code earlier} (a reading of the same table) and this reading. */
    public TableCounters minus(TableCounters earlier) {
        if (!table.equals(earlier.table)) {
            throw new IllegalArgumentException("cannot subtract the counters of " + earlier.table + " from " + table);
        }
        return new TableCounters(table, seqScans - earlier.seqScans, seqRowsRead - earlier.seqRowsRead,
                indexScans - earlier.indexScans, rowsInserted - earlier.rowsInserted,
                rowsUpdated - earlier.rowsUpdated, hotUpdated - earlier.hotUpdated);
    }

    /** Whether any counter is other than zero. */
    public boolean active() {
        return seqScans != 0 || seqRowsRead != 0 || indexScans != 0 || rowsInserted != 0 || rowsUpdated != 0
                || hotUpdated != 0;
    }
}
