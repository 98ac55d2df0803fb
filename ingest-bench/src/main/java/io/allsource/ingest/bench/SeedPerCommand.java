package io.allsource.ingest.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/**
 * The seed design's algorithm, as its write-up describes {@code append_to_stream}: per command one transaction that
 * locks the stream row ({@code SELECT ... FOR UPDATE}), inserts the events, updates the stream and commits; several
 * threads at once, as several callers would.
 */
final class SeedPerCommand {

    private SeedPerCommand() {
    }

    static Measurement run(DataSource dataSource, Workload workload, int threads, String seedSchema)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                try (Connection connection = dataSource.getConnection()) {
                    connection.setAutoCommit(false);
                    for (int command = thread; command < workload.commands(); command += threads) {
                        append(connection, workload, command, seedSchema);
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        long elapsed = System.nanoTime() - started;
        pool.shutdown();
        return new Measurement("seed design: one transaction per command (" + threads + " threads)",
                workload.events(), elapsed);
    }

    private static void append(Connection connection, Workload workload, int command, String schema)
            throws SQLException {
        String stream = workload.streamOf(command);
        long version = lockStream(connection, stream, workload.partitionOf(command), schema);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + schema + ".events (stream_id, version,"
                + " tenant_id, event_type, entity_id, payload, metadata, timestamp)"
                + " VALUES (?, ?, 'bench', 'Happened', ?, ?::jsonb, '{}'::jsonb, now())")) {
            for (int event = 0; event < workload.eventsPerCommand(); event++) {
                insert.setString(1, stream);
                insert.setLong(2, ++version);
                insert.setString(3, stream);
                insert.setString(4, workload.payload(command, event));
                insert.executeUpdate();
            }
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE " + schema + ".event_streams SET current_version = ? WHERE stream_id = ?")) {
            update.setLong(1, version);
            update.setString(2, stream);
            update.executeUpdate();
        }
        connection.commit();
    }

    private static long lockStream(Connection connection, String stream, int partition, String schema)
            throws SQLException {
        for (int attempt = 0; attempt < 2; attempt++) {
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT current_version FROM " + schema + ".event_streams WHERE stream_id = ? FOR UPDATE")) {
                lock.setString(1, stream);
                try (ResultSet row = lock.executeQuery()) {
                    if (row.next()) {
                        return row.getLong(1);
                    }
                }
            }
            try (PreparedStatement create = connection.prepareStatement("INSERT INTO " + schema + ".event_streams (stream_id,"
                    + " partition_id, current_version) VALUES (?, ?, 0) ON CONFLICT DO NOTHING")) {
                create.setString(1, stream);
                create.setInt(2, partition);
                create.executeUpdate();
            }
        }
        throw new IllegalStateException("Stream " + stream + " could be neither created nor locked");
    }
}
