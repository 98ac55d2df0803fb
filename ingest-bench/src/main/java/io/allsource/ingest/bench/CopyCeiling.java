package io.allsource.ingest.bench;

import java.io.StringReader;
import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The physical limit for the seed's schema on this database: the same event rows written with {@code COPY} in large
 * transactions, with no checks at all (versions computed up front, streams written once with their final versions).
 */
final class CopyCeiling {

    private static final int ROWS_PER_TRANSACTION = 50_000;

    private CopyCeiling() {
    }

    static Measurement run(DataSource dataSource, Workload workload, String seedSchema) throws Exception {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            Map<String, Long> versions = new HashMap<>();
            StringBuilder rows = new StringBuilder();
            int pending = 0;
            for (int command = 0; command < workload.commands(); command++) {
                String stream = workload.streamOf(command);
                for (int event = 0; event < workload.eventsPerCommand(); event++) {
                    long version = versions.merge(stream, 1L, Long::sum);
                    rows.append(stream).append('\t').append(version).append("\tbench\tHappened\t").append(stream)
                            .append('\t').append(workload.payload(command, event)).append("\t{}\tnow\n");
                    pending++;
                }
                if (pending >= ROWS_PER_TRANSACTION) {
                    flush(connection, copy, seedSchema, versions, rows);
                    pending = 0;
                }
            }
            flush(connection, copy, seedSchema, versions, rows);
        }
        return new Measurement("database ceiling: COPY, " + ROWS_PER_TRANSACTION + " rows per transaction",
                workload.events(), System.nanoTime() - started);
    }

    private static void flush(Connection connection, CopyManager copy, String schema, Map<String, Long> versions,
            StringBuilder rows) throws Exception {
        StringBuilder streams = new StringBuilder();
        versions.forEach((stream, version) -> streams.append(stream).append('\t')
                .append(io.allsource.ingest.partition.PartitionFunction.partitionOf(stream)).append('\t')
                .append(version).append('\n'));
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMP TABLE IF NOT EXISTS stream_versions (stream_id varchar(255),"
                    + " partition_id int, current_version bigint) ON COMMIT DELETE ROWS");
            copy.copyIn("COPY stream_versions FROM STDIN", new StringReader(streams.toString()));
            statement.execute("INSERT INTO " + schema + ".event_streams (stream_id, partition_id, current_version)"
                    + " SELECT stream_id, partition_id, current_version FROM stream_versions ON CONFLICT (stream_id)"
                    + " DO UPDATE SET current_version = EXCLUDED.current_version");
        }
        copy.copyIn("COPY " + schema + ".events (stream_id, version, tenant_id, event_type, entity_id, payload, metadata,"
                + " timestamp) FROM STDIN", new StringReader(rows.toString()));
        connection.commit();
        rows.setLength(0);
    }
}
