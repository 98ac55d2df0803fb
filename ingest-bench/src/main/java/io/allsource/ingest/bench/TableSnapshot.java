package io.allsource.ingest.bench;

import io.allsource.ingest.bench.report.TableCounters;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One reading of the activity counters of every table in a schema ({@code pg_stat_user_tables}), and the arithmetic
 * between readings. Pure: no I/O.
 *
 * @param tables the counters by table name
 */
record TableSnapshot(Map<String, TableCounters> tables) {

    TableSnapshot {
        tables = Map.copyOf(tables);
    }

    static TableSnapshot of(List<TableCounters> counters) {
        return new TableSnapshot(counters.stream().collect(Collectors.toMap(TableCounters::table,
                Function.identity())));
    }

    /**
     * What every table of this reading did since {@code earlier}, sorted by table name. A table that did not exist at
     * the earlier reading counts from zero; one that no longer exists is left out.
     */
    List<TableCounters> since(TableSnapshot earlier) {
        return tables.values().stream()
                .map(now -> now.minus(earlier.tables.getOrDefault(now.table(), TableCounters.none(now.table()))))
                .sorted(Comparator.comparing(TableCounters::table))
                .toList();
    }
}
