package io.allsource.ingest.connect;

import io.allsource.ingest.avro.EventRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/**
 * The JDBC sink's target table, created by the DDL of {@code connect/postgres-init.sql} in a schema of its own of a
 * test database, and written the way the JDBC sink's PostgreSQL dialect upserts: {@code INSERT ... ON CONFLICT
 * (event_id) DO UPDATE}, every field of the event but {@code metadata} (which the sink's transformation drops), the
 * timestamp bound in UTC. Not thread-safe.
 */
final class WarehouseTable implements AutoCloseable {

    private static final List<String> COLUMNS = EventRecord.getClassSchema().getFields().stream()
            .map(Schema.Field::name).filter(name -> !name.equals("metadata")).toList();

    private final Connection connection;

    private WarehouseTable(Connection connection) {
        this.connection = connection;
    }

    /** Creates the table in a new schema {@code schema} of the database at {@code jdbcUrl}. */
    static WarehouseTable create(String jdbcUrl, String schema) throws SQLException {
        Connection connection = DriverManager.getConnection(jdbcUrl);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
            statement.execute("SET search_path TO " + schema);
            statement.execute(shippedDdl());
            return new WarehouseTable(connection);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    void upsert(List<EventRecord> events) throws SQLException {
        String quoted = COLUMNS.stream().map(column -> "\"" + column + "\"").collect(Collectors.joining(","));
        String updates = COLUMNS.stream().filter(column -> !column.equals("event_id"))
                .map(column -> "\"" + column + "\"=EXCLUDED.\"" + column + "\"").collect(Collectors.joining(","));
        String sql = "INSERT INTO \"events\" (" + quoted + ") VALUES ("
                + COLUMNS.stream().map(column -> "?").collect(Collectors.joining(","))
                + ") ON CONFLICT (\"event_id\") DO UPDATE SET " + updates;
        Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (EventRecord event : events) {
                for (int i = 0; i < COLUMNS.size(); i++) {
                    Object value = event.get(COLUMNS.get(i));
                    if (value instanceof Instant instant) {
                        statement.setTimestamp(i + 1, Timestamp.from(instant), utc);
                    } else {
                        statement.setObject(i + 1, value);
                    }
                }
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    long rowCount() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM events")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The row of {@code eventId}, column by column; empty when there is none. */
    Map<String, Object> row(String eventId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT * FROM events WHERE event_id = ?")) {
            statement.setString(1, eventId);
            try (ResultSet rows = statement.executeQuery()) {
                Map<String, Object> row = new LinkedHashMap<>();
                if (rows.next()) {
                    for (String column : COLUMNS) {
                        row.put(column, column.equals("recorded_at")
                                ? rows.getObject(column, OffsetDateTime.class).toInstant() : rows.getObject(column));
                    }
                }
                return row;
            }
        }
    }

    /** The row the sink is to write for {@code event}. */
    static Map<String, Object> rowOf(EventRecord event) {
        Map<String, Object> row = new LinkedHashMap<>();
        COLUMNS.forEach(column -> row.put(column, event.get(column)));
        return row;
    }

    /** The warehouse part of the init script: what runs in the warehouse database. */
    private static String shippedDdl() {
        try {
            String script = Files.readString(RepositoryFiles.file("connect/postgres-init.sql"));
            String marker = "\\connect warehouse";
            int start = script.indexOf(marker);
            if (start < 0) {
                throw new IllegalStateException("postgres-init.sql does not connect to the warehouse database");
            }
            return script.substring(script.indexOf('\n', start) + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
