package io.allsource.ingest.bench;

import io.allsource.ingest.bench.report.PreloadFigures;
import io.allsource.ingest.partition.PartitionFunction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills an empty, migrated event store schema with events as the worker would have left them, so that a workload can
 * be measured on tables that are already large: {@code events} events over {@code events / 10} streams
 * ({@code preload-0}, {@code preload-1}, ...), 10 each with versions 1..10, each stream on the partition its id maps
 * to ({@link PartitionFunction#partitionOf}), every partition's events numbered 1..k without gaps, unique event ids,
 * every stream's watermark at its version (published), and one {@code partition_state} row per partition with its last
 * and published sequence at k and its offsets at 0: no command was applied from any log, so the worker's claim takes
 * the partition on a new commands topic and continues its sequence at k + 1. No {@code command_results} rows: they
 * would hold command offsets that a new topic's commands take again.
 *
 * <p>Written with {@code COPY} in one transaction, streamed as it is generated (memory stays flat whatever the count),
 * then {@code VACUUM ANALYZE}. Foreign keys are not checked row by row when the user may set
 * {@code session_replication_role} (a superuser); the rows satisfy them by construction.
 */
final class EventPreload {

    static final int EVENTS_PER_STREAM = 10;
    static final String STREAM_PREFIX = "preload-";

    private static final Logger log = LoggerFactory.getLogger(EventPreload.class);
    /** The high half of every preloaded event id: "prel", then UUID version 8, which derived (v5) ids never carry. */
    private static final long EVENT_ID_HIGH = 0x7072_656c_0000_8000L;
    private static final long IETF_VARIANT = Long.MIN_VALUE;
    private static final int BUFFER_CHARS = 256 * 1024;
    private static final long PROGRESS_INTERVAL_NANOS = 1_000_000_000L;

    private final Consumer<String> progress;
    private final String timestamp = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();

    private EventPreload(Consumer<String> progress) {
        this.progress = progress;
    }

    /**
     * Fills the schema {@code dataSource}'s connections resolve names in.
     *
     * @param events   a positive multiple of {@value #EVENTS_PER_STREAM}
     * @param progress receives a line about once a second while rows are written (rows so far, rows per second)
     * @throws IllegalArgumentException when {@code events} is not a positive multiple of 10
     * @throws IllegalStateException    when the schema already holds events or partition states
     */
    static PreloadFigures fill(DataSource dataSource, long events, Consumer<String> progress) throws SQLException {
        checkCount(events);
        long streams = events / EVENTS_PER_STREAM;
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            requireEmpty(connection);
            boolean unchecked = skipForeignKeyChecks(connection);
            connection.setAutoCommit(false);
            try {
                CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
                new EventPreload(progress).write(connection, copy, streams);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                if (unchecked) {
                    statement.execute("RESET session_replication_role");
                }
                progress.accept("VACUUM ANALYZE");
                statement.execute("VACUUM (ANALYZE) event_streams, events, partition_state");
            }
        }
        return new PreloadFigures(events, streams, (System.nanoTime() - started) / 1e9);
    }

    static void checkCount(long events) {
        if (events <= 0 || events % EVENTS_PER_STREAM != 0) {
            throw new IllegalArgumentException("--preload must be a positive multiple of " + EVENTS_PER_STREAM
                    + " (" + EVENTS_PER_STREAM + " events per stream), got " + events);
        }
    }

    static String streamId(long stream) {
        return STREAM_PREFIX + stream;
    }

    /** The id of the {@code index}-th preloaded event (from 0): distinct for every index. */
    static UUID eventId(long index) {
        return new UUID(EVENT_ID_HIGH, IETF_VARIANT | index);
    }

    private void write(Connection connection, CopyManager copy, long streams) throws SQLException {
        CopyWriter streamRows = new CopyWriter(copy.copyIn("COPY event_streams (stream_id, partition_id,"
                + " current_version, watermark) FROM STDIN"), "streams", streams);
        for (long stream = 0; stream < streams; stream++) {
            String id = streamId(stream);
            streamRows.line().append(id).append('\t').append(PartitionFunction.partitionOf(id)).append('\t')
                    .append(EVENTS_PER_STREAM).append('\t').append(EVENTS_PER_STREAM).append('\n');
            streamRows.endRow();
        }
        streamRows.end();
        long[] lastSequences = new long[PartitionFunction.PARTITION_COUNT];
        CopyWriter eventRows = new CopyWriter(copy.copyIn("COPY events (stream_id, version, tenant_id, event_type,"
                + " entity_id, payload, metadata, timestamp, partition_id, partition_sequence, event_id, command_id)"
                + " FROM STDIN"), "events", streams * EVENTS_PER_STREAM);
        for (long stream = 0; stream < streams; stream++) {
            String id = streamId(stream);
            int partition = PartitionFunction.partitionOf(id);
            for (int version = 1; version <= EVENTS_PER_STREAM; version++) {
                long index = stream * EVENTS_PER_STREAM + version - 1;
                eventRows.line().append(id).append('\t').append(version).append("\tbench\tPreloaded\t").append(id)
                        .append("\t{\"stream\": ").append(stream).append(", \"version\": ").append(version)
                        .append("}\t{}\t").append(timestamp).append('\t').append(partition).append('\t')
                        .append(++lastSequences[partition]).append('\t').append(eventId(index)).append('\t')
                        .append(id).append('\n');
                eventRows.endRow();
            }
        }
        eventRows.end();
        insertPartitionStates(connection, lastSequences);
    }

    /** Every partition applied nothing from any log (offsets 0) and published all it holds. */
    private static void insertPartitionStates(Connection connection, long[] lastSequences) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO partition_state (partition_id,"
                + " owner_epoch, next_offset, last_sequence, published_offset, published_sequence)"
                + " VALUES (?, 0, 0, ?, 0, ?)")) {
            for (int partition = 0; partition < lastSequences.length; partition++) {
                insert.setInt(1, partition);
                insert.setLong(2, lastSequences[partition]);
                insert.setLong(3, lastSequences[partition]);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void requireEmpty(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM events)"
                        + " OR EXISTS (SELECT 1 FROM event_streams) OR EXISTS (SELECT 1 FROM partition_state)")) {
            row.next();
            if (row.getBoolean(1)) {
                throw new IllegalStateException("The preload needs an empty schema: events, event_streams or"
                        + " partition_state already hold rows");
            }
        }
    }

    /** Replica mode fires no foreign key triggers; only a superuser may set it, so others keep the checks. */
    private static boolean skipForeignKeyChecks(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET session_replication_role = replica");
            return true;
        } catch (SQLException e) {
            log.info("Preload: foreign keys checked row by row ({})", e.getMessage().lines().findFirst().orElse(""));
            return false;
        }
    }

    /** One {@code COPY ... FROM STDIN}, fed a buffer at a time, reporting its progress about once a second. */
    private final class CopyWriter {

        private final CopyIn copyIn;
        private final String table;
        private final long expected;
        private final StringBuilder buffer = new StringBuilder(BUFFER_CHARS + 1024);
        private final long started = System.nanoTime();
        private long lastReport = started;
        private long rows;

        CopyWriter(CopyIn copyIn, String table, long expected) {
            this.copyIn = copyIn;
            this.table = table;
            this.expected = expected;
        }

        StringBuilder line() {
            return buffer;
        }

        void endRow() throws SQLException {
            rows++;
            if (buffer.length() >= BUFFER_CHARS) {
                send();
                long now = System.nanoTime();
                if (now - lastReport >= PROGRESS_INTERVAL_NANOS) {
                    lastReport = now;
                    report(now);
                }
            }
        }

        void end() throws SQLException {
            send();
            long written = copyIn.endCopy();
            if (written != rows) {
                throw new IllegalStateException("COPY " + table + " wrote " + written + " rows of " + rows);
            }
            report(System.nanoTime());
        }

        private void send() throws SQLException {
            try {
                byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
                copyIn.writeToCopy(bytes, 0, bytes.length);
                buffer.setLength(0);
            } catch (SQLException | RuntimeException e) {
                cancel(e);
                throw e;
            }
        }

        private void cancel(Exception cause) {
            try {
                if (copyIn.isActive()) {
                    copyIn.cancelCopy();
                }
            } catch (SQLException e) {
                cause.addSuppressed(e);
            }
        }

        private void report(long now) {
            double seconds = Math.max(1e-9, (now - started) / 1e9);
            progress.accept(String.format("%s %,d of %,d (%,.0f rows/s)", table, rows, expected, rows / seconds));
        }
    }
}
